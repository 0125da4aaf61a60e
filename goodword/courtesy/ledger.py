"""Fetch one user's facts in a fixed number of queries, and run the rules.

The number of queries does not depend on how much data the user has: each
query below returns plain tuples (values_list) and only the columns the rules
read; events come pre-aggregated (first and last moment of each kind per
reference and opportunity, last moment of anything per reference).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import CharField, F, Func, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone

from goodword.courtesy import rules
from goodword.courtesy.facts import (
    PAIR_KINDS,
    Debt,
    Decision,
    Facts,
    InterviewFacts,
    ListingFacts,
    OppFacts,
    RefFacts,
    Severity,
    UserSettings,
)
from goodword.courtesy.models import CourtesySettings, DebtDecision
from goodword.opportunities.models import Interview, Listing, Opportunity, StageChange
from goodword.references.models import Reference
from goodword.timeline.models import Event


def load_settings(user) -> UserSettings:
    return CourtesySettings.for_user(user).as_plain()


# The kinds whose first moment a rule reads (the rest: only the last).
FIRST_KINDS = ("heads_up", "employer_contacted")


class _Raw(Func):
    """A timestamp read as UTC text, skipping the per-value Python converters of
    Django's backends (the slow part of reading tens of thousands of them);
    moment() parses it. Other backends get the value as it comes."""

    template = "%(expressions)s"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="CAST(%(expressions)s AS TEXT)", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "to_char((%(expressions)s) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"
        return super().as_sql(compiler, connection, template=template, **extra_context)


_parse = dt.datetime.fromisoformat
_UTC = "+00:00"


def moment(value) -> dt.datetime | None:
    """An aware UTC datetime from a _Raw value."""
    if value is None:
        return None
    if isinstance(value, str):
        return _parse(value + _UTC)  # a fifth of the cost of .replace(tzinfo=UTC)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def fetch_facts(user, now: dt.datetime | None = None, user_settings: UserSettings | None = None) -> Facts:
    """Everything the rules read about `user`, in seven queries (six with settings given).

    Events arrive pre-aggregated: one row per (opportunity, reference) with the
    last moment of each kind the rules read (and the first of a few), and the
    latest event of any kind per reference through an index seek.
    """
    now = now or timezone.now()
    user_settings = user_settings or load_settings(user)

    latest = Event.objects.filter(owner=user, reference=OuterRef("pk")).order_by("-occurred_at").values("occurred_at")[:1]
    references = {
        pk: RefFacts(pk, name, relationship, status, moment(created_at), moment(last_event), channel)
        for pk, name, relationship, status, created_at, channel, last_event in Reference.objects.filter(owner=user)
        .order_by().annotate(last_event=_Raw(Subquery(latest)), created=_Raw(F("created_at")))
        .values_list("id", "name", "relationship", "status", "created", "preferred_channel", "last_event")
    }

    stages: dict[int, list] = {}
    for opportunity_id, stage, changed_on in (
        StageChange.objects.filter(opportunity__owner=user)
        .order_by("opportunity_id", "changed_on", "id").values_list("opportunity_id", "stage", "changed_on")
    ):
        stages.setdefault(opportunity_id, []).append((stage, changed_on))
    interviews: dict[int, list] = {}
    for opportunity_id, when, kind, strong, weak in (
        Interview.objects.filter(opportunity__owner=user)
        .order_by("opportunity_id", "when", "id")
        .values_list("opportunity_id", "when", "format", "strong_points", "weak_points")
    ):
        interviews.setdefault(opportunity_id, []).append(InterviewFacts(when, kind, strong, weak))
    opportunities = {
        pk: OppFacts(pk, company, role, wanted, announced, tuple(stages.get(pk, ())), tuple(interviews.get(pk, ())))
        for pk, company, role, wanted, announced in Opportunity.objects.filter(owner=user)
        .order_by().values_list("id", "company", "role", "references_wanted", "announced_on")
    }

    columns = {f"last_{kind}": _Raw(Max("occurred_at", filter=Q(kind=kind))) for kind in PAIR_KINDS}
    columns |= {f"first_{kind}": _Raw(Min("occurred_at", filter=Q(kind=kind))) for kind in FIRST_KINDS}
    split = len(PAIR_KINDS)
    pairs: dict[tuple[int, int], tuple[dict, dict]] = {}
    employer_asked: dict[int, dt.datetime] = {}
    for opportunity_id, reference_id, *values in (
        Event.objects.filter(owner=user, opportunity__isnull=False, kind__in=PAIR_KINDS).order_by()
        .values_list("opportunity_id", "reference_id").annotate(**columns).values_list(
            "opportunity_id", "reference_id", *columns)
    ):
        # Comprehensions with the text fast path inline: this loop sees every value.
        last = {kind: _parse(value + _UTC) if value.__class__ is str else moment(value)
                for kind, value in zip(PAIR_KINDS, values, strict=False) if value is not None}
        first = {kind: _parse(value + _UTC) if value.__class__ is str else moment(value)
                 for kind, value in zip(FIRST_KINDS, values[split:], strict=True) if value is not None}
        pairs[(reference_id, opportunity_id)] = (first, last)
        called = first.get("employer_contacted")
        if called is not None and (opportunity_id not in employer_asked or called < employer_asked[opportunity_id]):
            employer_asked[opportunity_id] = called

    empty = ({}, {})
    listings = [
        ListingFacts(reference_id, opportunity_id, moment(created), *pairs.get((reference_id, opportunity_id), empty))
        for reference_id, opportunity_id, created in Listing.objects.filter(opportunity__owner=user)
        .order_by().annotate(created=_Raw(F("created_at"))).values_list("reference_id", "opportunity_id", "created")
        if reference_id in references
    ]
    return Facts(now, user_settings, references, opportunities, listings, employer_asked)


@dataclass(frozen=True, slots=True)
class HiddenDebt:
    debt: Debt
    decision: Decision


@dataclass(frozen=True, slots=True)
class Hold:
    """A landed opportunity whose announcement should wait for these references."""

    opportunity_id: int
    opportunity_label: str
    company: str
    reference_names: tuple[str, ...]
    announced_on: dt.date | None


@dataclass
class Ledger:
    today: dt.date
    settings: UserSettings
    open: list[Debt]
    hidden: list[HiddenDebt] = field(default_factory=list)
    holds: list[Hold] = field(default_factory=list)
    facts: Facts | None = field(default=None, repr=False)

    @cached_property
    def history(self) -> list[rules.Breach]:
        """Every call that came before a heads-up, settled or not (computed when shown)."""
        return rules.breaches(self.facts) if self.facts is not None else []

    def by_severity(self) -> list[tuple[Severity, list[Debt]]]:
        groups = []
        for severity in sorted(Severity, reverse=True):
            debts = [debt for debt in self.open if debt.severity == severity]
            if debts:
                groups.append((severity, debts))
        return groups

    def counts(self) -> dict[str, int]:
        return {severity.label: sum(1 for d in self.open if d.severity == severity) for severity in Severity}

    def find(self, key: str) -> Debt | None:
        """An open or hidden debt by key (hidden ones may be settled too)."""
        for debt in self.open:
            if debt.key == key:
                return debt
        for hidden in self.hidden:
            if hidden.debt.key == key:
                return hidden.debt
        return None


def apply_decisions(debts: list[Debt], decisions: dict[str, Decision], today: dt.date):
    """Split debts into (open, hidden) by the user's snoozes and dismissals."""
    open_debts, hidden = [], []
    for debt in debts:
        decision = decisions.get(debt.key)
        if decision is not None and decision.hides(debt, today):
            hidden.append(HiddenDebt(debt, decision))
        else:
            open_debts.append(debt)
    return open_debts, hidden


def build_ledger(user, now: dt.datetime | None = None) -> Ledger:
    """The user's ledger: every rule run, snoozed and dismissed debts set aside,
    worst first then by due date. A fixed number of queries (eight)."""
    facts = fetch_facts(user, now)
    decisions = {row.key: row.as_plain() for row in DebtDecision.objects.filter(owner=user)}
    open_debts, hidden = apply_decisions(rules.run_rules(facts), decisions, facts.today)
    holds = [
        Hold(opp.id, opp.label, opp.company, tuple(ref.name for ref in refs), opp.announced_on)
        for opp, refs in rules.announcement_holds(facts)
    ]
    return Ledger(facts.today, facts.settings, open_debts, hidden, holds, facts)
