"""Who to put forward for one posting, and why. No Django here.

Input is plain data (a Candidate per reference, the requirement lines, the
user's synonyms); output is a Suggestion whose every pick and every skip
carries its reasons in plain words. The opportunities app fills the input
from the database (goodword/opportunities/suggest.py); tests and
benchmarks/slate.py build it by hand.

Selection is greedy: each step takes the reference who covers the most
requirement lines not yet covered, the more rested and recently in touch
first on a tie, within the mix rules (a manager-type reference, no more than
half from one organisation, a peer, report or client when one fits). A step
never takes someone who would make a mix rule impossible to meet later.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass, field

from goodword.lib.requirements import Matcher, is_senior_role, lines_of, named_skills, references_asked_for

MANAGER_KINDS = frozenset({"manager", "skip_level"})
SIDEWAYS_KINDS = frozenset({"peer", "direct_report", "client"})  # "a peer or report or client"
HR_VERIFIER = "hr_verifier"
RELATIONSHIP_WORDS = {
    "manager": "your manager", "skip_level": "your skip-level manager", "peer": "a peer",
    "direct_report": "reported to you", "client": "a client", "mentor": "a mentor",
    "professor": "a professor", "other": "knows your work",
}
IN_TOUCH_DAYS = 90  # in touch within this many days counts as "recently in touch"
MONTH_DAYS = 30  # "at most N calls a month" counts the listings of the last 30 days (as courtesy.facts does)


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int
    name: str
    relationship: str = "other"
    organisation: str = ""
    status: str = "active"
    vouches: tuple[str, ...] = ()
    listings_in_window: int = 0  # listings within the user's fatigue window
    listings_last_month: int = 0  # listings within the last MONTH_DAYS days
    last_in_touch: dt.date | None = None
    consent_until: dt.date | None = None  # the last day their standing consent counts
    away_until: dt.date | None = None
    max_calls_a_month: int | None = None
    on_slate: bool = False

    @property
    def org_key(self) -> tuple:
        # A reference with no organisation is their own: the cap cannot count them together.
        return ("org", self.organisation.strip().casefold()) if self.organisation.strip() else ("id", self.id)


@dataclass(frozen=True, slots=True)
class Rules:
    fatigue_listings: int = 3
    fatigue_days: int = 30


@dataclass
class Pick:
    candidate: Candidate
    covers: list[str]  # requirement lines they newly cover, in posting order
    vouches: list[str]  # their vouches that did the covering
    reasons: list[str]
    extra: bool = False  # the one more than asked for


@dataclass
class Suggestion:
    wanted: int
    offered: int
    picks: list[Pick] = field(default_factory=list)
    skipped: list[tuple[Candidate, str]] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)  # the skills and domains the requirements name
    verifier: Candidate | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def covered_share(self) -> float:
        if not self.requirements:
            return 1.0
        return 1 - len(self.uncovered) / len(self.requirements)

    def as_dict(self) -> dict:
        return {
            "wanted": self.wanted, "offered": self.offered,
            "requirements": list(self.requirements), "skills": list(self.skills),
            "uncovered": list(self.uncovered),
            "covered_share": round(self.covered_share, 3),
            "suggestions": [
                {"position": place, "id": pick.candidate.id, "name": pick.candidate.name,
                 "relationship": pick.candidate.relationship, "organisation": pick.candidate.organisation,
                 "covers": pick.covers, "reasons": pick.reasons, "extra": pick.extra,
                 "on_slate": pick.candidate.on_slate}
                for place, pick in enumerate(self.picks, 1)
            ],
            "employment_verifier": ({"id": self.verifier.id, "name": self.verifier.name}
                                    if self.verifier else None),
            "skipped": [{"id": c.id, "name": c.name, "reason": reason} for c, reason in self.skipped],
            "notes": list(self.notes),
        }


def wanted_count(references_wanted: int | None, role: str, posting_text: str) -> int:
    """How many references the employer wants: the opportunity's own number
    when the candidate gave one (None: not said), else what the posting says,
    else 4 for a senior role, else 3."""
    if references_wanted:
        return references_wanted
    stated = references_asked_for(posting_text)
    if stated:
        return stated
    return 4 if is_senior_role(role) else 3


def skip_reason(candidate: Candidate, today: dt.date) -> str:
    """Why a reference is not suggested at all ("" when they may be)."""
    if candidate.status == "do_not_use":
        return "marked do not use"
    if candidate.status in ("resting", "retired"):
        return f"marked as {candidate.status}"
    if candidate.relationship == HR_VERIFIER:
        return "an HR verifier: offered as the employment-verifier line instead"
    if candidate.away_until and candidate.away_until >= today:
        return f"away until {vocabulary_day(candidate.away_until)}"
    cap = candidate.max_calls_a_month
    if cap is not None and candidate.listings_last_month >= cap:
        return (f"asked for at most {_times(cap, 'call')} a month and is on "
                f"{_times(candidate.listings_last_month, 'slate')} from the last {MONTH_DAYS} days")
    return ""


def vocabulary_day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _times(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _weeks_ago(then: dt.date, today: dt.date) -> str:
    days = (today - then).days
    if days <= 0:
        return "today"
    if days < 14:
        return f"{_times(days, 'day')} ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    return f"{days // 30} months ago"


def preference(candidate: Candidate, today: dt.date, rules: Rules) -> tuple:
    """Higher is better among references who cover as much: rested, then in
    touch recently, then with fresh consent (or already on the slate)."""
    rested = candidate.listings_in_window < rules.fatigue_listings
    in_touch_days = (today - candidate.last_in_touch).days if candidate.last_in_touch else 10**6
    fresh = bool(candidate.consent_until and candidate.consent_until >= today)
    return (rested, in_touch_days <= IN_TOUCH_DAYS, fresh or candidate.on_slate, -in_touch_days,
            -candidate.listings_in_window)


def _reasons(pick: Pick, today: dt.date, rules: Rules) -> list[str]:
    c = pick.candidate
    reasons = []
    if pick.vouches:
        shown = pick.vouches[:3]
        reasons.append("covers " + _joined(shown) + (f" and {len(pick.vouches) - 3} more" if len(pick.vouches) > 3 else ""))
    where = f" at {c.organisation}" if c.organisation else ""
    reasons.append(RELATIONSHIP_WORDS.get(c.relationship, "knows your work") + where)
    reasons.append(f"last in touch {_weeks_ago(c.last_in_touch, today)}" if c.last_in_touch else "no contact logged yet")
    if c.listings_in_window >= rules.fatigue_listings:
        reasons.append(f"listed {_times(c.listings_in_window, 'time')} in the last {rules.fatigue_days} days: "
                       "ask whether they mind")
    elif c.listings_in_window:
        reasons.append(f"listed {'once' if c.listings_in_window == 1 else _times(c.listings_in_window, 'time')} "
                       f"in the last {rules.fatigue_days} days")
    else:
        reasons.append(f"not listed in the last {rules.fatigue_days} days")
    if c.on_slate:
        reasons.append("already on the slate")
    elif c.consent_until and c.consent_until >= today:
        reasons.append(f"standing consent until {vocabulary_day(c.consent_until)}")
    return reasons


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


_KIND = {relationship: "manager" for relationship in MANAGER_KINDS} | {
    relationship: "sideways" for relationship in SIDEWAYS_KINDS}


class _Mix:
    """The mix rules as counters, so one step's check costs O(1) per rule."""

    def __init__(self, pool: list[Candidate], slots: int):
        self.cap = max(1, slots // 2)
        self.taken_per_org: dict[tuple, int] = {}
        # kind -> org -> how many of that kind remain in the pool
        self.remaining = {kind: {} for kind in ("manager", "sideways")}
        for c in pool:
            kind = self.kind(c)
            if kind:
                self.remaining[kind][c.org_key] = self.remaining[kind].get(c.org_key, 0) + 1
        self.needed = {kind for kind, orgs in self.remaining.items() if orgs}

    @staticmethod
    def kind(c: Candidate) -> str:
        return _KIND.get(c.relationship, "")

    def org_full(self, c: Candidate) -> bool:
        return self.taken_per_org.get(c.org_key, 0) >= self.cap

    def allowed(self, c: Candidate, slots_left: int, capped: bool) -> bool:
        if capped and self.org_full(c):
            return False
        unmet = self.needed - {self.kind(c)}
        if len(unmet) > slots_left - 1:
            return False
        for kind in unmet:  # someone of that kind must stay reachable after this pick
            org_full_after = capped and self.taken_per_org.get(c.org_key, 0) + 1 >= self.cap
            if not any(count - (org == c.org_key and self.kind(c) == kind) > 0
                       and not (capped and (self.taken_per_org.get(org, 0) >= self.cap
                                            or (org == c.org_key and org_full_after)))
                       for org, count in self.remaining[kind].items()):
                return False
        return True

    def take(self, c: Candidate):
        self.taken_per_org[c.org_key] = self.taken_per_org.get(c.org_key, 0) + 1
        kind = self.kind(c)
        if kind:
            self.remaining[kind][c.org_key] -= 1
            self.needed.discard(kind)

    def drop_unreachable(self, capped: bool, slots_left: int):
        """Forget a kind nobody left can satisfy (the book does not allow it),
        and the sideways kind when one slot is left and a manager still needs it."""
        if len(self.needed) > slots_left:
            self.needed.discard("sideways")
        for kind in list(self.needed):
            if not any(count > 0 and not (capped and self.taken_per_org.get(org, 0) >= self.cap)
                       for org, count in self.remaining[kind].items()):
                self.needed.discard(kind)


EXACT_LIMIT = 5000  # books whose choices number at most this are searched exhaustively
CONFIGURATIONS = ((True, True), (True, False), (False, True))  # (organisation cap, a peer/report/client)


def select(pool: list[Candidate], masks: dict[int, int], slots: int, today: dt.date, rules: Rules, *,
           exact_limit: int = EXACT_LIMIT) -> list[Candidate]:
    """Up to `slots` candidates who cover the most requirement lines within the mix rules.

    The rules give way in order when the book cannot fill the slots with all
    of them: first "a peer, report or client", then the organisation cap.
    A manager-type reference is always included when the pool has one.
    A book small enough (at most `exact_limit` possible selections) is
    searched exhaustively, so the answer is the best there is (and adding a
    reference can never make it worse); a larger one gets the greedy choice
    improved by single swaps (benchmarks/slate.py measures how close it comes).
    """
    ranked = sorted(pool, key=lambda c: (c.name.casefold(), c.id))
    ranked.sort(key=lambda c: preference(c, today, rules), reverse=True)  # stable: the name breaks ties
    size = min(slots, len(ranked))
    if math.comb(len(ranked), size) <= exact_limit:
        return _exact(ranked, masks, slots, size)
    chosen: list[Candidate] = []
    for capped, sideways in CONFIGURATIONS:
        chosen = _greedy(ranked, masks, slots, capped=capped, sideways=sideways)
        if len(chosen) >= size:
            break
    return _improved(chosen, ranked, masks, slots)


def _exact(ranked: list[Candidate], masks: dict[int, int], slots: int, size: int) -> list[Candidate]:
    """The best selection by exhaustive search, ordered as the greedy would list them."""
    best = best_group(ranked, masks, slots, size)
    return _greedy(best, masks, slots, capped=False, sideways=False) if best else []


def best_group(ranked: list[Candidate], masks: dict[int, int], slots: int, size: int) -> list[Candidate]:
    """The `size` candidates who cover the most under the mix rules, the rules
    giving way in the order select() gives; among equals, the most preferred
    (combinations come in the order of `ranked`)."""
    has_manager = any(c.relationship in MANAGER_KINDS for c in ranked)
    has_sideways = size >= 2 and any(c.relationship in SIDEWAYS_KINDS for c in ranked)
    cap = max(1, slots // 2)
    per_org: dict[tuple, int] = {}
    for c in ranked:
        per_org[c.org_key] = per_org.get(c.org_key, 0) + 1
    cap_fits = sum(min(count, cap) for count in per_org.values()) >= size
    for capped, sideways in CONFIGURATIONS:
        best, best_covered = None, -1
        for group in itertools.combinations(ranked, size):
            if ((capped and cap_fits and not mix_holds(list(group), slots))
                    or (has_manager and not any(c.relationship in MANAGER_KINDS for c in group))
                    or (sideways and has_sideways and not any(c.relationship in SIDEWAYS_KINDS for c in group))):
                continue
            covered = 0
            for c in group:
                covered |= masks.get(c.id, 0)
            count = covered.bit_count()
            if count > best_covered:
                best, best_covered = list(group), count
        if best is not None:
            return best
    return []


def _improved(chosen: list[Candidate], ranked: list[Candidate], masks: dict[int, int], slots: int) -> list[Candidate]:
    """Swap one pick for someone else while that covers more and keeps every
    mix rule the greedy pass kept: greedy alone can spend a place of a capped
    organisation on the wrong person (the first of equals)."""
    def rules(group):
        return (mix_holds(group, slots),
                any(c.relationship in MANAGER_KINDS for c in group),
                any(c.relationship in SIDEWAYS_KINDS for c in group))

    kept = rules(chosen)
    for _round in range(len(chosen) * 2):
        covered = 0
        for c in chosen:
            covered |= masks.get(c.id, 0)
        current = covered.bit_count()
        taken = {c.id for c in chosen}
        fresh = [c for c in ranked if c.id not in taken and masks.get(c.id, 0) & ~covered]
        best = None
        for index in range(len(chosen)):
            others = 0
            for other_index, c in enumerate(chosen):
                if other_index != index:
                    others |= masks.get(c.id, 0)
            for newcomer in fresh:
                gain = (others | masks[newcomer.id]).bit_count() - current
                if gain > 0 and (best is None or gain > best[0]):
                    group = chosen[:index] + [newcomer] + chosen[index + 1:]
                    if all(now or not before for before, now in zip(kept, rules(group), strict=True)):
                        best = (gain, index, newcomer)
        if best is None:
            return chosen
        _gain, index, newcomer = best
        chosen = chosen[:index] + [newcomer] + chosen[index + 1:]
    return chosen


def _greedy(ranked: list[Candidate], masks: dict[int, int], slots: int, *, capped: bool, sideways: bool):
    mix = _Mix(ranked, slots)
    if not sideways:
        mix.needed.discard("sideways")
    chosen: list[Candidate] = []
    taken: set[int] = set()
    covered = 0
    rows = [(place, c, masks.get(c.id, 0), _KIND.get(c.relationship, "")) for place, c in enumerate(ranked)]
    mix.drop_unreachable(capped, slots)
    while len(chosen) < slots:
        best, best_key = None, None
        slots_left = slots - len(chosen)
        for place, c, mask, kind in rows:
            if c.id in taken:
                continue
            # On equal coverage, someone the mix still needs (the manager first) goes higher up the slate.
            needed = (2 if kind == "manager" else 1) if kind in mix.needed else 0
            key = ((mask & ~covered).bit_count(), needed, -place)
            if best_key is not None and key <= best_key:
                continue
            if not mix.allowed(c, slots_left, capped):
                continue
            best, best_key = c, key
        if best is None:
            break
        chosen.append(best)
        taken.add(best.id)
        covered |= masks.get(best.id, 0)
        mix.take(best)
        mix.drop_unreachable(capped, slots - len(chosen))
    return chosen


def suggest(requirements: list[str], candidates: list[Candidate], *, wanted: int, today: dt.date,
            rules: Rules = Rules(), synonyms=(), matcher: Matcher | None = None) -> Suggestion:
    """The suggestion for one posting: `wanted` references plus one more, with reasons."""
    matcher = matcher or Matcher(requirements, synonyms)
    result = Suggestion(wanted=wanted, offered=wanted + 1, requirements=list(requirements),
                        skills=named_skills(requirements))
    pool: list[Candidate] = []
    verifiers: list[Candidate] = []
    for c in candidates:
        reason = skip_reason(c, today)
        if reason:
            # Do-not-use references are left out without a word: the page never names them.
            if c.status != "do_not_use":
                result.skipped.append((c, reason))
            if c.relationship == HR_VERIFIER and c.status == "active":
                verifiers.append(c)
        else:
            pool.append(c)
    masks = {}
    for c in pool:
        mask = 0
        for vouch in c.vouches:
            mask |= matcher.covered_by(vouch)
        masks[c.id] = mask
    chosen = select(pool, masks, result.offered, today, rules)
    covered = 0
    for place, c in enumerate(chosen):
        new = masks[c.id] & ~covered
        vouches = [v for v in c.vouches if matcher.covered_by(v) & new]
        pick = Pick(c, lines_of(new, result.requirements), vouches, [], extra=place >= wanted)
        pick.reasons = _reasons(pick, today, rules)
        result.picks.append(pick)
        covered |= masks[c.id]
    result.uncovered = lines_of(matcher.all_mask & ~covered, result.requirements)
    if verifiers:
        result.verifier = max(verifiers, key=lambda c: (preference(c, today, rules), -c.id))
    result.notes = _notes(result, pool, chosen)
    return result


def _notes(result: Suggestion, pool: list[Candidate], chosen: list[Candidate]) -> list[str]:
    notes = []
    if not chosen:
        notes.append("Nobody in your book can be suggested for this one yet." if not pool
                     else "Nobody could be suggested.")
        return notes
    if len(chosen) < result.offered:
        notes.append(f"Only {_times(len(chosen), 'reference')} could be suggested; "
                     f"the employer wants {result.wanted} and one more is safer.")
    if not any(c.relationship in MANAGER_KINDS for c in chosen):
        notes.append("None of them managed you: nobody in your book who can be suggested is a manager.")
    orgs: dict[tuple, list[str]] = {}
    for c in chosen:
        orgs.setdefault(c.org_key, []).append(c.organisation)
    for key, names in orgs.items():
        if key[0] == "org" and len(names) > max(1, result.offered // 2):
            notes.append(f"More than half are from {names[0]}: your book has nobody else who fits.")
    return notes


def mix_holds(chosen: list[Candidate], slots: int) -> bool:
    """The organisation cap and the manager rule for a finished selection (for checks and search)."""
    cap = max(1, slots // 2)
    per_org: dict[tuple, int] = {}
    for c in chosen:
        per_org[c.org_key] = per_org.get(c.org_key, 0) + 1
    return all(count <= cap for count in per_org.values())


def best_coverage(pool: list[Candidate], masks: dict[int, int], slots: int, *, with_mix: bool = True) -> int:
    """The most requirement lines any `slots` of the pool cover together, by
    exhaustive search (benchmarks and tests measure the large-book heuristic
    against it). With the mix, under the rules as select() applies them."""
    size = min(slots, len(pool))
    if with_mix:
        groups = [best_group(pool, masks, slots, size)]
    else:
        groups = itertools.combinations(pool, size)
    best = 0
    for group in groups:
        covered = 0
        for c in group:
            covered |= masks.get(c.id, 0)
        best = max(best, covered.bit_count())
    return best
