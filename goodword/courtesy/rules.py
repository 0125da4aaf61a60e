"""The courtesy rules: pure functions from one user's facts to debts.

Each rule is a function of Facts (see facts.py) that yields Debt objects, is
registered with @rule, and is documented in its docstring and in
docs/ledger.md. No database access here: ledger.py fetches the facts first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from goodword.courtesy import wording as w
from goodword.courtesy.load import (
    availability_message,
    described,
    fatigue_message,
    recent_listings,
    reference_load,
    suggestions,
)
from goodword.courtesy.facts import (
    ACTIVE,
    AGREED,
    CALLS_MONTH_DAYS,
    DECLINED,
    HR_VERIFIER,
    LOST_STAGES,
    MANAGER_KINDS,
    OUTCOME_STAGES,
    Debt,
    Facts,
    ListingFacts,
    OppFacts,
    RefFacts,
    Severity,
)
from goodword.lib.vocabulary import HOLD_STAGES, LANDED, NEWS_STAGES, OFFER

BRIEF_WITHIN_DAYS = 2  # update a briefing within two days of an interview
SHARE_OUTCOME_WITHIN_DAYS = 2  # tell references the outcome within two days
HOLD_DAYS = 30  # "hold the announcement" is shown for a month after the offer or the landing
CLOSED_BEFORE_REFERENCES = LOST_STAGES

RuleFunction = Callable[[Facts], Iterator[Debt]]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    settles: str
    function: RuleFunction

    @property
    def doc(self) -> str:
        return (self.function.__doc__ or "").strip()


RULES: dict[str, Rule] = {}


def rule(rule_id: str, title: str, settles: str):
    def register(function: RuleFunction) -> RuleFunction:
        RULES[rule_id] = Rule(rule_id, title, settles, function)
        return function

    return register


def run_rules(facts: Facts, rule_ids=None) -> list[Debt]:
    """Every debt of every rule (or of the given rules), worst first, then by due date."""
    debts = []
    for rule_id, registered in RULES.items():
        if rule_ids is None or rule_id in rule_ids:
            debts.extend(registered.function(facts))
    return sort_debts(debts)


def sort_debts(debts):
    return sorted(debts, key=lambda d: (-d.severity, d.due_on, d.who.lower(), d.rule, d.key))


def _slates(facts: Facts, skip_hr: bool) -> dict[int, list[tuple[ListingFacts, RefFacts]]]:
    """opportunity id -> its slate as (listing, reference), in listing order,
    HR verifiers left out when skip_hr (both built once per Facts, in one pass)."""
    slates = facts.memo.get(("slates", skip_hr))
    if slates is None:
        references = facts.references
        every, no_hr = {}, {}
        for opportunity_id, listings in facts.by_opportunity.items():
            slate = every[opportunity_id] = []
            without = no_hr[opportunity_id] = []
            for listing in listings:
                ref = references.get(listing.reference_id)
                if ref is not None:
                    slate.append((listing, ref))
                    if ref.relationship != HR_VERIFIER:
                        without.append((listing, ref))
        facts.memo[("slates", False)], facts.memo[("slates", True)] = every, no_hr
        slates = no_hr if skip_hr else every
    return slates


def _slate(facts: Facts, opp: OppFacts, *, skip_hr: bool) -> list[tuple[ListingFacts, RefFacts]]:
    return _slates(facts, skip_hr).get(opp.id, [])


def _pairs(facts: Facts, *, skip_hr: bool, stages=None, skip_stages=frozenset()):
    """(listing, reference, opportunity) for every listing, visiting only the
    opportunities whose stage is in `stages` (when given) and not in `skip_stages`."""
    slates = _slates(facts, skip_hr)
    found = []
    for opp in facts.opportunities.values():
        stage = opp.stage
        if (stages is not None and stage not in stages) or stage in skip_stages:
            continue
        found.extend((listing, ref, opp) for listing, ref in slates.get(opp.id, ()))
    return found


def _with_kind(facts: Facts, kind: str, *, skip_hr: bool):
    """(listing, reference, opportunity) for the listings that have an event of `kind` (built once per Facts)."""
    key = ("with_kind", kind, skip_hr)
    found = facts.memo.get(key)
    if found is None:
        opportunities = facts.opportunities
        found = []
        for opportunity_id, slate in _slates(facts, skip_hr).items():
            opp = opportunities.get(opportunity_id)
            if opp is not None:
                found.extend((listing, ref, opp) for listing, ref in slate if kind in listing.last)
        facts.memo[key] = found
    return found


def _debt(rule_id, severity, due_on, why, action, ref=None, opp=None, **extra) -> Debt:
    return Debt(
        rule=rule_id, severity=severity, due_on=due_on, why=why, action=action,
        reference_id=ref.id if ref else None, reference_name=ref.name if ref else "",
        opportunity_id=opp.id if opp else None, opportunity_label=opp.label if opp else "",
        channel=ref.preferred_channel if ref else "", **extra,
    )


@rule("no_permission", "Listed without permission", "agreed")
def no_permission(facts: Facts) -> Iterator[Debt]:
    """A reference is on a slate and has not said yes for that opportunity (no
    "agreed" event and no confirmation under their standing consent ("in_scope"),
    or a later "declined"; the one consent rule of goodword.lib.vocabulary). High; critical once references are
    in play (stage references requested, offer or landed, or the employer has
    started calling). Applications that ended without an offer are exempt.
    Settled by logging "agreed" (or by taking them off the slate)."""
    for listing, ref, opp in _pairs(facts, skip_hr=False, skip_stages=CLOSED_BEFORE_REFERENCES):
        consent = listing.consent
        if consent == AGREED:
            continue
        listed_on, asked_on = facts.day(listing.listed_at), facts.asked_on(opp)
        who = w.short_name(ref.name)
        standing = ref.standing_consent(facts.settings.consent_months)
        if consent == DECLINED:
            why = (f"{ref.name} said no to {opp.company} on {w.day(facts.day(listing.last[DECLINED]), facts.today)} "
                   f"but is still on the slate: take {who} off it, or ask again.")
        elif standing is not None and standing.until < listed_on:
            why = (f"You put {ref.name} on the {opp.company} slate ({opp.role}) on {w.day(listed_on, facts.today)}, "
                   f"but {who}'s standing consent of {w.day(standing.given_on, facts.today)} ran out on "
                   f"{w.day(standing.until, facts.today)}: ask {who} again before {opp.company} calls.")
        else:
            why = (f"You put {ref.name} on the {opp.company} slate ({opp.role}) on {w.day(listed_on, facts.today)} "
                   f"without asking first: ask {who} before {opp.company} calls.")
        severity = Severity.CRITICAL if asked_on else Severity.HIGH
        yield _debt("no_permission", severity, max(listed_on, asked_on or listed_on), why, "agreed", ref, opp)


@rule("no_heads_up", "No heads-up", "heads_up")
def no_heads_up(facts: Facts) -> Iterator[Debt]:
    """References are in play (references requested or later, or the employer
    has called someone on the slate) and a listed reference has had no heads-up
    for this opportunity. Critical, due at once. Not for HR verifiers; a
    reference the employer already reached is rule called_unannounced's case.
    Settled by logging "heads_up"."""
    for opp in facts.opportunities.values():
        asked_on = facts.asked_on(opp)
        if asked_on is None:
            continue
        since = opp.asked_since
        if since is not None:
            trigger = {
                "references_requested": "{company} asked for references on {day}",
                "offer": "{company} made you an offer on {day}",
                "landed": "You landed the job at {company} on {day}",
            }[since[0]].format(company=opp.company, day=w.day(asked_on, facts.today))
        else:
            trigger = f"{opp.company} started calling your references on {w.day(asked_on, facts.today)}"
        slate = _slate(facts, opp, skip_hr=True)
        opened = max((listing.last["sheet_opened"] for listing, _ in slate if "sheet_opened" in listing.last),
                     default=None)
        if opened is not None:
            # The employer link was opened: the call can come any minute, so it is due that day.
            trigger = (f"{opp.company} opened your reference sheet on {w.day(facts.day(opened), facts.today)} "
                       f"(due now: they may call today)")
        for listing, ref in slate:
            if "heads_up" in listing.last or "employer_contacted" in listing.last:
                continue
            why = (f"{trigger} and {ref.name} hasn't heard from you: tell {w.short_name(ref.name)} about the "
                   f"{opp.role} role and what to expect before the call.")
            due = max(facts.day(listing.listed_at), asked_on, facts.day(opened) if opened else asked_on)
            yield _debt("no_heads_up", Severity.CRITICAL, due, why, "heads_up", ref, opp)


@rule("stale_briefing", "Briefing out of date", "briefing")
def stale_briefing(facts: Facts) -> Iterator[Debt]:
    """An interview took place after the last heads-up or briefing a listed
    reference had for this opportunity, so they don't know how it went. Medium,
    due two days after the interview. Only for open applications and references
    who were briefed before and have not declined; not for HR verifiers.
    Settled by logging "briefing" (or another "heads_up") after the interview."""
    for opp in facts.opportunities.values():
        past = [interview for interview in opp.interviews if interview.when <= facts.now]
        if not past or opp.stage in OUTCOME_STAGES:
            continue
        interview = past[-1]
        held_on = facts.day(interview.when)
        for listing, ref in _slate(facts, opp, skip_hr=True):
            briefed = listing.last_of("heads_up", "briefing")
            if briefed is None or interview.when <= briefed or listing.consent == DECLINED:
                continue
            yield _stale_briefing_debt(facts, listing, ref, opp, interview, held_on)


def _stale_briefing_debt(facts, listing, ref, opp, interview, held_on) -> Debt:
    who = w.short_name(ref.name)
    confirm, doubt = w.point(interview.strong_points), w.point(interview.weak_points)
    aims = [f"confirm {confirm}"] * bool(confirm) + [f"answer their doubts about {doubt}"] * bool(doubt)
    purpose = f"so {who} can {' and '.join(aims)}" if aims else f"so {who} knows where things stand"
    why = (f"Tell {who} how {w.interview_phrase(held_on, interview.format, facts.today)} at "
           f"{opp.company} went, {purpose}.")
    return _debt("stale_briefing", Severity.MEDIUM, held_on + dt.timedelta(days=BRIEF_WITHIN_DAYS),
                 why, "briefing", ref, opp)


@rule("letter_without_draft", "Letter without a draft", "draft_provided")
def letter_without_draft(facts: Facts) -> Iterator[Debt]:
    """A recommendation letter was requested and no draft was provided on or
    after the day of the (last) request. High, due the day of the request. A
    letter the reference already sent also settles it. Not for HR verifiers.
    Settled by logging "draft_provided"."""
    for listing, ref, opp in _with_kind(facts, "letter_requested", skip_hr=True):
        requested = listing.last["letter_requested"]
        requested_on = facts.day(requested)
        drafted = listing.last_of("draft_provided", "letter_sent")
        if drafted is not None and facts.day(drafted) >= requested_on:
            continue
        why = (f"You asked {ref.name} for a letter for {opp.company} on {w.day(requested_on, facts.today)} "
               f"with nothing to start from: send {w.short_name(ref.name)} a draft to adjust, "
               f"with the {opp.role} posting and the points to make.")
        yield _debt("letter_without_draft", Severity.HIGH, requested_on, why, "draft_provided", ref, opp)


OUTCOME_WORDS = {
    "offer": "{company} offered you the {role} job",
    "landed": "you got the {role} job at {company}",
    "rejected": "{company} said no to you for {role}",
    "withdrawn": "you withdrew from {company} ({role})",
    "declined": "you turned down {company}'s offer ({role})",
}


def news_since(opp: OppFacts) -> dt.date:
    """The day the news the references are owed began: the current stage's day,
    or the offer's when the landing followed it (told of the offer, they know)."""
    stages = opp.stages
    if opp.stage == LANDED and len(stages) > 1 and stages[-2][0] == OFFER:
        return stages[-2][1]
    return opp.stage_since


