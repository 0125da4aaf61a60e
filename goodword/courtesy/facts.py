"""Plain data the courtesy rules read and write. No Django here.

ledger.py fills these from the database in a fixed number of queries; tests
build them by hand (tests/factories/courtesy.py). Every moment is an aware
datetime; every "day" is a date in the user's own time zone.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from goodword.lib.dates import clamp_moment
from goodword.lib.ids import parse_id
from goodword.lib.vocabulary import (  # noqa: F401  (the rules import them from here too)
    AGREED,
    CHECKING_STAGES,
    CONSENT_KINDS,
    CONSENT_MONTHS_DEFAULT,
    DECLINED,
    INVOLVED_KINDS,
    LOST_STAGES,
    OUTCOME_STAGES,
    PAIR_KINDS,
    StandingConsent,
    consent,
    listing_state,
    standing_consent,
)
from goodword.lib.vocabulary import REFERENCES_IN_PLAY as ASKED_STAGES  # "references requested or later"

# Mirrors of the reference choices (goodword.references.models); a test keeps them in step.
MANAGER_KINDS = frozenset({"manager", "skip_level"})
HR_VERIFIER = "hr_verifier"
ACTIVE = "active"

_INVOLVED = frozenset(INVOLVED_KINDS)
CALLS_MONTH_DAYS = 30  # "at most N calls a month" counts the listings of the last 30 days


class Severity(enum.IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.strip().upper()]


@dataclass(frozen=True, slots=True)
class UserSettings:
    """The thresholds one user chose (defaults as documented in docs/ledger.md)."""

    time_zone: str = "UTC"
    thank_within_days: int = 7
    fatigue_listings: int = 3
    fatigue_days: int = 30
    keep_warm_days: int = 180
    references_wanted: int = 3
    archive_after_days: int = 180  # 0: never
    consent_months: int = CONSENT_MONTHS_DEFAULT  # how long a standing consent counts

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def archive_before(self, today: dt.date) -> dt.date | None:
        """Applications that ended before this day are archived (None: none are)."""
        return today - dt.timedelta(days=self.archive_after_days) if self.archive_after_days else None


@dataclass(frozen=True, slots=True)
class RefFacts:
    id: int
    name: str
    relationship: str = "other"
    status: str = ACTIVE
    created_at: dt.datetime | None = None
    last_event_at: dt.datetime | None = None  # the latest event of any kind
    preferred_channel: str = ""
    consent_given_on: dt.date | None = None  # their standing consent to be listed
    consent_scope: str = ""
    away_until: dt.date | None = None  # their availability (Reference.away_until)
    max_calls_a_month: int | None = None  # their own limit, over the last CALLS_MONTH_DAYS days

    @property
    def is_hr_verifier(self) -> bool:
        return self.relationship == HR_VERIFIER

    def standing_consent(self, months: int) -> StandingConsent | None:
        return standing_consent(self.consent_given_on, self.consent_scope, months)


@dataclass(frozen=True, slots=True)
class InterviewFacts:
    when: dt.datetime
    format: str = "video"
    strong_points: str = ""
    weak_points: str = ""


@dataclass(frozen=True, slots=True)
class OppFacts:
    id: int
    company: str
    role: str
    references_wanted: int = 3
    announced_on: dt.date | None = None
    stages: tuple[tuple[str, dt.date], ...] = ()  # the stage history, oldest first
    interviews: tuple[InterviewFacts, ...] = ()  # oldest first

    @property
    def stage(self) -> str | None:
        return self.stages[-1][0] if self.stages else None

    @property
    def stage_since(self) -> dt.date | None:
        return self.stages[-1][1] if self.stages else None

    @property
    def label(self) -> str:
        return f"{self.role} at {self.company}"

    @property
    def asked_since(self) -> tuple[str, dt.date] | None:
        """The stage and day that began the current run of "references
        requested or later" (references requested, offer, landed)."""
        start = None
        for stage, day in self.stages:
            if stage in ASKED_STAGES:
                start = start or (stage, day)
            else:
                start = None
        return start

    def ended_before(self, day: dt.date | None) -> bool:
        return day is not None and self.stage in OUTCOME_STAGES and self.stage_since < day

    @property
    def requested_on(self) -> dt.date | None:
        since = self.asked_since
        return since[1] if since else None


