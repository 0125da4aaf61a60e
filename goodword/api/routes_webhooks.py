"""Your webhooks: add, list, read, remove, enable or disable, send a test, and their deliveries,
through webhooks/services.py as the settings page and `goodword webhook` do."""

import datetime as dt
from contextlib import contextmanager
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Query, Router, Schema, Status
from pydantic import Field

from goodword.api.core import check_if_match, honours_if_match, idempotent, page, user_of
from goodword.api.lookups import IdPath, reads, responses
from goodword.api.problems import Problem
from goodword.api.schemas import Out, PageParams, Text, page_of
from goodword.lib import webhook_wire
from goodword.webhooks import services as webhooks
from goodword.webhooks.models import Delivery

router = Router(tags=["webhooks"])

EventName = Literal[tuple(webhook_wire.KINDS)]


class WebhookOut(Out):
    id: int
    url: str
    events: list[str]
    active: bool
    created_at: dt.datetime
    last_delivery_at: dt.datetime | None
    last_status: str


class WebhookCreatedOut(WebhookOut):
    secret: str | None = Field(description="The signing secret, shown in this answer only (null when an "
                                            "Idempotency-Key replays it: it is never stored in clear).")


class WebhookIn(Schema):
    url: Text(webhook_wire.MAX_URL_LENGTH, 1) = Field(description="https address of your receiver "
                                                                 "(hosted mode: public hosts only).")
    events: list[EventName] = Field(min_length=1, max_length=len(webhook_wire.KINDS))


class DeliveryOut(Out):
    id: int
    delivery_id: str
    endpoint: int
    event: str
    state: str
    attempts: int
    status_code: int | None
    error: str
    created_at: dt.datetime
    delivered_at: dt.datetime | None
    next_attempt_at: dt.datetime | None


@contextmanager
def _found():
    """The services' EndpointNotFound (another user's id too) as the API's 404; their field
    `kinds` under the name the API uses, `events`."""
    try:
        yield
    except webhooks.EndpointNotFound as missing:
        raise Problem(404, str(missing)) from None
    except ValidationError as error:
        if hasattr(error, "error_dict") and "kinds" in error.error_dict:
            error.error_dict["events"] = error.error_dict.pop("kinds")
        raise


@router.get("/webhooks", response=reads(page_of(WebhookOut)))
def list_webhooks(request, params: Query[PageParams]):
    """Your webhooks, oldest first (never their secrets)."""
    rows = webhooks.list_endpoints(user_of(request))
    return page(rows, ["created_at", "id"], params.cursor, params.limit, webhooks.endpoint_as_dict)


@router.post("/webhooks", response=responses({201: WebhookCreatedOut}))
@idempotent(WebhookCreatedOut, kept=lambda data: data | {"secret": None}, no_store=True)
def create_webhook(request, payload: WebhookIn):
    """Add a receiver for some events (as `goodword webhook add`). The answer holds the signing secret,
    the only time it is shown."""
    with _found():
        endpoint, secret = webhooks.create_endpoint(user_of(request), payload.url, payload.events)
    return webhooks.endpoint_as_dict(endpoint) | {"secret": secret}


@router.get("/webhooks/{webhook_id}", response=reads(WebhookOut))
def get_webhook(request, webhook_id: int = IdPath()):
    with _found():
        return webhooks.endpoint_as_dict(webhooks.get_endpoint(user_of(request), webhook_id))


@router.delete("/webhooks/{webhook_id}", response=responses({204: None}))
@honours_if_match
def delete_webhook(request, webhook_id: int = IdPath()):
    """Remove the webhook and its deliveries (queued ones are never sent)."""
    user = user_of(request)
    with _found():
        check_if_match(request, WebhookOut, webhooks.endpoint_as_dict(webhooks.get_endpoint(user, webhook_id)))
        webhooks.delete_endpoint(user, webhook_id)
    return Status(204, None)


def _set_active(request, webhook_id: int, active: bool) -> dict:
    user = user_of(request)
    with _found():
        check_if_match(request, WebhookOut, webhooks.endpoint_as_dict(webhooks.get_endpoint(user, webhook_id)))
        return webhooks.endpoint_as_dict(webhooks.set_active(user, webhook_id, active))


@router.post("/webhooks/{webhook_id}/enable", response=responses({200: WebhookOut}))
@honours_if_match
def enable_webhook(request, webhook_id: int = IdPath()):
    """Send to it again from now on."""
    return _set_active(request, webhook_id, True)


@router.post("/webhooks/{webhook_id}/disable", response=responses({200: WebhookOut}))
@honours_if_match
def disable_webhook(request, webhook_id: int = IdPath()):
    """Nothing more is queued for it; deliveries still queued fail."""
    return _set_active(request, webhook_id, False)


@router.post("/webhooks/{webhook_id}/test", response=responses({202: DeliveryOut}))
def test_webhook(request, webhook_id: int = IdPath()):
    """Queue a test event for this webhook (even while disabled); the worker sends it. Follow it in its deliveries."""
    with _found():
        return Status(202, webhooks.delivery_as_dict(webhooks.send_test(user_of(request), webhook_id)))


@router.get("/webhooks/{webhook_id}/deliveries", response=reads(page_of(DeliveryOut)))
def list_deliveries(request, params: Query[PageParams], webhook_id: int = IdPath()):
    """What was sent to this webhook, newest first: state, attempts, the receiver's status code or error."""
    user = user_of(request)
    with _found():
        endpoint = webhooks.get_endpoint(user, webhook_id)
    rows = Delivery.objects.for_user(user).filter(endpoint=endpoint)
    return page(rows, ["-created_at", "-id"], params.cursor, params.limit, webhooks.delivery_as_dict)