def _untold(facts: Facts) -> list[tuple[ListingFacts, RefFacts, OppFacts]]:
    """Listings whose application reached an offer or an outcome and whose
    reference has not heard the news since (built once per Facts)."""
    found = facts.memo.get("untold")
    if found is None:
        found = []
        slates = _slates(facts, True)
        for opp in facts.opportunities.values():
            if opp.stage not in NEWS_STAGES:
                continue
            since = facts.day_start(news_since(opp))
            for listing, ref in slates.get(opp.id, ()):
                told = listing.last.get("outcome_shared")
                if told is not None and told >= since:
                    continue
                if listing.consent != DECLINED and listing.involved:
                    found.append((listing, ref, opp))
        facts.memo["untold"] = found
    return found


@rule("outcome_not_shared", "Outcome not shared", "outcome_shared")
def outcome_not_shared(facts: Facts) -> Iterator[Debt]:
    """The application reached an offer, or ended (landed, rejected, withdrawn
    or declined), and a reference who took part has not heard the news from
    you since. A landing that follows an offer counts from the offer: whoever
    heard of the offer is not owed it twice. Medium, due two days after the
    news (or by the announcement date, if earlier); critical once the public
    announcement date (announced_on) has come and they still have not been
    told. Not for HR verifiers or references who declined.
    Settled by logging "outcome_shared"."""
    for _listing, ref, opp in _untold(facts):
        news_on = news_since(opp)
        due = news_on + dt.timedelta(days=SHARE_OUTCOME_WITHIN_DAYS)
        announced = opp.announced_on
        who = w.short_name(ref.name)
        what = OUTCOME_WORDS[opp.stage].format(role=opp.role, company=opp.company)
        if announced is not None and announced <= facts.today:
            severity = Severity.CRITICAL
            due = min(due, announced)
            why = (f"You announced the {opp.company} news on {w.day(announced, facts.today)} and {ref.name} "
                   f"still hasn't heard it from you: tell {who} today, in person if you can.")
        else:
            severity = Severity.MEDIUM
            if announced is not None:
                due = min(due, announced)
            if opp.stage == OFFER:
                ending = f"tell {who} before you tell anyone else."
            else:
                ending = f"tell {who} how it ended."
            why = (f"On {w.day(opp.stage_since, facts.today)} {what}; {ref.name} should hear it from you"
                   f"{' before anyone else' if opp.stage == 'landed' else ''}: {ending}")
        yield _debt("outcome_not_shared", severity, due, why, "outcome_shared", ref, opp)


