"""Goodword's one vocabulary: stages, event kinds, the courtesy sequence, the
order of events and the consent rule. No Django here.

Every other module takes these from here: the models generate their
TextChoices from the lists below, the courtesy rules, the slate, the CLI, the
portal and the reminders read the groups and call listing_state() and
consent(). tests/test_order_one_vocabulary.py fails if a second copy appears.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

# ---------------------------------------------------------------- stages

# In the order a search moves, the endings without the job last.
STAGES = [
    ("lead", "Lead"),
    ("applied", "Applied"),
    ("interviewing", "Interviewing"),
    ("references_requested", "References requested"),
    ("offer", "Offer"),
    ("landed", "Landed"),
    ("rejected", "Rejected"),
    ("withdrawn", "Withdrawn"),
    ("declined", "Declined"),
]
STAGE_VALUES = tuple(value for value, _ in STAGES)
STAGE_LABELS = dict(STAGES)
PIPELINE = STAGE_VALUES[:6]  # lead … landed: the usual way forward
OFFER, LANDED = "offer", "landed"
# Ended without the job: rejected, withdrawn, or the offer turned down.
LOST_STAGES = frozenset(STAGE_VALUES[6:])
# Ended one way or the other (the application is closed).
OUTCOME_STAGES = frozenset({LANDED} | LOST_STAGES)
# "References requested or later": references are in play.
REFERENCES_IN_PLAY = frozenset(STAGE_VALUES[3:6])
# The employer is still checking references.
CHECKING_STAGES = frozenset(STAGE_VALUES[3:5])
# News the references should hear from the candidate before anyone else: an
# offer already (it is what they helped win), then every outcome. Thanks still
# wait for the outcome (OUTCOME_STAGES).
NEWS_STAGES = OUTCOME_STAGES | {OFFER}
# "Hold the announcement" applies while an offer or a landing is fresh.
HOLD_STAGES = frozenset({OFFER, LANDED})


def next_stage(current: str | None) -> str | None:
    """The usual next stage from `current`, or None once the application has ended."""
    if current in PIPELINE and current != PIPELINE[-1]:
        return PIPELINE[PIPELINE.index(current) + 1]
    return None


# ---------------------------------------------------------------- event kinds

AGREED, DECLINED = "agreed", "declined"
# The candidate confirmed that a listing lies within the reference's standing
# consent (recorded when adding them to the slate).
IN_SCOPE = "in_scope"

EVENT_KINDS = [
    ("permission_asked", "Asked permission"),
    (AGREED, "Agreed to be a reference"),
    (DECLINED, "Declined to be a reference"),
    (IN_SCOPE, "Listed under their standing consent"),
    ("heads_up", "Heads-up sent"),
    ("briefing", "Briefed"),
    ("letter_requested", "Letter requested"),
    ("draft_provided", "Letter draft provided"),
    ("letter_sent", "Letter sent"),
    ("employer_contacted", "Employer contacted them"),
    # The employer side (goodword/sheets): a sheet made or sent, the employer's link opened,
    # references checked, a call from an employer the candidate never listed them for.
    ("sheet_sent", "Put on a reference sheet"),
    ("sheet_opened", "Employer opened the reference sheet"),
    ("references_checked", "Employer finished checking references"),
    ("backdoor_call", "Contacted by an employer you didn't list them for"),
    ("letter_reused", "Their letter reused for another application"),
    ("outcome_shared", "Outcome shared"),
    ("thanked", "Thanked"),
    ("gift", "Gift sent"),
    ("keep_in_touch", "Kept in touch"),
    ("apology", "Apologised"),
    ("call", "Call"),
    ("meeting", "Meeting"),
    ("note", "Note"),
]
EVENT_KIND_VALUES = tuple(value for value, _ in EVENT_KINDS)
EVENT_KIND_LABELS = dict(EVENT_KINDS)

# ---------------------------------------------------------------- the order of events

# One total order for every reader: the time the user gave, then the order the
# events were recorded in (their id). Django's order_by() takes these.
EVENT_ORDER = ("occurred_at", "id")
NEWEST_FIRST = ("-occurred_at", "-id")
# Only to read the latest moment itself (events of the same moment give the same
# value): an index seek on (…, occurred_at) without sorting by id as well.
LATEST_MOMENT_FIRST = ("-occurred_at",)


def position(occurred_at: dt.datetime, event_id: int) -> tuple[dt.datetime, int]:
    """An event's place in the one order: compare positions, never bare times."""
    return occurred_at, event_id


# ---------------------------------------------------------------- the courtesy sequence

