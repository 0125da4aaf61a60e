"""Factories for the courtesy ledger: plain facts for the pure rules, and
database helpers (events at a given moment, stage history, bulk accounts)."""

from __future__ import annotations

import datetime as dt
import itertools

from goodword.courtesy.facts import (
    Facts,
    InterviewFacts,
    ListingFacts,
    OppFacts,
    RefFacts,
    UserSettings,
)
from goodword.courtesy.rules import RULES

# A fixed "now" for pure-rule tests: Tuesday 10 March 2026, 15:00 UTC.
NOW = dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


def ago(days: float = 0, now: dt.datetime = NOW, **delta) -> dt.datetime:
    return now - dt.timedelta(days=days, **delta)


def day_ago(days: int, today: dt.date = TODAY) -> dt.date:
    return today - dt.timedelta(days=days)


def ref(id=1, name="Dana Whitfield", relationship="manager", status="active", *, created_at=None,
        last_event_at=None, preferred_channel="", consent_given_on=None, consent_scope="") -> RefFacts:
    return RefFacts(id, name, relationship, status, created_at or ago(400), last_event_at, preferred_channel,
                    consent_given_on, consent_scope)


def interview(when, format="panel", strong="incident leadership", weak="Kubernetes depth") -> InterviewFacts:
    return InterviewFacts(when, format, strong, weak)


def opp(id=10, company="Northwind", role="Platform Engineer", *, stages=None, stage=None, since=None,
        references_wanted=1, announced_on=None, interviews=()) -> OppFacts:
    """An opportunity; `stage`/`since` append one stage change to a default history."""
    history = list(stages) if stages is not None else [("applied", day_ago(40))]
    if stage is not None:
        history.append((stage, since or day_ago(5)))
    return OppFacts(id, company, role, references_wanted, announced_on, tuple(history), tuple(interviews))


def listing(reference: RefFacts, opportunity: OppFacts, *events, listed_at=None) -> ListingFacts:
    """A listing with events given as (kind, moment) pairs, recorded in the
    order given (their ids follow it, as in the database)."""
    first: dict = {}
    last: dict = {}
    for event_id, (kind, moment) in enumerate(events, 1):
        if kind not in first or (moment, event_id) < first[kind]:
            first[kind] = (moment, event_id)
        if kind not in last or (moment, event_id) > last[kind]:
            last[kind] = (moment, event_id)
    return ListingFacts(reference.id, opportunity.id, listed_at or ago(30),
                        {kind: place[0] for kind, place in first.items()}, {kind: place[0] for kind, place in last.items()},
                        {kind: place[1] for kind, place in first.items()}, {kind: place[1] for kind, place in last.items()})


def facts(refs=(), opps=(), listings=(), *, now=NOW, time_zone="UTC", employer_asked=None, **thresholds) -> Facts:
    asked = {} if employer_asked is None else dict(employer_asked)
    if employer_asked is None:
        for row in listings:
            contacted = row.first.get("employer_contacted")
            if contacted and (row.opportunity_id not in asked or contacted < asked[row.opportunity_id]):
                asked[row.opportunity_id] = contacted
    return Facts(
        now=now,
        settings=UserSettings(time_zone=time_zone, **thresholds),
        references={r.id: r for r in refs},
        opportunities={o.id: o for o in opps},
        listings=list(listings),
        employer_asked=asked,
    )


def debts(facts_: Facts, rule_id: str):
    """The debts one rule yields."""
    return list(RULES[rule_id].function(facts_))


# A full courtesy sequence for one listing, in order, ending before NOW.
def courtesy_sequence(start: dt.datetime, step=dt.timedelta(hours=6)):
    kinds = ["agreed", "heads_up", "briefing", "letter_requested", "draft_provided", "employer_contacted",
             "outcome_shared", "thanked"]
    return [(kind, start + step * index) for index, kind in enumerate(kinds)]


# --- database helpers --------------------------------------------------------

def log(reference, kind, opportunity=None, *, at=None, **fields):
    from goodword.timeline.services import log_event

    return log_event(reference.owner, reference, kind, opportunity=opportunity, occurred_at=at, **fields)


def move_stage(opportunity, stage, on):
    from goodword.opportunities.services import change_stage

    return change_stage(opportunity, stage, on=on)


def courtesy_settings(user, **fields):
    from goodword.courtesy.services import save_settings

    return save_settings(user, **fields)


_serial = itertools.count(1)


def populate(user, size: int, now: dt.datetime | None = None):
    """A bulk account of `size` references and opportunities, each opportunity with
    a three-reference slate and a dozen events per listing, in a handful of
    INSERTs. Every rule has something to look at."""
    from django.utils import timezone

    from goodword.opportunities.models import (
        Interview,
        Listing,
        Opportunity,
        StageChange,
    )
    from goodword.references.models import Reference
    from goodword.timeline.models import Event

    now = now or timezone.now()
    tag = next(_serial)
    relationships = ["manager", "peer", "direct_report", "skip_level", "hr_verifier", "client"]
    refs = Reference.objects.bulk_create([
        Reference(owner=user, name=f"Bulk {tag}-{i}", relationship=relationships[i % len(relationships)])
        for i in range(size)
    ])
    opps = Opportunity.objects.bulk_create([
        Opportunity(owner=user, company=f"Company {tag}-{i}", role="Engineer", announced_on=None)
        for i in range(size)
    ])
    stages = ["applied", "interviewing", "references_requested", "offer", "landed", "rejected"]
    StageChange.objects.bulk_create(
        [StageChange(opportunity=o, stage="applied", changed_on=(now - dt.timedelta(days=60)).date()) for o in opps]
        + [StageChange(opportunity=o, stage=stages[i % len(stages)], changed_on=(now - dt.timedelta(days=10)).date())
           for i, o in enumerate(opps) if stages[i % len(stages)] != "applied"]
    )
    Interview.objects.bulk_create([Interview(opportunity=o, when=now - dt.timedelta(days=3)) for o in opps])
    listings = Listing.objects.bulk_create([
        Listing(opportunity=o, reference=refs[(i + k) % size], position=k)
        for i, o in enumerate(opps) for k in range(min(3, size))
    ])
    kinds = ["agreed", "heads_up", "briefing", "letter_requested", "employer_contacted", "outcome_shared", "note",
             "call", "apology", "thanked", "gift", "keep_in_touch"]
    Event.objects.bulk_create([
        Event(owner=user, reference_id=row.reference_id, opportunity_id=row.opportunity_id, kind=kind,
              occurred_at=now - dt.timedelta(days=20 - j))
        for n, row in enumerate(listings) for j, kind in enumerate(kinds) if (n + j) % 3
    ])
    return refs, opps
