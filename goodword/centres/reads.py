"""What a coach reads of one assigned candidate, read-only, in a fixed number of queries.

Every row comes through `for_coach(coach, candidate)` (goodword/core/models.py):
rows of a candidate assigned to this coach, or none. Built from the candidate's
own read code (the kept ledger, the slate states, the stage history) but
returned as plain values: the coach's pages link only
to coach URLs, and leave out what is not theirs to see (docs/centres.md):
private notes, event notes, drafts, the outbox, portal and employer links,
SMTP settings, and the references' contact details unless the candidate
shares them (Membership.share_contacts).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.http import Http404
from django.urls import reverse

from goodword.centres.models import Membership
from goodword.centres.services import STAGE_LABELS
from goodword.courtesy import summary, wording
from goodword.courtesy.groups import group_debts
from goodword.courtesy.rules import RULES
from goodword.lib.vocabulary import state_label
from goodword.opportunities.models import Opportunity
from goodword.opportunities.services import reference_listings_with_states, slate_with_states
from goodword.outreach.models import DRAFT_FOR_EVENT_KIND
from goodword.references.models import Reference
from goodword.timeline.models import Event

EVENTS_SHOWN = 30


@dataclass(frozen=True)
class DebtLine:
    severity: str
    title: str
    who: str
    why: str
    due_text: str
    due_iso: str
    overdue: bool
    reference_url: str
    opportunity_url: str


def _urls(membership: Membership):
    def reference_url(pk):
        return reverse("centres:reference", args=[membership.pk, pk]) if pk else ""

    def opportunity_url(pk):
        return reverse("centres:opportunity", args=[membership.pk, pk]) if pk else ""

    return reference_url, opportunity_url


def overview(coach, membership: Membership) -> dict:
    """The candidate's ledger (grouped, worst first), references and applications."""
    user, candidate = membership.user, membership.user_id
    kept = summary.kept_ledger(user)
    debts, today = kept.open, kept.today
    reference_url, opportunity_url = _urls(membership)
    groups = []
    for group in group_debts(debts, DRAFT_FOR_EVENT_KIND):
        lines = [
            DebtLine(
                severity=debt.severity.label, title=RULES[debt.rule].title if debt.rule in RULES else debt.rule,
                who=debt.who, why=debt.why, due_text=wording.due_text(debt.due_on, today),
                due_iso=debt.due_on.isoformat(), overdue=debt.due_on <= today,
                reference_url=reference_url(debt.reference_id), opportunity_url=opportunity_url(debt.opportunity_id),
            )
            for debt in group.debts
        ]
        groups.append({"group": group, "lines": lines,
                       "url": opportunity_url(group.opportunity_id) or reference_url(group.reference_id)})
    references = [
        {"reference": reference, "url": reference_url(reference.pk)}
        for reference in Reference.objects.for_coach(coach, candidate).annotate(listed=Count("listings")).only(
            "id", "name", "title", "organisation", "relationship", "status")
    ]
    opportunities = [
        {"opportunity": opportunity, "url": opportunity_url(opportunity.pk)}
        for opportunity in Opportunity.objects.for_coach(coach, candidate)
        .annotate(slate_size=Count("listings")).only("id", "company", "role", "references_wanted", "created_at")
    ]
    return {"groups": groups, "open_count": len(debts), "today": today,
            "references": references, "opportunities": opportunities}


def reference(coach, membership: Membership, reference_id: int) -> dict:
    """One of the candidate's references: who, where they stand on each slate, the
    timeline's kinds and dates (not its notes); contacts only if shared."""
    found = Reference.objects.for_coach(coach, membership.user_id).filter(pk=reference_id).first()
    if found is None:
        raise Http404("No such reference.")
    reference_url, opportunity_url = _urls(membership)
    listings = [
        {"opportunity": row.opportunity, "state": state_label(state), "url": opportunity_url(row.opportunity_id)}
        for row, state in reference_listings_with_states(found)
    ]
    events = list(Event.objects.for_coach(coach, membership.user_id).filter(reference=found)
                  .select_related("opportunity").only("kind", "channel", "occurred_at", "opportunity__company",
                                                      "opportunity__role", "reference_id")[:EVENTS_SHOWN])
    return {
        "reference": found, "listings": listings, "events": events,
        "shares_contacts": membership.share_contacts,
        "emails": list(found.emails) if membership.share_contacts else [],
        "phones": list(found.phones) if membership.share_contacts else [],
    }


def opportunity(coach, membership: Membership, opportunity_id: int) -> dict:
    """One application: its stage history, interviews (when and how) and slate with states."""
    found = Opportunity.objects.for_coach(coach, membership.user_id).filter(pk=opportunity_id).first()
    if found is None:
        raise Http404("No such opportunity.")
    reference_url, _ = _urls(membership)
    slate = [
        {"reference": row.reference, "state": state_label(state), "url": reference_url(row.reference_id)}
        for row, state in slate_with_states(found)
    ]
    stages = [(STAGE_LABELS.get(change.stage, change.stage), change.changed_on)
              for change in found.stage_changes.all()]
    interviews = list(found.interviews.only("when", "format", "with_whom", "opportunity_id"))
    return {"opportunity": found, "slate": slate, "stages": stages, "interviews": interviews,
            "shares_contacts": membership.share_contacts}