# A listing moves through these steps in order; its state is the furthest one
# an event has reached, unless its consent is "declined".
STEPS = [
    ("listed", "Listed"),
    ("permission_asked", "Permission asked"),
    (IN_SCOPE, "Standing consent"),
    (AGREED, "Agreed"),
    ("heads_up", "Heads-up sent"),
    ("briefing", "Briefed"),
    ("letter_requested", "Letter requested"),
    ("draft_provided", "Draft provided"),
    ("letter_sent", "Letter sent"),
    ("employer_contacted", "Contacted by the employer"),
    ("references_checked", "References checked"),
    ("outcome_shared", "Outcome shared"),
    ("thanked", "Thanked"),
]
STEP_RANK = {name: rank for rank, (name, _) in enumerate(STEPS)}
STATE_LABELS = dict(STEPS) | {DECLINED: "Declined"}

# Consent: the latest of these in the one order decides.
CONSENT_KINDS = frozenset({AGREED, DECLINED, IN_SCOPE})
# What a reference can answer themselves (the portal's yes and no).
ANSWER_KINDS = (AGREED, DECLINED)

# The event kinds the ledger reads per listing (reference, opportunity).
PAIR_KINDS = (
    "permission_asked", AGREED, DECLINED, IN_SCOPE, "heads_up", "briefing", "letter_requested", "draft_provided",
    "letter_sent", "employer_contacted", "references_checked", "outcome_shared", "thanked", "gift", "apology",
    "sheet_sent", "sheet_opened",
)
# Any of these means the reference knows they are part of this application.
INVOLVED_KINDS = (
    AGREED, "heads_up", "briefing", "letter_requested", "draft_provided", "letter_sent", "employer_contacted",
)

# References are in play once the employer called one of them or holds the reference sheet.
IN_EMPLOYER_HANDS = ("employer_contacted", "sheet_sent", "sheet_opened")

# Courtesies owed outside a listing (an unlisted call, a reused letter), answered by these.
OWED_WORD_KINDS = ("backdoor_call", "letter_reused")
OWED_WORD_ANSWERS = ("thanked", "keep_in_touch")

# The draft (goodword/outreach draft kind) that moves a listing on from each state.
NEXT_DRAFT = {
    "listed": "permission",
    "permission_asked": "permission",
    IN_SCOPE: "heads_up",
    AGREED: "heads_up",
    "heads_up": "heads_up",
    "briefing": "heads_up",
    "letter_requested": "letter",
    "draft_provided": "outcome",
    "letter_sent": "outcome",
    "employer_contacted": "outcome",
    "references_checked": "outcome",
    "outcome_shared": "thanks",
    "thanked": "keep_in_touch",
    DECLINED: "thanks",
}

Event = tuple[str, dt.datetime, int]  # (kind, occurred_at, id)


def consent(events: Iterable[Event]) -> str | None:
    """The one consent rule, from a listing's events: "agreed" or "declined",
    whichever of its consent events comes last in the one order ("in_scope",
    the candidate's confirmation under standing consent, counts as a yes), or
    None when there is none. Events at the same minute: the later-recorded wins."""
    latest = None
    for kind, occurred_at, event_id in events:
        if kind in CONSENT_KINDS and (latest is None or (occurred_at, event_id) > latest[0]):
            latest = ((occurred_at, event_id), kind)
    if latest is None:
        return None
    return DECLINED if latest[1] == DECLINED else AGREED


def listing_state(events: Iterable[Event]) -> str:
    """Where a listing stands, from its (kind, occurred_at, id) events: the
    furthest step reached, or "declined" when its consent is a no."""
    events = list(events)
    furthest = "listed"
    for kind, _, _ in events:
        if STEP_RANK.get(kind, -1) > STEP_RANK[furthest]:
            furthest = kind
    return DECLINED if consent(events) == DECLINED else furthest


def state_label(state: str) -> str:
    return STATE_LABELS.get(state, state)


def next_draft_kind(state: str) -> str:
    return NEXT_DRAFT.get(state, "keep_in_touch")


# ---------------------------------------------------------------- standing consent

CONSENT_MONTHS_DEFAULT = 6


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if year > dt.MAXYEAR:  # a date stored before the date window existed: "for ever"
        return dt.date.max
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class StandingConsent:
    """A reference's yes to being listed for any application within `scope`,
    given on `given_on`, counting through `until` (given_on + the user's window)."""

    given_on: dt.date
    until: dt.date
    scope: str = ""

    def fresh_on(self, day: dt.date) -> bool:
        return self.given_on <= day <= self.until


def standing_consent(given_on: dt.date | None, scope: str = "",
                     months: int = CONSENT_MONTHS_DEFAULT) -> StandingConsent | None:
    if given_on is None:
        return None
    return StandingConsent(given_on, add_months(given_on, months), scope)
