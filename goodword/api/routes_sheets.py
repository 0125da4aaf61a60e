"""The reference sheet and the employer's private link (sheets/services.py), and the dashboard's
notices: portal answers (portal/services.py) and the employer side (sheets/services.py)."""

import datetime as dt

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from goodword.api.core import check_if_match, honours_if_match, page, user_of
from goodword.api.lookups import IdPath, owned, reads, responses
from goodword.api.schemas import Id, Out, PageParams, Text, page_of
from goodword.opportunities.models import Opportunity
from goodword.portal import services as portal
from goodword.sheets import content as sheet_content
from goodword.sheets import services as sheets

router = Router(tags=["sheets, employer links and notices"])


class SheetEntryOut(Out):
    reference_id: int
    name: str
    title: str
    organisation: str
    relationship: str
    phone: str
    email: str
    reach: str
    note: str
    flags: list[str]
    included: bool
    insisted: bool


class SheetOut(Out):
    opportunity_id: int
    company: str
    role: str
    location: str
    headline: str
    chosen: list[int] = Field(description="Reference ids in your order; empty: the slate's order.")
    insisted: list[int]
    notes: dict[str, str]
    entries: list[SheetEntryOut] = Field(description="The sheet as the employer gets it (included ones).")


class SheetIn(Schema):
    location: Text(200) = ""
    headline: Text(300) = ""
    chosen: list[Id] = Field([], max_length=60)
    insisted: list[Id] = Field([], max_length=60)
    notes: dict[Id, Text(200)] = Field({}, description="Reference id → a one-line note to the employer.")


def sheet_item(opportunity) -> dict:
    choices = sheet_content.sheet_for(opportunity)
    built = sheet_content.build(opportunity, sheet=choices)
    return {
        "opportunity_id": opportunity.pk, "company": built.company, "role": built.role,
        "location": choices.location, "headline": choices.headline, "chosen": list(choices.chosen or []),
        "insisted": list(choices.insisted or []), "notes": dict(choices.notes or {}),
        "entries": [{"reference_id": e.reference_id, "name": e.name, "title": e.title, "organisation": e.organisation,
                     "relationship": e.relationship, "phone": e.phone, "email": e.email, "reach": e.reach,
                     "note": e.note, "flags": list(e.flags), "included": e.included, "insisted": e.insisted}
                    for e in built.entries],
    }


@router.get("/opportunities/{opportunity_id}/sheet", response=reads(SheetOut))
def get_sheet(request, opportunity_id: int = IdPath()):
    """The reference sheet for this opportunity and your choices for it. Reading it sends nothing;
    the sheet counts as sent (a sheet_sent event each) when you issue the employer link."""
    return sheet_item(owned(Opportunity.objects, user_of(request), opportunity_id))


@router.put("/opportunities/{opportunity_id}/sheet", response=responses({200: SheetOut}))
@honours_if_match
def save_sheet(request, payload: SheetIn, opportunity_id: int = IdPath()):
    """Your choices: who is on it and in what order, who stays despite a flag, a line each, your location
    and headline. Only references on this opportunity's slate (else 422)."""
    opportunity = owned(Opportunity.objects, user_of(request), opportunity_id)
    check_if_match(request, SheetOut, sheet_item(opportunity))
    sheets.save_choices(opportunity, location=payload.location, headline=payload.headline, chosen=payload.chosen,
                        insisted=payload.insisted, notes=payload.notes)
    return sheet_item(opportunity)


class EmployerLinkOut(Out):
    opportunity_id: int
    status: str = Field(description="none, live, expired or revoked")
    employer: str | None
    created_at: dt.datetime | None
    expires_at: dt.datetime | None
    url: str | None = Field(description="Only in the answer that issues it: only its hash is kept.")


class EmployerLinkIn(Schema):
    employer: Text(200) = Field("", description="How events and notices name them; the company by default.")
    days: int = Field(30, ge=1, le=sheets.MAX_LINK_DAYS)