@dataclass(frozen=True, slots=True)
class ListingFacts:
    """One reference on one slate, with the first and the last moment of each
    event kind in PAIR_KINDS logged for this opportunity (the rules read first
    only for heads_up and employer_contacted), and the ids of those events:
    a moment and an id make an event's place in the one order of events
    (goodword.lib.vocabulary.position). With one event per kind, `first` may be
    the very same dict as `last`: treat them all as read-only."""

    reference_id: int
    opportunity_id: int
    listed_at: dt.datetime
    first: Mapping[str, dt.datetime] = field(default_factory=dict)
    last: Mapping[str, dt.datetime] = field(default_factory=dict)
    first_ids: Mapping[str, int] = field(default_factory=dict)
    last_ids: Mapping[str, int] = field(default_factory=dict)

    def last_of(self, *kinds: str) -> dt.datetime | None:
        found = [self.last[kind] for kind in kinds if kind in self.last]
        return max(found) if found else None

    def first_of(self, *kinds: str) -> dt.datetime | None:
        found = [self.first[kind] for kind in kinds if kind in self.first]
        return min(found) if found else None

    def first_position(self, kind: str) -> tuple[dt.datetime, int] | None:
        """Where the first event of `kind` stands in the one order (None: there is none)."""
        return (self.first[kind], self.first_ids.get(kind, 0)) if kind in self.first else None

    def last_position(self, kind: str) -> tuple[dt.datetime, int] | None:
        return (self.last[kind], self.last_ids.get(kind, 0)) if kind in self.last else None

    def _latest_events(self):
        last_ids = self.last_ids
        return [(kind, when, last_ids.get(kind, 0)) for kind, when in self.last.items()]

    @property
    def consent(self) -> str | None:
        """"agreed" or "declined" by the one consent rule (goodword.lib.vocabulary.consent)."""
        if CONSENT_KINDS.isdisjoint(self.last):
            return None
        return consent(self._latest_events())

    @property
    def state(self) -> str:
        """Where the listing stands, as the slate shows it (goodword.lib.vocabulary.listing_state)."""
        return listing_state(self._latest_events())

    @property
    def involved(self) -> bool:
        return not _INVOLVED.isdisjoint(self.last)


@dataclass(frozen=True, slots=True)
class OwedWord:
    """A courtesy owed outside any listing, not yet followed by a "thanked" or
    "keep_in_touch" to that reference: an employer's call the candidate never
    listed them for ("backdoor_call"), or their letter reused ("letter_reused")."""

    kind: str
    reference_id: int
    opportunity_id: int | None
    at: dt.datetime
    detail: str = ""


@dataclass(slots=True)
class Facts:
    """Everything the rules may read about one user, at one moment."""

    now: dt.datetime
    settings: UserSettings
    references: dict[int, RefFacts]
    opportunities: dict[int, OppFacts]
    listings: list[ListingFacts]
    # opportunity id -> first "employer_contacted" on any of its references
    employer_asked: dict[int, dt.datetime] = field(default_factory=dict)
    # Applications that ended before the archive horizon: left out of the
    # opportunities and listings above (employer_asked may still name them).
    archived_count: int = 0
    owed_words: tuple[OwedWord, ...] = ()
    tz: ZoneInfo = field(init=False)
    today: dt.date = field(init=False)
    by_opportunity: dict[int, list[ListingFacts]] = field(init=False)
    by_reference: dict[int, list[ListingFacts]] = field(init=False)
    _day_starts: dict = field(init=False, repr=False)
    # Derived values several rules share (slates, listings with a kind, ...),
    # computed at most once by rules.py; never stored anywhere else.
    memo: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        self.tz = self.settings.tz
        self.today = self.now.astimezone(self.tz).date()
        self.by_opportunity, self.by_reference, self._day_starts, self.memo = {}, {}, {}, {}
        by_opportunity, by_reference = self.by_opportunity, self.by_reference
        for listing in self.listings:
            slate = by_opportunity.get(listing.opportunity_id)
            if slate is None:
                by_opportunity[listing.opportunity_id] = [listing]
            else:
                slate.append(listing)
            listed = by_reference.get(listing.reference_id)
            if listed is None:
                by_reference[listing.reference_id] = [listing]
            else:
                listed.append(listing)

    def day(self, moment: dt.datetime) -> dt.date:
        """The calendar day of a moment, in the user's time zone."""
        try:
            return moment.astimezone(self.tz).date()
        except OverflowError:  # stored at the very end of the calendar (0001-01-01 or 9999-12-31)
            return clamp_moment(moment).astimezone(self.tz).date()

    def day_start(self, day: dt.date) -> dt.datetime:
        """The first moment of a calendar day in the user's time zone:
        `moment >= day_start(d)` is `day(moment) >= d`, without a conversion."""
        start = self._day_starts.get(day)
        if start is None:
            # As a UTC instant: comparing datetimes that share a tzinfo is much faster.
            start = dt.datetime.combine(day, dt.time.min, tzinfo=self.tz).astimezone(dt.UTC)
            self._day_starts[day] = start
        return start

    def asked_on(self, opp: OppFacts) -> dt.date | None:
        """The day references came into play: the stage reached "references
        requested" (or offer, landed), or an employer started calling the slate
        while the application was open. None while they are not in play."""
        if opp.stage in ASKED_STAGES:
            return opp.requested_on
        if opp.stage not in OUTCOME_STAGES and opp.id in self.employer_asked:
            return self.day(self.employer_asked[opp.id])
        return None

    def checking(self, opp: OppFacts) -> bool:
        """The employer is checking references right now (not yet landed or lost)."""
        if opp.stage in CHECKING_STAGES:
            return True
        return opp.stage not in OUTCOME_STAGES and opp.id in self.employer_asked


