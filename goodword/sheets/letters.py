"""Letters references upload through their portal link.

A letter is checked before anything is stored: under 5 MB, a real PDF that
pypdf opens and whose pages unpack to a sane size (no decompression bombs),
then rewritten page by page so that document JavaScript, open actions,
forms and annotations are left behind. Anything else is refused with a
reason. The file goes through Django's storage API under a random name and
is served only by views that check who asks; a confidential letter is
never served to the candidate's own session (only through an employer link).
"""

from __future__ import annotations

import datetime as dt
import io
import zlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from goodword.lib import vocabulary
from goodword.sheets.models import EmployerLink, Letter
from goodword.timeline.services import log_event

MAX_BYTES = 5 * 1024 * 1024
MAX_PAGES = 40
# What the pages of a letter may unpack to, all together: text and a logo or two, never gigabytes.
MAX_UNPACKED = 40 * 1024 * 1024
SIGNATURES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"PK\x03\x04": "a zip archive or a Word/OpenOffice document",
    b"\xd0\xcf\x11\xe0": "an old Word document",
    b"GIF8": "a GIF image",
}


def _what_it_is(head: bytes) -> str:
    for signature, name in SIGNATURES.items():
        if head.startswith(signature):
            return f"it is {name}"
    return "it does not start as a PDF does"


def _unpacked_size(stream, budget: int) -> int:
    """The size a page stream unpacks to, stopping once it passes the budget."""
    from pypdf.generic import ArrayObject

    filters = stream.get("/Filter")
    if isinstance(filters, ArrayObject):
        filters = filters[0] if len(filters) == 1 else None
    raw = stream._data  # the bytes as stored, before any filter
    if filters != "/FlateDecode":
        return len(raw)
    inflater = zlib.decompressobj()
    total, chunk = 0, raw
    while chunk and total <= budget:
        try:
            out = inflater.decompress(chunk, 1024 * 1024)
        except zlib.error:
            raise ValidationError("The PDF is damaged: one of its pages cannot be read.") from None
        total += len(out)
        chunk = inflater.unconsumed_tail
    return total


def clean_pdf(data: bytes) -> tuple[bytes, int]:
    """(the letter rewritten without active content, its page count), or ValidationError with the reason."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    if len(data) >= MAX_BYTES:
        raise ValidationError(f"The file is {len(data) / 1024 / 1024:.1f} MB; a letter must be under 5 MB.")
    if not data:
        raise ValidationError("The file is empty.")
    if b"%PDF-" not in data[:1024]:
        raise ValidationError(f"Only PDF letters are accepted, and this is not a PDF: {_what_it_is(data[:8])}.")
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError("The PDF is incomplete (it was cut off, perhaps while uploading); save it again and retry.")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError("The PDF is password-protected; upload a copy without a password.")
        pages = list(reader.pages)
        if not 1 <= len(pages) <= MAX_PAGES:
            raise ValidationError(f"A letter has 1 to {MAX_PAGES} pages; this PDF has {len(pages)}.")
        budget = MAX_UNPACKED
        for page in pages:
            contents = page.get("/Contents")
            contents = contents.get_object() if contents is not None else None
            streams = contents if isinstance(contents, list) else ([contents] if contents is not None else [])
            for stream in streams:
                budget -= _unpacked_size(stream.get_object(), budget)
                if budget < 0:
                    raise ValidationError("The PDF unpacks to far more than a letter could need; it was refused "
                                          "as unsafe. Print it to a new PDF and upload that.")
        writer = PdfWriter()
        for page in pages:
            writer.add_page(page)
        # Only the pages were copied: the document's JavaScript, open action and
        # form are not. What pages carry themselves goes too.
        writer.remove_annotations(subtypes=None)
        for page in writer.pages:
            for key in ("/AA", "/Annots"):
                if key in page:
                    del page[key]
        buffer = io.BytesIO()
        writer.write(buffer)
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError):
        raise ValidationError("The PDF is damaged and could not be opened; save it again and retry.") from None
    return buffer.getvalue(), len(pages)


def read_upload(upload) -> bytes:
    """The uploaded file's bytes, refusing a large one before reading it all."""
    if upload.size is not None and upload.size >= MAX_BYTES:
        raise ValidationError(f"The file is {upload.size / 1024 / 1024:.1f} MB; a letter must be under 5 MB.")
    return upload.read(MAX_BYTES + 1)


