"""The reference sheet as a file, and the letters references uploaded: the sheet page's downloads
(sheets/views.py sheet_download: each one is recorded as the sheet sent, by sheets.services.record_sheet),
its letters list and the employer link's shared letters (sheets/letters.py attach and detach), and a
letter's PDF for the candidate's own eyes (never a confidential one, as sheets/views.py own_letter);
and a reference's standing link (sheets/backdoor.py, as sheets/views.py standing_manage)."""

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from ninja import Path, Router, Schema, Status
from pydantic import Field

from goodword.api.core import user_of
from goodword.api.files import file_openapi, file_responses
from goodword.api.lookups import IdPath, owned, reads, responses
from goodword.api.schemas import Id, Out
from goodword.opportunities.models import Opportunity
from goodword.sheets import letters as letter_service
from goodword.sheets import render as sheet_render
from goodword.sheets import services as sheets
from goodword.sheets.models import Letter

router = Router(tags=["sheets, employer links and notices"])


class LetterOut(Out):
    id: int
    reference_id: int
    reference: str
    opportunity_id: int | None
    pages: int
    size: int
    confidential: bool
    reusable: bool
    uploaded_at: dt.datetime


class SheetLetterOut(LetterOut):
    shared: bool


class ShareLetterIn(Schema):
    letter_id: Id


def _letter_item(letter: Letter) -> dict:
    return {"id": letter.pk, "reference_id": letter.reference_id, "reference": letter.reference.name,
            "opportunity_id": letter.opportunity_id, "pages": letter.pages, "size": letter.size,
            "confidential": letter.confidential, "reusable": letter.reusable, "uploaded_at": letter.uploaded_at}


def _sheet_letters(user, opportunity) -> list[dict]:
    link = sheets.current_link(opportunity)
    shared = set(link.letters.values_list("pk", flat=True)) if link else set()
    return [_letter_item(letter) | {"shared": letter.pk in shared}
            for letter in letter_service.letters_for(user, opportunity)]


@router.get("/opportunities/{opportunity_id}/sheet/{fmt}", response=file_responses(downloads=True),
            openapi_extra=file_openapi("The sheet as PDF or DOCX.", *(media for media, _make in
                                                                     sheet_render.FORMATS.values())))
