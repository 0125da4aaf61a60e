"""Fetch one user's facts in a fixed number of queries, and run the rules.

The number of queries does not depend on how much data the user has: each
query below returns plain tuples and only the columns the rules read. Events
come with their listing (every courtesy event of that reference for that
opportunity, as text reduced to first/last moment per kind in C loops), or
pre-aggregated (last moment of anything per reference, first employer contact
per opportunity). Numbers and the reasoning: docs/ledger.md.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection
from django.db.models import CharField, Exists, F, Func, Min, OuterRef, Subquery
from django.utils import timezone

from goodword.core.prepared import prepared
from goodword.courtesy import rules, summary
from goodword.courtesy.facts import (
    PAIR_KINDS,
    Debt,
    Decision,
    Facts,
    InterviewFacts,
    ListingFacts,
    OppFacts,
    OwedWord,
    RefFacts,
    Severity,
    UserSettings,
)
from goodword.courtesy.models import CourtesySettings, DebtDecision
from goodword.lib.vocabulary import IN_EMPLOYER_HANDS, LATEST_MOMENT_FIRST, OWED_WORD_ANSWERS, OWED_WORD_KINDS
from goodword.opportunities.models import Interview, Listing, Opportunity, StageChange
from goodword.references.models import Reference
from goodword.timeline.models import Event


def load_settings(user) -> UserSettings:
    return CourtesySettings.for_user(user).as_plain()


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


class _RawDate(Func):
    """A date read as text on SQLite (day() parses it); other backends' drivers
    already return dates without Django's converters."""

    template = "%(expressions)s"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="CAST(%(expressions)s AS TEXT)", **extra_context)


_parse = dt.datetime.fromisoformat
_parse_day = dt.date.fromisoformat
_UTC = "+00:00"


def day(value) -> dt.date | None:
    """A date from a _RawDate value."""
    return _parse_day(value) if value.__class__ is str else value


def moment(value) -> dt.datetime | None:
    """An aware UTC datetime from a _Raw value."""
    if value is None:
        return None
    if isinstance(value, str):
        return _parse(value + _UTC)  # a fifth of the cost of .replace(tzinfo=UTC)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _first_and_last(kinds, moments, ids) -> tuple[dict, dict, dict, dict]:
    """The first and the last event of each kind in the one order of events
    (time, then id), as moments and ids."""
    first: dict[str, tuple] = {}
    last: dict[str, tuple] = {}
    for kind, when, event_id in zip(kinds, moments, ids, strict=True):
        place = (when, event_id)
        if kind not in last or place > last[kind]:
            last[kind] = place
        if kind not in first or place < first[kind]:
            first[kind] = place
    return ({kind: place[0] for kind, place in first.items()}, {kind: place[0] for kind, place in last.items()},
            {kind: place[1] for kind, place in first.items()}, {kind: place[1] for kind, place in last.items()})


def _listings_sql(vendor: str, owner_id: int, archived: set[int]) -> tuple[str, list]:
    """Every listing of the owner, except those of `archived` opportunities
    (their events are the bulk of a long history), with its events (of PAIR_KINDS) in one column:
    "kind,kind,…|moment,moment,…|id,id,…" (ISO text with an offset, the three
    lists in the same order, in no particular order otherwise), or NULL. The
    ids place events of the same moment in the order they were recorded.

    One correlated subquery per listing, each an index range on
    timeline_ledger_cover (owner, opportunity, reference, kind, occurred_at):
    cheaper than a GROUP BY with a conditional MAX() per kind, and the
    per-kind reduction happens in C (dict(zip(...))) on the Python side.
    """
    # Inlined constants (not parameters): SQLite rebuilds a bound IN list for every run of the subquery.
    assert all(kind.isidentifier() for kind in PAIR_KINDS)
    kinds = ", ".join(f"'{kind}'" for kind in PAIR_KINDS)
    listing, opportunity, event = Listing._meta.db_table, Opportunity._meta.db_table, Event._meta.db_table
    if vendor == "postgresql":
        # timestamptz::text carries its offset ("…+00"), which fromisoformat reads; no ORDER BY in
        # the aggregates (a sort per listing, twice the cost): Python does not depend on the order.
        text = "({})::text"
        aggregate = ("string_agg(e.kind, ',') || '|' || string_agg(e.occurred_at::text, ',') || '|' "
                     "|| string_agg(e.id::text, ',')")
        kind_filter = f"e.kind IN ({kinds})"
        not_archived = "AND l.opportunity_id <> ALL(%s)"
    else:
        text = "CAST({} AS TEXT) || '+00:00'"
        aggregate = ("group_concat(e.kind) || '|' || group_concat(e.occurred_at, '+00:00,') || '+00:00' || '|' "
                     "|| group_concat(e.id)")
        kind_filter = f"+e.kind IN ({kinds})"  # "+": filter while scanning, no seek per kind
        not_archived = "AND l.opportunity_id NOT IN (SELECT value FROM json_each(%s))"
    sql = (
        f'SELECT l.reference_id, l.opportunity_id, {text.format("l.created_at")}, '
        f"(SELECT {aggregate} FROM {event} e WHERE e.owner_id = %s AND e.opportunity_id = l.opportunity_id "
        f"AND e.reference_id = l.reference_id AND {kind_filter}) "
        f"FROM {listing} l INNER JOIN {opportunity} o ON o.id = l.opportunity_id WHERE o.owner_id = %s "
        f"{not_archived if archived else ''}"
    )
    params = [owner_id, owner_id]
    if archived:
        params.append(sorted(archived) if vendor == "postgresql" else json.dumps(sorted(archived)))
    return sql, params