def _link_out(opportunity, link, token=None) -> dict:
    return {
        "opportunity_id": opportunity.pk, "status": sheets.link_status(link),
        "employer": link.employer if link else None, "created_at": link.created_at if link else None,
        "expires_at": link.expires_at if link else None,
        "url": portal.absolute(sheets.employer_path(token)) if token else None,
    }


@router.get("/opportunities/{opportunity_id}/employer-link", response=reads(EmployerLinkOut))
def get_employer_link(request, opportunity_id: int = IdPath()):
    """Whether the employer's private link works (never the link itself)."""
    opportunity = owned(Opportunity.objects, user_of(request), opportunity_id)
    return _link_out(opportunity, sheets.current_link(opportunity))


@router.post("/opportunities/{opportunity_id}/employer-link", response=responses({201: EmployerLinkOut}))
def issue_employer_link(request, response: HttpResponse, payload: EmployerLinkIn, opportunity_id: int = IdPath()):
    """A private link to the sheet for the employer (earlier ones stop working). Issuing it sends the
    sheet: each reference on it gets a sheet_sent event. The URL is in this answer only (no-store)."""
    opportunity = owned(Opportunity.objects, user_of(request), opportunity_id)
    link, token = sheets.issue_link(opportunity, employer=payload.employer, days=payload.days)
    response["Cache-Control"] = "no-store"
    return Status(201, _link_out(opportunity, link, token))


@router.delete("/opportunities/{opportunity_id}/employer-link", response=responses({200: EmployerLinkOut}))
def revoke_employer_link(request, opportunity_id: int = IdPath()):
    """Stop the employer's link from working."""
    opportunity = owned(Opportunity.objects, user_of(request), opportunity_id)
    sheets.revoke(opportunity)
    return _link_out(opportunity, sheets.current_link(opportunity))


# ---------------------------------------------------------------- notices


class PortalNoticeOut(Out):
    id: int
    kind: str
    label: str
    reference_id: int
    reference_name: str
    opportunity_id: int | None
    event_id: int
    created_at: dt.datetime


class EmployerNoticeOut(Out):
    id: int
    text: str
    event_id: int | None
    created_at: dt.datetime


class MarkedOut(Out):
    marked_read: int


def portal_notice_item(answer) -> dict:
    return {"id": answer.pk, "kind": answer.kind, "label": answer.get_kind_display(),
            "reference_id": answer.event.reference_id, "reference_name": answer.event.reference.name,
            "opportunity_id": answer.event.opportunity_id, "event_id": answer.event_id,
            "created_at": answer.created_at}


@router.get("/notices/portal", response=reads(page_of(PortalNoticeOut)))
def list_portal_notices(request, params: Query[PageParams]):
    """References' answers through their portal links that you have not marked read, newest first."""
    rows = portal.unread_portal_answers(user_of(request))
    return page(rows, ["-created_at", "-id"], params.cursor, params.limit, portal_notice_item)


@router.post("/notices/portal/read", response=responses({200: MarkedOut}))
def read_portal_notices(request):
    """Mark them all read, as the dashboard's button does."""
    return {"marked_read": portal.mark_read(user_of(request))}


@router.get("/notices/employer", response=reads(page_of(EmployerNoticeOut)))
def list_employer_notices(request, params: Query[PageParams]):
    """The employer side, unread: a sheet opened, a file downloaded, references checked, newest first."""
    rows = sheets.unread_notices(user_of(request))
    return page(rows, ["-created_at", "-id"], params.cursor, params.limit,
                lambda n: {"id": n.pk, "text": n.text, "event_id": n.event_id, "created_at": n.created_at})


@router.post("/notices/employer/read", response=responses({200: MarkedOut}))
def read_employer_notices(request):
    """Mark them all read."""
    return {"marked_read": sheets.mark_notices_read(user_of(request))}

