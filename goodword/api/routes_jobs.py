"""Opportunities with their stage history, interviews, slates and portal links,
through opportunities/ and portal/ services."""

from django.db.models import Q
from django.http import HttpResponse
from ninja import Query, Router, Status

from goodword.api.core import check_if_match, honours_if_match, idempotent, page, page_of_list, user_of
from goodword.api.lookups import IdPath, owned, reads, responses
from goodword.api.routes_book import listing_item
from goodword.api.schemas import (
    InterviewIn,
    InterviewOut,
    InterviewPatch,
    ListingIn,
    ListingOut,
    MoveIn,
    OpportunityFilters,
    OpportunityIn,
    OpportunityOut,
    OpportunityPatch,
    PageParams,
    PortalLinkIn,
    PortalLinkOut,
    StageChangeIn,
    StageChangeOut,
    page_of,
)
from goodword.opportunities import services as opportunities
from goodword.opportunities.models import Interview, Listing, Opportunity, StageChange
from goodword.portal import services as portal
from goodword.references.models import Reference

router = Router(tags=["opportunities and slates"])


def interview_item(interview) -> dict:
    return interview.as_dict() | {"opportunity_id": interview.opportunity_id}


@router.get("/opportunities", response=reads(page_of(OpportunityOut)))
def list_opportunities(request, filters: Query[OpportunityFilters]):
    """Your opportunities, newest first; ?stage= as `goodword job list --stage`."""
    rows = Opportunity.objects.for_user(user_of(request))
    if filters.stage:
        rows = rows.filter(stage=filters.stage)
    if filters.q:
        rows = rows.filter(Q(company__icontains=filters.q) | Q(role__icontains=filters.q))
    return page(rows, ["-created_at", "-id"], filters.cursor, filters.limit, Opportunity.as_dict)


@router.post("/opportunities", response=responses({201: OpportunityOut}))
@idempotent(OpportunityOut)
def create_opportunity(request, payload: OpportunityIn):
    """Add an opportunity at a stage (as `goodword job add`)."""
    fields = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in ("start_date", "announced_on")}
    fields.pop("stage", None)
    fields.pop("stage_on", None)
    row = opportunities.create_opportunity(user_of(request), stage=payload.stage, stage_on=payload.stage_on, **fields)
    return owned(Opportunity.objects, user_of(request), row.pk).as_dict()


@router.get("/opportunities/{opportunity_id}", response=reads(OpportunityOut))
def get_opportunity(request, opportunity_id: int = IdPath()):
    return owned(Opportunity.objects, user_of(request), opportunity_id).as_dict()


@router.patch("/opportunities/{opportunity_id}", response=responses({200: OpportunityOut}))
@honours_if_match
def update_opportunity(request, payload: OpportunityPatch, opportunity_id: int = IdPath()):
    """Change some fields (the stage changes through /stages); If-Match refuses a stale write."""
    opportunity = owned(Opportunity.objects, user_of(request), opportunity_id)
    check_if_match(request, OpportunityOut, opportunity.as_dict())
    fields = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in ("start_date", "announced_on", "references_wanted")}
    opportunities.update_opportunity(opportunity, **fields)
    return owned(Opportunity.objects, user_of(request), opportunity_id).as_dict()


@router.delete("/opportunities/{opportunity_id}", response=responses({204: None}))
@honours_if_match
def delete_opportunity(request, opportunity_id: int = IdPath()):
    """Delete it with its stages, interviews and slate; its events stay on the timelines."""
    opportunity = owned(Opportunity.objects, user_of(request), opportunity_id)
    check_if_match(request, OpportunityOut, opportunity.as_dict())
    opportunities.delete_opportunity(opportunity)
    return Status(204, None)


# ---------------------------------------------------------------- stages


@router.get("/opportunities/{opportunity_id}/stages", response=reads(page_of(StageChangeOut)))
def list_stage_changes(request, params: Query[PageParams], opportunity_id: int = IdPath()):
    """The stage history, oldest first."""
    opportunity = owned(Opportunity.objects, user_of(request), opportunity_id)
    rows = StageChange.objects.filter(opportunity=opportunity)
    return page(rows, ["changed_on", "id"], params.cursor, params.limit,
                lambda row: row.as_dict() | {"id": row.pk})


@router.post("/opportunities/{opportunity_id}/stages", response=responses({201: StageChangeOut}))
@idempotent(StageChangeOut)
def change_stage(request, payload: StageChangeIn, opportunity_id: int = IdPath()):
    """Move the opportunity to a stage (as `goodword job stage`); dates move forward only."""
    opportunity = owned(Opportunity.objects, user_of(request), opportunity_id)
    row = opportunities.change_stage(opportunity, payload.stage, on=payload.changed_on, note=payload.note)
    return row.as_dict() | {"id": row.pk}


# ---------------------------------------------------------------- interviews


@router.get("/opportunities/{opportunity_id}/interviews", response=reads(page_of(InterviewOut)))
def list_interviews(request, params: Query[PageParams], opportunity_id: int = IdPath()):
    opportunity = owned(Opportunity.objects, user_of(request), opportunity_id)
    return page(Interview.objects.filter(opportunity=opportunity), ["when", "id"], params.cursor, params.limit,
                interview_item)