def announcement_holds(facts: Facts) -> list[tuple[OppFacts, list[RefFacts]]]:
    """Offers and landings not announced yet whose references are untold: the
    dashboard asks the candidate to hold the announcement. Only around the
    news: within HOLD_DAYS of the offer or the landing, or while a planned
    announcement date is ahead."""
    untold: dict[int, list[RefFacts]] = {}
    for _listing, ref, opp in _untold(facts):
        if opp.stage not in HOLD_STAGES:
            continue
        if opp.announced_on is None:
            if (facts.today - opp.stage_since).days > HOLD_DAYS:
                continue
        elif opp.announced_on <= facts.today:
            continue
        untold.setdefault(opp.id, []).append(ref)
    return [(facts.opportunities[opp_id], refs) for opp_id, refs in untold.items()]


@rule("not_thanked", "Not thanked", "thanked")
def not_thanked(facts: Facts) -> Iterator[Debt]:
    """The application ended more than N days ago (thank_within_days, default
    7) and a reference who took part has had no thank-you (or gift) since the
    outcome. Medium after landing, low after any other outcome. Due on the last
    day of the window. Not for HR verifiers or references who declined.
    Settled by logging "thanked" (a "gift" counts too)."""
    window = facts.settings.thank_within_days
    slates = _slates(facts, True)
    for opp in facts.opportunities.values():
        if opp.stage not in OUTCOME_STAGES:
            continue
        outcome_on = opp.stage_since
        if (facts.today - outcome_on).days <= window:
            continue
        ended = facts.day_start(outcome_on)
        for listing, ref in slates.get(opp.id, ()):
            last = listing.last
            thanked, gift = last.get("thanked"), last.get("gift")
            if (thanked is not None and thanked >= ended) or (gift is not None and gift >= ended):
                continue
            if listing.consent == DECLINED or not listing.involved:
                continue
            who = w.short_name(ref.name)
            if opp.stage == LANDED:
                severity = Severity.MEDIUM
                why = (f"{ref.name} helped you land {opp.role} at {opp.company} ({w.day(outcome_on, facts.today)}) "
                       f"and hasn't been thanked: a personal note to {who}, perhaps with a small gift they'd like.")
            else:
                severity = Severity.LOW
                why = (f"{opp.company} didn't work out, but {ref.name} gave their time for you: "
                       f"a short thank-you tells {who} it mattered.")
            yield _debt("not_thanked", severity, outcome_on + dt.timedelta(days=window), why, "thanked", ref, opp)


