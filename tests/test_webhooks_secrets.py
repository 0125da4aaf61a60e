"""The shared secret is kept only encrypted, shown once, and neither it nor a signature is ever logged."""

import logging

import pytest
from django.db import connection
from django.urls import reverse

from goodword.outreach import crypto
from goodword.webhooks import delivery
from goodword.webhooks.models import Endpoint
from tests.factories.portal import make_portal_setup
from tests.factories.webhooks import Receiver, answer_in_portal, make_endpoint
from tests.test_secrets_at_rest import stored_values

pytestmark = pytest.mark.django_db


def test_the_secret_column_holds_a_fernet_token_not_the_secret(alice):
    endpoint, secret = make_endpoint(alice, "https://hooks.example.org/x")
    assert secret.startswith("whsec_") and len(secret) == 6 + 43
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT secret_encrypted FROM {Endpoint._meta.db_table} WHERE id = %s", [endpoint.pk])
        [raw] = cursor.fetchone()
    assert secret not in raw and secret[6:] not in raw and raw.startswith("gAAAA")  # a Fernet token
    assert crypto.decrypt_for(delivery.SECRET_PURPOSE, raw) == secret
    # Its own key: not the SMTP password key.
    assert crypto.decrypt(raw) is None


def test_no_column_of_any_table_holds_the_secret_or_a_signature_after_deliveries(alice, caplog):
    caplog.set_level(logging.DEBUG)
    with Receiver(fail_first=1) as receiver:
        _endpoint, secret = make_endpoint(alice, receiver.url, kinds=["portal.answered"])
        receiver.use_secret(secret)
        _listing, token = make_portal_setup(alice)
        answer_in_portal(token, answer="agreed")
        assert delivery.drain() == {"queued": 1}  # HTTP 500: a warning is logged
        from goodword.webhooks.models import Delivery

        Delivery.objects.update(next_attempt_at=Delivery.objects.get().created_at)
        assert delivery.drain() == {"delivered": 1}
    signatures = [headers["Goodword-Signature"].removeprefix("v1=") for headers, _b, _s in receiver.requests]
    assert len(signatures) == 2
    looked_at = 0
    for table, column, value in stored_values():
        looked_at += 1
        text = bytes(value).decode("latin-1") if isinstance(value, memoryview | bytes) else str(value)
        assert secret[6:] not in text, f"{table}.{column} holds the secret"
        assert not any(signature in text for signature in signatures), f"{table}.{column} holds a signature"
    assert looked_at > 20
    assert "HTTP 500" in caplog.text  # the failure was logged…
    assert secret[6:] not in caplog.text and not any(signature in caplog.text for signature in signatures)  # …and only that


def test_the_secret_is_shown_once_on_the_web_and_never_again(alice_client, alice, caplog):
    caplog.set_level(logging.DEBUG)
    response = alice_client.post(reverse("webhooks:index"), {"url": "https://hooks.example.org/x",
                                                            "kinds": ["debt.critical", "portal.answered"]})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    endpoint = Endpoint.objects.get()
    secret = crypto.decrypt_for(delivery.SECRET_PURPOSE, endpoint.secret_encrypted)
    assert f'value="{secret}"' in page and "shown this once" in page
    for url in (reverse("core:settings"), reverse("webhooks:index"), reverse("webhooks:endpoint", args=[endpoint.pk])):
        assert secret[6:] not in alice_client.get(url).content.decode()
    assert secret[6:] not in caplog.text


def test_the_cli_prints_the_secret_once_and_list_never_shows_it(run, alice, caplog):
    caplog.set_level(logging.DEBUG)
    added = run("webhook", "add", "https://hooks.example.org/x", "--event", "sheet.opened")
    assert added.exit_code == 0, added.output
    secret = crypto.decrypt_for(delivery.SECRET_PURPOSE, Endpoint.objects.get().secret_encrypted)
    assert f"Signing secret (shown once; keep it in your receiver's configuration): {secret}" in added.output
    for args in (("webhook", "list"), ("webhook", "list", "--json")):
        assert secret[6:] not in run(*args).output
    assert secret[6:] not in caplog.text


def test_a_secret_sealed_under_another_secret_key_fails_the_delivery_with_a_way_out(alice, settings):
    with Receiver() as receiver:
        make_endpoint(alice, receiver.url, kinds=["sheet.opened"])
        settings.SECRET_KEY = "a-different-secret-key-for-this-test-only-0123456789"
        delivery.queue_event(alice, "sheet.opened", {"what": "opened"}, key="sheet.opened:1")
        assert delivery.drain() == {"failed": 1}
    assert receiver.requests == []
    from goodword.webhooks.models import Delivery

    assert "remove the endpoint and add it again" in Delivery.objects.get().last_error
