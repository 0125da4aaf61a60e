"""Webhook deliveries, through the outbox's machinery.

Queued in the caller's transaction (a delivery exists only if the fact it
reports was committed), claimed by the same worker loop as the email outbox
(outbox.run_worker drains this queue after its own on every pass, and the
same nudge wakes it), retried with the outbox's backoff and attempt limit.

States (Delivery.state):

    queued ──claim──▶ sending ──2xx──▶ delivered
      ▲                  │  no answer, timeout, any status but 2xx and 3xx
      │                  │      → queued again with backoff; failed after MAX_ATTEMPTS
      │                  │  redirect, refused address, bad certificate,
      │                  │  unreadable secret, endpoint disabled → failed
      └──────────────────┴─ worker died in `sending` (lease over, or its process gone)

Email is sent at most once (outbox.py's hand-over marker); a webhook is
delivered at least once, as receivers expect: a worker that dies after the
receiver got the request but before recording its answer sends it again,
with the same Goodword-Delivery id, which the receiver uses to drop the
repeat. Each attempt is signed afresh with its own timestamp, so the
receiver's replay window never refuses a legitimate retry.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import uuid

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from goodword.lib import webhook_wire
from goodword.outreach import crypto, outbox
from goodword.webhooks.models import Delivery, DeliveryState, Endpoint

log = logging.getLogger(__name__)

SECRET_PURPOSE = "webhook-secret"  # crypto.encrypt_for's key label for endpoint secrets


def local_mode() -> bool:
    """Local mode may deliver to a receiver on this machine; hosted mode only to public https servers."""
    return settings.GOODWORD_MODE != "hosted"


# ---------------------------------------------------------------- queueing


def _body(kind: str, data: dict, now) -> str:
    event = {"id": f"evt_{uuid.uuid4().hex}", "type": kind, "created_at": now.isoformat(), "data": data}
    return json.dumps(event, ensure_ascii=False, sort_keys=True, default=str)


def _new_delivery(owner, endpoint: Endpoint, kind: str, key: str, body: str, now) -> Delivery:
    return Delivery(owner=owner, endpoint=endpoint, kind=kind, event_key=key, delivery_id=f"dlv_{uuid.uuid4().hex}",
                    body=body, next_attempt_at=now)


def queue_event(owner, kind: str, data: dict, *, key: str, now=None) -> int:
    """Queue one event for each of the owner's active endpoints that subscribed to its kind.

    Call it inside the transaction that records the fact: the worker sees the
    delivery only once that commits. `key` names the fact ("portal.answered:12"):
    queuing the same fact again adds nothing. Returns how many were queued.
    """
    if kind not in webhook_wire.KINDS:
        raise ValueError(f"{kind!r} is not a webhook event kind")
    endpoints = [endpoint for endpoint in Endpoint.objects.for_user(owner).filter(active=True) if kind in endpoint.kinds]
    if not endpoints:
        return 0
    now = now or timezone.now()
    body = _body(kind, data, now)
    known = set(Delivery.objects.filter(endpoint__in=endpoints, event_key=key).values_list("endpoint_id", flat=True))
    rows = [_new_delivery(owner, endpoint, kind, key, body, now) for endpoint in endpoints if endpoint.pk not in known]
    # ignore_conflicts: a concurrent writer that queued the same fact first keeps its row.
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(outbox.wake_workers)
    return len(rows)


def queue_test(endpoint: Endpoint, now=None) -> Delivery:
    """A test event for one endpoint, whatever it subscribed to (and even while disabled: it is asked for)."""
    now = now or timezone.now()
    data = {"message": "A test event from Goodword: your receiver is reachable and verifies signatures.",
            "endpoint": endpoint.pk}
    delivery = _new_delivery(endpoint.owner, endpoint, webhook_wire.TEST_KIND, f"test:{uuid.uuid4().hex}",
                             _body(webhook_wire.TEST_KIND, data, now), now)
    delivery.save()
    transaction.on_commit(outbox.wake_workers)
    return delivery


# ---------------------------------------------------------------- the worker


def recover_stale_claims(now=None) -> int:
    """Deliveries left in `sending` by a worker that died: queued again (at least once, see above)."""
    now = now or timezone.now()
    recovered = 0
    rows = list(Delivery.objects.filter(state=DeliveryState.SENDING).values_list("pk", "claimed_by", "claimed_until"))
    for pk, claimed_by, claimed_until in rows:
        if claimed_until is not None and claimed_until >= now and not outbox.claimer_is_dead(claimed_by):
            continue
        recovered += Delivery.objects.filter(pk=pk, state=DeliveryState.SENDING, claimed_by=claimed_by).update(
            state=DeliveryState.QUEUED, next_attempt_at=now, claimed_by="", claimed_until=None,
            last_error="The worker stopped during this attempt; it will be sent again.",
        )
    return recovered


def claim_next(who: str, now=None, pk: int | None = None) -> Delivery | None:
    """Claim the next due delivery (or this one, if still queued), as outbox.claim_next does for email."""
    now = now or timezone.now()
    while True:
        with transaction.atomic():
            due = Delivery.objects.filter(state=DeliveryState.QUEUED)
            due = due.filter(pk=pk) if pk is not None else due.filter(next_attempt_at__lte=now)
            due = due.order_by("next_attempt_at", "id")
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            found = due.values_list("pk", flat=True).first()
            if found is None:
                return None
            # The state condition makes the claim exclusive even without row locks (SQLite).
            claimed = Delivery.objects.filter(pk=found, state=DeliveryState.QUEUED).update(
                state=DeliveryState.SENDING, claimed_by=who, claimed_until=now + outbox.LEASE,
                attempts=F("attempts") + 1,
            )
        if claimed:
            return Delivery.objects.select_related("endpoint").get(pk=found)
        if pk is not None:
            return None


def _attempt(row: Delivery) -> int:
    """One POST of the row's body to its endpoint; the status code, or Refused / Unreachable."""
    endpoint = row.endpoint
    if not endpoint.active and row.kind != webhook_wire.TEST_KIND:
        raise webhook_wire.Refused("The endpoint was disabled before this event could go.")
    secret = crypto.decrypt_for(SECRET_PURPOSE, endpoint.secret_encrypted)
    if secret is None:
        raise webhook_wire.Refused("The endpoint's secret can no longer be read (the server's secret key changed); "
                                   "remove the endpoint and add it again.")
    local = local_mode()
    # The address is checked afresh on every attempt (the mode or the DNS answer may have
    # changed since registration) and the connection goes to the address checked now.
    target = webhook_wire.check_url(endpoint.url, local=local)
    addresses = webhook_wire.resolve(target, local=local)
    body = row.body.encode()
    headers = webhook_wire.headers(secret, body, kind=row.kind, delivery_id=row.delivery_id)
    return webhook_wire.post(target, addresses, body, headers)