@rule("called_unannounced", "Called without warning", "apology")
def called_unannounced(facts: Facts) -> Iterator[Debt]:
    """The employer contacted a listed reference who had no heads-up for this
    opportunity before the call. Critical, due the day of the call, until an
    apology (at or after the latest call) or a heads-up is logged. The breach
    itself stays in the history (see breaches()). Not for HR verifiers.
    Settled by logging "apology" (or "heads_up")."""
    for listing, ref, opp in _with_kind(facts, "employer_contacted", skip_hr=True):
        called = listing.last["employer_contacted"]
        if "heads_up" in listing.last:
            continue
        apology = listing.last_position("apology")
        if apology is not None and apology > listing.last_position("employer_contacted"):
            continue
        who = w.short_name(ref.name)
        called_on = facts.day(called)
        why = (f"{opp.company} called {ref.name} on {w.day(called_on, facts.today)} before {who} had any warning "
               f"from you: apologise, and tell {who} about the {opp.role} role now.")
        yield _debt("called_unannounced", Severity.CRITICAL, called_on, why, "apology", ref, opp)


@dataclass(frozen=True, slots=True)
class Breach:
    reference: RefFacts
    opportunity: OppFacts
    called_on: dt.date
    settled_on: dt.date | None


def breaches(facts: Facts) -> list[Breach]:
    """Every unannounced call, settled or not, newest first: the history."""
    found = []
    for listing, ref, opp in _with_kind(facts, "employer_contacted", skip_hr=True):
        # Positions in the one order of events: a heads-up logged in the same
        # minute as the call but recorded before it came first.
        called = listing.first_position("employer_contacted")
        heads_up = listing.first_position("heads_up")
        if heads_up is not None and heads_up < called:
            continue
        amends = [m for m in (heads_up, listing.last_position("apology")) if m is not None and m > called]
        settled = facts.day(min(amends)[0]) if amends else None
        found.append(Breach(ref, opp, facts.day(called[0]), settled))
    return sorted(found, key=lambda b: (b.called_on, b.reference.name), reverse=True)


