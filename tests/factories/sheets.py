"""Employer-side helpers: an uploaded letter (the row and its file; no event, no notice)."""


def letter_pdf(text="Dear hiring team") -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, text)
    return bytes(pdf.output())


def make_letter(listing, *, confidential=False, reusable=False, text="Dear hiring team"):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from goodword.sheets.models import Letter

    data = letter_pdf(text)
    letter = Letter(owner=listing.opportunity.owner, reference=listing.reference, opportunity=listing.opportunity,
                    size=len(data), pages=1, confidential=confidential, reusable=reusable, uploaded_at=timezone.now())
    letter.file.save("letter.pdf", ContentFile(data), save=True)
    return letter