def deliver_one(row: Delivery, who: str) -> str:
    """Send one claimed delivery and record how it went; returns the state it ended in."""
    status = None
    try:
        status = _attempt(row)
    except webhook_wire.Refused as problem:
        return _finish(row, who, DeliveryState.FAILED, str(problem))
    except webhook_wire.Unreachable as problem:
        return _retry_or_fail(row, who, str(problem))
    if 200 <= status < 300:
        return _finish(row, who, DeliveryState.DELIVERED, "", status=status)
    if 300 <= status < 400:
        return _finish(row, who, DeliveryState.FAILED, f"The receiver answered with a redirect (HTTP {status}); "
                       "webhooks do not follow redirects: register the final address.", status=status)
    return _retry_or_fail(row, who, f"The receiver answered HTTP {status}.", status=status)


def _retry_or_fail(row: Delivery, who: str, error: str, status: int | None = None) -> str:
    if row.attempts >= outbox.MAX_ATTEMPTS:
        return _finish(row, who, DeliveryState.FAILED, f"Gave up after {row.attempts} attempts. {error}", status=status)
    return _finish(row, who, DeliveryState.QUEUED, error, status=status, retry=True)


def _finish(row: Delivery, who: str, state: str, error: str, *, status: int | None = None, retry: bool = False) -> str:
    now = timezone.now()
    update = {"state": state, "last_error": error, "last_status_code": status, "claimed_by": "", "claimed_until": None}
    if retry:
        update["next_attempt_at"] = now + outbox.backoff(row.attempts)
    if state == DeliveryState.DELIVERED:
        update["delivered_at"] = now
    with transaction.atomic():
        mine = Delivery.objects.filter(pk=row.pk, claimed_by=who, state=DeliveryState.SENDING).update(**update)
        if mine:
            Endpoint.objects.filter(pk=row.endpoint_id).update(last_delivery_at=now, last_status=_summary(state, status, error))
    if state != DeliveryState.DELIVERED:
        # The error names the host and the status, never the secret nor the signature.
        log.warning("webhook delivery %s (attempt %s): %s (%s)", row.pk, row.attempts, state, error)
    return state if mine else "lost"


def _summary(state: str, status: int | None, error: str) -> str:
    if state == DeliveryState.DELIVERED:
        return f"Delivered (HTTP {status})"
    prefix = "Failed" if state == DeliveryState.FAILED else "Will retry"
    return f"{prefix}: {error}"[:300]


def drain(stop: threading.Event | None = None, limit: int | None = None, who: str | None = None) -> dict[str, int]:
    """Deliver every due delivery (or `limit` of them); how many ended in each state.

    The signature matches outbox.run_worker's `queues`: it is called on every pass of the worker loop.
    """
    who = who or outbox.worker_id()
    counts: dict[str, int] = {}
    recover_stale_claims()
    while limit is None or sum(counts.values()) < limit:
        if stop is not None and stop.is_set():
            break
        row = claim_next(who)
        if row is None:
            break
        state = deliver_one(row, who)
        counts[state] = counts.get(state, 0) + 1
    return counts


def deliver_now(delivery: Delivery) -> Delivery:
    """Send this queued delivery at once (the CLI's `webhook test`), then read back how it went.

    If a worker claimed it first, the worker's result is what comes back.
    """
    who = outbox.worker_id()
    row = claim_next(who, pk=delivery.pk)
    if row is not None:
        deliver_one(row, who)
    delivery.refresh_from_db()
    return delivery


def purge_old(now=None, keep_days: int = 30) -> int:
    """For a worker loop: forget finished deliveries after `keep_days` (the settings page shows recent ones)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=keep_days)
    finished = [DeliveryState.DELIVERED, DeliveryState.FAILED]
    deleted, _ = Delivery.objects.filter(state__in=finished, created_at__lt=cutoff).delete()
    return deleted
