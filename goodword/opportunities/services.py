"""Opportunity, stage, interview and slate operations for the web app, CLI and API."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from goodword.core.prepared import prepared
from goodword.lib import vocabulary
from goodword.opportunities.models import Interview, Listing, Opportunity, Stage, StageChange
from goodword.references.models import Status
from goodword.timeline.models import Event


def today():
    return timezone.localdate()


@transaction.atomic
def create_opportunity(owner, *, stage=Stage.LEAD, stage_on: dt.date | None = None, **fields) -> Opportunity:
    if stage_on and stage_on > today():
        raise ValidationError({"stage_on": f"{stage_on:%d %b %Y} is in the future; give the date it happened."})
    opportunity = Opportunity(owner=owner, **fields)
    opportunity.full_clean()
    opportunity.save()
    change = StageChange(opportunity=opportunity, stage=stage, changed_on=stage_on or today())
    change.full_clean()
    change.save()
    opportunity.forget_stage()
    return opportunity


def update_opportunity(opportunity: Opportunity, **fields) -> Opportunity:
    for name, value in fields.items():
        setattr(opportunity, name, value)
    opportunity.full_clean()
    opportunity.save()
    return opportunity


@transaction.atomic
def change_stage(opportunity: Opportunity, stage: str, *, on: dt.date | None = None, note: str = "") -> StageChange:
    on = on or today()
    if stage not in Stage.values:
        raise ValidationError({"stage": f"“{stage}” is not a stage; choose one of: {', '.join(Stage.values)}."})
    if on > today():
        raise ValidationError({"changed_on": f"{on:%d %b %Y} is in the future; record a stage change once it has happened."})
    previous = opportunity.stage_changes.order_by("-changed_on", "-id").first()
    if previous and on < previous.changed_on:
        raise ValidationError(
            {"changed_on": f"{on:%d %b %Y} is before the previous change ({previous.get_stage_display()} "
                           f"on {previous.changed_on:%d %b %Y}); stage dates must move forward."}
        )
    if previous and previous.stage == stage:
        raise ValidationError({"stage": f"The opportunity is already at “{previous.get_stage_display()}”."})
    change = StageChange(opportunity=opportunity, stage=stage, changed_on=on, note=note)
    change.full_clean()
    change.save()
    opportunity.forget_stage()
    return change


def save_interview(interview: Interview) -> Interview:
    interview.full_clean()
    interview.save()
    return interview


@transaction.atomic
def add_to_slate(opportunity: Opportunity, reference, *, in_scope: bool = False, now=None) -> Listing:
    """Put a reference on the slate. in_scope: the candidate confirms the
    application lies within the reference's standing consent, which then
    counts as their yes for this listing (an "in_scope" event; refused when
    they have no standing consent, or it has run out)."""
    if reference.owner_id != opportunity.owner_id:
        raise ValidationError("That reference is not in your reference book.")
    if reference.status == Status.DO_NOT_USE:
        raise ValidationError(f"{reference.name} is marked do-not-use; change their status first.")
    if opportunity.listings.filter(reference=reference).exists():
        raise ValidationError(f"{reference.name} is already on the slate for {opportunity}.")
    if in_scope:
        from goodword.timeline.services import standing_consent_problem

        now = now or timezone.now()
        if problem := standing_consent_problem(opportunity.owner, reference, opportunity, now):
            raise ValidationError({"in_scope": problem})
    last = opportunity.listings.aggregate(last=Max("position"))["last"]
    listing = Listing.objects.create(
        opportunity=opportunity, reference=reference, position=0 if last is None else last + 1
    )
    if in_scope:
        from goodword.timeline.services import log_event

        log_event(opportunity.owner, reference, vocabulary.IN_SCOPE, opportunity=opportunity, occurred_at=now,
                  note=f"Within their standing consent: {reference.consent_scope or 'any role'}.")
    return listing


def remove_from_slate(listing: Listing) -> None:
    listing.delete()


@transaction.atomic
def move_listing(listing: Listing, offset: int) -> bool:
    """Move a listing up (offset -1) or down (+1) the slate, renumbering it 0..n-1.

    False when it is already at that end of the slate.
    """
    slate = list(Listing.objects.select_for_update().filter(opportunity_id=listing.opportunity_id))
    index = next(i for i, row in enumerate(slate) if row.pk == listing.pk)
    target = max(0, min(len(slate) - 1, index + offset))
    slate.insert(target, slate.pop(index))
    for position, row in enumerate(slate):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position"])
    return target != index


def _states(listings, events, key) -> list[tuple[Listing, str]]:
    """Each listing with its state by the one function (vocabulary.listing_state);
    `events`: rows of (the listing's `key`, kind, occurred_at, id)."""
    by_key: dict[int, list] = {}
    for group, kind, occurred_at, event_id in events:
        by_key.setdefault(group, []).append((kind, occurred_at, event_id))
    return [(row, vocabulary.listing_state(by_key.get(getattr(row, key), []))) for row in listings]


# The slate's and a reference's listings are read on every opportunity and reference page, by
# the API and the CLI: compiled once (core/prepared.py), with subqueries in place of id lists.
@prepared
def _slate(opportunity_id: int):
    return Listing.objects.filter(opportunity_id=opportunity_id).select_related("reference")


@prepared
def _slate_events(opportunity_id: int):
    on_slate = Listing.objects.filter(opportunity_id=opportunity_id).values("reference_id")
    return (Event.objects.filter(opportunity_id=opportunity_id, reference_id__in=on_slate)
            .values_list("reference_id", "kind", "occurred_at", "id"))


def slate_with_states(opportunity: Opportunity) -> list[tuple[Listing, str]]:
    """The slate in order, each listing with its derived state; two queries."""
    listings = _slate(opportunity.pk)
    for row in listings:
        row.opportunity = opportunity  # as opportunity.listings would have set it: no query to read it back
    return _states(listings, _slate_events(opportunity.pk), "reference_id")


def state_on_slate(reference, opportunity) -> str:
    """Where one reference stands on one opportunity's slate."""
    events = Event.objects.filter(owner=opportunity.owner, reference=reference, opportunity=opportunity)
    return vocabulary.listing_state(events.values_list("kind", "occurred_at", "id"))


@transaction.atomic
def delete_opportunity(opportunity: Opportunity) -> None:
    """Delete an opportunity with its stage history, interviews and slate.

    Its events stay on the references' timelines, unlinked (Event.opportunity
    is SET_NULL): what was said to a reference remains true.
    """
    opportunity.delete()


def delete_interview(interview: Interview) -> None:
    interview.delete()


@prepared
def _listings_of_reference(reference_id: int):
    return Listing.objects.filter(reference_id=reference_id).order_by("-created_at", "-id")


@prepared
def _opportunities_of_reference(reference_id: int):
    # Only what the page shows of each (its label, link and stage): a posting's text can be 50 KB.
    return (Opportunity.objects.with_stage().filter(listings__reference_id=reference_id)
            .only("id", "owner_id", "company", "role"))


@prepared
def _events_of_reference_on_listings(reference_id: int):
    listed_on = Listing.objects.filter(reference_id=reference_id).values("opportunity_id")
    return (Event.objects.filter(reference_id=reference_id, opportunity_id__in=listed_on)
            .values_list("opportunity_id", "kind", "occurred_at", "id"))


def reference_listings_with_states(reference) -> list[tuple[Listing, str]]:
    """Every listing of one reference, newest first, each with its derived state; three queries.

    The opportunities come through with_stage() so that showing each one's
    stage costs no query per listing.
    """
    listings = _listings_of_reference(reference.pk)
    opportunities = {opportunity.pk: opportunity for opportunity in _opportunities_of_reference(reference.pk)}
    for row in listings:
        row.opportunity = opportunities[row.opportunity_id]
    return _states(listings, _events_of_reference_on_listings(reference.pk), "opportunity_id")


