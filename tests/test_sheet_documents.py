"""The reference sheet: one source of data, three forms (PDF, .docx, print page), flags, events, CLI."""

import datetime as dt
import io

import pytest
from docx import Document
from pypdf import PdfReader

from goodword.courtesy.ledger import build_ledger
from goodword.sheets import content, render, services
from goodword.timeline.models import Event
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event

# Five scripts the bundled DejaVu Sans draws: Latin with accents, Greek, Cyrillic, Armenian, Georgian.
NAMES = ["Zoë Ångström-Núñez", "Ελένη Παπαδοπούλου", "Анна Кузнецова", "Արամ Պետրոսյան", "ნინო ბერიძე"]


@pytest.fixture
def five(alice):
    alice.first_name, alice.last_name, alice.email = "Alice", "Ferreira", "alice@example.com"
    alice.save()
    opportunity = make_opportunity(alice, company="Acme", role="Data Lead", stage="interviewing")
    for number, name in enumerate(NAMES):
        reference = make_reference(alice, name=name, title=f"Title {number}", organisation=f"Org {number}",
                                   phones=[f"+33 1 00 00 0{number}"], emails=[f"ref{number}@example.com"],
                                   preferred_channel="phone", preferred_hours=f"mornings {number}",
                                   known_since=dt.date(2018, 3, 1))
        make_listing(opportunity, reference)
        make_event(reference, "agreed", opportunity=opportunity)
    services.save_choices(opportunity, location="Lyon", headline="Available from March",
                          notes={str(opportunity.listings.first().reference_id): "Managed me for two years"})
    return opportunity


def _in_order(text, needles):
    position = -1
    for needle in needles:
        found = text.find(needle, position + 1)
        assert found > position, f"{needle!r} missing or out of order"
        position = found


def _expected(sheet):
    needles = [sheet.name, "alice@example.com", "Lyon", "Available from March", "Acme"]
    for entry in sheet.listed:
        needles += [entry.name] + [value for _label, value in entry.fields()]
    return needles


def test_the_pdf_has_every_field_in_order_as_real_text_in_five_scripts(five):
    sheet = content.build(five)
    assert [entry.name for entry in sheet.listed] == NAMES
    reader = PdfReader(io.BytesIO(render.to_pdf(sheet)))
    assert len(reader.pages) == 1
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    _in_order(text, [" ".join(needle.split()) for needle in _expected(sheet)])
    font = reader.pages[0]["/Resources"]["/Font"]["/F1"].get_object()
    assert "DejaVuSans" in font["/BaseFont"]
    descendant = font["/DescendantFonts"][0].get_object()
    assert "/FontFile2" in descendant["/FontDescriptor"]  # embedded, not left to the reader's machine


def test_the_docx_has_every_field_in_order_in_five_scripts(five):
    sheet = content.build(five)
    document = Document(io.BytesIO(render.to_docx(sheet)))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    _in_order(text, _expected(sheet))
    assert "Managed me for two years" in text


def test_the_docx_keeps_cjk_names_as_text(alice):
    opportunity = make_opportunity(alice, company="Acme")
    reference = make_reference(alice, name="山田 花子")
    make_listing(opportunity, reference)
    make_event(reference, "agreed", opportunity=opportunity)
    document = Document(io.BytesIO(render.to_docx(content.build(opportunity))))
    assert "山田 花子" in "\n".join(paragraph.text for paragraph in document.paragraphs)


def test_hr_verifiers_stay_off_by_default_and_the_candidates_order_wins(alice):
    opportunity = make_opportunity(alice)
    first, hr, second = (make_reference(alice, name="First"), make_reference(alice, name="HR Desk", relationship="hr_verifier"),
                         make_reference(alice, name="Second"))
    for reference in (first, hr, second):
        make_listing(opportunity, reference)
        make_event(reference, "agreed", opportunity=opportunity)
    assert [entry.name for entry in content.build(opportunity).listed] == ["First", "Second"]
    services.save_choices(opportunity, chosen=[second.pk, hr.pk, first.pk])
    assert [entry.name for entry in content.build(opportunity).listed] == ["Second", "HR Desk", "First"]


def test_doubtful_references_are_flagged_and_left_off_unless_the_candidate_insists(alice):
    opportunity = make_opportunity(alice)
    fine = make_reference(alice, name="Fine")
    missing = make_reference(alice, name="Never Asked")
    stale = make_reference(alice, name="Old Yes", consent_given_on=dt.date.today() - dt.timedelta(days=400))
    scope = make_reference(alice, name="Scoped", consent_given_on=dt.date.today(), consent_scope="fintech only")
    resting = make_reference(alice, name="Resting", status="resting")
    for reference in (fine, missing, stale, scope, resting):
        make_listing(opportunity, reference)
    for reference in (fine, resting):
        make_event(reference, "agreed", opportunity=opportunity)
    sheet = content.build(opportunity)
    flags = {entry.name: " ".join(entry.flags) for entry in sheet.entries}
    assert [entry.name for entry in sheet.listed] == ["Fine"]
    assert "consent missing" in flags["Never Asked"]
    assert "consent stale" in flags["Old Yes"]
    assert "out of scope" in flags["Scoped"] and "fintech only" in flags["Scoped"]
    assert "resting" in flags["Resting"]
    services.save_choices(opportunity, insisted=[missing.pk])
    assert [entry.name for entry in content.build(opportunity).listed] == ["Fine", "Never Asked"]


