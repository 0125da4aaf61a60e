"""Where webhooks may go: in hosted mode never to a private, loopback or link-local
address (at registration and at every delivery, DNS rebinding included); in local
mode plain http only to loopback.

Nothing leaves this machine: socket.getaddrinfo is replaced only to play the DNS
answers an attacker would serve, and a "public" documentation address is never
really dialled.
"""

import ipaddress

import pytest
from django.urls import reverse

from goodword.lib import netguard, webhook_wire
from goodword.webhooks import delivery, services
from goodword.webhooks.models import Delivery, DeliveryState, Endpoint
from tests.factories.webhooks import Receiver, dns, make_endpoint

pytestmark = pytest.mark.django_db

REAL_WHY_NOT_PUBLIC = netguard.why_not_public


def pretend_test_net_3_is_public(address):
    # Stands in for a real public address, which these tests never use.
    if address in ipaddress.ip_network("203.0.113.0/24"):
        return ""
    return REAL_WHY_NOT_PUBLIC(address)


@pytest.fixture
def hosted(settings):
    settings.GOODWORD_MODE = "hosted"
    return settings


@pytest.mark.parametrize("url, words", [
    ("https://127.0.0.1:8443/hook", "127.0.0.1 is loopback"),
    ("https://[::1]/hook", "::1 is loopback"),
    ("https://10.1.2.3/hook", "10.1.2.3 is private"),
    ("https://192.168.0.10/hook", "192.168.0.10 is private"),
    ("https://169.254.169.254/latest/meta-data", "169.254.169.254 is link-local"),
    ("https://[fe80::1]/hook", "fe80::1 is link-local"),
    ("https://[::ffff:127.0.0.1]/hook", "reaches 127.0.0.1"),
    ("https://[64:ff9b::a9fe:a9fe]/hook", "reaches 169.254.169.254"),
])
def test_hosted_mode_refuses_to_register_a_private_address_saying_why(alice, hosted, url, words):
    with pytest.raises(services.ValidationError) as refused:
        services.create_endpoint(alice, url, ["debt.critical"])
    message = " ".join(refused.value.message_dict["url"])
    assert words in message and "only connects to public servers" in message
    assert not Endpoint.objects.exists()


def test_hosted_mode_refuses_a_name_that_resolves_to_a_private_address(alice, hosted, monkeypatch):
    dns(monkeypatch, {"hooks.example.test": [["203.0.113.7", "10.0.0.5"]]})
    monkeypatch.setattr(netguard, "why_not_public", pretend_test_net_3_is_public)
    with pytest.raises(services.ValidationError, match=r"10\.0\.0\.5 is private"):
        services.create_endpoint(alice, "https://hooks.example.test/hook", ["debt.critical"])


def test_hosted_mode_accepts_https_only(alice, hosted):
    with pytest.raises(services.ValidationError, match="sends webhooks over https only"):
        services.create_endpoint(alice, "http://hooks.example.org/hook", ["debt.critical"])


@pytest.mark.parametrize("url, words", [
    ("ftp://hooks.example.org/x", "starting with https://"),
    ("https://user:pw@hooks.example.org/x", "Leave the user name and password out"),
    ("https://hooks.example.org:99999/x", "not a web address"),
    ("https://hooks.example.org/x#frag", "fragment"),
    ("https://hooks.example.org:0/x", "port 0"),
    ("https://hooks .example.org/x", "spaces or control characters"),
    ("", "Give the receiver's address"),
    ("https://" + "a" * 2000 + ".org/", "longer than 2000"),
])
def test_malformed_addresses_are_refused_with_a_specific_message(alice, url, words):
    with pytest.raises(services.ValidationError) as refused:
        services.create_endpoint(alice, url, ["debt.critical"])
    assert words in " ".join(refused.value.message_dict["url"])


def test_the_web_form_shows_the_reason_for_a_refused_address(alice_client, alice, hosted):
    response = alice_client.post(reverse("webhooks:index"), {"url": "https://169.254.169.254/", "kinds": ["debt.critical"]})
    assert response.status_code == 400
    text = response.content.decode()
    assert "169.254.169.254 is link-local" in text and "only connects to public servers" in text
    assert not Endpoint.objects.exists()


def test_the_cli_shows_the_reason_for_a_refused_address(run, hosted):
    result = run("webhook", "add", "https://10.0.0.1/hook", "--event", "debt.critical")
    assert result.exit_code == 1
    assert "URL: 10.0.0.1 is a private or local address (10.0.0.1 is private" in result.output


def test_a_rebinding_name_is_refused_at_delivery_and_nothing_is_dialled(alice, hosted, monkeypatch):
    """The check at registration saw a "public" address; at delivery the name says 127.0.0.1:
    the delivery fails with the reason and no connection is made."""
    with Receiver() as receiver:
        calls = dns(monkeypatch, {"hooks.example.test": [["203.0.113.10"], ["127.0.0.1"]]})
        monkeypatch.setattr(netguard, "why_not_public", pretend_test_net_3_is_public)
        dialled = []
        monkeypatch.setattr(netguard, "_connect_one", lambda address, *rest: dialled.append(address) or 1 / 0)
        endpoint, _secret = services.create_endpoint(alice, f"https://hooks.example.test:{receiver.port}/hook",
                                                     ["sheet.opened"])
        delivery.queue_event(alice, "sheet.opened", {"what": "opened"}, key="sheet.opened:1")
        assert delivery.drain() == {"failed": 1}
    row = Delivery.objects.get()
    assert "127.0.0.1 is loopback" in row.last_error and "only connects to public servers" in row.last_error
    assert calls == ["hooks.example.test", "hooks.example.test"]  # once to register, once to deliver
    assert dialled == [] and receiver.requests == []
    endpoint.refresh_from_db()
    assert endpoint.last_status.startswith("Failed: hooks.example.test is a private or local address")


