""""A debt becomes critical": found by comparing, not by listening.

Debts are never stored: the ledger computes them from the facts
(courtesy/ledger.py). A debt turns critical through a write (an employer
called a reference who had no heads-up, a result announced before the
references heard it), but also with no write at all, as time passes, and the
writes come from everywhere (web, CLI, API, the portal, the employer's link,
the admin). A hook at each writer would miss some and would duplicate the
rules; so the worker's periodic tick asks the ledger instead:

    critical now = the user's open debts of severity critical (summary.open_debts:
                   the kept LedgerSummary while its stamp holds, else one fresh build)
    new          = critical now − keys already announced (CriticalDebtSeen)

Each new key is stored and its event queued in one transaction, under a unique
(owner, key) constraint: two workers ticking at once announce it once. A key
that is no longer critical (settled, snoozed, dismissed) is forgotten, so a
debt that turns critical again later is announced again. Only users with an
active endpoint for the kind are looked at, and for them the tick costs one
query while nothing changed (the summary's stamp), so it scales with the
users who asked, not with the instance.

When a user subscribes (no other active endpoint for the kind), the debts
critical at that moment are recorded as seen: the event says a debt *became*
critical; the ones already critical are on the ledger (and in the API).
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from goodword.courtesy import summary
from goodword.courtesy.facts import Severity
from goodword.lib import webhook_wire
from goodword.webhooks import delivery
from goodword.webhooks.models import CriticalDebtSeen, Endpoint

log = logging.getLogger(__name__)


def critical_debts(user, now=None) -> dict:
    """key -> Debt for the user's open critical debts, worst first as the ledger orders them."""
    return {debt.key: debt for debt in summary.open_debts(user, now) if debt.severity == Severity.CRITICAL}


def subscribers(now=None) -> list:
    """Users with at least one active endpoint for debt.critical."""
    owner_ids = {owner_id for owner_id, kinds in Endpoint.objects.filter(active=True).values_list("owner_id", "kinds")
                 if webhook_wire.DEBT_CRITICAL in kinds}
    return list(get_user_model().objects.filter(pk__in=owner_ids, is_active=True).order_by("pk"))


def baseline(user, now=None) -> int:
    """Record the debts critical right now as seen (a new subscription starts from here)."""
    now = now or timezone.now()
    current = critical_debts(user, now)
    with transaction.atomic():
        CriticalDebtSeen.objects.for_user(user).delete()
        CriticalDebtSeen.objects.bulk_create(
            [CriticalDebtSeen(owner=user, key=key, seen_at=now) for key in current], ignore_conflicts=True)
    return len(current)


def payload(debt) -> dict:
    return {"debt": debt.as_dict()}


def check_user(user, now=None) -> int:
    """Announce the user's newly critical debts; forget the ones no longer critical. How many were announced."""
    now = now or timezone.now()
    current = critical_debts(user, now)
    seen = CriticalDebtSeen.objects.for_user(user)
    known = set(seen.values_list("key", flat=True))
    gone = known - current.keys()
    if gone:
        seen.filter(key__in=gone).delete()
    announced = 0
    for key in current.keys() - known:
        try:
            with transaction.atomic():
                row = CriticalDebtSeen.objects.create(owner=user, key=key, seen_at=now)
                delivery.queue_event(user, webhook_wire.DEBT_CRITICAL, payload(current[key]),
                                     key=f"{webhook_wire.DEBT_CRITICAL}:{key}:{row.pk}", now=now)
        except IntegrityError:
            continue  # another worker announced it a moment ago
        announced += 1
    return announced


def tick(now=None) -> int:
    """For a worker loop (periodic): announce every subscriber's newly critical debts."""
    now = now or timezone.now()
    announced = 0
    for user in subscribers(now):
        try:
            announced += check_user(user, now)
        except Exception:
            # One account's bad data must not hold up everyone else's events.
            log.exception("webhooks: checking user %s for critical debts failed", user.pk)
    return announced
