"""Letters references upload: what is accepted, what is refused and why, nothing half-stored;
confidential letters reach employers only through the employer link."""

import io
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader, PdfWriter

from goodword.sheets import letters, services
from goodword.sheets.models import Letter
from goodword.timeline.models import Event
from tests.factories.portal import make_portal_setup
from tests.factories.timeline import make_event


def real_pdf(text="Dear hiring team") -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())


def pdf_with_javascript() -> bytes:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(real_pdf())))
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject("app.launchURL('https://evil.example');")})
    writer._root_object[NameObject("/OpenAction")] = action  # runs when the document opens
    writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): action})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def bomb_pdf() -> bytes:
    """A one-page PDF whose content stream is 1 MB compressed and 200 MB unpacked."""
    payload = zlib.compress(b"0 0 m\n" * (200 * 1024 * 1024 // 6), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(payload) + payload + b"\nendstream",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@pytest.fixture(autouse=True)
def own_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"  # each test sees only the files it stored


@pytest.fixture
def setup(alice):
    listing, token = make_portal_setup(alice)
    make_event(listing.reference, "agreed", opportunity=listing.opportunity)
    make_event(listing.reference, "letter_requested", opportunity=listing.opportunity)
    return listing, token


def upload(token, data, name="letter.pdf", **fields):
    return Client().post(f"/r/{token}/letter/", {
        "form": "letter", "letter": SimpleUploadedFile(name, data, content_type="application/pdf"), **fields})


def stored_files():
    try:
        return default_storage.listdir("letters")[1] + [
            f for folder in default_storage.listdir("letters")[0] for f in default_storage.listdir(f"letters/{folder}")[1]]
    except FileNotFoundError:
        return []


def test_a_real_pdf_is_stored_settles_the_letter_debt_and_tells_the_candidate(setup, alice):
    listing, token = setup
    response = upload(token, real_pdf(), confidential="on", reusable="on")
    assert response.status_code == 302 and response["Location"].endswith("?done=letter")
    letter = Letter.objects.get()
    assert letter.confidential and letter.reusable and letter.pages == 1
    assert "/letters/" not in letter.file.name or letter.file.name.startswith(f"letters/{alice.pk}/")
    assert "letter.pdf" not in letter.file.name  # a random name, never the uploader's
    assert PdfReader(letter.file.open("rb")).pages[0].extract_text().startswith("Dear hiring team")
    assert Event.objects.filter(reference=listing.reference, kind="letter_sent", channel="portal").exists()
    from goodword.courtesy.ledger import build_ledger

    assert not [d for d in build_ledger(alice).open if d.rule == "letter_without_draft"]
    assert letters.letter_status(listing) == "uploaded (confidential)"


def test_javascript_and_page_actions_are_stripped(setup):
    _listing, token = setup
    data = pdf_with_javascript()
    assert b"/JavaScript" in data
    assert upload(token, data).status_code == 302
    stored = Letter.objects.get().file.open("rb").read()
    assert b"/JavaScript" not in stored and b"/JS" not in stored and b"/AA" not in stored


@pytest.mark.parametrize("data, message, status", [
    (PNG, "this is not a PDF: it is a PNG image", 400),
    (real_pdf()[:-400], "incomplete", 400),
    # Far over the limit: refused before the body is read.
    (b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024) + b"\n%%EOF\n", "a letter must be under 5 MB", 413),
    # Just over: refused once read.
    (b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 10) + b"\n%%EOF\n", "a letter must be under 5 MB", 400),
    (bomb_pdf(), "unpacks to far more than a letter could need", 400),
    (b"%PDF-1.4\ngarbage that is not a pdf at all\n%%EOF\n", "damaged", 400),
], ids=["renamed-png", "truncated", "six-mb", "just-over-five-mb", "zip-bomb", "garbage"])
def test_bad_files_are_refused_with_a_reason_and_nothing_is_stored(setup, data, message, status):
    listing, token = setup
    before = Event.objects.count()
    response = upload(token, data)
    assert response.status_code == status
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Letter.objects.exists() and stored_files() == []
    assert Event.objects.count() == before


def test_a_confidential_letter_is_never_served_to_the_candidate_only_to_the_employer_link(setup, alice):
    listing, token = setup
    upload(token, real_pdf(), confidential="on")
    letter = Letter.objects.get()
    candidate = Client()
    candidate.force_login(alice)
    assert candidate.get(f"/sheets/letters/{letter.pk}/").status_code == 404
    sheet_page = candidate.get(f"/sheets/jobs/{listing.opportunity.pk}/").content.decode()
    assert f"/sheets/letters/{letter.pk}/" not in sheet_page
    link, employer_token = services.issue_link(listing.opportunity)
    assert Client().get(f"/e/{employer_token}/letters/{letter.pk}/").status_code == 404  # not shared yet
    candidate.post(f"/sheets/jobs/{listing.opportunity.pk}/", {"action": "attach", "letter": letter.pk})
    response = Client().get(f"/e/{employer_token}/letters/{letter.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content)[:5] == b"%PDF-"
    assert response["Cache-Control"] == "no-store"


def test_an_open_letter_can_be_read_by_the_candidate_but_not_by_another(setup, alice, bob):
    _listing, token = setup
    upload(token, real_pdf())
    letter = Letter.objects.get()
    candidate, other = Client(), Client()
    candidate.force_login(alice)
    other.force_login(bob)
    assert candidate.get(f"/sheets/letters/{letter.pk}/").status_code == 200
    assert other.get(f"/sheets/letters/{letter.pk}/").status_code == 404


def test_reusing_a_letter_needs_the_writers_permission_and_tells_them(setup, alice):
    from django.core.exceptions import ValidationError

    from tests.factories.opportunities import make_listing, make_opportunity

    listing, token = setup
    upload(token, real_pdf())
    letter = Letter.objects.get()
    other = make_opportunity(alice, company="Globex")
    make_listing(other, listing.reference)
    link, _token = services.issue_link(other)
    with pytest.raises(ValidationError, match="did not allow it to be reused"):
        letters.attach(link, letter)
    letter.reusable = True
    letter.save()
    assert letter in letters.letters_for(alice, other)
    letters.attach(link, letter)
    assert Event.objects.filter(reference=listing.reference, opportunity=other, kind="letter_reused").exists()


def test_the_candidate_signed_in_cannot_read_a_confidential_letter_through_their_own_employer_link(setup, alice):
    listing, token = setup
    upload(token, real_pdf(), confidential="on")
    letter = Letter.objects.get()
    link, employer_token = services.issue_link(listing.opportunity)
    letters.attach(link, letter)
    candidate = Client()
    candidate.force_login(alice)
    response = candidate.get(f"/e/{employer_token}/letters/{letter.pk}/")
    assert response.status_code == 403 and b"%PDF" not in response.content
    assert Client().get(f"/e/{employer_token}/letters/{letter.pk}/").status_code == 200


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(setup):
    _listing, token = setup
    response = Client().post(f"/r/{token}/letter/", {"form": "letter"}, CONTENT_LENGTH=str(50 * 1024 * 1024))
    assert response.status_code == 413
    assert "a letter must be under 5 MB" in response.content.decode()
    assert not Letter.objects.exists()
