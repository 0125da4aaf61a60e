"""The ledger as the candidate acts on it: one group per opportunity (or per
reference where no opportunity applies), with one primary action for the
whole slate.

Seven separate cards for one application ("Dana needs a heads-up", "Priya
needs a heads-up", ...) each ask for their own visit; the group says it once
("Data Engineer at Acme: 3 need a heads-up, 2 haven't agreed") and offers the
slate-wide draft of the most pressing kind. Every debt stays listed inside its
group, with its own one-step settle. Pure Python over Debt objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from goodword.courtesy.facts import Debt, Severity
from goodword.courtesy.rules import RULES

# rule -> (one reference, several): what the group's summary says of them.
SUMMARY_WORDS = {
    "called_unannounced": ("was called without warning", "were called without warning"),
    "no_heads_up": ("needs a heads-up", "need a heads-up"),
    "no_permission": ("hasn't agreed", "haven't agreed"),
    "letter_without_draft": ("needs a letter draft", "need a letter draft"),
    "stale_briefing": ("needs news of the interview", "need news of the interview"),
    "outcome_not_shared": ("hasn't heard the outcome", "haven't heard the outcome"),
    "not_thanked": ("hasn't been thanked", "haven't been thanked"),
    "fatigue": ("asked too often", "asked too often"),
    "keep_warm": ("gone quiet", "gone quiet"),
}
# Debts about the opportunity itself (no one reference) are named, not counted.
UNCOUNTED_WORDS = {"short_slate": "the slate is short"}

# The slate-wide action's button, by draft kind: (for one reference, for several).
ACTION_WORDS = {
    "permission": ("Ask for permission", "Ask {count} for permission"),
    "heads_up": ("Send the heads-up", "Send {count} heads-ups"),
    "letter": ("Send the letter draft", "Send {count} letter drafts"),
    "talking_points": ("Send the talking points", "Send {count} sets of talking points"),
    "outcome": ("Share the outcome", "Tell {count} the outcome"),
    "thanks": ("Send the thank-you", "Thank {count}"),
    "keep_in_touch": ("Write to them", "Write to {count}"),
    "apology": ("Apologise", "Apologise to {count}"),
}


@dataclass(frozen=True)
class DebtGroup:
    """The open debts about one opportunity, or about one reference alone."""

    key: str  # "opportunity-12" or "reference-4": stable, usable as an HTML id
    title: str
    opportunity_id: int | None
    reference_id: int | None
    debts: tuple[Debt, ...]
    summary: str
    action_kind: str = ""  # the slate-wide draft to offer ("" when none fits)
    action_count: int = 0  # how many on the slate owe it

    @property
    def severity(self) -> Severity:
        return max(debt.severity for debt in self.debts)

    @property
    def due_on(self) -> dt.date:
        return min(debt.due_on for debt in self.debts)

    @property
    def single(self) -> bool:
        return len(self.debts) == 1

    @property
    def action_label(self) -> str:
        if not self.action_kind:
            return ""
        one, several = ACTION_WORDS.get(self.action_kind, ("Write to them", "Write to {count}"))
        if self.action_count == 1:
            return one
        return several.format(count={2: "both", 3: "all three"}.get(self.action_count, f"all {self.action_count}"))


def group_debts(debts: Iterable[Debt], draft_for_action: Mapping[str, str]) -> list[DebtGroup]:
    """The debts grouped, worst group first (then the soonest due, then by title).

    Inside a group the debts keep their given order (the ledger's: worst
    first, then by due date). `draft_for_action` maps a debt's settling action
    to the draft kind that settles it (outreach's DRAFT_FOR_EVENT_KIND).
    """
    buckets: dict[str, list[Debt]] = {}
    for debt in debts:
        if debt.opportunity_id is not None:
            key = f"opportunity-{debt.opportunity_id}"
        elif debt.reference_id is not None:
            key = f"reference-{debt.reference_id}"
        else:  # no rule makes one today; kept apart rather than lost
            key = f"debt-{debt.key}"
        buckets.setdefault(key, []).append(debt)
    groups = [_group(key, members, draft_for_action) for key, members in buckets.items()]
    return sorted(groups, key=lambda group: (-group.severity, group.due_on, group.title.lower(), group.key))


def _group(key: str, debts: list[Debt], draft_for_action: Mapping[str, str]) -> DebtGroup:
    first = debts[0]
    opportunity_id = first.opportunity_id
    title = first.opportunity_label if opportunity_id is not None else first.who
    kind, count = _slate_action(debts, draft_for_action) if opportunity_id is not None else ("", 0)
    return DebtGroup(
        key=key, title=title, opportunity_id=opportunity_id,
        reference_id=None if opportunity_id is not None else first.reference_id,
        debts=tuple(debts), summary=summary(debts), action_kind=kind, action_count=count,
    )


def summary(debts: list[Debt]) -> str:
    """"3 need a heads-up, 2 haven't agreed": each rule once, the most pressing first."""
    by_rule: dict[str, list[Debt]] = {}
    for debt in debts:
        by_rule.setdefault(debt.rule, []).append(debt)
    ordered = sorted(by_rule.items(), key=lambda item: (-max(d.severity for d in item[1]), -len(item[1]),
                                                         min(d.due_on for d in item[1]), item[0]))
    parts = []
    for rule, members in ordered:
        if rule in UNCOUNTED_WORDS:
            parts.append(UNCOUNTED_WORDS[rule])
            continue
        people = {debt.reference_id for debt in members}
        one, many = SUMMARY_WORDS.get(rule, (None, None))
        if one is None:
            registered = RULES.get(rule)
            parts.append(f"{len(people)} × {(registered.title if registered else rule).lower()}")
        elif not any(debt.opportunity_id for debt in members):
            parts.append(one)  # a reference's own group: "gone quiet", no count needed
        else:
            parts.append(f"{len(people)} {one if len(people) == 1 else many}")
    return ", ".join(parts)


def _slate_action(debts: list[Debt], draft_for_action: Mapping[str, str]) -> tuple[str, int]:
    """The draft kind that settles the most pressing debts of several references, and how many owe it."""
    owing: dict[str, list[Debt]] = {}
    for debt in debts:
        kind = draft_for_action.get(debt.action, "")
        if kind and debt.reference_id is not None:
            owing.setdefault(kind, []).append(debt)
    if not owing or len(debts) < 2:
        return "", 0
    kind, members = min(owing.items(), key=lambda item: (-max(d.severity for d in item[1]), -len(item[1]),
                                                         min(d.due_on for d in item[1]), item[0]))
    return kind, len({debt.reference_id for debt in members})