def write_file(letter: Letter, data: bytes) -> bytes:
    """Check and clean `data`, then write it to storage as the (unsaved) letter's file, with its size
    and pages; returns the bytes written. Uploads and restored exports (goodword/transfer/files.py) both
    come through here, so a file lands in its owner's folder under a random name only after the same
    checks. ValidationError leaves nothing written; once it returns, the caller owns the file and
    deletes it if the row is not saved."""
    cleaned, pages = clean_pdf(data)
    letter.size, letter.pages = len(cleaned), pages
    letter.file.save("letter.pdf", ContentFile(cleaned), save=False)
    return cleaned


def store_letter(listing, data: bytes, *, confidential: bool, reusable: bool,
                 now: dt.datetime | None = None) -> Letter:
    """Check, clean and store a reference's letter for a listing; it settles the
    listing's letter debts (a "letter_sent" event). Nothing is kept when it is refused."""
    from goodword.sheets.services import notify

    now = now or timezone.now()
    opportunity, reference = listing.opportunity, listing.reference
    owner = opportunity.owner
    letter = Letter(owner=owner, reference=reference, opportunity=opportunity, confidential=confidential,
                    reusable=reusable, uploaded_at=now)
    write_file(letter, data)
    try:
        with transaction.atomic():
            letter.save()
            event = log_event(owner, reference, "letter_sent", opportunity=opportunity, channel="portal",
                              occurred_at=now, note="Uploaded their letter through the portal"
                              + (" (confidential: you can send it, not read it)." if confidential else "."))
            notify(owner, f"{reference.name} uploaded their letter for {opportunity.company}.", event=event, now=now)
    except Exception:
        letter.file.delete(save=False)  # the row is gone with the transaction; so is the file
        raise
    return letter


def letters_for(user, opportunity):
    """The letters the candidate may attach to this opportunity's employer link:
    written for it, or written for another and reusable."""
    from django.db.models import Q

    return (Letter.objects.for_user(user).filter(Q(opportunity=opportunity) | Q(reusable=True))
            .select_related("reference", "opportunity"))


@transaction.atomic
def attach(link: EmployerLink, letter: Letter, *, now: dt.datetime | None = None) -> None:
    """Share a letter through the employer link. A letter written for another
    application needs the writer's reuse permission, and the writer is told
    (a "letter_reused" event on their timeline)."""
    opportunity = link.opportunity
    if letter.owner_id != opportunity.owner_id:
        raise ValidationError("That letter is not yours.")
    if letter.opportunity_id != opportunity.pk:
        if not letter.reusable:
            raise ValidationError(f"{letter.reference.name} wrote that letter for another application and did "
                                  "not allow it to be reused; ask them for one for this job.")
        log_event(opportunity.owner, letter.reference, "letter_reused", opportunity=opportunity,
                  occurred_at=now or timezone.now(),
                  note=f"Their letter (written for another application) shared with {opportunity.company}; "
                       "tell them, and thank them.")
    link.letters.add(letter)


def detach(link: EmployerLink, letter: Letter) -> None:
    link.letters.remove(letter)


def letter_status(listing) -> str:
    """requested, draft sent, uploaded, uploaded (confidential), or "" when no letter is in play."""
    from goodword.timeline.models import Event

    letter = Letter.objects.filter(reference=listing.reference, opportunity=listing.opportunity).first()
    if letter is not None:
        return "uploaded (confidential)" if letter.confidential else "uploaded"
    labels = {"letter_sent": "sent", "draft_provided": "draft sent", "letter_requested": "requested"}
    events = Event.objects.filter(owner=listing.opportunity.owner, reference=listing.reference,
                                  opportunity=listing.opportunity, kind__in=list(labels))
    kinds = set(events.values_list("kind", flat=True))
    # The furthest letter step reached, by the vocabulary's own order of steps.
    reached = sorted(kinds, key=lambda kind: vocabulary.STEP_RANK[kind])
    return labels[reached[-1]] if reached else ""
