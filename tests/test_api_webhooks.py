"""Webhooks through the API: the same services as Settings → Webhooks and `goodword webhook`."""

import json

import pytest

from goodword.api.models import IdempotentRequest
from goodword.webhooks.models import Delivery, Endpoint
from tests.factories.api import ApiClient, bearer, make_token

URL = "https://hooks.example.org/goodword"


@pytest.fixture
def api(client, alice):
    return ApiClient(client, make_token(alice))


def test_add_shows_the_secret_once_and_never_again(api, alice):
    made = api.send("POST", "/api/v1/webhooks", {"url": URL, "events": ["portal.answered", "debt.critical"]})
    assert made.status_code == 201 and made["Cache-Control"] == "no-store", made.content
    body = made.json()
    assert body["secret"].startswith("whsec_") and body["events"] == ["debt.critical", "portal.answered"]
    again = api.get(f"/api/v1/webhooks/{body['id']}")
    assert again.status_code == 200 and "secret" not in again.json()
    assert body["secret"] not in api.get("/api/v1/webhooks").content.decode()
    assert Endpoint.objects.get(pk=body["id"]).owner == alice


def test_an_idempotent_add_creates_one_and_never_stores_the_secret(api, alice):
    key = {"HTTP_IDEMPOTENCY_KEY": "hook-0001-abc"}
    first = api.send("POST", "/api/v1/webhooks", {"url": URL, "events": ["sheet.opened"]}, **key)
    second = api.send("POST", "/api/v1/webhooks", {"url": URL, "events": ["sheet.opened"]}, **key)
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true" and first["Cache-Control"] == "no-store"
    assert second.json()["id"] == first.json()["id"] and second.json()["secret"] is None
    assert Endpoint.objects.for_user(alice).count() == 1
    assert first.json()["secret"] not in IdempotentRequest.objects.get(owner=alice).body


def test_bad_address_and_events_are_field_errors(api):
    refused = api.send("POST", "/api/v1/webhooks", {"url": "ftp://example.org/x", "events": ["portal.answered"]})
    assert refused.status_code == 422 and refused["Content-Type"] == "application/problem+json"
    assert [e["field"] for e in refused.json()["errors"]] == ["body.url"]
    unknown = api.send("POST", "/api/v1/webhooks", {"url": URL, "events": ["nope"]})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"].startswith("body.events")


def test_disable_enable_test_and_deliveries(api, alice):
    hook = api.send("POST", "/api/v1/webhooks", {"url": URL, "events": ["portal.answered"]}).json()
    base = f"/api/v1/webhooks/{hook['id']}"
    assert api.send("POST", base + "/disable").json()["active"] is False
    assert Endpoint.objects.get(pk=hook["id"]).active is False
    stale = api.get(base)["ETag"]
    assert api.send("POST", base + "/enable").json()["active"] is True
    assert api.send("POST", base + "/disable", HTTP_IF_MATCH=stale).status_code == 412
    sent = api.send("POST", base + "/test")
    assert sent.status_code == 202 and sent.json()["event"] == "test" and sent.json()["state"] == "queued"
    listed = api.get(base + "/deliveries?limit=1").json()
    assert [row["id"] for row in listed["items"]] == [sent.json()["id"]]
    assert api.send("DELETE", base).status_code == 204
    assert not Delivery.objects.filter(endpoint_id=hook["id"]).exists()
    assert api.get(base).status_code == 404


def test_a_read_only_token_cannot_add_or_change_a_webhook(client, alice):
    reader = bearer(make_token(alice, read_only=True))
    refused = client.post("/api/v1/webhooks", json.dumps({"url": URL, "events": ["portal.answered"]}),
                          content_type="application/json", **reader)
    assert refused.status_code == 403 and not Endpoint.objects.exists()
    assert client.get("/api/v1/webhooks", **reader).status_code == 200


def test_hosted_mode_refuses_a_private_address(api, settings):
    settings.GOODWORD_MODE = "hosted"
    refused = api.send("POST", "/api/v1/webhooks", {"url": "https://127.0.0.1/hook", "events": ["portal.answered"]})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "body.url"
