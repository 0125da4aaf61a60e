"""The JSON export carries the reference sheets' choices and the uploaded letters with their PDFs:
a restore brings them back, a merge does not duplicate them, a broken document leaves nothing behind."""

import base64
import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from goodword.references.models import Reference
from goodword.sheets import content as sheet_content
from goodword.sheets import services as sheets
from goodword.sheets.letters import store_letter
from goodword.sheets.models import Letter, Sheet
from goodword.transfer import document as doc
from tests.factories.accounts import make_user
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.sheets import letter_pdf
from tests.test_io_export import ids_aside


def media_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def pdfs_of(user) -> dict:
    """Each letter's PDF by what names it in any account: its writer, its application and its moment."""
    found = {}
    for letter in Letter.objects.filter(owner=user).select_related("reference", "opportunity"):
        with letter.file.open("rb") as handle:
            found[(letter.reference.name, letter.opportunity.company, letter.uploaded_at)] = handle.read()
    return found


@pytest.fixture
def with_sheet_and_letters(alice):
    """Alice's application with three references on its slate, a sheet of her choosing and two letters
    uploaded through the portal's path. Another account's references come first, so her ids are not 1, 2, 3."""
    for name in ("Someone else's", "Another one"):
        make_reference(make_user(f"filler{len(name)}"), name=name)
    dana, sam, ruth = (make_reference(alice, name=name) for name in ("Dana Whitfield", "Sam Okafor", "Ruth Adeyemi"))
    opportunity = make_opportunity(alice, company="Northwind")
    listings = [make_listing(opportunity, reference) for reference in (dana, sam, ruth)]
    sheets.save_choices(opportunity, location="Lyon", headline="Platform work, done kindly",
                        chosen=[sam.pk, dana.pk], insisted=[sam.pk], notes={str(dana.pk): "My manager for 4 years"})
    moment = timezone.now().replace(microsecond=123456) - dt.timedelta(days=2)
    store_letter(listings[0], letter_pdf("Dana recommends Alice"), confidential=False, reusable=True, now=moment)
    store_letter(listings[1], letter_pdf("Sam recommends Alice"), confidential=False, reusable=False,
                 now=moment + dt.timedelta(hours=1))
    return opportunity


def test_a_restored_account_has_its_sheet_choices_and_its_letters_and_their_pdfs(alice, with_sheet_and_letters):
    exported = json.loads(json.dumps(doc.export_document(alice)))
    jsonschema.validate(exported, json.loads(doc.SCHEMA_PATH.read_text()))
    assert exported["schema_version"] == 2 and len(exported["letters"]) == 2
    (sheet,) = exported["sheets"]
    by_id = {record["id"]: record["name"] for record in exported["references"]}
    assert [by_id[i] for i in sheet["chosen"]] == ["Sam Okafor", "Dana Whitfield"]
    assert [by_id[i] for i in sheet["insisted"]] == ["Sam Okafor"]
    assert {by_id[int(i)]: note for i, note in sheet["notes"].items()} == {"Dana Whitfield": "My manager for 4 years"}

    fresh = make_user("carol")
    summary = doc.import_document(fresh, exported)
    assert summary.created["letters"] == 2 and summary.created["sheets"] == 1
    assert ids_aside(doc.export_document(fresh)) == ids_aside(exported)
    assert pdfs_of(fresh) == pdfs_of(alice)  # byte for byte
    assert all(letter.file.name.startswith(f"letters/{fresh.pk}/") for letter in Letter.objects.filter(owner=fresh))

    def seen(sheet):
        return sheet.location, sheet.headline, [(e.name, e.note, e.included, e.insisted) for e in sheet.entries]

    restored = seen(sheet_content.build(fresh.opportunities.get()))
    assert restored == seen(sheet_content.build(with_sheet_and_letters))
    assert restored[:2] == ("Lyon", "Platform work, done kindly")
    assert [entry[:2] for entry in restored[2]] == [("Sam Okafor", ""), ("Dana Whitfield", "My manager for 4 years")]


