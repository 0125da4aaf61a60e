"""Where a listing stands, derived from its events (never stored).

A listing moves through the courtesy steps in order; its state is the
furthest step that a real event has reached. Consent is the exception: the
latest of "agreed" and "declined" wins, so a reference can change their mind.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

STEPS = [
    ("listed", "Listed"),
    ("permission_asked", "Permission asked"),
    ("agreed", "Agreed"),
    ("heads_up", "Heads-up sent"),
    ("briefing", "Briefed"),
    ("letter_requested", "Letter requested"),
    ("draft_provided", "Draft provided"),
    ("letter_sent", "Letter sent"),
    ("employer_contacted", "Contacted by the employer"),
    ("outcome_shared", "Outcome shared"),
    ("thanked", "Thanked"),
]
STEP_RANK = {name: rank for rank, (name, _) in enumerate(STEPS)}
STEP_LABELS = dict(STEPS) | {"declined": "Declined"}


def listing_state(events: Iterable[tuple[str, datetime]]) -> str:
    """The state for a listing, from (kind, occurred_at) pairs of its events."""
    furthest = "listed"
    last_consent: tuple[datetime, str] | None = None
    for kind, occurred_at in events:
        if kind in ("agreed", "declined"):
            if last_consent is None or occurred_at >= last_consent[0]:
                last_consent = (occurred_at, kind)
        if kind in STEP_RANK and STEP_RANK[kind] > STEP_RANK[furthest]:
            furthest = kind
    if last_consent and last_consent[1] == "declined":
        return "declined"
    return furthest


def state_label(state: str) -> str:
    return STEP_LABELS.get(state, state)


# The draft that moves a listing on from each state (goodword/outreach draft kinds).
NEXT_DRAFT = {
    "listed": "permission",
    "permission_asked": "permission",
    "agreed": "heads_up",
    "heads_up": "heads_up",
    "briefing": "heads_up",
    "letter_requested": "letter",
    "draft_provided": "outcome",
    "letter_sent": "outcome",
    "employer_contacted": "outcome",
    "outcome_shared": "thanks",
    "thanked": "keep_in_touch",
    "declined": "thanks",
}


def next_draft_kind(state: str) -> str:
    return NEXT_DRAFT.get(state, "keep_in_touch")
