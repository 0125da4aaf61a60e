"""Importing people from vCard, LinkedIn and CSV: parse → match → preview → one transaction."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from goodword.lib.contact_files import guess_format, parse, parse_csv
from goodword.references.models import Reference, Status
from goodword.transfer import contacts

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def parsed(name, fmt=None):
    data = (FIXTURES / name).read_bytes()
    return parse(data, fmt or guess_format(name, data))


def test_iphone_vcard_gives_names_emails_phones_and_non_latin_names():
    result = parsed("iphone.vcf")
    morgan, taro, sofia = result.candidates
    assert morgan.name == "Morgan Ellis" and morgan.organisation == "Fabrikam"
    assert morgan.emails == ["morgan@fabrikam.example", "morgan.ellis@mail.example"]
    assert morgan.phones == ["+1 (555) 010-0199", "+1 555 010 0200"]
    assert "walks and espresso" in morgan.notes  # a folded line, unfolded
    assert taro.name == "山田 太郎" and sofia.name == "Σοφία Παπαδοπούλου"
    assert result.problems == []


def test_android_quoted_printable_with_soft_line_breaks_is_decoded():
    elise = parsed("android.vcf").candidates[0]
    assert elise.name == "Élise Müller (responsable de l’équipe data)"
    assert elise.organisation == "Société Générale"


def test_a_broken_card_is_named_and_the_others_are_still_offered():
    result = parsed("thunderbird_with_broken_card.vcf")
    assert [c.name for c in result.candidates] == ["Priya Raman", "Sam Lee"]
    assert [p.where for p in result.problems] == ["card 2 (line 13)"]


def test_linkedin_preamble_is_skipped_and_rows_without_email_are_kept():
    result = parsed("Connections.csv")
    assert guess_format("Connections.csv", (FIXTURES / "Connections.csv").read_bytes()) == "linkedin"
    assert [(c.name, c.emails, c.organisation, c.title) for c in result.candidates] == [
        ("Morgan Ellis", [], "Fabrikam", "Engineering Manager"),
        ("Aiko Tanaka", ["aiko@tailspin.example"], "Tailspin Toys, Inc.", "Staff Engineer"),
        ("José Álvarez", [], "Northwind", "VP, Sales"),
    ]
    assert result.candidates[0].where == "line 5"


@pytest.mark.parametrize("name, expected", [
    ("utf8_bom.csv", ["Ruth Adeyemi", "Tom Novak"]),
    ("utf16.csv", ["Zoë Kowalski", "Łukasz Nowak"]),
    ("latin1_semicolon.csv", ["Hélène Durand", "François Garçon"]),
])
def test_csv_encodings_and_delimiters_are_detected(name, expected):
    result = parsed(name, "csv")
    assert [c.name for c in result.candidates] == expected
    assert result.problems == []


def test_unknown_columns_ask_for_a_mapping_and_a_mapping_reads_them():
    result = parsed("unknown_columns.csv", "csv")
    assert result.candidates == [] and "map the columns" in result.problems[0].message
    assert result.columns == ["Person", "Reach me at", "Works for"]
    text = (FIXTURES / "unknown_columns.csv").read_text()
    mapped = parse_csv(text, {"Person": "name", "Reach me at": "email", "Works for": "organisation"})
    assert [(c.name, c.emails, c.organisation) for c in mapped.candidates] == [
        ("Ada Byron", ["ada@analytical.example"], "Analytical Engines")]


def test_malformed_rows_are_named_by_line_and_the_rest_offered():
    result = parsed("malformed.csv", "csv")
    messages = [str(p) for p in result.problems]
    assert any(m.startswith("line 3: 5 fields") for m in messages)
    assert any(m.startswith("line 5:") and "no name" in m for m in messages)
    assert any(m.startswith("line 6:") and "closing quote" in m for m in messages)
    assert "Good Row" in [c.name for c in result.candidates]


@pytest.mark.parametrize("data, words", [
    (b"", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50, "not a text file"),
    (b"a" * 10_000_000, "field larger"),
])
def test_unusable_files_get_one_clear_message(data, words):
    result = parse(data, "csv")
    assert result.candidates == [] and words in str(result.problems[0])


def test_preview_adds_merges_field_by_field_and_skips_with_reasons(alice):
    Reference.objects.create(owner=alice, name="Morgan Ellis", organisation="Fabrikam", title="Head of Platform",
                             emails=["morgan@fabrikam.example"])
    Reference.objects.create(owner=alice, name="Sam Lee", emails=["sam@lee.example"])
    plan = contacts.preview(alice, parsed("iphone.vcf"))
    morgan = plan.rows[0]
    assert morgan.action == "merge" and morgan.reason.startswith("same email as Morgan Ellis")
    assert morgan.changes["emails"] == ["morgan@fabrikam.example", "morgan.ellis@mail.example"]
    assert "title" not in morgan.changes  # what alice typed is kept, and said
    assert any("keeps your title “Head of Platform”" in text for text in morgan.kept)
    assert [row.action for row in plan.rows[1:]] == ["add", "add"]
    skipped = contacts.preview(alice, parsed("thunderbird_with_broken_card.vcf")).rows[1]
    assert (skipped.action, skipped.reason) == ("skip", "same email as Sam Lee: nothing new")


def test_same_name_and_organisation_match_without_email(alice):
    Reference.objects.create(owner=alice, name="morgan  ellis", organisation="FABRIKAM")
    row = contacts.preview(alice, parsed("Connections.csv")).rows[0]
    assert row.action == "merge" and row.reason.startswith("same name and organisation")


def test_apply_imports_contacts_not_asked_without_consent_and_listed_nowhere(alice, bob):
    outcome = contacts.apply(alice, parsed("iphone.vcf"), excluded={2})
    assert (outcome.added, outcome.merged, outcome.skipped) == (2, 0, 1)
    imported = Reference.objects.for_user(alice)
    assert sorted(imported.values_list("name", flat=True)) == ["Morgan Ellis", "Σοφία Παπαδοπούλου"]
    assert {(r.status, r.consent_given_on, r.listings.count()) for r in imported} == {(Status.RESTING, None, 0)}
    assert not Reference.objects.for_user(bob).exists()
    again = contacts.apply(alice, parsed("iphone.vcf"), excluded={2})
    assert (again.added, again.merged) == (0, 0)


def test_a_failing_import_leaves_the_book_as_it_was(alice, monkeypatch):
    Reference.objects.create(owner=alice, name="Morgan Ellis", emails=["morgan@fabrikam.example"])
    original = Reference.objects.bulk_create

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Reference.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        contacts.apply(alice, parsed("iphone.vcf"))
    monkeypatch.setattr(Reference.objects, "bulk_create", original)
    morgan = Reference.objects.get(owner=alice)
    assert morgan.emails == ["morgan@fabrikam.example"] and not morgan.title


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=3000), fmt=st.sampled_from(["vcard", "linkedin", "csv"]))
def test_arbitrary_bytes_never_crash_a_parser(data, fmt):
    result = parse(data, fmt)
    assert result.candidates or result.problems or not data.strip(b"\r\n\t ,;")


def card(name, email, org):
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEMAIL:{email}\r\nORG:{org}\r\nEND:VCARD\r\n"


odd_text = st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=60)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                    HealthCheck.function_scoped_fixture])
@given(records=st.lists(st.tuples(odd_text, odd_text, odd_text), max_size=8))
@pytest.mark.django_db
def test_odd_records_import_whole_or_not_at_all(alice, records):
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Name", "Email", "Company"])
    writer.writerows(records)
    for data, fmt in ((out.getvalue().encode(), "csv"),
                      ("".join(card(*r) for r in records).encode(), "vcard")):
        before = Reference.objects.for_user(alice).count()
        result = parse(data, fmt)
        try:
            outcome = contacts.apply(alice, result)
        except Exception as exc:  # a record the model refuses must refuse the whole file
            assert Reference.objects.for_user(alice).count() == before, exc
            raise
        assert Reference.objects.for_user(alice).count() == before + outcome.added


def test_cli_import_preview_dry_run_json_and_yes(run, alice):
    path = FIXTURES / "iphone.vcf"
    dry = run("import", path, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Morgan Ellis" in dry.output and "3 to add" in dry.output
    assert not Reference.objects.for_user(alice).exists()
    import json

    preview = json.loads(run("import", path, "--json").output)
    assert preview["summary"] == {"add": 3, "merge": 0, "skip": 0, "problems": 0}
    assert not Reference.objects.for_user(alice).exists()
    done = run("import", path, "--yes")
    assert done.exit_code == 0 and "Added 3" in done.output
    assert Reference.objects.for_user(alice).count() == 3


def test_cli_import_names_the_broken_card(run, alice):
    result = run("import", FIXTURES / "thunderbird_with_broken_card.vcf", "--yes")
    assert "card 2 (line 13)" in result.output and "Added 2" in result.output


@pytest.mark.parametrize("args", [
    ["import"], ["import", "/nonexistent/file.csv"], ["import", "x", "--format", "pdf"], ["import", "--yes"],
    ["backup", "--keep", "0"], ["backup", "--keep", "x"], ["restore"], ["restore", "/nonexistent"],
    ["export", "json"], ["export", "vcard", "/nonexistent/dir/x.vcf"],
])
def test_new_commands_reject_malformed_options_without_a_traceback(run, args):
    result = run(*args)
    assert result.exit_code != 0


def test_two_rows_matching_one_reference_merge_once(alice):
    Reference.objects.create(owner=alice, name="Morgan Ellis", organisation="Fabrikam",
                             emails=["morgan@fabrikam.example"])
    text = "Name,Email,Company,Title\nMorgan E.,morgan@fabrikam.example,,Manager\nMorgan Ellis,,Fabrikam,Director\n"
    plan = contacts.preview(alice, parse_csv(text))
    assert [row.action for row in plan.rows] == ["merge", "skip"]
    assert plan.rows[1].reason == "same name and organisation, as row 1 of this file"
    contacts.apply(alice, parse_csv(text))
    assert Reference.objects.get(owner=alice).title == "Manager"


def test_long_files_report_progress_line_by_line():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from importer import linkedin_file, vcard_file

    for data, fmt in ((vcard_file(600), "vcard"), (linkedin_file(2000), "linkedin")):
        seen = []
        result = parse(data, fmt, progress=lambda line, total: seen.append((line, total)))
        assert len(seen) >= 4 and all(0 < line <= total for line, total in seen), fmt
        assert seen == sorted(seen) and result.candidates


@pytest.mark.parametrize("args", [["import", "--help"], ["backup", "--help"], ["restore", "--help"],
                                  ["export", "json", "--help"]])
def test_help_of_the_new_commands_imports_no_django(args, tmp_path):
    import subprocess
    import sys

    from tests.test_cli_process import NO_DJANGO, plain_env

    done = subprocess.run([sys.executable, "-c", NO_DJANGO.format(args=args)], env=plain_env(tmp_path),
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr


def test_cli_shows_a_progress_bar_on_a_long_file(run, alice, tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from importer import vcard_file

    path = tmp_path / "many.vcf"
    path.write_bytes(vcard_file(800))
    result = run("import", path, "--dry-run")
    assert result.exit_code == 0 and "Reading" in result.output and "800 to add" in result.output


def test_cli_maps_unknown_columns_with_map(run, alice):
    path = FIXTURES / "unknown_columns.csv"
    result = run("import", path, "--yes", "--map", "Person=name", "--map", "Reach me at=email")
    assert result.exit_code == 0, result.output
    assert Reference.objects.for_user(alice).get().emails == ["ada@analytical.example"]
    bad = run("import", path, "--map", "Person=nickname")
    assert bad.exit_code == 2 and "COLUMN=FIELD" in bad.output