def test_merging_the_same_document_twice_duplicates_no_letter_and_no_sheet(alice, with_sheet_and_letters):
    exported = doc.export_document(alice)
    assert sum(doc.import_document(alice, exported).created.values()) == 0
    fresh = make_user("carol")
    doc.import_document(fresh, exported)
    files_after_first = media_files()
    again = doc.import_document(fresh, exported)
    assert sum(again.created.values()) == 0 and again.already_there["letters"] == 2
    assert Letter.objects.filter(owner=fresh).count() == 2
    assert Sheet.objects.filter(opportunity__owner=fresh).count() == 1
    assert media_files() == files_after_first


def test_a_letter_with_another_pdf_at_the_same_moment_is_another_letter(alice, with_sheet_and_letters):
    exported = doc.export_document(alice)
    other = letter_pdf("A second letter, same moment")
    exported["letters"][0] |= {"content": base64.b64encode(other).decode(), "size": len(other)}
    summary = doc.import_document(alice, exported)
    assert (summary.created["letters"], summary.already_there["letters"]) == (1, 1)


def test_a_sheet_naming_a_missing_reference_is_refused_and_nothing_is_left_behind(alice, with_sheet_and_letters):
    broken = doc.export_document(alice)
    broken["sheets"][0]["chosen"].append(9999)
    fresh = make_user("dave")
    files_before = media_files()
    with pytest.raises(doc.DocumentError, match="sheets 1: chosen names references 9999, which the file does not"):
        doc.import_document(fresh, broken)
    assert not Reference.objects.for_user(fresh).exists() and not Letter.objects.filter(owner=fresh).exists()
    assert media_files() == files_before  # the two letters written before the sheet was read are gone again

    broken["sheets"][0]["chosen"].pop()
    broken["sheets"][0]["notes"] = {"9999": "Nobody"}
    with pytest.raises(doc.DocumentError, match="sheets 1: notes names references '9999'"):
        doc.import_document(fresh, broken)
    assert media_files() == files_before


@pytest.mark.parametrize("content, words", [
    (b"not a PDF at all", "Only PDF letters are accepted"),
    (b"%PDF-1.4 cut off in the middle", "The PDF is incomplete"),
])
def test_a_damaged_letter_refuses_the_document_with_the_uploads_reason(alice, with_sheet_and_letters, content, words):
    broken = doc.export_document(alice)
    broken["letters"][1] |= {"content": base64.b64encode(content).decode(), "size": len(content)}
    fresh = make_user("erin")
    files_before = media_files()
    with pytest.raises(doc.DocumentError, match=f"letters 2: {words}"):
        doc.import_document(fresh, broken)
    assert media_files() == files_before and not Letter.objects.filter(owner=fresh).exists()


def test_a_letter_cut_off_in_the_document_is_refused(alice, with_sheet_and_letters):
    broken = doc.export_document(alice)
    broken["letters"][0]["content"] = broken["letters"][0]["content"][:-8]
    with pytest.raises(doc.DocumentError, match="letters 1: size says"):
        doc.import_document(make_user("erin"), broken)
    broken["letters"][0]["content"] = "not base64!"
    with pytest.raises(doc.DocumentError, match="letters 1: content is not valid base64"):
        doc.import_document(make_user("fay"), broken)


def test_a_dry_run_reports_the_letters_and_writes_no_file(alice, with_sheet_and_letters):
    exported = doc.export_document(alice)
    fresh = make_user("gina")
    files_before = media_files()
    summary = doc.import_document(fresh, exported, dry_run=True)
    assert summary.created["letters"] == 2
    assert media_files() == files_before and not Letter.objects.filter(owner=fresh).exists()


def test_cli_dry_run_of_a_document_with_letters_writes_no_file(run, alice, with_sheet_and_letters, tmp_path):
    path = tmp_path / "all.json"
    path.write_text(json.dumps(doc.export_document(alice)))
    Letter.objects.filter(owner=alice).delete()  # the rows only: their files stay, as a restore would find them
    files_before = media_files()
    result = run("import", path, "--dry-run")
    assert result.exit_code == 0 and "Would create: 2 letters" in result.output, result.output
    assert media_files() == files_before and not Letter.objects.filter(owner=alice).exists()