@rule("short_slate", "Short slate", "agreed")
def short_slate(facts: Facts) -> Iterator[Debt]:
    """The employer is checking references (references requested or offer, or
    has started calling) and fewer references have agreed than it wants
    (Opportunity.references_wanted, else the user's default), or none of them
    is a manager or skip-level manager. HR verifiers do not count. High, due
    when references were requested. Suggests who to ask. Settled when enough
    listed references have logged "agreed", a manager among them."""
    load = None
    for opp in facts.opportunities.values():
        if not facts.checking(opp):
            continue
        on_slate = [(listing, facts.references[listing.reference_id])
                    for listing in facts.by_opportunity.get(opp.id, [])
                    if listing.reference_id in facts.references]
        agreed = [ref for listing, ref in on_slate if listing.consent == AGREED and not ref.is_hr_verifier]
        wanted = opp.references_wanted or facts.settings.references_wanted
        has_manager = any(ref.relationship in MANAGER_KINDS for ref in agreed)
        if len(agreed) >= wanted and has_manager:
            continue
        load = reference_load(facts) if load is None else load
        waiting = [ref for listing, ref in on_slate if listing.consent is None and not ref.is_hr_verifier]
        ideas = suggestions(facts, {ref.id for _, ref in on_slate}, want_manager=not has_manager, load=load)
        agreed_names = w.names([ref.name for ref in agreed])
        if len(agreed) >= wanted:
            head = f"{agreed_names} {'has' if len(agreed) == 1 else 'have'} agreed for {opp.company}, but none of them managed you"
        else:
            head = f"{opp.company} wants {w.plural(wanted, 'reference')} for {opp.role}"
            if not agreed:
                head += ", one of them a manager," if not has_manager else ""
                head += " and nobody has agreed yet"
            else:
                head += f"; only {agreed_names} {'has' if len(agreed) == 1 else 'have'} agreed"
                head += ", none of them a manager" if not has_manager else ""
        # Those already listed owe an answer; the suggestions would be new names on the slate.
        asks = []
        if waiting:
            asks.append(f"get an answer from {w.names(described(waiting, not has_manager))}, who {'is' if len(waiting) == 1 else 'are'} listed")
        if ideas:
            asks.append(f"{'or ' if waiting else ''}list and ask {w.names(described(ideas, not has_manager), joiner='or')}")
        ask_text = ", ".join(asks) if asks else "add someone to the slate and ask them"
        due = facts.asked_on(opp) or facts.today
        yield _debt("short_slate", Severity.HIGH, due, f"{head}: {ask_text}.", "agreed", None, opp,
                    candidates=tuple((ref.id, ref.name) for ref in waiting + ideas))