def download_sheet(request, fmt: Literal["pdf", "docx"] = Path(...), opportunity_id: int = IdPath()):
    """The reference sheet as a PDF or Word file, as the sheet page's download buttons give it. A download
    is the sheet leaving your hands: each reference on it gets a sheet_sent event (once a day), and those
    without a heads-up owe one at once; so it is never answered 304 and never cached."""
    opportunity = owned(Opportunity.objects, user_of(request), opportunity_id)
    sheet = sheets.record_sheet(opportunity, f"downloaded as {fmt.upper()}")
    media_type, make = sheet_render.FORMATS[fmt]
    response = HttpResponse(make(sheet), content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{sheet_render.filename(sheet, fmt)}"'
    response["Cache-Control"] = "no-store"
    return response


@router.get("/opportunities/{opportunity_id}/letters", response=reads(list[SheetLetterOut]))
def list_sheet_letters(request, opportunity_id: int = IdPath()):
    """The letters you may share with this employer (written for this application, or reusable ones),
    and whether each is shared through the employer link."""
    user = user_of(request)
    return _sheet_letters(user, owned(Opportunity.objects, user, opportunity_id))


@router.post("/opportunities/{opportunity_id}/employer-link/letters", response=responses({200: list[SheetLetterOut]}))
def share_letter(request, payload: ShareLetterIn, opportunity_id: int = IdPath()):
    """Share a letter through the live employer link (a reusable letter written for another application
    is logged on its writer's timeline, as on the sheet page). Sharing it twice changes nothing."""
    user = user_of(request)
    opportunity = owned(Opportunity.objects, user, opportunity_id)
    letter = letter_service.letters_for(user, opportunity).filter(pk=payload.letter_id).first()
    if letter is None:
        raise Http404("No such letter for this application.")
    link = sheets.current_link(opportunity)
    if link is None or sheets.link_status(link) != "live":
        raise ValidationError("Make an employer link first; letters are shared through it.")
    letter_service.attach(link, letter)
    return _sheet_letters(user, opportunity)


@router.delete("/opportunities/{opportunity_id}/employer-link/letters/{letter_id}", response=responses({204: None}))
def unshare_letter(request, opportunity_id: int = IdPath(), letter_id: int = IdPath()):
    """Stop sharing a letter through the employer link."""
    user = user_of(request)
    opportunity = owned(Opportunity.objects, user, opportunity_id)
    letter = letter_service.letters_for(user, opportunity).filter(pk=letter_id).first()
    link = sheets.current_link(opportunity)
    if letter is None or link is None or not link.letters.filter(pk=letter.pk).exists():
        raise Http404("That letter is not shared through this employer link.")
    letter_service.detach(link, letter)
    return Status(204, None)


@router.get("/letters/{letter_id}", response=reads(LetterOut))
def get_letter(request, letter_id: int = IdPath()):
    """A letter's details (confidential ones too: you may share them, not read them)."""
    return _letter_item(owned(Letter.objects.select_related("reference"), user_of(request), letter_id))


@router.get("/letters/{letter_id}/pdf", response=file_responses(downloads=True),
            openapi_extra=file_openapi("The letter, as the reference uploaded it (cleaned).", "application/pdf"))
def download_letter(request, letter_id: int = IdPath()):
    """The letter's PDF for your own eyes; a confidential one is 404 (only employers you share it with
    open it), as on the sheet page."""
    letter = owned(Letter.objects, user_of(request), letter_id)
    if letter.confidential:
        raise Http404("That letter is confidential: only employers you share it with can open it.")
    response = FileResponse(letter.file.open("rb"), content_type="application/pdf", as_attachment=True,
                            filename=f"letter-{letter.pk}.pdf")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- a reference's standing link


class StandingLinkOut(Out):
    reference_id: int
    status: Literal["none", "live", "revoked"]
    created_at: dt.datetime | None
    revoked_at: dt.datetime | None
    url: str | None = Field(None, description="Only in the answer that issues the link: it is never shown again.")


def _standing_out(reference, link, token=None) -> dict:
    from goodword.portal import services as portal
    from goodword.sheets import backdoor

    return {"reference_id": reference.pk,
            "status": "none" if link is None else ("revoked" if link.revoked_at else "live"),
            "created_at": link.created_at if link else None, "revoked_at": link.revoked_at if link else None,
            "url": portal.absolute(backdoor.standing_path(token)) if token else None}


def _reference(request, reference_id):
    from goodword.references.models import Reference

    return owned(Reference.objects, user_of(request), reference_id)


@router.get("/references/{reference_id}/standing-link", response=reads(StandingLinkOut))
def get_standing_link(request, reference_id: int = IdPath()):
    """Whether the reference's standing link (to report an employer's call, tied to no application)
    works; never the link itself."""
    from goodword.sheets import backdoor

    reference = _reference(request, reference_id)
    return _standing_out(reference, backdoor.current_standing_link(reference))


@router.post("/references/{reference_id}/standing-link", response=responses({201: StandingLinkOut}))
def issue_standing_link(request, response: HttpResponse, reference_id: int = IdPath()):
    """A fresh standing link for the reference (the previous one stops working). The URL is in this
    answer only (only its hash is kept), so it is sent with Cache-Control: no-store."""
    from goodword.sheets import backdoor

    reference = _reference(request, reference_id)
    link, token = backdoor.issue_standing_link(reference)
    response["Cache-Control"] = "no-store"
    return Status(201, _standing_out(reference, link, token))


@router.delete("/references/{reference_id}/standing-link", response=responses({200: StandingLinkOut}))
def revoke_standing_link(request, reference_id: int = IdPath()):
    """Stop the reference's standing link from working."""
    from goodword.sheets import backdoor

    reference = _reference(request, reference_id)
    backdoor.revoke_standing_link(reference)
    return _standing_out(reference, backdoor.current_standing_link(reference))
