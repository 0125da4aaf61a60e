"""Sending through a real SMTP server (aiosmtpd on loopback)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from goodword.outreach import outbox, services
from goodword.outreach.models import MessageState, OutboxMessage
from goodword.timeline.models import Event
from tests.factories.opportunities import make_opportunity
from tests.factories.outreach import SmtpSink, free_port, make_smtp_settings
from tests.factories.references import make_reference


@pytest.fixture
def setup(alice, monkeypatch):
    monkeypatch.setattr(outbox, "RETRY_BASE", dt.timedelta(0))
    with SmtpSink() as running:
        make_smtp_settings(alice, running.port, from_name="Zoë Ångström")
        reference = make_reference(alice, name="Dana Whitfield", emails=["dana@example.com"])
        job = make_opportunity(alice, company="Northwind", role="Platform Engineer")
        yield running.handler, reference, job


def queue(alice, reference, job=None, kind="heads_up", subject="Heads-up: Northwind may call", text="Hello Dana.\n", **extra):
    return outbox.queue_message(alice, reference, kind=kind, opportunity=job, subject=subject, text=text, **extra)


def test_message_arrives_with_headers_text_and_html_parts(alice, setup):
    sink, reference, job = setup
    message = queue(alice, reference, job, text="Hello Dana,\n\n- point one\n- point <two>\n")
    assert outbox.drain() == {"sent": 1}
    assert len(sink.received) == 1
    got = sink.received[0]
    assert got["From"].addresses[0].display_name == "Zoë Ångström"
    assert got["From"].addresses[0].addr_spec == "sam@example.com"
    assert str(got["To"]) == "Dana Whitfield <dana@example.com>"
    assert got["Subject"] == "Heads-up: Northwind may call"
    assert got["Date"].datetime is not None
    assert got["Message-ID"] == message.message_id
    assert got.get_body(("plain",)).get_content().startswith("Hello Dana,")
    html = got.get_body(("html",)).get_content()
    assert "<li>point &lt;two&gt;</li>" in html
    assert sink.envelopes[0] == ("sam@example.com", ["dana@example.com"])


def test_non_ascii_display_names_are_encoded_on_the_wire(alice, setup):
    sink, reference, job = setup
    reference.name = "Ève Müller"
    reference.save()
    queue(alice, reference, job)
    outbox.drain()
    raw = sink.received[0].as_bytes()
    assert b"=?utf-8?" in raw.lower()
    assert sink.received[0]["To"].addresses[0].display_name == "Ève Müller"


def test_sent_message_becomes_an_event_of_its_kind_on_the_timeline(alice, setup):
    sink, reference, job = setup
    message = queue(alice, reference, job, kind="thanks", subject="Thank you")
    assert not Event.objects.filter(reference=reference).exists()  # not before it is sent
    outbox.drain()
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    event = Event.objects.get(reference=reference)
    assert (event.kind, event.channel, event.opportunity_id) == ("thanked", "email", job.pk)
    assert message.event_id == event.pk
    assert sink.message_ids() == [message.message_id]


def test_temporary_failures_are_retried_and_the_message_is_sent_exactly_once(alice, setup):
    sink, reference, job = setup
    sink.plan = ["451 4.3.0 try again later", "421 4.7.0 busy"]
    message = queue(alice, reference, job)
    # With no backoff (RETRY_BASE patched to 0) one drain makes every attempt.
    assert outbox.drain() == {"queued": 2, "sent": 1}
    assert outbox.drain() == {}
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert message.attempts == 3
    assert sink.message_ids() == [message.message_id]
    assert Event.objects.filter(reference=reference).count() == 1


def test_retries_wait_with_backoff(alice, setup, monkeypatch):
    sink, reference, job = setup
    monkeypatch.setattr(outbox, "RETRY_BASE", dt.timedelta(minutes=1))
    sink.mail_plan = ["421 4.3.2 shutting down"]
    message = queue(alice, reference, job)
    outbox.drain()
    outbox.drain()  # not due yet
    message.refresh_from_db()
    assert message.state == MessageState.QUEUED and message.attempts == 1
    assert sink.received == []


def test_permanent_failure_is_failed_with_the_servers_reason(alice, setup):
    sink, reference, job = setup
    sink.plan = ["550 5.1.1 mailbox unavailable"]
    message = queue(alice, reference, job)
    outbox.drain()
    outbox.drain()
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert "550 5.1.1 mailbox unavailable" in message.last_error
    assert not Event.objects.filter(reference=reference).exists()


def test_connection_dropped_after_data_is_uncertain_and_not_resent(alice, setup):
    sink, reference, job = setup
    sink.plan = ["drop"]
    message = queue(alice, reference, job)
    outbox.drain()
    outbox.drain()
    message.refresh_from_db()
    assert message.state == MessageState.UNCERTAIN
    assert "may have been delivered" in message.last_error
    assert sink.message_ids() == [message.message_id]
    assert not Event.objects.filter(reference=reference).exists()


def test_user_resolves_an_uncertain_message_by_resending_or_marking_it_sent(alice, setup):
    sink, reference, job = setup
    sink.plan = ["drop", "drop"]
    first = queue(alice, reference, job)
    second = queue(alice, reference, job, subject="Second")
    outbox.drain()
    outbox.resend(first)
    outbox.drain()
    first.refresh_from_db()
    assert first.state == MessageState.SENT
    outbox.confirm_sent(second)
    second.refresh_from_db()
    assert second.state == MessageState.SENT and second.event is not None
    with pytest.raises(ValidationError):
        outbox.resend(second)


def test_rolled_back_compose_transaction_sends_nothing(alice, setup):
    sink, reference, job = setup
    with pytest.raises(RuntimeError), transaction.atomic():
        queue(alice, reference, job)
        raise RuntimeError("the rest of the request failed")
    assert outbox.drain() == {}
    assert OutboxMessage.objects.count() == 0
    assert sink.received == []


def test_same_idempotency_key_queues_one_message(alice, setup):
    sink, reference, job = setup
    first = queue(alice, reference, job, idempotency_key="form-1234567890")
    again = queue(alice, reference, job, idempotency_key="form-1234567890")
    assert first.pk == again.pk
    outbox.drain()
    assert len(sink.received) == 1


def test_refused_connection_is_temporary(alice):
    make_smtp_settings(alice, free_port())
    reference = make_reference(alice)
    message = queue(alice, reference, kind="keep_in_touch")
    outbox.drain()
    message.refresh_from_db()
    assert message.state == MessageState.QUEUED
    assert "Could not reach 127.0.0.1" in message.last_error
    assert message.next_attempt_at > message.updated_at - dt.timedelta(seconds=1) + outbox.RETRY_BASE / 2


def test_gives_up_after_the_attempt_limit(alice, setup, monkeypatch):
    sink, reference, job = setup
    monkeypatch.setattr(outbox, "MAX_ATTEMPTS", 2)
    sink.plan = ["451 later", "451 later", "451 later"]
    message = queue(alice, reference, job)
    assert outbox.drain() == {"queued": 1, "failed": 1}
    message.refresh_from_db()
    assert message.state == MessageState.FAILED and "Gave up after 2 attempts" in message.last_error


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("subject", "Hello\r\nBcc: victim@example.com", "subject contains a line break"),
        ("to_name", "Dana\nBcc: victim@example.com", "recipient name contains a line break"),
        ("to_address", "dana@example.com\nBcc: x@example.com", "recipient address contains a line break"),
        ("to_address", "not-an-address", "is not a valid email address"),
    ],
)
def test_header_injection_and_bad_addresses_are_refused(alice, setup, field, value, words):
    _sink, reference, job = setup
    arguments = {"subject": "Hi"} | {field: value}
    with pytest.raises(ValidationError, match=words):
        queue(alice, reference, job, **arguments)
    assert OutboxMessage.objects.count() == 0


def test_sender_name_with_a_line_break_is_refused_in_settings(alice):
    with pytest.raises(ValidationError, match="sender name contains a line break"):
        make_smtp_settings(alice, 25, from_name="Sam\r\nBcc: x@example.com")


def test_test_message_button_sends_to_the_users_own_address(alice, setup):
    sink, _, _ = setup
    assert "Sent a test message to sam@example.com" in services.send_test_message(alice)
    assert str(sink.received[0]["To"]) == "Zoë Ångström <sam@example.com>"


def test_test_message_failure_shows_the_reason(alice, setup):
    sink, _, _ = setup
    sink.mail_plan = ["550 5.7.1 relaying denied"]
    with pytest.raises(ValidationError, match="550 5.7.1 relaying denied"):
        services.send_test_message(alice)


def test_queueing_without_smtp_settings_says_what_to_do(alice):
    reference = make_reference(alice)
    with pytest.raises(outbox.NoSmtp, match="mark it sent"):
        queue(alice, reference, kind="keep_in_touch")


def test_a_worker_whose_claim_was_taken_over_does_not_send(alice, setup):
    sink, reference, job = setup
    queue(alice, reference, job)
    worker = outbox.Worker(who="host:1:slow")
    claimed = outbox.claim_next(worker.who)
    # Meanwhile its lease expired and another worker took the row.
    OutboxMessage.objects.filter(pk=claimed.pk).update(claimed_by="host:2:fast")
    assert worker.send_one(claimed) == "lost"
    worker.close()
    assert sink.received == []
    claimed.refresh_from_db()
    assert (claimed.state, claimed.claimed_by) == (MessageState.SENDING, "host:2:fast")


def test_a_stale_claim_is_requeued_before_the_data_and_uncertain_after(alice, setup):
    _sink, reference, job = setup
    before, after = queue(alice, reference, job, subject="A"), queue(alice, reference, job, subject="B")
    past = outbox.timezone.now() - dt.timedelta(minutes=1)
    OutboxMessage.objects.filter(pk=before.pk).update(state="sending", claimed_by="x:1:1", claimed_until=past)
    OutboxMessage.objects.filter(pk=after.pk).update(state="sending", claimed_by="x:1:1", claimed_until=past, data_committed=True)
    assert outbox.recover_stale_claims() == 2
    before.refresh_from_db()
    after.refresh_from_db()
    assert (before.state, after.state) == (MessageState.QUEUED, MessageState.UNCERTAIN)


def test_starttls_against_a_server_without_it_fails_with_a_hint(alice, monkeypatch):
    with SmtpSink() as running:
        make_smtp_settings(alice, running.port, security="starttls")
        message = queue(alice, make_reference(alice), kind="keep_in_touch")
        outbox.drain()
    message.refresh_from_db()
    assert message.state == MessageState.FAILED
    assert "Check the security setting" in message.last_error
    assert running.handler.received == []


def test_connection_dropped_before_the_data_is_retried_and_sent_once(alice, setup):
    sink, reference, job = setup
    sink.mail_plan = ["drop"]
    message = queue(alice, reference, job)
    assert outbox.drain() == {"queued": 1, "sent": 1}
    message.refresh_from_db()
    assert message.state == MessageState.SENT and message.attempts == 2
    assert sink.message_ids() == [message.message_id]


def test_hosted_instance_refuses_private_mail_servers(alice, settings):
    settings.GOODWORD_MODE = "hosted"
    for host in ("127.0.0.1", "10.1.2.3", "169.254.169.254", "localhost"):
        with pytest.raises(ValidationError, match="private or local address"):
            make_smtp_settings(alice, 25, host=host)


def test_hosted_worker_will_not_connect_to_a_private_address_saved_earlier(alice, settings):
    with SmtpSink() as running:
        make_smtp_settings(alice, running.port)  # saved in local mode
        message = queue(alice, make_reference(alice), kind="keep_in_touch")
        settings.GOODWORD_MODE = "hosted"
        outbox.drain()
        with pytest.raises(ValidationError, match="private or local address"):
            services.send_test_message(alice)
    message.refresh_from_db()
    assert message.state == MessageState.FAILED and "private or local address" in message.last_error
    assert running.handler.received == []


def test_local_mode_allows_a_relay_on_this_machine(alice, settings):
    settings.GOODWORD_MODE = "local"
    assert make_smtp_settings(alice, 25, host="127.0.0.1").host == "127.0.0.1"