@rule("fatigue", "Asked too often", "rest")
def fatigue(facts: Facts) -> Iterator[Debt]:
    """An active reference was listed on more than N opportunities (fatigue_listings,
    default 3) in the last M days (fatigue_days, default 30; a listing M days
    old no longer counts), or on more than they asked for ("at most N calls
    a month": their own limit over the last 30 days). Low, due the day of their
    latest listing. Settled by marking them as resting, or by time passing."""
    for ref in facts.references.values():
        if ref.status != ACTIVE:
            continue
        if ref.max_calls_a_month and len(facts.by_reference.get(ref.id, ())) > ref.max_calls_a_month:
            month = recent_listings(facts, ref.id, CALLS_MONTH_DAYS)
            why = availability_message(ref.name, None, ref.max_calls_a_month, len(month), facts.today)
            if why:
                yield _debt("fatigue", Severity.LOW, facts.day(month[-1].listed_at), why, "rest", ref)
                continue
        if len(facts.by_reference.get(ref.id, ())) <= facts.settings.fatigue_listings:
            continue
        recent = recent_listings(facts, ref.id)
        companies = [facts.opportunities[listing.opportunity_id].company for listing in recent
                     if listing.opportunity_id in facts.opportunities]
        why = fatigue_message(ref.name, companies, facts.settings)
        if why:
            yield _debt("fatigue", Severity.LOW, facts.day(recent[-1].listed_at), why, "rest", ref)