def fetch_facts(user, now: dt.datetime | None = None, user_settings: UserSettings | None = None) -> Facts:
    """Everything the rules read about `user`, in eight queries (seven with settings given).

    Each listing arrives with its courtesy events (see _listings_sql); the
    latest event of any kind per reference comes through an index seek, the
    first employer contact per opportunity from one grouped MIN over every
    event (listed pair or not, as before). Applications that ended before the
    archive horizon (UserSettings.archive_after_days) are left out, with their
    listings: the rules never see them, and their events are not read.
    """
    now = now or timezone.now()
    user_settings = user_settings or load_settings(user)
    archive_before = user_settings.archive_before(now.astimezone(user_settings.tz).date())
    return Facts(now, user_settings, *_fetch_parts(user, archive_before))


# Each query of _fetch_parts() as a queryset of one owner id. Building and
# compiling them cost a quarter of the realistic ledger's time, every time, for
# the same SQL: it is compiled once per database (_rows) and only the owner changes.
def _references_query(owner_id: int):
    latest = (Event.objects.filter(owner_id=owner_id, reference=OuterRef("pk"))
              .order_by(*LATEST_MOMENT_FIRST).values("occurred_at")[:1])
    return (Reference.objects.filter(owner_id=owner_id)
            .order_by().annotate(last_event=_Raw(Subquery(latest)), created=_Raw(F("created_at")),
                                 consent_on=_RawDate(F("consent_given_on")), away=_RawDate(F("away_until")))
            .values_list("id", "name", "relationship", "status", "created", "preferred_channel", "last_event",
                         "consent_on", "consent_scope", "away", "max_calls_a_month"))


def _stages_query(owner_id: int):
    return (StageChange.objects.filter(opportunity__owner_id=owner_id)
            .order_by("opportunity_id", "changed_on", "id").annotate(day=_RawDate(F("changed_on")))
            .values_list("opportunity_id", "stage", "day"))


def _interviews_query(owner_id: int):
    return (Interview.objects.filter(opportunity__owner_id=owner_id)
            .order_by("opportunity_id", "when", "id").annotate(moment=_Raw(F("when")))
            .values_list("opportunity_id", "moment", "format", "strong_points", "weak_points"))


def _opportunities_query(owner_id: int):
    return (Opportunity.objects.filter(owner_id=owner_id)
            .order_by().annotate(announced=_RawDate(F("announced_on")))
            .values_list("id", "company", "role", "references_wanted", "announced"))


def _employer_asked_query(owner_id: int):
    # References are in play once the employer called one of them or holds the reference sheet.
    return (Event.objects.filter(owner_id=owner_id, kind__in=IN_EMPLOYER_HANDS, opportunity__isnull=False)
            .order_by().values_list("opportunity_id").annotate(called=_Raw(Min("occurred_at")))
            .values_list("opportunity_id", "called"))


def _owed_words_query(owner_id: int):
    answered = Event.objects.filter(owner_id=owner_id, reference=OuterRef("reference"), kind__in=OWED_WORD_ANSWERS,
                                    occurred_at__gte=OuterRef("occurred_at"))
    return (Event.objects.filter(owner_id=owner_id, kind__in=OWED_WORD_KINDS).exclude(Exists(answered)).order_by()
            .annotate(moment=_Raw(F("occurred_at")))
            .values_list("kind", "reference_id", "opportunity_id", "moment", "note"))


_OWNER = -7_777_777_777  # an owner id no row has, standing for the real one in the compiled SQL
_COMPILED: dict[tuple, tuple] = {}


