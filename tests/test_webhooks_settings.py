"""The webhooks section of the settings and `goodword webhook`: add, list, disable, test,
remove, recent deliveries; another user's webhook is 404 on the web and "not found" in the CLI."""

import json
import re
import subprocess
import sys

import pytest
from django.urls import reverse

from goodword.webhooks import delivery, services
from goodword.webhooks.models import Delivery, Endpoint
from tests.factories.webhooks import Receiver, make_endpoint
from tests.test_cli_process import NO_DJANGO, plain_env

pytestmark = pytest.mark.django_db


def test_the_settings_page_has_the_webhooks_section_with_its_add_form(alice_client, alice):
    make_endpoint(alice, "https://hooks.example.org/alice", kinds=["portal.answered"])
    page = alice_client.get(reverse("core:settings")).content.decode()
    section = page.split('id="webhooks"')[1]
    assert "https://hooks.example.org/alice" in section and "a reference answered in the portal" in section
    assert f'action="{reverse("webhooks:index")}"' in section and 'name="kinds"' in section
    assert "Recent deliveries" in section and "Nothing sent yet." in section


def test_adding_through_the_form_then_testing_shows_the_delivery(alice_client, alice):
    with Receiver() as receiver:
        response = alice_client.post(reverse("webhooks:index"), {"url": receiver.url, "kinds": ["sheet.opened"]})
        assert response.status_code == 200 and "Webhook added" in response.content.decode()
        # The receiver is configured with the secret exactly as the page showed it.
        receiver.use_secret(re.search(r'id="webhook-secret" [^>]*value="([^"]+)"', response.content.decode()).group(1))
        endpoint = Endpoint.objects.for_user(alice).get()
        assert (endpoint.url, endpoint.kinds, endpoint.active) == (receiver.url, ["sheet.opened"], True)
        response = alice_client.post(reverse("webhooks:test", args=[endpoint.pk]))
        assert response.status_code == 302 and response["Location"] == reverse("webhooks:endpoint", args=[endpoint.pk])
        assert delivery.drain() == {"delivered": 1}
    page = alice_client.get(reverse("webhooks:endpoint", args=[endpoint.pk])).content.decode()
    assert "Test event" in page and "Delivered (HTTP 204)" in page
    settings_page = alice_client.get(reverse("core:settings")).content.decode()
    assert "Test event" in settings_page and "Delivered" in settings_page


