"""The JSON export: every owned row, a schema it validates against, and a round trip."""

import json

import jsonschema
import pytest

from goodword.core.demo import load_demo
from goodword.references.models import Reference
from goodword.transfer import document as doc
from tests.factories.accounts import make_user


def ids_aside(data):
    data = dict(data)
    data.pop("exported_at")
    data.pop("account")
    return data


def test_every_owned_model_is_exported_or_said_why_not():
    declared = {spec.model for spec in doc.EXPORTED} | set(doc.NOT_EXPORTED)
    missing = sorted(set(doc.owned_models()) - declared)
    assert missing == [], f"add these to EXPORTED or NOT_EXPORTED in goodword/transfer/document.py: {missing}"


def test_schema_file_matches_the_exported_models():
    on_disk = json.loads(doc.SCHEMA_PATH.read_text())
    assert on_disk == doc.schema(), "run scripts/make_export_schema.py"


def test_export_validates_against_the_schema_and_leaves_secrets_out(alice):
    load_demo(alice)
    exported = doc.export_document(alice)
    jsonschema.validate(exported, json.loads(doc.SCHEMA_PATH.read_text()))
    assert exported["references"] and exported["events"] and exported["listings"]
    text = json.dumps(exported)
    assert "password" not in text and "token_hash" not in text and "uid_salt" not in text


def test_export_holds_only_the_users_own_rows(alice, bob):
    Reference.objects.create(owner=bob, name="Bob's Secret Contact")
    load_demo(alice)
    assert "Bob's Secret Contact" not in json.dumps(doc.export_document(alice))


def test_export_import_into_an_empty_account_exports_the_same_document(alice):
    load_demo(alice)
    first = doc.export_document(alice)
    fresh = make_user("carol")
    doc.import_document(fresh, json.loads(json.dumps(first)))
    assert ids_aside(doc.export_document(fresh)) == ids_aside(first)


def test_importing_twice_duplicates_nothing(alice):
    load_demo(alice)
    first = doc.export_document(alice)
    summary = doc.import_document(alice, first)
    assert sum(summary.created.values()) == 0
    assert ids_aside(doc.export_document(alice)) == ids_aside(first)


def test_a_document_pointing_nowhere_is_refused_whole(alice):
    load_demo(alice)
    broken = doc.export_document(alice)
    broken["listings"][0]["reference"] = 9999
    fresh = make_user("dave")
    with pytest.raises(doc.DocumentError, match="listings 1: reference points to references 9999"):
        doc.import_document(fresh, broken)
    assert not Reference.objects.for_user(fresh).exists()


@pytest.mark.parametrize("bad, words", [
    ({"format": "other"}, "not a Goodword export"),
    ({"format": "goodword-export", "schema_version": 99}, "schema version 99"),
    ([], "not a Goodword export"),
])
def test_other_documents_are_refused_with_a_reason(alice, bad, words):
    with pytest.raises(doc.DocumentError, match=words):
        doc.import_document(alice, bad)


def test_cli_export_json_then_import_goodword(run, alice, tmp_path):
    load_demo(alice)
    path = tmp_path / "all.json"
    result = run("export", "json", path)
    assert result.exit_code == 0, result.output
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    again = run("import", path)
    assert again.exit_code == 0 and "Created: nothing" in again.output


def test_cli_export_vcard_and_csv_read_back_by_the_importer(run, alice, tmp_path):
    from goodword.lib.contact_files import parse

    load_demo(alice)
    names = sorted(Reference.objects.for_user(alice).values_list("name", flat=True))
    for fmt in ("vcard", "csv"):
        path = tmp_path / f"book.{fmt}"
        assert run("export", fmt, path).exit_code == 0
        parsed = parse(path.read_bytes(), fmt)
        assert sorted(c.name for c in parsed.candidates) == names and parsed.problems == []