def _rows(build, owner_id: int) -> list[tuple]:
    """The rows of build(owner_id), from its SQL compiled once per database and
    run on a plain cursor. The columns read need none of Django's converters:
    moments and dates come as text (_Raw, _RawDate) or as the driver gives them."""
    key = (connection.alias, connection.vendor, build)
    compiled = _COMPILED.get(key)
    if compiled is None:
        sql, params = build(_OWNER).query.sql_with_params()
        slots = [index for index, param in enumerate(params) if param == _OWNER]
        assert slots, "the query does not name its owner"
        compiled = _COMPILED[key] = (sql, tuple(params), tuple(slots))
    sql, params, slots = compiled
    params = list(params)
    for index in slots:
        params[index] = owner_id
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _fetch_parts(user, archive_before: dt.date | None) -> tuple:
    """What fetch_facts() reads, none of it depending on the moment: (references,
    opportunities, listings, employer_asked, how many applications are archived)."""
    owner_id = user.pk
    references = {
        pk: RefFacts(pk, name, relationship, status, moment(created_at), moment(last_event), channel,
                      day(consent_on), consent_scope, day(away_until), max_calls)
        for pk, name, relationship, status, created_at, channel, last_event, consent_on, consent_scope, away_until,
        max_calls in _rows(_references_query, owner_id)
    }

    stages: dict[int, list] = {}
    for opportunity_id, stage, changed_on in _rows(_stages_query, owner_id):
        stages.setdefault(opportunity_id, []).append((stage, day(changed_on)))
    interviews: dict[int, list] = {}
    for opportunity_id, when, kind, strong, weak in _rows(_interviews_query, owner_id):
        interviews.setdefault(opportunity_id, []).append(InterviewFacts(moment(when), kind, strong, weak))
    opportunities = {
        pk: OppFacts(pk, company, role, wanted, day(announced), tuple(stages.get(pk, ())),
                       tuple(interviews.get(pk, ())))
        for pk, company, role, wanted, announced in _rows(_opportunities_query, owner_id)
    }
    archived = {pk for pk, opp in opportunities.items() if opp.ended_before(archive_before)}
    for pk in archived:
        del opportunities[pk]

    employer_asked = {opportunity_id: moment(called) for opportunity_id, called in _rows(_employer_asked_query, owner_id)}

    listings = []
    append, parse, new, empty = listings.append, _parse, ListingFacts, {}
    with connection.cursor() as cursor:
        cursor.execute(*_listings_sql(connection.vendor, user.pk, archived))
        for reference_id, opportunity_id, created, events in cursor.fetchall():
            if reference_id not in references:
                continue
            if events is None:
                first = last = first_ids = last_ids = empty
            else:
                kinds, moments, ids = events.split("|")
                kinds = kinds.split(",")
                last = dict(zip(kinds, map(parse, moments.split(",")), strict=True))
                if len(last) == len(kinds):
                    # One event of each kind: its first is its last.
                    first, first_ids = last, dict(zip(kinds, map(int, ids.split(",")), strict=True))
                    last_ids = first_ids
                else:
                    first, last, first_ids, last_ids = _first_and_last(
                        kinds, map(parse, moments.split(",")), map(int, ids.split(",")))
            append(new(reference_id, opportunity_id, parse(created), first, last, first_ids, last_ids))
    return references, opportunities, listings, employer_asked, len(archived), _owed_words(user)


def _owed_words(user) -> tuple:
    """Unlisted calls and reused letters that no later thanks or keeping in touch answered (one query)."""
    return tuple(OwedWord(kind, reference_id, opportunity_id, moment(when), (note or "").split("\n")[0][:200])
                 for kind, reference_id, opportunity_id, when, note in _rows(_owed_words_query, user.pk))


@dataclass(frozen=True, slots=True)
class HiddenDebt:
    debt: Debt
    decision: Decision


@dataclass(frozen=True, slots=True)
class Hold:
    """An offer or a landing whose announcement should wait for these references."""

    opportunity_id: int
    opportunity_label: str
    company: str
    reference_names: tuple[str, ...]
    announced_on: dt.date | None
    stage: str = "landed"  # "offer" or "landed"


@dataclass
class Ledger:
    today: dt.date
    settings: UserSettings
    open: list[Debt]
    hidden: list[HiddenDebt] = field(default_factory=list)
    holds: list[Hold] = field(default_factory=list)
    facts: Facts | None = field(default=None, repr=False)

    @property
    def archived_count(self) -> int:
        """Applications left out because they ended before the archive horizon."""
        return self.facts.archived_count if self.facts is not None else 0

    @property
    def hidden_count(self) -> int:
        return len(self.hidden)

    @property
    def archive_after_days(self) -> int:
        return self.settings.archive_after_days

    @cached_property
    def history(self) -> list[summary.KeptBreach]:
        """Every call that came before a heads-up, settled or not (computed when shown),
        in the shape the kept ledger keeps them."""
        return [summary.KeptBreach(b.called_on, b.opportunity.company, b.reference.name, b.settled_on)
                for b in rules.breaches(self.facts)] if self.facts is not None else []

    def by_severity(self) -> list[tuple[Severity, list[Debt]]]:
        groups = []
        for severity in sorted(Severity, reverse=True):
            debts = [debt for debt in self.open if debt.severity == severity]
            if debts:
                groups.append((severity, debts))
        return groups

    def counts(self) -> dict[str, int]:
        return summary.severity_counts(self.open)

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


