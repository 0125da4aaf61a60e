"""The daily digest: arrives by real SMTP, only when something is due, once a day whatever happens."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from goodword.outreach import outbox
from goodword.outreach.models import MessageState
from goodword.reminders import services
from goodword.reminders.models import DigestDay, DigestState, ReminderSettings
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.outreach import SmtpSink, make_smtp_settings
from tests.factories.references import make_reference
from tests.factories.timeline import make_event
from tests.factories.concurrency import run_at_once

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")  # tests/settings.py's zone, which the ledger uses by default


def tomorrow_at(hour: int, minute: int = 30) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


def digest_on(user, hour=8, address="alice.digest@example.com"):
    ReminderSettings.objects.update_or_create(
        user=user, defaults={"digest_enabled": True, "digest_hour": hour, "digest_address": address})


def owes_a_critical_and_a_low(user):
    """A critical debt (no heads-up while references are requested) and a low one (keep warm)."""
    job = make_opportunity(user, company="Northwind Traders", role="Platform Engineer", stage="references_requested")
    dana = make_reference(user, name="Dana Whitfield")
    make_listing(job, dana)
    make_event(dana, "agreed", opportunity=job)
    quiet = make_reference(user, name="Quentin Quiet")
    type(quiet).objects.filter(pk=quiet.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    return job, dana


@pytest.fixture
def sink():
    with SmtpSink() as running:
        yield running


def test_digest_arrives_over_smtp_worst_first_with_links(alice, sink):
    make_smtp_settings(alice, sink.port)
    digest_on(alice)
    owes_a_critical_and_a_low(alice)
    assert services.send_due_digests(tomorrow_at(8)) == {"sent": 1}
    assert outbox.drain() == {"sent": 1}
    assert sink.handler.wait_for(1)
    message = sink.handler.received[0]
    assert message["To"] == "alice.digest@example.com"
    subject = str(message["Subject"]).strip()
    assert subject.startswith("Goodword: 3 due") and "(1 critical, 1 high, 1 low)" in subject
    text = message.get_body(("plain",)).get_content()
    assert text.index("[CRITICAL] Dana Whitfield") < text.index("[LOW] Quentin Quiet")
    assert "http://127.0.0.1:8000/due/#debt-no_heads_up-" in text
    html = message.get_body(("html",)).get_content()
    assert 'href="http://127.0.0.1:8000/due/#debt-no_heads_up-' in html
    assert DigestDay.objects.get(owner=alice).state == DigestState.SENT


def test_nothing_is_sent_when_nothing_is_due(alice, sink):
    make_smtp_settings(alice, sink.port)
    digest_on(alice)
    assert services.send_due_digests(tomorrow_at(8)) == {"nothing_due": 1}
    assert not sink.handler.wait_for(1, timeout=0.5)


def test_one_digest_a_day_across_worker_restarts(alice, sink):
    make_smtp_settings(alice, sink.port)
    digest_on(alice)
    owes_a_critical_and_a_low(alice)
    services.send_due_digests(tomorrow_at(8, 5))
    outbox.drain()
    # A restarted worker (a fresh call, later the same local day) finds the day's row and stops.
    assert services.send_due_digests(tomorrow_at(23, 50)) == {"already": 1}
    outbox.drain()
    assert sink.handler.wait_for(1)
    assert not sink.handler.wait_for(2, timeout=0.5)
    # The next local day has its own digest.
    assert services.send_due_digests(tomorrow_at(8) + dt.timedelta(days=1)) == {"sent": 1}
    outbox.drain()
    assert sink.handler.wait_for(2)


def test_a_worker_that_died_after_claiming_the_day_does_not_cause_a_second_digest(alice, sink):
    make_smtp_settings(alice, sink.port)
    digest_on(alice)
    owes_a_critical_and_a_low(alice)
    now = tomorrow_at(9)
    DigestDay.objects.create(owner=alice, day=now.date(), claimed_at=now - dt.timedelta(minutes=30))
    assert services.send_due_digests(now) == {"already": 1}
    assert not sink.handler.wait_for(1, timeout=0.5)


def test_digest_waits_for_the_users_local_hour(alice, sink):
    make_smtp_settings(alice, sink.port)
    digest_on(alice, hour=18)
    owes_a_critical_and_a_low(alice)
    assert services.send_due_digests(tomorrow_at(17, 59)) == {"not_yet": 1}
    assert not DigestDay.objects.exists()
    assert services.send_due_digests(tomorrow_at(18, 0)) == {"sent": 1}


def test_digest_is_off_unless_the_user_turns_it_on(alice, sink):
    make_smtp_settings(alice, sink.port)
    owes_a_critical_and_a_low(alice)
    ReminderSettings.for_user(alice)
    assert services.send_due_digests(tomorrow_at(12)) == {}
    assert services.send_digest(alice, tomorrow_at(12)) == "off"


def test_refused_delivery_is_failed_in_the_outbox_and_no_second_digest_is_queued(alice, sink):
    make_smtp_settings(alice, sink.port)
    digest_on(alice)
    owes_a_critical_and_a_low(alice)
    sink.handler.plan = ["550 5.1.1 mailbox unavailable"]
    assert services.send_due_digests(tomorrow_at(8)) == {"sent": 1}
    assert outbox.drain() == {"failed": 1}
    message = services.todays_digest_message(alice, tomorrow_at(8))
    assert message.state == MessageState.FAILED and "550" in message.last_error
    assert services.send_due_digests(tomorrow_at(9)) == {"already": 1}


def test_without_smtp_settings_the_digest_goes_through_the_instance_mailer(alice, mailoutbox):
    digest_on(alice)
    owes_a_critical_and_a_low(alice)
    assert services.send_due_digests(tomorrow_at(8)) == {"sent": 1}
    assert outbox.drain() == {"sent": 1}
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["alice.digest@example.com"]
    assert "Dana Whitfield" in mailoutbox[0].body


def test_portal_answers_are_emailed_once_to_a_candidate_with_smtp(alice, bob, sink, client):
    from tests.factories.portal import make_portal_setup, nonce_from, page_url

    make_smtp_settings(alice, sink.port, from_address="alice@example.com")
    _listing, token = make_portal_setup(alice)
    _other, bob_token = make_portal_setup(bob)  # bob has no SMTP: no email for him
    for who in (token, bob_token):
        page = client.get(page_url(who))
        client.post(page_url(who), {"form": "letter", "nonce": nonce_from(page, "letter")})
    assert services.send_portal_notices() == 1
    outbox.drain()
    assert sink.handler.wait_for(1)
    message = sink.handler.received[0]
    assert message["To"] == "alice@example.com" and "Dana Whitfield" in message["Subject"]
    assert services.send_portal_notices() == 0


def test_two_workers_at_the_same_moment_send_one_digest(transactional_db, sink):
    from tests.factories.accounts import make_user

    carol = make_user("carol")
    make_smtp_settings(carol, sink.port)
    digest_on(carol)
    owes_a_critical_and_a_low(carol)
    now = tomorrow_at(8)
    results = run_at_once(lambda: services.send_due_digests(now))
    assert sorted(results, key=str) == [{"already": 1}, {"sent": 1}]
    outbox.drain()
    assert sink.handler.wait_for(1)
    assert not sink.handler.wait_for(2, timeout=0.5)