def test_round_trip_across_databases_through_a_sqlite_process(alice, tmp_path):
    """This database → a separate SQLite Goodword → back here: the same document each way
    (on PostgreSQL, that is PostgreSQL → SQLite → PostgreSQL)."""
    import os
    import subprocess
    import sys

    load_demo(alice)
    here = doc.export_document(alice)
    sent = tmp_path / "here.json"
    sent.write_text(json.dumps(here))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOODWORD_", "DJANGO_"))}
    env["GOODWORD_HOME"] = str(tmp_path / "home")
    goodword = [sys.executable, "-m", "goodword"]
    for args in (["import", str(sent), "--yes"], ["export", "json", str(tmp_path / "there.json")]):
        done = subprocess.run(goodword + args, env=env, capture_output=True, text=True, timeout=180, check=False)
        assert done.returncode == 0, done.stderr + done.stdout
    there = json.loads((tmp_path / "there.json").read_text())
    assert ids_aside(there) == ids_aside(here)
    fresh = make_user("erin")
    doc.import_document(fresh, there)
    assert ids_aside(doc.export_document(fresh)) == ids_aside(here)


def first_debt_with_a_reference(user):
    from goodword.courtesy.ledger import build_ledger

    return next(debt for debt in build_ledger(user).open if debt.reference_id)


def test_merging_into_an_account_that_changed_since_keeps_one_of_each(alice):
    from goodword.courtesy import services as courtesy
    from goodword.outreach.models import MessageTemplate

    load_demo(alice)
    courtesy.dismiss(alice, first_debt_with_a_reference(alice).key, "done by phone")
    MessageTemplate.objects.create(owner=alice, kind="thanks", tone="friendly", subject="Thanks", body="Thank you!")
    exported = doc.export_document(alice)
    dana = Reference.objects.for_user(alice).get(name="Dana Whitfield")
    dana.notes = "Edited after the export"
    dana.save()
    MessageTemplate.objects.filter(owner=alice).update(body="Rewritten")
    before = {spec.key: doc.rows_of(alice, spec).count() for spec in doc.EXPORTED}
    doc.import_document(alice, exported)
    after = {spec.key: doc.rows_of(alice, spec).count() for spec in doc.EXPORTED}
    assert after == before
    assert Reference.objects.get(pk=dana.pk).notes == "Edited after the export"  # the account's version wins


def test_snoozes_and_dismissals_follow_their_reference_into_a_fresh_account(alice):
    from goodword.courtesy import services as courtesy
    from goodword.courtesy.facts import debt_key
    from goodword.courtesy.models import DebtDecision

    Reference.objects.create(owner=make_user("filler"), name="Pushes the ids on")
    load_demo(alice)
    debt = first_debt_with_a_reference(alice)
    courtesy.dismiss(alice, debt.key, "done by phone")
    exported = doc.export_document(alice)
    assert exported["debt_decisions"] and "key" not in exported["debt_decisions"][0]
    fresh = make_user("gina")
    for _ in range(3):
        Reference.objects.create(owner=fresh, name="Already here").delete()
    doc.import_document(fresh, exported)
    decision = DebtDecision.objects.get(owner=fresh)
    assert decision.reference.name == Reference.objects.get(pk=debt.reference_id).name
    assert decision.reference_id != debt.reference_id
    assert decision.key == debt_key(debt.rule, decision.reference_id, decision.opportunity_id)
    assert ids_aside(doc.export_document(fresh)) == ids_aside(exported)


from hypothesis import HealthCheck, given, settings as hsettings, strategies as st  # noqa: E402

odd_values = st.one_of(st.none(), st.booleans(), st.integers(-2**40, 2**40), st.text(max_size=30),
                       st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(),
                                                                                   max_size=2))


@hsettings(max_examples=60, deadline=None,
           suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
@pytest.mark.django_db
def test_odd_documents_import_whole_or_are_refused_whole_with_a_reason(alice, data):
    exported = {"format": "goodword-export", "schema_version": 1, "goodword_version": "x", "exported_at": "x",
                "account": {"username": "x"},
                "references": [{"id": 1, "name": "Dana Whitfield", "emails": ["dana@example.com"], "status": "active"}],
                "opportunities": [{"id": 1, "company": "Northwind", "role": "Engineer"}],
                "listings": [{"id": 1, "opportunity": 1, "reference": 1, "position": 1}]}
    key = data.draw(st.sampled_from(["references", "opportunities", "listings"]))
    field = data.draw(st.sampled_from(sorted(set(exported[key][0]) | {"created_at", "known_since", "notes"})))
    exported[key][0][field] = data.draw(odd_values)
    before = {spec.key: doc.rows_of(alice, spec).count() for spec in doc.EXPORTED}
    try:
        doc.import_document(alice, exported)
    except doc.DocumentError as exc:
        assert str(exc)
        assert {spec.key: doc.rows_of(alice, spec).count() for spec in doc.EXPORTED} == before