@pytest.mark.parametrize("data, message", [
    ({"url": "https://hooks.example.org/x"}, "This field is required."),
    ({"url": "https://hooks.example.org/x", "kinds": ["debt.whatever"]}, "Select a valid choice."),
    ({"url": "gopher://x", "kinds": ["debt.critical"]}, "Give a web address starting with https://."),
])
def test_the_form_says_what_is_wrong(alice_client, data, message):
    response = alice_client.post(reverse("webhooks:index"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Endpoint.objects.exists()


def test_disable_enable_and_remove_from_the_page(alice_client, alice):
    endpoint, _secret = make_endpoint(alice, "https://hooks.example.org/x")
    response = alice_client.post(reverse("webhooks:active", args=[endpoint.pk]), {"active": "0", "next": "/settings/"})
    assert response.status_code == 302 and response["Location"] == "/settings/"
    endpoint.refresh_from_db()
    assert not endpoint.active
    alice_client.post(reverse("webhooks:active", args=[endpoint.pk]), {"active": "1"})
    endpoint.refresh_from_db()
    assert endpoint.active
    response = alice_client.post(reverse("webhooks:remove", args=[endpoint.pk]), {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("webhooks:index")
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize("name, method", [
    ("webhooks:endpoint", "get"), ("webhooks:remove", "post"), ("webhooks:active", "post"), ("webhooks:test", "post"),
])
def test_bobs_webhook_is_not_found_for_alice_and_stays_as_it_was(alice_client, bob, name, method):
    endpoint, _secret = make_endpoint(bob, "https://hooks.example.org/bob")
    response = getattr(alice_client, method)(reverse(name, args=[endpoint.pk]), {"active": "0"})
    assert response.status_code == 404
    endpoint.refresh_from_db()
    assert endpoint.active and not Delivery.objects.exists()
    assert "hooks.example.org/bob" not in alice_client.get(reverse("core:settings")).content.decode()


def test_services_refuse_another_users_endpoint(alice, bob):
    endpoint, _secret = make_endpoint(bob, "https://hooks.example.org/bob")
    for call in (lambda: services.get_endpoint(alice, endpoint.pk), lambda: services.delete_endpoint(alice, endpoint.pk),
                 lambda: services.set_active(alice, endpoint.pk, False), lambda: services.send_test(alice, endpoint.pk),
                 lambda: services.recent_deliveries(alice, endpoint.pk)):
        with pytest.raises(services.EndpointNotFound):
            call()
    assert list(services.list_endpoints(alice)) == []
    assert Endpoint.objects.get().active


def test_a_user_has_at_most_twenty_webhooks(alice):
    for n in range(services.MAX_ENDPOINTS):
        make_endpoint(alice, f"https://hooks.example.org/{n}")
    with pytest.raises(services.ValidationError, match="remove one first"):
        make_endpoint(alice, "https://hooks.example.org/one-more")


def test_the_cli_adds_lists_tests_and_removes(run, alice):
    with Receiver() as receiver:
        added = run("webhook", "add", receiver.url, "--event", "sheet.opened", "--event", "debt.critical")
        assert added.exit_code == 0, added.output
        endpoint = Endpoint.objects.for_user(alice).get()
        assert added.output.startswith(f"Added webhook {endpoint.pk}: debt.critical, sheet.opened → {receiver.url}")
        receiver.use_secret(added.output.strip().rsplit(" ", 1)[1])  # as printed, once
        tested = run("webhook", "test", endpoint.pk)
        assert tested.exit_code == 0, tested.output
        assert f"Delivered the test event to {receiver.url} (HTTP 204)." in tested.output
    listed = json.loads(run("webhook", "list", "--json").output)
    assert [(row["id"], row["events"], row["active"], row["last_status"]) for row in listed] == [
        (endpoint.pk, ["debt.critical", "sheet.opened"], True, "Delivered (HTTP 204)")]
    table = run("webhook", "list").output
    assert receiver.url in table and "Delivered (HTTP 204)" in table
    assert run("webhook", "disable", endpoint.pk).output.strip() == f"Webhook {endpoint.pk} is off."
    assert run("webhook", "enable", endpoint.pk).output.strip() == f"Webhook {endpoint.pk} is on."
    removed = run("webhook", "remove", endpoint.pk)
    assert removed.exit_code == 0 and not Endpoint.objects.exists()


def test_the_cli_test_says_when_the_receiver_failed(run, alice):
    with Receiver(status=500) as receiver:
        endpoint, _secret = make_endpoint(alice, receiver.url)
        result = run("webhook", "test", endpoint.pk)
    assert result.exit_code == 1
    assert "Not delivered yet: The receiver answered HTTP 500. The worker tries again (attempt 1 of 6)." in result.output


def test_the_cli_does_not_find_bobs_webhook(run, bob):
    endpoint, _secret = make_endpoint(bob, "https://hooks.example.org/bob")
    for command in ("remove", "test", "disable", "enable"):
        result = run("webhook", command, endpoint.pk)
        assert result.exit_code == 2
        assert f"No webhook of yours has the id {endpoint.pk}." in result.output
    assert run("webhook", "remove", "²").exit_code == 2
    assert "No webhooks yet" in run("webhook", "list").output
    endpoint.refresh_from_db()
    assert endpoint.active and not Delivery.objects.exists()


def test_the_cli_names_the_wrong_option(run):
    result = run("webhook", "add", "https://user:pw@hooks.example.org/", "--event", "sheet.opened")
    assert result.exit_code == 1 and "URL: Leave the user name and password out" in result.output
    assert run("webhook", "add", "https://hooks.example.org/").exit_code == 2  # --event is required


@pytest.mark.parametrize("args", [["--help"], ["webhook", "--help"], ["webhook", "add", "--help"]])
def test_help_imports_no_django(args, tmp_path):
    done = subprocess.run([sys.executable, "-c", NO_DJANGO.format(args=args)], env=plain_env(tmp_path),
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "webhook" in done.stdout