def test_making_a_sheet_is_an_event_and_makes_missing_heads_ups_critical_at_once(alice):
    opportunity = make_opportunity(alice, company="Acme", stage="interviewing")
    warned, unwarned = make_reference(alice, name="Warned"), make_reference(alice, name="Unwarned")
    for reference in (warned, unwarned):
        make_listing(opportunity, reference)
        make_event(reference, "agreed", opportunity=opportunity)
    make_event(warned, "heads_up", opportunity=opportunity)
    assert not [d for d in build_ledger(alice).open if d.rule == "no_heads_up"]
    services.record_sheet(opportunity, "downloaded as PDF")
    assert Event.objects.filter(opportunity=opportunity, kind="sheet_sent").count() == 2
    debts = [d for d in build_ledger(alice).open if d.rule == "no_heads_up"]
    assert [(d.reference_name, d.severity.label) for d in debts] == [("Unwarned", "critical")]


def test_the_web_downloads_and_the_print_page_come_from_the_same_data(alice_client, five):
    pdf = alice_client.get(f"/sheets/jobs/{five.pk}/sheet.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="references-Acme.pdf"'
    docx = alice_client.get(f"/sheets/jobs/{five.pk}/sheet.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    printed = alice_client.get(f"/sheets/jobs/{five.pk}/print/").content.decode()
    _in_order(printed, [name.replace("-", "-") for name in NAMES])
    page = alice_client.get(f"/sheets/jobs/{five.pk}/")
    assert page.status_code == 200 and "Preview" in page.content.decode()
    assert f"/sheets/jobs/{five.pk}/" in alice_client.get(five.get_absolute_url()).content.decode()


def test_another_candidates_sheet_is_404(bob_client, five):
    for url in (f"/sheets/jobs/{five.pk}/", f"/sheets/jobs/{five.pk}/print/", f"/sheets/jobs/{five.pk}/sheet.pdf"):
        assert bob_client.get(url).status_code == 404


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_the_cli_writes_each_format(run, five, tmp_path, fmt):
    out = tmp_path / f"sheet.{fmt}"
    result = run("sheet", "Acme", "--format", fmt, "--out", out)
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert {"pdf": b"%PDF", "docx": b"PK", "html": b"<!doctype"}[fmt] == data[: {"pdf": 4, "docx": 2, "html": 9}[fmt]]
    assert Event.objects.filter(opportunity=five, kind="sheet_sent").count() == 5


def test_the_cli_refuses_a_sheet_with_nobody_on_it_and_logs_nothing(run, alice, tmp_path):
    opportunity = make_opportunity(alice, company="Fabrikam")
    make_listing(opportunity, make_reference(alice, name="Morgan Ellis"))  # never asked: left off
    out = tmp_path / "sheet.pdf"
    result = run("sheet", "Fabrikam", "--out", out)
    assert result.exit_code == 1
    assert "Left off: Morgan Ellis" in result.output and "No reference can go on the Fabrikam sheet" in result.output
    assert not out.exists()
    assert not Event.objects.filter(opportunity=opportunity, kind="sheet_sent").exists()


def test_the_cli_help_does_not_need_django():
    import subprocess
    import sys

    code = "import sys; from goodword.cli import main; sys.argv=['goodword','sheet','--help']\ntry:\n main()\nexcept SystemExit: pass\nprint('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "--format" in out and out.strip().endswith("False")


def test_the_sheet_page_saves_choices_and_shows_them_again(alice_client, alice):
    opportunity = make_opportunity(alice, company="Acme")
    first, second = make_reference(alice, name="First"), make_reference(alice, name="Never Asked")
    for reference in (first, second):
        make_listing(opportunity, reference)
    make_event(first, "agreed", opportunity=opportunity)
    url = f"/sheets/jobs/{opportunity.pk}/"
    page = alice_client.get(url).content.decode()
    assert "consent missing" in page and "List them anyway" in page
    response = alice_client.post(url, {"action": "choices", "location": "Lyon", "headline": "Open to travel",
                                       "chosen": [second.pk, first.pk], "insisted": [second.pk],
                                       f"note-{first.pk}": "My first manager"})
    assert response.status_code == 302
    sheet = content.build(opportunity)
    assert [entry.name for entry in sheet.listed] == ["Never Asked", "First"]
    assert sheet.location == "Lyon" and sheet.listed[1].note == "My first manager"
    assert 'value="My first manager"' in alice_client.get(url).content.decode()


def test_a_cjk_name_in_the_pdf_falls_back_as_documented_and_the_rest_is_intact(alice):
    opportunity = make_opportunity(alice, company="Acme")
    reference = make_reference(alice, name="山田 花子", title="Head of Research")
    make_listing(opportunity, reference)
    make_event(reference, "agreed", opportunity=opportunity)
    text = PdfReader(io.BytesIO(render.to_pdf(content.build(opportunity)))).pages[0].extract_text()
    assert "Head of Research" in text
    # With a CJK font on the machine the name is drawn; without one it is left blank (docs/sheets.md).
    assert ("山田" in text) == (render.cjk_font() is not None)
