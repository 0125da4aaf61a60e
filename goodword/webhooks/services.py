"""Webhook endpoints and their deliveries: what the settings page, the CLI and the API call.

Every lookup goes through the owner's own rows (Endpoint.objects.for_user):
another user's endpoint id is EndpointNotFound, which the web shows as 404
and the CLI as "no webhook has the id …". The shared secret is returned once,
by create_endpoint, and kept only encrypted (outreach/crypto.py).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from goodword.lib import webhook_wire
from goodword.lib.ids import MAX_ID
from goodword.outreach import crypto
from goodword.webhooks import critical, delivery
from goodword.webhooks.models import Delivery, Endpoint

MAX_ENDPOINTS = 20  # per user: plenty for integrations, and a bound on what one event fans out to
RECENT_DELIVERIES = 20


class EndpointNotFound(LookupError):
    """No endpoint of this user has that id (it may be someone else's)."""


def clean_kinds(kinds) -> list[str]:
    """The chosen event kinds, known ones only, in the one order of webhook_wire.KINDS."""
    chosen = {str(kind).strip() for kind in kinds or ()}
    unknown = sorted(chosen - webhook_wire.KINDS.keys())
    if unknown:
        raise ValidationError({"kinds": f"Unknown event kind “{unknown[0][:50]}”; choose from "
                                        f"{', '.join(webhook_wire.KINDS)}."})
    if not chosen:
        raise ValidationError({"kinds": "Choose at least one event to send."})
    return [kind for kind in webhook_wire.KINDS if kind in chosen]


def check_address(url: str) -> str:
    """The receiver's address, if Goodword will send to it; else a ValidationError saying why.

    Hosted mode looks the host up now and refuses private, loopback and
    link-local answers; every delivery looks it up and checks it again (the
    answer may change: DNS rebinding). Local mode looks up only a plain http
    address (it must be this machine), so an https endpoint can be saved offline.
    """
    local = delivery.local_mode()
    try:
        target = webhook_wire.check_url(url, local=local)
        if not local or not target.https:
            webhook_wire.resolve(target, local=local)
    except (webhook_wire.Refused, webhook_wire.Unreachable) as problem:
        raise ValidationError({"url": str(problem)}) from None
    return target.url


def _subscribed_to_critical(user, excluding: Endpoint | None = None) -> bool:
    endpoints = Endpoint.objects.for_user(user).filter(active=True)
    if excluding is not None:
        endpoints = endpoints.exclude(pk=excluding.pk)
    return any(webhook_wire.DEBT_CRITICAL in endpoint.kinds for endpoint in endpoints)


@transaction.atomic
def create_endpoint(user, url: str, kinds) -> tuple[Endpoint, str]:
    """Register a receiver for these event kinds; returns (endpoint, shared secret). The secret is shown once."""
    errors = {}
    try:
        url = check_address(url)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        kinds = clean_kinds(kinds)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if Endpoint.objects.for_user(user).count() >= MAX_ENDPOINTS:
        raise ValidationError(f"You already have {MAX_ENDPOINTS} webhooks; remove one first.")
    starts_watching = webhook_wire.DEBT_CRITICAL in kinds and not _subscribed_to_critical(user)
    secret = webhook_wire.new_secret()
    endpoint = Endpoint.objects.create(owner=user, url=url, kinds=kinds,
                                       secret_encrypted=crypto.encrypt_for(delivery.SECRET_PURPOSE, secret))
    if starts_watching:
        critical.baseline(user)
    return endpoint, secret


def list_endpoints(user):
    return Endpoint.objects.for_user(user)


def get_endpoint(user, endpoint_id) -> Endpoint:
    usable = isinstance(endpoint_id, int) and 1 <= endpoint_id <= MAX_ID  # a larger number would overflow the driver
    endpoint = Endpoint.objects.for_user(user).filter(pk=endpoint_id).first() if usable else None
    if endpoint is None:
        raise EndpointNotFound(f"No webhook of yours has the id {endpoint_id}.")
    return endpoint


def delete_endpoint(user, endpoint_id: int) -> None:
    """Remove the endpoint and its deliveries (queued ones are never sent)."""
    get_endpoint(user, endpoint_id).delete()


@transaction.atomic
def set_active(user, endpoint_id: int, active: bool) -> Endpoint:
    """Disable (nothing more is queued for it, queued events fail) or enable again."""
    endpoint = get_endpoint(user, endpoint_id)
    if active and not endpoint.active and webhook_wire.DEBT_CRITICAL in endpoint.kinds \
            and not _subscribed_to_critical(user, excluding=endpoint):
        critical.baseline(user)
    endpoint.active = active
    endpoint.save(update_fields=["active"])
    return endpoint


def send_test(user, endpoint_id: int) -> Delivery:
    """Queue a test event for the endpoint; the worker sends it (or the CLI, at once)."""
    return delivery.queue_test(get_endpoint(user, endpoint_id))


def recent_deliveries(user, endpoint_id: int | None = None, limit: int = RECENT_DELIVERIES) -> list[Delivery]:
    rows = Delivery.objects.for_user(user).select_related("endpoint")
    if endpoint_id is not None:
        rows = rows.filter(endpoint=get_endpoint(user, endpoint_id))
    return list(rows[:limit])


def endpoint_as_dict(endpoint: Endpoint) -> dict:
    """What scripts and the API see of an endpoint (never the secret)."""
    return {
        "id": endpoint.pk, "url": endpoint.url, "events": list(endpoint.kinds), "active": endpoint.active,
        "created_at": endpoint.created_at.isoformat(),
        "last_delivery_at": endpoint.last_delivery_at.isoformat() if endpoint.last_delivery_at else None,
        "last_status": endpoint.last_status,
    }


def delivery_as_dict(row: Delivery) -> dict:
    return {
        "id": row.pk, "delivery_id": row.delivery_id, "endpoint": row.endpoint_id, "event": row.kind,
        "state": row.state, "attempts": row.attempts, "status_code": row.last_status_code, "error": row.last_error,
        "created_at": row.created_at.isoformat(),
        "delivered_at": row.delivered_at.isoformat() if row.delivered_at else None,
        "next_attempt_at": row.next_attempt_at.isoformat() if row.state == "queued" else None,
    }
