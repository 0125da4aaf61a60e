"""Mail Goodword sends to the candidate (portal notices, digests) is retried like outreach.

A real SMTP server on loopback (aiosmtpd) answers 451 to the first attempt
and accepts the second; the message must arrive exactly once, on the retry.
"""

import datetime as dt

import pytest
from django.urls import reverse

from goodword.outreach import outbox
from goodword.outreach.models import MessageState, OutboxMessage
from goodword.portal.models import PortalAnswer
from goodword.reminders import services
from goodword.timeline.models import Event
from tests.factories.outreach import SmtpSink, make_smtp_settings
from tests.factories.portal import make_portal_setup, nonce_from, page_url
from tests.test_reminders_digest import digest_on, owes_a_critical_and_a_low, tomorrow_at

TRY_AGAIN = "451 4.3.0 Temporary local problem, try again"


@pytest.fixture
def sink(monkeypatch):
    monkeypatch.setattr(outbox, "RETRY_BASE", dt.timedelta(0))  # the retry is due at once
    with SmtpSink() as running:
        yield running


def answer_on_the_portal(client, token):
    page = client.get(page_url(token))
    client.post(page_url(token), {"form": "letter", "nonce": nonce_from(page, "letter")})


def test_a_portal_notice_refused_once_is_delivered_once_on_the_retry(alice, sink, client):
    make_smtp_settings(alice, sink.port, from_address="alice@example.com")
    _listing, token = make_portal_setup(alice)
    answer_on_the_portal(client, token)
    sink.handler.plan = [TRY_AGAIN]
    services.run_reminders()
    assert outbox.drain(limit=1) == {"queued": 1}  # 451: back in the queue, not marked done
    notice = OutboxMessage.objects.get(owner=alice, kind="portal_notice")
    assert notice.state == MessageState.QUEUED and "451" in notice.last_error
    assert sink.handler.received == []
    assert outbox.drain() == {"sent": 1}
    assert sink.handler.message_ids() == [notice.message_id]
    received = sink.handler.received[0]
    assert received["To"] == "alice@example.com" and "Dana Whitfield" in received["Subject"]
    # Announced once: nothing new to say, nothing more sent.
    assert services.send_portal_notices() == 0 and outbox.drain() == {}
    assert sink.handler.message_ids() == [notice.message_id]
    assert not PortalAnswer.objects.filter(emailed_at__isnull=True).exists()
    assert Event.objects.filter(channel="email").count() == 0  # app mail adds nothing to a reference's timeline


def test_a_digest_refused_once_is_delivered_once_on_the_retry(alice, sink):
    make_smtp_settings(alice, sink.port)
    digest_on(alice)
    owes_a_critical_and_a_low(alice)
    sink.handler.plan = [TRY_AGAIN]
    assert services.send_due_digests(tomorrow_at(8)) == {"sent": 1}
    assert outbox.drain(limit=1) == {"queued": 1}
    assert outbox.drain() == {"sent": 1}
    message = services.todays_digest_message(alice, tomorrow_at(8))
    assert message.state == MessageState.SENT and message.attempts == 2
    assert sink.handler.message_ids() == [message.message_id]
    assert services.send_due_digests(tomorrow_at(9)) == {"already": 1} and outbox.drain() == {}


def test_instance_mailer_digest_is_retried_through_the_outbox_too(alice, sink, settings):
    """No SMTP settings on the account: GOODWORD_SMTP_URL's server, same states and retries."""
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {
        "host": "127.0.0.1", "port": sink.port, "username": "", "password": "",
        "use_ssl": False, "use_tls": False, "timeout": 5}}}
    digest_on(alice)
    owes_a_critical_and_a_low(alice)
    sink.handler.plan = [TRY_AGAIN]
    services.send_due_digests(tomorrow_at(8))
    assert outbox.drain(limit=1) == {"queued": 1}
    assert outbox.drain() == {"sent": 1}
    message = services.todays_digest_message(alice, tomorrow_at(8))
    assert message.via_instance and sink.handler.message_ids() == [message.message_id]
    assert sink.handler.envelopes == [("goodword@localhost", ["alice.digest@example.com"])]


def test_app_mail_shows_in_the_outbox_and_can_be_resolved_when_uncertain(alice, alice_client, sink):
    make_smtp_settings(alice, sink.port)
    digest_on(alice)
    owes_a_critical_and_a_low(alice)
    services.send_digest(alice, tomorrow_at(8))
    sink.handler.plan = ["drop"]  # the server takes the message and hangs up without answering
    assert outbox.drain() == {"uncertain": 1}
    message = OutboxMessage.objects.get(owner=alice, kind="digest")
    listing = alice_client.get(reverse("outreach:outbox")).content.decode()
    assert "You (daily digest)" in listing
    page = alice_client.get(message.get_absolute_url())
    assert page.status_code == 200 and "check with your inbox" in page.content.decode()
    alice_client.post(message.get_absolute_url(), {"action": "confirm"})
    message.refresh_from_db()
    assert message.state == MessageState.SENT and message.event is None


def test_a_user_cannot_take_another_accounts_digest_key_first(alice, bob, sink):
    from django.core.exceptions import ValidationError

    from tests.factories.references import make_reference

    make_smtp_settings(alice, sink.port)
    make_smtp_settings(bob, sink.port)
    key = services.digest_key(bob, services.local_now(bob, tomorrow_at(8)).date())
    with pytest.raises(ValidationError):
        outbox.queue_message(alice, make_reference(alice), kind="keep_in_touch", subject="Hi", text="Hello.\n",
                             idempotency_key=key)
    digest_on(bob)
    owes_a_critical_and_a_low(bob)
    assert services.send_due_digests(tomorrow_at(8)) == {"sent": 1}
    assert services.todays_digest_message(bob, tomorrow_at(8)).owner == bob