def test_a_version_1_document_still_imports(alice, with_sheet_and_letters):
    old = doc.export_document(alice)
    old["schema_version"] = 1
    del old["sheets"], old["letters"]
    fresh = make_user("hana")
    summary = doc.import_document(fresh, old)
    assert summary.created["references"] == 3 and summary.created["letters"] == 0
    again = doc.export_document(fresh)
    assert (again["sheets"], again["letters"]) == ([], [])
    assert ids_aside(again) | {"schema_version": 1} == ids_aside(old) | {"sheets": [], "letters": []}


def test_a_sheet_choice_of_a_reference_deleted_since_is_left_out(alice, with_sheet_and_letters):
    Reference.objects.get(name="Sam Okafor").delete()
    exported = doc.export_document(alice)
    names = {record["id"]: record["name"] for record in exported["references"]}
    assert [names[i] for i in exported["sheets"][0]["chosen"]] == ["Dana Whitfield"]
    assert exported["sheets"][0]["insisted"] == []
    fresh = make_user("ivy")
    doc.import_document(fresh, exported)
    assert ids_aside(doc.export_document(fresh)) == ids_aside(exported)


def test_confidential_letters_stay_out_of_the_download_and_in_the_instance_backup(alice, alice_client,
                                                                               with_sheet_and_letters):
    listing = with_sheet_and_letters.listings.get(reference__name="Ruth Adeyemi")
    store_letter(listing, letter_pdf("For the employer's eyes"), confidential=True, reusable=False)
    download = json.loads(alice_client.get("/transfer/export.json").content)
    assert len(download["letters"]) == 2 and not any(letter["confidential"] for letter in download["letters"])
    whole = doc.export_document(alice, confidential_letters=True)
    assert [letter["confidential"] for letter in whole["letters"]] == [False, False, True]
    fresh = make_user("jo")
    doc.import_document(fresh, whole)
    assert pdfs_of(fresh) == pdfs_of(alice)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the JSON backup is PostgreSQL's")
def test_the_postgresql_backup_carries_every_letter_with_its_pdf(run, alice, with_sheet_and_letters, tmp_path):
    from goodword.transfer import backups

    listing = with_sheet_and_letters.listings.get(reference__name="Ruth Adeyemi")
    store_letter(listing, letter_pdf("For the employer's eyes"), confidential=True, reusable=False)
    assert run("backup", tmp_path).exit_code == 0
    (path,) = backups.backups_in(tmp_path)
    (mine,) = [a for a in json.loads(path.read_text())["accounts"] if a["account"]["username"] == "alice"]
    assert len(mine["letters"]) == 3 and mine["sheets"][0]["chosen"]
    fresh = make_user("kim")
    doc.import_document(fresh, mine)
    assert pdfs_of(fresh) == pdfs_of(alice)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backup and restore")
def test_a_sqlite_backup_keeps_the_letters_pdfs_and_a_restore_puts_them_back(tmp_path, transactional_db, settings):
    import time

    from click.testing import CliRunner

    from goodword.cli import main
    from goodword.transfer import backups

    user = make_user("alice")
    settings.GOODWORD_CLI_USER = "alice"
    listing = make_listing(make_opportunity(user), make_reference(user, name="Dana Whitfield"))
    letter = store_letter(listing, letter_pdf("Dana recommends Alice"), confidential=True, reusable=False)
    pdf = letter.file.open("rb").read()
    letter.file.close()
    assert CliRunner().invoke(main, ["backup", str(tmp_path)]).exit_code == 0
    (backup,) = backups.backups_in(tmp_path)
    kept = backups.letters_of(backup) / Path(letter.file.name).relative_to("letters")
    assert kept.read_bytes() == pdf and oct(kept.stat().st_mode & 0o777) == "0o600"

    letter.file.delete(save=False)  # lost since the backup, with its row
    Letter.objects.all().delete()
    result = CliRunner().invoke(main, ["restore", str(backup), "--yes"])
    assert result.exit_code == 0, result.output
    connection.close()
    restored = Letter.objects.get()
    with restored.file.open("rb") as handle:
        assert handle.read() == pdf

    for _ in range(2):
        time.sleep(1.05)  # backups are named by the second
        assert CliRunner().invoke(main, ["backup", str(tmp_path), "--keep", "1"]).exit_code == 0
    (newest,) = backups.backups_in(tmp_path)
    assert {path.name for path in tmp_path.iterdir()} == {newest.name, backups.letters_of(newest).name}