@router.post("/opportunities/{opportunity_id}/interviews", response=responses({201: InterviewOut}))
@idempotent(InterviewOut)
def create_interview(request, payload: InterviewIn, opportunity_id: int = IdPath()):
    """Record an interview: who asked what, points to confirm and to reinforce (briefs the references)."""
    opportunity = owned(Opportunity.objects, user_of(request), opportunity_id)
    fields = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return interview_item(opportunities.save_interview(Interview(opportunity=opportunity, **fields)))


@router.get("/interviews/{interview_id}", response=reads(InterviewOut))
def get_interview(request, interview_id: int = IdPath()):
    return interview_item(owned(Interview.objects, user_of(request), interview_id))


@router.patch("/interviews/{interview_id}", response=responses({200: InterviewOut}))
@honours_if_match
def update_interview(request, payload: InterviewPatch, interview_id: int = IdPath()):
    interview = owned(Interview.objects, user_of(request), interview_id)
    check_if_match(request, InterviewOut, interview_item(interview))
    for name, value in payload.dict(exclude_unset=True).items():
        if value is not None:
            setattr(interview, name, value)
    return interview_item(opportunities.save_interview(interview))


@router.delete("/interviews/{interview_id}", response=responses({204: None}))
@honours_if_match
def delete_interview(request, interview_id: int = IdPath()):
    interview = owned(Interview.objects, user_of(request), interview_id)
    check_if_match(request, InterviewOut, interview_item(interview))
    opportunities.delete_interview(interview)
    return Status(204, None)


# ---------------------------------------------------------------- the slate


def _listing(user, listing_id):
    return owned(Listing.objects.select_related("reference", "opportunity"), user, listing_id)


def _listing_out(listing) -> dict:
    return listing_item(listing, opportunities.state_on_slate(listing.reference, listing.opportunity))


@router.get("/opportunities/{opportunity_id}/listings", response=reads(page_of(ListingOut)))
def list_slate(request, params: Query[PageParams], opportunity_id: int = IdPath()):
    """The slate in order, each reference with where they stand (derived from the events)."""
    opportunity = owned(Opportunity.objects, user_of(request), opportunity_id)
    rows = [listing_item(listing, state) for listing, state in opportunities.slate_with_states(opportunity)]
    return page_of_list(rows, lambda row: row["id"], params.cursor, params.limit)


@router.post("/opportunities/{opportunity_id}/listings", response=responses({201: ListingOut}))
@idempotent(ListingOut)
def add_to_slate(request, payload: ListingIn, opportunity_id: int = IdPath()):
    """Put a reference on the slate (as `goodword slate add`)."""
    user = user_of(request)
    opportunity = owned(Opportunity.objects, user, opportunity_id)
    reference = owned(Reference.objects, user, payload.reference_id)
    listing = opportunities.add_to_slate(opportunity, reference, in_scope=payload.in_scope)
    return _listing_out(_listing(user, listing.pk))


@router.get("/listings/{listing_id}", response=reads(ListingOut))
def get_listing(request, listing_id: int = IdPath()):
    return _listing_out(_listing(user_of(request), listing_id))


@router.delete("/listings/{listing_id}", response=responses({204: None}))
@honours_if_match
def remove_from_slate(request, listing_id: int = IdPath()):
    listing = _listing(user_of(request), listing_id)
    check_if_match(request, ListingOut, _listing_out(listing))
    opportunities.remove_from_slate(listing)
    return Status(204, None)


@router.post("/listings/{listing_id}/move", response=responses({200: ListingOut}))
def move_listing(request, payload: MoveIn, listing_id: int = IdPath()):
    """Move a reference up (-1) or down (1) the slate."""
    listing = _listing(user_of(request), listing_id)
    opportunities.move_listing(listing, payload.offset)
    return _listing_out(_listing(user_of(request), listing_id))


# ---------------------------------------------------------------- portal links


def _link_out(listing, link, token=None) -> dict:
    return {
        "listing_id": listing.pk,
        "status": portal.link_status(link),
        "shared": list(link.shared) if link else [],
        "created_at": link.created_at if link else None,
        "expires_at": portal.expires_at(link, listing.opportunity) if link else None,
        "url": portal.absolute(portal.portal_path(token)) if token else None,
    }


@router.get("/listings/{listing_id}/portal-link", response=reads(PortalLinkOut))
def get_portal_link(request, listing_id: int = IdPath()):
    """Whether the reference's private link works, and what it shares (never the link itself)."""
    listing = _listing(user_of(request), listing_id)
    return _link_out(listing, portal.current_link(listing))


@router.post("/listings/{listing_id}/portal-link", response=responses({201: PortalLinkOut}))
def issue_portal_link(request, response: HttpResponse, payload: PortalLinkIn, listing_id: int = IdPath()):
    """A fresh private link for the reference; the previous one stops working. The URL is shown
    only in this answer (only its hash is kept), so it is sent with Cache-Control: no-store."""
    listing = _listing(user_of(request), listing_id)
    link, token = portal.issue_link(listing, payload.shared)
    response["Cache-Control"] = "no-store"
    return Status(201, _link_out(listing, link, token))


@router.delete("/listings/{listing_id}/portal-link", response=responses({200: PortalLinkOut}))
def revoke_portal_link(request, listing_id: int = IdPath()):
    """Stop the reference's link from working."""
    listing = _listing(user_of(request), listing_id)
    portal.revoke(listing)
    return _link_out(listing, portal.current_link(listing))