def test_a_delivery_connects_to_the_address_it_checked_never_to_the_name_again(alice, hosted, monkeypatch):
    """Resolved once per attempt: a later answer (127.0.0.1) is never what the socket uses."""
    calls = dns(monkeypatch, {"hooks.example.test": [["203.0.113.10"], ["203.0.113.10"], ["127.0.0.1"]]})
    monkeypatch.setattr(netguard, "why_not_public", pretend_test_net_3_is_public)
    dialled = []

    def connect_one(address, timeout, source_address):
        dialled.append(str(address.ip))
        raise ConnectionRefusedError("documentation address: never dialled for real")

    monkeypatch.setattr(netguard, "_connect_one", connect_one)
    services.create_endpoint(alice, "https://hooks.example.test/hook", ["sheet.opened"])
    delivery.queue_event(alice, "sheet.opened", {"what": "opened"}, key="sheet.opened:1")
    assert delivery.drain() == {"queued": 1}  # could not connect: retried later
    assert calls == ["hooks.example.test", "hooks.example.test"] and dialled == ["203.0.113.10"]
    row = Delivery.objects.get()
    assert "Could not reach hooks.example.test:443" in row.last_error
    Delivery.objects.update(next_attempt_at=row.created_at)
    assert delivery.drain() == {"failed": 1}  # the next attempt looks up again, gets 127.0.0.1, refuses
    assert dialled == ["203.0.113.10"]
    assert "127.0.0.1 is loopback" in Delivery.objects.get().last_error


def test_an_endpoint_saved_in_local_mode_is_refused_once_the_instance_is_hosted(alice, settings):
    with Receiver() as receiver:
        endpoint, _secret = make_endpoint(alice, receiver.url, kinds=["sheet.opened"])
        settings.GOODWORD_MODE = "hosted"
        delivery.queue_event(alice, "sheet.opened", {"what": "opened"}, key="sheet.opened:1")
        assert delivery.drain() == {"failed": 1}
    assert receiver.requests == []
    assert "sends webhooks over https only" in Delivery.objects.get().last_error


def test_local_mode_allows_plain_http_only_to_loopback(alice, monkeypatch):
    endpoint, _secret = services.create_endpoint(alice, "http://127.0.0.1:9000/hook", ["debt.critical"])
    assert endpoint.url == "http://127.0.0.1:9000/hook"
    services.create_endpoint(alice, "http://[::1]:9000/hook", ["debt.critical"])
    with pytest.raises(services.ValidationError, match="plain http:// is accepted only for a receiver on loopback"):
        services.create_endpoint(alice, "http://192.0.2.1/hook", ["debt.critical"])
    dns(monkeypatch, {"lan.example.test": [["127.0.0.1", "192.168.1.20"]]})
    with pytest.raises(services.ValidationError, match="not on this machine"):
        services.create_endpoint(alice, "http://lan.example.test/hook", ["debt.critical"])


def test_local_mode_saves_an_https_endpoint_without_a_lookup(alice, monkeypatch):
    def no_lookup(*args, **kwargs):
        raise AssertionError("no lookup for an https endpoint in local mode")

    monkeypatch.setattr("socket.getaddrinfo", no_lookup)
    endpoint, _secret = services.create_endpoint(alice, "https://hooks.example.org/x", ["debt.critical"])
    assert endpoint.pk


def test_local_mode_still_refuses_multicast_and_unspecified(alice):
    with Receiver() as receiver:
        endpoint, _secret = make_endpoint(alice, receiver.url, kinds=["sheet.opened"])
    Endpoint.objects.filter(pk=endpoint.pk).update(url="https://0.0.0.0/hook")
    delivery.queue_event(alice, "sheet.opened", {"what": "opened"}, key="sheet.opened:1")
    assert delivery.drain() == {"failed": 1}
    assert "not a server address" in Delivery.objects.get().last_error


def test_an_unknown_host_is_retried_not_given_up(alice, monkeypatch):
    endpoint, _secret = services.create_endpoint(alice, "https://hooks.example.test/x", ["sheet.opened"])

    def nowhere(*args, **kwargs):
        import socket

        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr("socket.getaddrinfo", nowhere)
    delivery.queue_event(alice, "sheet.opened", {"what": "opened"}, key="sheet.opened:1")
    assert delivery.drain() == {DeliveryState.QUEUED: 1}
    assert "cannot be found" in Delivery.objects.get().last_error


def test_check_url_keeps_the_path_and_query():
    target = webhook_wire.check_url("https://hooks.example.org/a/b?c=d", local=False)
    assert (target.host, target.port, target.https, target.path) == ("hooks.example.org", 443, True, "/a/b?c=d")