@prepared
def _decisions(owner_id: int):
    return DebtDecision.objects.filter(owner_id=owner_id)


def build_ledger(user, now: dt.datetime | None = None, user_settings: UserSettings | None = None) -> Ledger:
    """The user's ledger: every rule run, snoozed and dismissed debts set aside,
    worst first then by due date. A fixed number of queries: eight (seven with settings given)."""
    facts = fetch_facts(user, now, user_settings)
    debts = rules.run_rules(facts)
    decisions = {row.key: row.as_plain() for row in _decisions(user.pk)}
    open_debts, hidden = apply_decisions(debts, decisions, facts.today)
    holds = [
        Hold(opp.id, opp.label, opp.company, tuple(ref.name for ref in refs), opp.announced_on, opp.stage)
        for opp, refs in rules.announcement_holds(facts)
    ]
    # What the rules shared (slates, pairs: some 15,000 tuples for a heavy
    # account) goes now rather than with the request; history rebuilds its part.
    facts.memo.clear()
    return Ledger(facts.today, facts.settings, open_debts, hidden, holds, facts)


def ledger_for_request(request, stamp: summary.Stamp | None = None) -> Ledger:
    """The signed-in user's ledger, computed once per request.

    The page and the navigation badge both show it; computing it twice would
    double the dashboard's most expensive step. Call it only after any change
    the request makes (a settle, a snooze), since it is not recomputed. Its
    open count is kept for the badge of the next pages (summary.py).
    """
    cached = getattr(request, "_courtesy_ledger", None)
    if cached is None:
        stamp = stamp or summary.read(request.user)  # before the facts: see summary.py
        known_settings = getattr(request, "_courtesy_settings", None)
        cached = request._courtesy_ledger = build_ledger(request.user, user_settings=known_settings)
        summary.store(request.user, stamp, cached)
    return cached


def request_ledger_view(request) -> Ledger | summary.KeptLedger:
    """What the dashboard and the ledger page show for the signed-in user: the
    request's ledger when it built one, else the kept one while its stamp holds
    (summary.KeptLedger: no facts read, no rules run), else a fresh build (then kept)."""
    cached = getattr(request, "_courtesy_ledger", None)
    if cached is not None:
        return cached
    stamp = summary.read(request.user, with_debts=True)
    kept = stamp.kept_ledger() if stamp.fresh(timezone.now()) else None
    if kept is None:
        return ledger_for_request(request, stamp)
    request._courtesy_open_count = stamp.open_count  # for the badge, later in the page
    request._courtesy_kept_debts = kept.open, kept.today
    return kept


def request_open_debts(request) -> tuple[list[Debt], dt.date]:
    """The signed-in user's open debts and their day: from the request's ledger
    when the page built one, else kept ones while their stamp holds (summary.py)."""
    cached = getattr(request, "_courtesy_ledger", None)
    if cached is None:
        kept = getattr(request, "_courtesy_kept_debts", None)
        if kept is not None:  # a second part of the same page (an opportunity's slate and its debts)
            return kept
        stamp = summary.read(request.user, with_debts=True)
        if stamp.fresh(timezone.now()):
            request._courtesy_open_count = stamp.open_count  # for the badge, later in the page
            request._courtesy_kept_debts = stamp.debts(), stamp.today
            return request._courtesy_kept_debts
        cached = ledger_for_request(request, stamp)
    return cached.open, cached.today


def request_settings(request) -> UserSettings:
    """The signed-in user's courtesy settings: the request's ledger's when the page
    built one (no query), else read once."""
    cached = getattr(request, "_courtesy_ledger", None)
    if cached is not None:
        return cached.settings
    if getattr(request, "_courtesy_settings", None) is None:
        request._courtesy_settings = load_settings(request.user)
    return request._courtesy_settings


def request_open_count(request) -> int:
    """The badge's number for the signed-in user: from the request's ledger when
    the page built one, else from the kept summary while its stamp holds."""
    cached = getattr(request, "_courtesy_ledger", None)
    if cached is not None:
        return len(cached.open)
    known = getattr(request, "_courtesy_open_count", None)
    if known is not None:
        return known
    stamp = summary.read(request.user)
    if stamp.fresh(timezone.now()):
        return stamp.open_count
    return len(ledger_for_request(request, stamp).open)


def release_request_ledger(request) -> None:
    """Forget the request's ledger (see courtesy.middleware.ReleaseLedgerMiddleware)."""
    request.__dict__.pop("_courtesy_ledger", None)
    request.__dict__.pop("_courtesy_kept_debts", None)
    request.__dict__.pop("_courtesy_settings", None)
