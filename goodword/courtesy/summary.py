"""The open debts and their count, kept per user between requests.

Every signed-in page shows how many debts are open, a reference's or an
opportunity's page lists theirs, and the dashboard and the ledger page show
them all with the announcement holds and a few counts (KeptLedger); reading
the whole ledger for that doubled the cost of every page. DESIGN.md allows derived data to be kept when (1) one
function builds it, the one that builds it fresh: the debts are
build_ledger(user).open, stored by ledger_for_request() when a page has built
the ledger anyway; (2) it carries the stamp of the facts it was
built from: LedgerSummary.version, bumped by database triggers in the same
transaction as every write to a table the ledger reads, whoever writes; and
(3) a property test compares it with a fresh build after random sequences of
writes (tests/test_perf_badge_properties.py).

The stamp is read before the facts, and the count is stored only if the
version has not moved meanwhile, so a write landing in between is never
hidden. Time also changes debts without any write: a count is kept only until
the user's next day begins or an upcoming interview takes place (the rules
read `now` for nothing else; the property test moves the clock too).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from goodword.core.prepared import prepared
from goodword.courtesy.facts import Debt, Facts, Severity
from goodword.courtesy.models import CourtesySettings, DebtDecision, LedgerSummary
from goodword.opportunities.models import Interview, Listing, Opportunity, StageChange
from goodword.references.models import Reference
from goodword.timeline.models import Event


@dataclass(frozen=True, slots=True)
class Stamp:
    version: int
    built_version: int | None = None
    valid_until: dt.datetime | None = None
    open_count: int = 0
    today: dt.date | None = None
    open_debts: list | None = None  # as stored (JSON), when read with_debts
    extras: dict | None = None  # as stored (JSON), when read with_debts
    severity_counts: dict | None = None  # as stored (JSON), when read with_debts

    def fresh(self, now: dt.datetime) -> bool:
        return self.built_version == self.version and self.valid_until is not None and now < self.valid_until

    def debts(self) -> list[Debt]:
        return [debt_from_json(data) for data in self.open_debts or ()]

    def counts(self) -> dict[str, int]:
        """Open debts per severity label as kept; a summary kept before they were has them
        counted from its debts (read those then)."""
        if self.severity_counts is not None:
            return self.severity_counts
        severities = [data[1] for data in self.open_debts or ()]
        return {severity.label: severities.count(int(severity)) for severity in Severity}

    def kept_ledger(self) -> KeptLedger | None:
        """What the ledger pages show, as kept (None when kept by a version that kept no extras)."""
        extras = self.extras or {}
        if "holds" not in extras:
            return None
        history = [KeptBreach(dt.date.fromisoformat(called), company, name,
                              dt.date.fromisoformat(settled) if settled else None)
                   for called, company, name, settled in extras["history"]]
        return KeptLedger(self.today, self.debts(), [hold_from_json(data) for data in extras["holds"]],
                          extras["hidden_count"], extras["archived_count"], extras["archive_after_days"], history)


@dataclass(frozen=True, slots=True)
class KeptBreach:
    """A call without warning as the ledger page lists it (rules.Breach, flattened)."""

    called_on: dt.date
    company: str
    reference_name: str
    settled_on: dt.date | None


@dataclass(frozen=True)
class KeptLedger:
    """What the dashboard and the ledger page show of a ledger, kept between requests:
    the parts of ledger.Ledger that ledger_context() reads, nothing that needs the facts."""

    today: dt.date
    open: list[Debt]
    holds: list
    hidden_count: int
    archived_count: int
    archive_after_days: int
    history: list[KeptBreach]

    def counts(self) -> dict[str, int]:
        return severity_counts(self.open)

    @classmethod
    def of(cls, ledger) -> KeptLedger:
        """The same parts of a freshly built ledger (what store() keeps)."""
        return cls(ledger.today, list(ledger.open), list(ledger.holds), ledger.hidden_count, ledger.archived_count,
                   ledger.archive_after_days, ledger.history[:KEPT_HISTORY])

    def as_json(self) -> dict:
        """Everything but the debts and the day (kept in their own columns)."""
        return {
            "holds": [hold_as_json(hold) for hold in self.holds], "hidden_count": self.hidden_count,
            "archived_count": self.archived_count, "archive_after_days": self.archive_after_days,
            "history": [[b.called_on.isoformat(), b.company, b.reference_name,
                         b.settled_on.isoformat() if b.settled_on else None] for b in self.history],
        }


def severity_counts(debts) -> dict[str, int]:
    """Open debts per severity label, lowest first (a ledger's counts, kept or fresh)."""
    return {severity.label: sum(1 for debt in debts if debt.severity == severity) for severity in Severity}


KEPT_HISTORY = 10  # calls without warning the ledger page lists, newest first
_STAMP = ("version", "built_version", "valid_until", "open_count", "today")


@prepared
def _stamp_row(user_id: int):
    return LedgerSummary.objects.filter(pk=user_id).values_list(*_STAMP)


@prepared
def _stamp_and_debts_row(user_id: int):
    return LedgerSummary.objects.filter(pk=user_id).values_list(*_STAMP, "open_debts", "extras", "severity_counts")


def read(user, *, with_debts: bool = False) -> Stamp:
    """The user's stamp and kept count (and debts): one query, one more to create the row on first use."""
    rows = (_stamp_and_debts_row if with_debts else _stamp_row)(user.pk)  # every signed-in page reads one
    if rows:
        return Stamp(*rows[0])
    # Any write from here on bumps the version. Created at 0; if a concurrent request
    # created it first, writes since then have moved it past 0 and store() keeps nothing.
    LedgerSummary.objects.bulk_create([LedgerSummary(user_id=user.pk)], ignore_conflicts=True)
    return Stamp(0)


def store(user, stamp: Stamp, ledger) -> None:
    """Keep the ledger's open debts under `stamp` (read before its facts), unless
    they are kept already or a write has moved the version since."""
    until = valid_until(ledger.facts)
    # Not read, or read and kept by this version (with the extras and the counts).
    kept_whole = stamp.extras is None or ("holds" in stamp.extras and stamp.severity_counts is not None)
    if stamp.built_version == stamp.version and stamp.valid_until == until and kept_whole:
        return
    LedgerSummary.objects.filter(pk=user.pk, version=stamp.version).update(
        built_version=stamp.version, valid_until=until, open_count=len(ledger.open), today=ledger.today,
        open_debts=[debt_as_json(debt) for debt in ledger.open], extras=KeptLedger.of(ledger).as_json(),
        severity_counts=severity_counts(ledger.open))


def debt_as_json(debt: Debt) -> list:
    return [debt.rule, int(debt.severity), debt.due_on.isoformat(), debt.why, debt.action, debt.reference_id,
            debt.reference_name, debt.opportunity_id, debt.opportunity_label,
            [list(candidate) for candidate in debt.candidates], debt.channel]


def debt_from_json(data: list) -> Debt:
    rule, severity, due_on, why, action, reference_id, reference_name, opportunity_id, label, candidates, channel = data
    return Debt(rule, Severity(severity), dt.date.fromisoformat(due_on), why, action, reference_id, reference_name,
                opportunity_id, label, tuple(tuple(candidate) for candidate in candidates), channel)


def hold_as_json(hold) -> list:
    return [hold.opportunity_id, hold.opportunity_label, hold.company, list(hold.reference_names),
            hold.announced_on.isoformat() if hold.announced_on else None, hold.stage]


def hold_from_json(data: list):
    from goodword.courtesy.ledger import Hold  # it imports this module

    opportunity_id, label, company, names, announced_on, stage = data
    return Hold(opportunity_id, label, company, tuple(names),
                dt.date.fromisoformat(announced_on) if announced_on else None, stage)


def valid_until(facts: Facts) -> dt.datetime:
    """The next moment the open debts may change without a write: the start of
    the user's next day, or an upcoming interview (rule 3 counts interviews
    that took place) if one comes first."""
    until = facts.day_start(facts.today + dt.timedelta(days=1))
    for opportunity in facts.opportunities.values():
        for interview in opportunity.interviews:
            if facts.now < interview.when < until:
                until = interview.when
    return until


def open_debts(user, now: dt.datetime | None = None) -> list[Debt]:
    """The user's open debts: the kept ones while their stamp holds, else a fresh build (then kept)."""
    from goodword.courtesy.ledger import build_ledger

    now = now or timezone.now()
    stamp = read(user, with_debts=True)
    if stamp.fresh(now):
        return stamp.debts()
    ledger = build_ledger(user, now)
    store(user, stamp, ledger)
    return ledger.open


def kept_ledger(user, now: dt.datetime | None = None) -> KeptLedger:
    """What the ledger pages show: kept while the stamp holds, else a fresh build (then kept)."""
    from goodword.courtesy.ledger import build_ledger

    now = now or timezone.now()
    stamp = read(user, with_debts=True)
    kept = stamp.kept_ledger() if stamp.fresh(now) else None
    if kept is not None:
        return kept
    ledger = build_ledger(user, now)
    store(user, stamp, ledger)
    return KeptLedger.of(ledger)


def open_count(user, now: dt.datetime | None = None) -> int:
    """The badge's number: the kept count while its stamp holds, else a fresh build (then kept)."""
    now = now or timezone.now()
    stamp = read(user)
    return stamp.open_count if stamp.fresh(now) else len(open_debts(user, now))


def ledger_tables() -> dict[str, str]:
    """Every table the ledger reads -> the column that leads to its owner."""
    return {
        Reference._meta.db_table: "owner_id",
        Event._meta.db_table: "owner_id",
        Opportunity._meta.db_table: "owner_id",
        Listing._meta.db_table: "opportunity_id",
        StageChange._meta.db_table: "opportunity_id",
        Interview._meta.db_table: "opportunity_id",
        CourtesySettings._meta.db_table: "user_id",
        DebtDecision._meta.db_table: "owner_id",
    }


_OPERATIONS = {"INSERT": ("NEW",), "UPDATE": ("NEW", "OLD"), "DELETE": ("OLD",)}


def trigger_names() -> list[str]:
    return [f"goodword_ledger_{table}_{operation.lower()}" for table in ledger_tables() for operation in _OPERATIONS]


def trigger_statements(vendor: str) -> list[str]:
    """SQL that (re)creates the triggers bumping LedgerSummary.version, idempotently."""
    summary, opportunities = LedgerSummary._meta.db_table, Opportunity._meta.db_table
    statements = []
    for table, column in ledger_tables().items():
        for operation, rows in _OPERATIONS.items():
            name = f"goodword_ledger_{table}_{operation.lower()}"
            if vendor == "sqlite":
                values = ", ".join(f"{row}.{column}" for row in rows)
                if column == "opportunity_id":
                    values = f"SELECT owner_id FROM {opportunities} WHERE id IN ({values})"
                statements += [
                    f"DROP TRIGGER IF EXISTS {name}",
                    f"CREATE TRIGGER {name} AFTER {operation} ON {table} BEGIN "
                    f"UPDATE {summary} SET version = version + 1 WHERE user_id IN ({values}); END",
                ]
            elif vendor == "postgresql":
                # Statement-level, with transition tables: a bulk insert bumps each owner once.
                if column == "opportunity_id":
                    selects = [f"SELECT o.owner_id FROM {opportunities} o JOIN {row.lower()}_rows r "
                               "ON o.id = r.opportunity_id" for row in rows]
                else:
                    selects = [f"SELECT {column} FROM {row.lower()}_rows" for row in rows]
                transition = " ".join(f"{row} TABLE AS {row.lower()}_rows" for row in rows)
                statements += [
                    f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    f"UPDATE {summary} SET version = version + 1 WHERE user_id IN ({' UNION '.join(selects)}); "
                    "RETURN NULL; END $$",
                    f"DROP TRIGGER IF EXISTS {name} ON {table}",
                    f"CREATE TRIGGER {name} AFTER {operation} ON {table} REFERENCING {transition} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
                ]
            else:
                raise NotImplementedError(f"the navigation badge's summary needs write triggers on {vendor}")
    return statements


def install_triggers(sender=None, *, using="default", **kwargs) -> None:
    """post_migrate: (re)install the triggers, whatever a migration rebuilt meanwhile.
    Migrations ran without them (drop_triggers), so no kept debts are trusted after."""
    from django.db import connections

    connection = connections[using]
    if LedgerSummary._meta.db_table not in connection.introspection.table_names():
        return  # migrated backwards, or not yet
    with connection.cursor() as cursor:
        for statement in trigger_statements(connection.vendor):
            cursor.execute(statement)
        cursor.execute(f"UPDATE {LedgerSummary._meta.db_table} SET version = version + 1")


def drop_triggers(sender=None, *, using="default", **kwargs) -> None:
    """pre_migrate: take the triggers away while migrations run. SQLite rebuilds a
    table to alter it (copy, drop, rename), and a trigger on another table that
    names the dropped one (a listing's names its opportunity) makes that fail."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table, name in ((table, f"goodword_ledger_{table}_{operation.lower()}")
                            for table in ledger_tables() if table in tables for operation in _OPERATIONS):
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}" if connection.vendor == "sqlite"
                           else f"DROP TRIGGER IF EXISTS {name} ON {table}")
