"""Coaches' cohort counts, kept up to date by the worker rather than by the page.

A coach's cohort page shows each assigned candidate's open debts per severity
from their kept ledger summary (courtesy/summary.py). A candidate's write, or
the start of their next day, makes that summary stale; recounting it is a whole
ledger build (10-100 ms), which the page used to do for two candidates a visit,
under the coach's wait. The worker's periodic tick does it instead, a bounded
number of candidates a tick, the most out of date first; meanwhile the page
shows the last count with its day ("counted on 30 Nov"). Only assigned
candidates are counted: a coach's page is the one reader of someone else's
kept counts; everyone's own pages bring their own up to date.

One query finds the stale ones (an index seek per assigned candidate into the
summaries), so a tick costs that query while nothing changed. Two workers
ticking at once may count the same candidate twice; the count stored is the
same, and summary.store() keeps nothing a write has overtaken.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db.models import F, Q
from django.utils import timezone

from goodword.centres.models import Membership, Role
from goodword.courtesy import summary

log = logging.getLogger(__name__)

# A ledger build is 10-100 ms: at most a couple of seconds of one worker's minute, while a
# cohort of a hundred, all stale after a migrate (every kept summary is), is counted in a few ticks.
COUNTS_PER_TICK = 25


def stale_candidates(now=None, limit: int | None = None) -> list:
    """Assigned candidates whose kept counts are out of date, never counted first, then the oldest counts."""
    now = now or timezone.now()
    assigned = Membership.objects.filter(role=Role.CANDIDATE, assignments__isnull=False).values("user_id")
    stale = (Q(ledger_summary__isnull=True) | Q(ledger_summary__built_version__isnull=True)
             | Q(ledger_summary__built_version__lt=F("ledger_summary__version"))
             | Q(ledger_summary__valid_until__lte=now))
    # `today` is null until a first count: those come first.
    return list(get_user_model().objects.filter(stale, pk__in=assigned).only("pk").order_by(
        F("ledger_summary__today").asc(nulls_first=True), F("ledger_summary__valid_until").asc(nulls_first=True),
        "pk")[:limit or COUNTS_PER_TICK])


def tick(now=None, limit: int | None = None) -> int:
    """For a worker loop (periodic): recount the most out-of-date assigned candidates (COUNTS_PER_TICK
    unless `limit`). How many were counted."""
    counted = 0
    for user in stale_candidates(now, limit):
        try:
            summary.kept_ledger(user, now)
        except Exception:
            # One account's bad data must not hold up everyone else's counts.
            log.exception("centres: counting user %s's open debts failed", user.pk)
        else:
            counted += 1
    return counted
