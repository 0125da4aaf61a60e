"""The SSRF guard (goodword.lib.netguard) and the SMTP client that connects only to what it checked.

Only loopback and documentation addresses appear here, and nothing connects
outside this machine: socket.getaddrinfo is replaced only to play the DNS
answers an attacker would serve, and a "public" documentation address is
never really dialled.
"""

import datetime as dt
import ipaddress
import socket
import ssl

import pytest
from django.urls import reverse

from goodword.lib import netguard, pinned_smtp
from goodword.outreach import outbox
from goodword.outreach.models import MessageState, SmtpSettings
from tests.factories.outreach import SmtpSink, free_port, make_smtp_settings
from tests.factories.references import make_reference

ip = ipaddress.ip_address


@pytest.mark.parametrize("address, inside", [
    ("::ffff:127.0.0.1", ["127.0.0.1"]),                          # IPv4-mapped
    ("::ffff:192.0.2.7", ["192.0.2.7"]),
    ("::127.0.0.1", ["127.0.0.1"]),                               # IPv4-compatible
    ("64:ff9b::7f00:1", ["127.0.0.1"]),                           # NAT64 well-known prefix
    ("64:ff9b::c633:6401", ["198.51.100.1"]),
    ("64:ff9b:1::7f00:1", ["127.0.0.1"]),                         # NAT64 local-use prefix
    ("2002:7f00:1::1", ["127.0.0.1"]),                            # 6to4: bits 16-48
    ("2002:cb00:7109::1", ["203.0.113.9"]),
    # Teredo: server in bits 32-64, client in the last 32 bits, inverted.
    ("2001:0:c000:201::80ff:fffe", ["192.0.2.1", "127.0.0.1"]),
    ("2001:0:7f00:1::39cc:9bf6", ["127.0.0.1", "198.51.100.9"]),
])
def test_embedded_ipv4_is_found_in_every_transition_form(address, inside):
    assert netguard.embedded_ipv4(ip(address)) == [ip(a) for a in inside]


@pytest.mark.parametrize("address", ["::1", "::", "2001:db8::1", "127.0.0.1", "198.51.100.20"])
def test_plain_addresses_embed_nothing(address):
    assert netguard.embedded_ipv4(ip(address)) == []


@pytest.mark.parametrize("address, words", [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"),
    ("100.64.0.1", "private or reserved"), ("fc00::1", "private"), ("fd12:3456::1", "private"),
    ("fec0::1", "site-local"), ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ("240.0.0.1", "reserved"), ("255.255.255.255", "reserved"),
    ("192.0.2.1", "reserved"), ("198.51.100.1", "reserved"), ("203.0.113.1", "reserved"), ("2001:db8::1", "reserved"),
    # The embedded forms, judged by what they reach.
    ("::ffff:127.0.0.1", "reaches 127.0.0.1"), ("::ffff:169.254.169.254", "reaches 169.254.169.254"),
    ("::127.0.0.1", "reaches 127.0.0.1"), ("64:ff9b::a9fe:a9fe", "reaches 169.254.169.254"),
    ("64:ff9b::7f00:1", "reaches 127.0.0.1"), ("64:ff9b:1::7f00:1", "private or reserved"),
    ("2002:7f00:1::1", "reaches 127.0.0.1"), ("2002:a9fe:a9fe::1", "reaches 169.254.169.254"),
    ("2001:0:c000:201::80ff:fffe", "reaches"),
])
def test_non_public_addresses_are_refused_with_the_reason(address, words):
    assert words in netguard.why_not_public(ip(address))


def dns(monkeypatch, answers: dict[str, list]):
    """Play DNS: each name answers the next address list in turn (the last one repeats)."""
    calls = []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        calls.append(host)
        turn = answers[host][min(len([c for c in calls if c == host]) - 1, len(answers[host]) - 1)]
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "",
             (a, port, 0, 0) if ":" in a else (a, port))
            for a in turn
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return calls


def test_every_resolved_address_is_checked_not_only_the_first(monkeypatch):
    dns(monkeypatch, {"mail.example.test": [["203.0.113.5", "64:ff9b::7f00:1"]]})
    monkeypatch.setattr(netguard, "why_not_public", pretend_test_net_3_is_public)
    with pytest.raises(netguard.UnsafeAddress, match=r"64:ff9b::7f00:1 reaches 127\.0\.0\.1"):
        netguard.resolve_public("mail.example.test", 587)


def test_a_name_is_resolved_once_and_the_checked_addresses_are_returned(monkeypatch):
    calls = dns(monkeypatch, {"mail.example.test": [["203.0.113.5", "2001:db8::25"]]})
    monkeypatch.setattr(netguard, "why_not_public", pretend_test_net_3_is_public)
    with pytest.raises(netguard.UnsafeAddress, match="2001:db8::25"):
        netguard.resolve_public("mail.example.test", 587)
    dns(monkeypatch, {"relay.example.test": [["203.0.113.5", "203.0.113.6"]]})
    checked = netguard.resolve_public("relay.example.test", 587)
    assert [(str(a.ip), a.sockaddr[1]) for a in checked] == [("203.0.113.5", 587), ("203.0.113.6", 587)]
    assert calls == ["mail.example.test"]


def test_local_mode_allows_loopback_but_never_multicast_or_unspecified(monkeypatch):
    assert [str(a.ip) for a in netguard.resolve("127.0.0.1", 25, allow_private=True)] == ["127.0.0.1"]
    for address in ("224.0.0.1", "0.0.0.0", "::ffff:0.0.0.0"):
        with pytest.raises(netguard.UnsafeAddress, match="not a server address"):
            netguard.resolve(address, 25, allow_private=True)