@rule("keep_warm", "Gone quiet", "keep_in_touch")
def keep_warm(facts: Facts) -> Iterator[Debt]:
    """An active reference has had no event of any kind for more than N days
    (keep_warm_days, default 180), counting from their last event or, if they
    have none, from when you added them. Low, due on day N. Any logged event
    resets it; the settling action is "keep_in_touch"."""
    window = facts.settings.keep_warm_days
    for ref in facts.references.values():
        if ref.status != ACTIVE:
            continue
        last = ref.last_event_at or ref.created_at
        if last is None:
            continue
        last_day = facts.day(last)
        if (facts.today - last_day).days <= window:
            continue
        who = w.short_name(ref.name)
        if ref.last_event_at is None:
            lead = f"You added {ref.name} on {w.day(last_day, facts.today)} and haven't been in touch since"
        else:
            lead = f"You last had contact with {ref.name} on {w.day(last_day, facts.today)}, {w.since(last_day, facts.today)}"
        why = f"{lead}: a short hello with no request keeps {who} glad to help next time."
        yield _debt("keep_warm", Severity.LOW, last_day + dt.timedelta(days=window), why, "keep_in_touch", ref)


@rule("consent_stale", "Standing consent out of date", "agreed")
def consent_stale(facts: Facts) -> Iterator[Debt]:
    """A listed reference's yes for an open application rests on their standing
    consent (the candidate confirmed the listing within its scope, "in_scope",
    and nothing the reference said for this opportunity came later), and that
    consent has run out since (older than consent_months, default 6). Low, due
    the day after it ran out (or the listing day, if later). Settled by logging
    "agreed" for this opportunity, or by recording their renewed standing consent."""
    months = facts.settings.consent_months
    for listing, ref, opp in _pairs(facts, skip_hr=False, skip_stages=OUTCOME_STAGES):
        in_scope = listing.last_position("in_scope")
        if in_scope is None or listing.consent != AGREED:
            continue
        agreed = listing.last_position(AGREED)
        if agreed is not None and agreed > in_scope:
            continue
        standing = ref.standing_consent(months)
        if standing is None or standing.until >= facts.today:
            continue
        who = w.short_name(ref.name)
        scope = f", {standing.scope}" if standing.scope else ""
        why = (f"{ref.name}'s standing consent ({w.day(standing.given_on, facts.today)}{scope}) ran out on "
               f"{w.day(standing.until, facts.today)}, and {who} is still on the {opp.company} slate on its strength: "
               f"ask {who} again before you rely on it.")
        due = max(standing.until + dt.timedelta(days=1), facts.day(listing.listed_at))
        yield _debt("consent_stale", Severity.LOW, due, why, AGREED, ref, opp)


def _owed(facts: Facts, kind: str):
    """(word, reference, opportunity or None) for each owed word of `kind` whose reference is still known."""
    for word in facts.owed_words:
        ref = facts.references.get(word.reference_id)
        if word.kind == kind and ref is not None:
            yield word, ref, facts.opportunities.get(word.opportunity_id)


@rule("unlisted_call", "A call you didn't list them for", "thanked")
def unlisted_call(facts: Facts) -> Iterator[Debt]:
    """A reference reported (through their portal link) that an employer
    contacted them about you though you never listed them there (a
    "backdoor_call" event). High, due at once: thank them, and find out what
    was asked. Settled by a "thanked" (or "keep_in_touch") to that reference
    at or after the call."""
    for word, ref, opp in _owed(facts, "backdoor_call"):
        why = (f"{ref.name} told you an employer you never listed them for contacted them "
               f"({word.detail or 'no details'}): thank {w.short_name(ref.name)} and find out what was asked.")
        yield _debt("unlisted_call", Severity.HIGH, facts.day(word.at), why, "thanked", ref, opp)


@rule("letter_reused", "Letter reused", "thanked")
def letter_reused(facts: Facts) -> Iterator[Debt]:
    """You shared a reference's uploaded letter with another application (they
    allowed reuse; a "letter_reused" event). Medium, due within two days: tell
    them where it went and thank them. Settled by a "thanked" (or
    "keep_in_touch") to that reference at or after the reuse."""
    for word, ref, opp in _owed(facts, "letter_reused"):
        where = f" with {opp.company}" if opp else ""
        why = (f"You shared {ref.name}'s letter{where}: tell {w.short_name(ref.name)} where it went, and thank them.")
        yield _debt("letter_reused", Severity.MEDIUM, facts.day(word.at) + dt.timedelta(days=2), why, "thanked",
                    ref, opp)
