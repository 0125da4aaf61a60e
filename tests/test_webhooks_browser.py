"""In Chromium: add a webhook from the settings page, copy the secret shown once, send a
test event to a real loopback receiver, see it delivered; every page passes axe."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from goodword.webhooks import delivery
from tests.factories.accounts import sign_in_browser
from tests.factories.webhooks import Receiver
from tests.test_slates_axe import blocking_violations

pytestmark = pytest.mark.browser


def test_add_a_webhook_in_the_settings_and_watch_a_test_event_arrive(page, live_server, transactional_db):
    sign_in_browser(page, live_server)
    with Receiver() as receiver:
        page.goto(live_server.url + reverse("core:settings"))
        section = page.locator("#webhooks")
        assert blocking_violations(page) == []
        section.get_by_label("Receiver address").fill(receiver.url)
        section.get_by_label("A reference answered in the portal").check()
        section.get_by_role("button", name="Add the webhook").click()

        expect(page.get_by_role("heading", name="Webhook added")).to_be_visible()
        assert blocking_violations(page) == []
        secret = page.get_by_label("Its signing secret, shown this once").input_value()
        assert secret.startswith("whsec_")
        receiver.use_secret(secret)
        page.get_by_role("button", name="Send a test event").click()

        expect(page.get_by_role("heading", name=f"Webhook to {receiver.url}")).to_be_visible()
        expect(page.get_by_role("status")).to_contain_text("A test event is on its way")
        assert delivery.drain() == {"delivered": 1}  # what the worker thread of `goodword serve` does
        page.reload()
        expect(page.get_by_role("cell", name="Delivered (HTTP 204)")).to_be_visible()
        assert blocking_violations(page) == []
    [(kind, _data)] = receiver.handled
    assert kind == "test"

    page.goto(live_server.url + reverse("core:settings"))
    page.locator("#webhooks").get_by_role("button", name=f"Remove the webhook to {receiver.url}").click()
    expect(page.get_by_role("status")).to_contain_text("Removed the webhook")
    expect(page.locator("#webhooks")).to_contain_text("No webhooks yet.")
