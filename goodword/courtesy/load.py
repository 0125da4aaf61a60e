"""How worn each reference is: their listings inside the fatigue window, who is
rested enough to suggest, and the sentences that say a reference has been put
forward too often or against their own availability. Read by the rules
(short_slate, fatigue) and, for one reference about to be listed, by
services.fatigue_warning. Pure functions of the facts, as the rules are."""

from __future__ import annotations

import datetime as dt
import heapq

from goodword.courtesy import wording as w
from goodword.courtesy.facts import ACTIVE, CALLS_MONTH_DAYS, MANAGER_KINDS, Facts, ListingFacts, RefFacts, UserSettings


def recent_listings(facts: Facts, reference_id: int, days: int | None = None) -> list[ListingFacts]:
    """Listings made within the fatigue window (the last M days, today included), or the last `days`."""
    days = days or facts.settings.fatigue_days
    rough = facts.now - dt.timedelta(days=days + 2)  # cheap cut before the exact, zone-aware one
    return sorted(
        (listing for listing in facts.by_reference.get(reference_id, ())
         if listing.listed_at > rough and (facts.today - facts.day(listing.listed_at)).days < days),
        key=lambda listing: listing.listed_at,
    )


def reference_load(facts: Facts) -> dict[int, tuple[int, dt.datetime]]:
    """For each listed reference: listings inside the fatigue window, and the latest listing."""
    days = facts.settings.fatigue_days
    rough = facts.now - dt.timedelta(days=days + 2)
    recent: dict[int, int] = {}
    latest: dict[int, dt.datetime] = {}
    for listing in facts.listings:
        reference_id, listed_at = listing.reference_id, listing.listed_at
        if reference_id not in latest or listed_at > latest[reference_id]:
            latest[reference_id] = listed_at
        if listed_at > rough and (facts.today - facts.day(listed_at)).days < days:
            recent[reference_id] = recent.get(reference_id, 0) + 1
    return {reference_id: (recent.get(reference_id, 0), when) for reference_id, when in latest.items()}


RELATIONSHIP_WORDS = {"manager": "manager", "skip_level": "skip-level manager"}


def suggestions(facts: Facts, exclude: set[int], want_manager: bool, limit: int = 2, load=None) -> list[RefFacts]:
    """References worth asking: active, not HR verifiers, not on the slate, not
    worn out; managers first when the slate needs one; the most rested first.
    Resting, retired and do-not-use references are never suggested."""
    load = reference_load(facts) if load is None else load
    epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
    pool = [
        ref for ref in facts.references.values()
        if ref.status == ACTIVE and not ref.is_hr_verifier and ref.id not in exclude
        and load.get(ref.id, (0, None))[0] < facts.settings.fatigue_listings
    ]
    # nsmallest(n, ...) is sorted(...)[:n] without sorting the whole pool.
    return heapq.nsmallest(limit, pool, key=lambda ref: (
        want_manager and ref.relationship not in MANAGER_KINDS, load.get(ref.id, (0, None))[1] or epoch, ref.name,
    ))


def described(refs, with_relationship: bool) -> list[str]:
    """Names, with the relationship when the slate still needs a manager."""
    return [ref.name + (f" ({RELATIONSHIP_WORDS[ref.relationship]})"
                        if with_relationship and ref.relationship in RELATIONSHIP_WORDS else "")
            for ref in refs]


def fatigue_message(name: str, recent_companies: list[str], user_settings: UserSettings, *, adding: int = 0) -> str | None:
    """The fatigue sentence for a reference listed len(recent_companies) times
    in the window, counting `adding` more listings; None when within limits."""
    count = len(recent_companies) + adding
    if count <= user_settings.fatigue_listings:
        return None
    who = w.short_name(name)
    companies = w.names(list(dict.fromkeys(recent_companies)))
    days = user_settings.fatigue_days
    if adding:
        return (f"{name} has been put forward {w.plural(len(recent_companies), 'time')} in the last {days} days "
                f"({companies}); one more makes {count}. Consider giving {who} a rest, "
                f"or at least ask whether {who} minds.")
    return (f"{name} has been put forward {w.plural(count, 'time')} in the last {days} days ({companies}): "
            f"give {who} a rest before you list them again.")


def availability_message(name: str, away_until: dt.date | None, max_calls_a_month: int | None,
                         listed_last_month: int, today: dt.date, *, adding: int = 0) -> str | None:
    """The sentence for a reference put forward against their own availability
    ("away until", "at most N calls a month"), counting `adding` more listings; None when within it."""
    who = w.short_name(name)
    if adding and away_until and away_until >= today:
        return (f"{name} is away until {away_until.day} {away_until:%B %Y}: "
                f"ask whether {who} can take a call before you list them.")
    count = listed_last_month + adding
    if max_calls_a_month and count > max_calls_a_month:
        said = f"{name} asked for at most {w.plural(max_calls_a_month, 'call')} a month"
        if adding:
            return (f"{said} and has been put forward {w.plural(listed_last_month, 'time')} in the last "
                    f"{CALLS_MONTH_DAYS} days; one more makes {count}. Ask {who} first.")
        return (f"{said} and has been put forward {w.plural(count, 'time')} in the last {CALLS_MONTH_DAYS} days: "
                f"give {who} a rest before you list them again.")
    return None
