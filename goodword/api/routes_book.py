"""References and their timeline (events), through references/ and timeline/ services."""

from ninja import Query, Router, Status

from goodword.api.core import check_if_match, honours_if_match, idempotent, page, page_of_list, user_of
from goodword.api.lookups import IdPath, named, owned, reads, responses
from goodword.api.schemas import (
    EventFilters,
    EventIn,
    EventOut,
    ListingOut,
    PageParams,
    ReferenceFilters,
    ReferenceIn,
    ReferenceOut,
    ReferencePatch,
    page_of,
)
from goodword.lib import vocabulary
from goodword.opportunities.models import Opportunity
from goodword.opportunities.services import reference_listings_with_states
from goodword.references import services as references
from goodword.references.models import Reference
from goodword.timeline import services as timeline
from goodword.timeline.models import Event

router = Router(tags=["references and timeline"])


def listing_item(listing, state) -> dict:
    return {
        "id": listing.pk, "opportunity_id": listing.opportunity_id, "reference_id": listing.reference_id,
        "reference_name": listing.reference.name, "position": listing.position, "state": state,
        "state_label": vocabulary.state_label(state),
    }


@router.get("/references", response=reads(page_of(ReferenceOut)))
def list_references(request, filters: Query[ReferenceFilters]):
    """Your reference book, by name."""
    rows = Reference.objects.for_user(user_of(request))
    if filters.q:
        rows = rows.filter(name__icontains=filters.q)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return page(rows, ["name", "id"], filters.cursor, filters.limit, Reference.as_dict)


@router.post("/references", response=responses({201: ReferenceOut}))
@idempotent(ReferenceOut)
def create_reference(request, payload: ReferenceIn):
    """Add a reference (as `goodword ref add`)."""
    fields = {k: ("" if v is None and k == "preferred_channel" else v) for k, v in payload.dict(exclude_unset=True).items()}
    return references.create_reference(user_of(request), **fields).as_dict()


@router.get("/references/{reference_id}", response=reads(ReferenceOut))
def get_reference(request, reference_id: int = IdPath()):
    return owned(Reference.objects, user_of(request), reference_id).as_dict()


@router.patch("/references/{reference_id}", response=responses({200: ReferenceOut}))
@honours_if_match
def update_reference(request, payload: ReferencePatch, reference_id: int = IdPath()):
    """Change some fields; send If-Match with the ETag you read to refuse a stale write (412)."""
    reference = owned(Reference.objects, user_of(request), reference_id)
    check_if_match(request, ReferenceOut, reference.as_dict())
    fields = {k: ("" if v is None and k == "preferred_channel" else v) for k, v in payload.dict(exclude_unset=True).items()}
    for name in ("name", "emails", "phones", "title", "organisation", "relationship", "how_we_met", "vouches_for",
                 "likes", "preferred_hours", "consent_scope", "status", "notes"):
        if name in fields and fields[name] is None:
            fields.pop(name)  # null for a field that cannot be empty: leave it as it is
    return references.update_reference(reference, **fields).as_dict()


@router.delete("/references/{reference_id}", response=responses({204: None}))
@honours_if_match
def delete_reference(request, reference_id: int = IdPath()):
    """Delete a reference with their listings and timeline."""
    reference = owned(Reference.objects, user_of(request), reference_id)
    check_if_match(request, ReferenceOut, reference.as_dict())
    references.delete_reference(reference)
    return Status(204, None)


@router.get("/references/{reference_id}/listings", response=reads(page_of(ListingOut)))
def list_reference_listings(request, params: Query[PageParams], reference_id: int = IdPath()):
    """Every opportunity this reference was given to, newest first, with where they stand."""
    reference = owned(Reference.objects, user_of(request), reference_id)
    rows = [listing_item(listing, state) for listing, state in reference_listings_with_states(reference)]
    for row in rows:
        row["reference_name"] = reference.name
    return page_of_list(rows, lambda row: row["id"], params.cursor, params.limit)


# ---------------------------------------------------------------- events


EVENT_COLUMNS = ("id", "reference_id", "opportunity_id", "kind", "channel", "occurred_at", "note")


def event_item(row: dict) -> dict:
    """Event.as_dict()'s shape from a values() row."""
    return row | {"channel": row["channel"] or None}


@router.get("/events", response=reads(page_of(EventOut)))
def list_events(request, filters: Query[EventFilters]):
    """The timeline, newest first, in the one order of events (time given, then order recorded)."""
    user = user_of(request)
    rows = Event.objects.for_user(user)
    if filters.ref:
        rows = rows.filter(reference=named(Reference.objects.for_user(user), filters.ref, "reference"))
    if filters.job:
        rows = rows.filter(opportunity=named(Opportunity.objects.for_user(user), filters.job, "opportunity",
                                             fields=("company", "role")))
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    # Plain rows, not model instances: a page of 100 is the API's most frequent read.
    rows = rows.values(*EVENT_COLUMNS)
    return page(rows, list(vocabulary.NEWEST_FIRST), filters.cursor, filters.limit, event_item)


@router.post("/events", response=responses({201: EventOut}))
@idempotent(EventOut)
def log_event(request, payload: EventIn):
    """Log something that happened with a reference (as `goodword log`); it may settle a debt."""
    user = user_of(request)
    reference = owned(Reference.objects, user, payload.reference_id)
    opportunity = owned(Opportunity.objects, user, payload.opportunity_id) if payload.opportunity_id else None
    return timeline.log_event(user, reference, payload.kind, opportunity=opportunity, channel=payload.channel,
                              occurred_at=payload.occurred_at, note=payload.note).as_dict()


@router.get("/events/{event_id}", response=reads(EventOut))
def get_event(request, event_id: int = IdPath()):
    return owned(Event.objects, user_of(request), event_id).as_dict()


@router.delete("/events/{event_id}", response=responses({204: None}))
@honours_if_match
def delete_event(request, event_id: int = IdPath()):
    """Remove a mistaken entry; listing states and debts follow."""
    event = owned(Event.objects, user_of(request), event_id)
    check_if_match(request, EventOut, event.as_dict())
    timeline.delete_event(event)
    return Status(204, None)


