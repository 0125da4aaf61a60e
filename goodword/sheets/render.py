"""A SheetContent as PDF (fpdf2: pure Python, real text, embedded fonts) and as .docx (python-docx).

Fonts: DejaVu Sans ships inside the package (goodword/sheets/fonts, with its
licence) and covers Latin with accents, Greek, Cyrillic, Armenian, Georgian,
Hebrew and Arabic letters. It has no CJK; for that the PDF uses, when the
machine has one, the first of CJK_FONT_CANDIDATES (a .ttf or .otf). Without one, CJK characters cannot be
drawn in the PDF (fpdf2 leaves blank boxes); the .docx and the print page
carry the text as text and let the reader's fonts show it (docs/sheets.md).
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from goodword.sheets.content import SheetContent

FONT_DIR = Path(__file__).resolve().parent / "fonts"
CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/droid/DroidSansFallback.ttf",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansSC-Regular.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansSC-Regular.otf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/msyh.ttf",
)


def cjk_font() -> Path | None:
    """A CJK font file this machine has, or None (then CJK falls back as the module says)."""
    for candidate in CJK_FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    return None


def to_pdf(sheet: SheetContent) -> bytes:
    from fpdf import FPDF

    # fpdf2 warns once per missing glyph through logging; the docs say what falls back.
    logging.getLogger("fpdf").setLevel(logging.ERROR)
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=14)
    pdf.add_font("Sans", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("Sans", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    fallback = cjk_font()
    if fallback is not None:
        pdf.add_font("CJK", "", str(fallback))
        pdf.set_fallback_fonts(["CJK"], exact_match=False)
    pdf.set_title(sheet.title)
    pdf.set_author(sheet.name)
    pdf.set_creator("Goodword")
    pdf.add_page()
    width = pdf.epw

    def line(text: str, size: float, style: str = "", gap: float = 0.0):
        pdf.set_font("Sans", style, size)
        pdf.multi_cell(width, size * 0.45, text, new_x="LMARGIN", new_y="NEXT")
        if gap:
            pdf.ln(gap)

    line(sheet.name, 18, "B", 1)
    if sheet.contact_line:
        line(sheet.contact_line, 10)
    if sheet.headline:
        line(sheet.headline, 10)
    pdf.ln(2)
    line(f"References for the {sheet.role} role at {sheet.company}", 11, "B", 1)
    pdf.set_draw_color(160, 160, 160)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
    pdf.ln(3)
    for number, entry in enumerate(sheet.listed, start=1):
        line(f"{number}. {entry.name}", 12, "B", 0.5)
        for label, value in entry.fields():
            line(f"{label}: {value}", 9.5)
        pdf.ln(3)
    if not sheet.listed:
        line("No references are on this sheet yet.", 10)
    return bytes(pdf.output())


def to_docx(sheet: SheetContent) -> bytes:
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.core_properties.title = sheet.title
    document.core_properties.author = sheet.name
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10)
    document.add_heading(sheet.name, level=0)
    if sheet.contact_line:
        document.add_paragraph(sheet.contact_line)
    if sheet.headline:
        document.add_paragraph(sheet.headline)
    document.add_heading(f"References for the {sheet.role} role at {sheet.company}", level=1)
    for number, entry in enumerate(sheet.listed, start=1):
        document.add_heading(f"{number}. {entry.name}", level=2)
        for label, value in entry.fields():
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label}: ").bold = True
            paragraph.add_run(value)
    if not sheet.listed:
        document.add_paragraph("No references are on this sheet yet.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


FORMATS = {
    "pdf": ("application/pdf", to_pdf),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", to_docx),
}


def filename(sheet: SheetContent, extension: str) -> str:
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in sheet.company).strip("-")
    return f"references-{safe or sheet.opportunity_id}.{extension}"