def test_an_unknown_host_is_a_host_not_found_with_a_message(monkeypatch):
    def nowhere(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", nowhere)
    with pytest.raises(netguard.HostNotFound, match="cannot be found"):
        netguard.resolve_public("mail.example.test", 25)


def pretend_test_net_3_is_public(address):
    # Stands in for a real public address, which these tests never use.
    if address in ipaddress.ip_network("203.0.113.0/24"):
        return ""
    return REAL_WHY_NOT_PUBLIC(address)


REAL_WHY_NOT_PUBLIC = netguard.why_not_public


def test_a_rebinding_name_cannot_make_the_worker_connect_to_loopback(alice, settings, monkeypatch):
    """The check sees a "public" address, every later lookup says 127.0.0.1: the worker
    dials only the checked address, and a fresh attempt refuses the new answer."""
    monkeypatch.setattr(outbox, "RETRY_BASE", dt.timedelta(0))
    with SmtpSink() as sink:
        make_smtp_settings(alice, sink.port, host="mail.example.test")  # local mode: saved without a lookup
        settings.GOODWORD_MODE = "hosted"
        calls = dns(monkeypatch, {"mail.example.test": [["203.0.113.10"], ["127.0.0.1"]]})
        monkeypatch.setattr(netguard, "why_not_public", pretend_test_net_3_is_public)
        dialled = []
        real_connect_one = netguard._connect_one

        def connect_one(address, timeout, source_address):
            dialled.append(str(address.ip))
            if address.ip in ipaddress.ip_network("203.0.113.0/24"):
                raise ConnectionRefusedError("documentation address: never dialled for real")
            return real_connect_one(address, timeout, source_address)

        monkeypatch.setattr(netguard, "_connect_one", connect_one)
        message = outbox.queue_message(alice, make_reference(alice), kind="keep_in_touch", subject="Hi", text="Hello.\n")
        outbox.drain(limit=1)
        message.refresh_from_db()
        assert message.state == MessageState.QUEUED  # could not connect: retried later
        assert calls == ["mail.example.test"] and dialled == ["203.0.113.10"]
        outbox.drain(limit=1)  # the next attempt looks up again and gets 127.0.0.1
        message.refresh_from_db()
        assert message.state == MessageState.FAILED and "127.0.0.1 is loopback" in message.last_error
        assert dialled == ["203.0.113.10"]
        assert sink.handler.received == []


@pytest.mark.parametrize("host, reaches", [
    ("64:ff9b::a9fe:a9fe", "169.254.169.254"),
    ("2002:7f00:1::1", "127.0.0.1"),
    ("[::ffff:127.0.0.1]", "127.0.0.1"),
])
def test_hosted_smtp_settings_form_refuses_embedded_private_addresses(alice_client, alice, settings, host, reaches):
    settings.GOODWORD_MODE = "hosted"
    response = alice_client.post(reverse("outreach:smtp"), {
        "host": host, "port": 587, "security": "starttls", "username": "", "password": "",
        "from_name": "Alice", "from_address": "alice@example.com",
    })
    assert response.status_code == 400
    text = response.content.decode()
    assert "is a private or local address" in text and f"reaches {reaches}" in text
    assert "only connects to public servers" in text
    assert not SmtpSettings.objects.filter(owner=alice).exists()


def test_local_mode_connects_to_a_loopback_relay_through_the_same_path(alice, monkeypatch):
    dialled = []
    real_connect_one = netguard._connect_one
    monkeypatch.setattr(netguard, "_connect_one", lambda a, *rest: dialled.append(str(a.ip)) or real_connect_one(a, *rest))
    with SmtpSink() as sink:
        make_smtp_settings(alice, sink.port, host="127.0.0.1")
        outbox.queue_message(alice, make_reference(alice), kind="keep_in_touch", subject="Hi", text="Hello.\n")
        assert outbox.drain() == {"sent": 1}
    assert dialled == ["127.0.0.1"]


class RecordingContext:
    """Stands in for an SSL context: records the name the certificate would be checked against."""

    def __init__(self):
        self.server_hostname = None

    def wrap_socket(self, sock, server_hostname=None, **kwargs):
        self.server_hostname = server_hostname
        sock.close()
        raise ssl.SSLCertVerificationError("recorded")


def test_tls_checks_the_certificate_against_the_host_name_not_the_pinned_address(monkeypatch):
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        dns(monkeypatch, {"mail.example.test": [["127.0.0.1"]]})
        context = RecordingContext()
        with pytest.raises(ssl.SSLError):
            pinned_smtp.open_pinned("mail.example.test", port, implicit_tls=True, allow_private=True, timeout=5, context=context)
        assert context.server_hostname == "mail.example.test"


def test_starttls_keeps_the_host_name_for_the_certificate_check(monkeypatch):
    dns(monkeypatch, {"mail.example.test": [["127.0.0.1"]]})
    with SmtpSink() as sink:
        smtp = pinned_smtp.open_pinned("mail.example.test", sink.port, implicit_tls=False, allow_private=True, timeout=5)
        try:
            assert smtp._host == "mail.example.test"  # what smtplib.starttls passes as server_hostname
            assert smtp.sock.getpeername()[0] == "127.0.0.1"
        finally:
            smtp.quit()


def test_a_refused_connection_to_every_checked_address_is_an_os_error():
    checked = netguard.resolve("127.0.0.1", free_port(), allow_private=True)
    with pytest.raises(OSError):
        netguard.connect(checked, timeout=2)