@dataclass(frozen=True, slots=True)
class Debt:
    """Something the candidate owes a reference, with the one action that settles it."""

    rule: str
    severity: Severity
    due_on: dt.date
    why: str
    action: str  # an event kind to log, or "rest" (mark the reference as resting)
    reference_id: int | None = None
    reference_name: str = ""
    opportunity_id: int | None = None
    opportunity_label: str = ""
    # For debts without one reference (a short slate): who could settle it.
    candidates: tuple[tuple[int, str], ...] = ()
    channel: str = ""  # the reference's preferred channel, offered first when settling

    @property
    def key(self) -> str:
        return debt_key(self.rule, self.reference_id, self.opportunity_id)

    @property
    def who(self) -> str:
        return self.reference_name or self.opportunity_label

    @property
    def dom_id(self) -> str:
        return "debt-" + self.key.replace(":", "-")

    def as_dict(self, today: dt.date | None = None) -> dict:
        data = {
            "key": self.key,
            "rule": self.rule,
            "severity": self.severity.label,
            "reference": {"id": self.reference_id, "name": self.reference_name} if self.reference_id else None,
            "opportunity": (
                {"id": self.opportunity_id, "label": self.opportunity_label} if self.opportunity_id else None
            ),
            "due_on": self.due_on.isoformat(),
            "why": self.why,
            "action": self.action,
        }
        if self.candidates:
            data["candidates"] = [{"id": pk, "name": name} for pk, name in self.candidates]
        if today is not None:
            data["overdue_days"] = max(0, (today - self.due_on).days)
        return data


def debt_key(rule: str, reference_id: int | None, opportunity_id: int | None) -> str:
    """The stable key a snooze or a dismissal is remembered under."""
    return f"{rule}:{reference_id or '-'}:{opportunity_id or '-'}"


def parse_debt_key(key: str) -> tuple[str, int | None, int | None]:
    """The inverse of debt_key; ValueError for anything else."""
    rule, reference, opportunity = key.split(":")
    if not rule or len(key) > 100:
        raise ValueError(key)
    return rule, _key_id(reference, key), _key_id(opportunity, key)


def _key_id(text: str, key: str) -> int | None:
    if text == "-":
        return None
    value = parse_id(text)  # int() would take "١" or a number past any id
    if value is None:
        raise ValueError(key)
    return value


@dataclass(frozen=True, slots=True)
class Decision:
    """A remembered snooze or dismissal (plain copy of a DebtDecision row)."""

    key: str
    kind: str  # "snooze" or "dismiss"
    severity: Severity
    due_on: dt.date
    until: dt.date | None = None
    reason: str = ""

    def hides(self, debt: Debt, today: dt.date) -> bool:
        """A decision covers the occurrence it was made for. The debt shows again
        when a snooze runs out, when it gets worse, or when it comes back later
        (a new call, a new interview, another six months of silence)."""
        if debt.severity > self.severity or debt.due_on > self.due_on:
            return False
        if self.kind == "snooze":
            return self.until is not None and today < self.until
        return True
