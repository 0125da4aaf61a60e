"""A worker SIGKILLed at each step of sending: resent once before the hand-over marker, uncertain after.

Each case runs a real worker process against a real SMTP server on loopback,
kills it at one point (tests/ssrfmail_crash_worker.py), then lets a fresh
worker recover and drain, as a restarted service would.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from goodword.outreach import outbox
from goodword.outreach.models import MessageState, OutboxMessage
from tests.factories.accounts import make_user
from tests.factories.outreach import SmtpSink, make_smtp_settings
from tests.factories.references import make_reference
from tests.test_outreach_workers import database_url

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parent.parent


def crash_at(point: str) -> subprocess.CompletedProcess:
    env = os.environ | {"GOODWORD_DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "goodword.settings"}
    return subprocess.run([sys.executable, "-m", "tests.ssrfmail_crash_worker", point], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


def queue_one(user):
    reference = make_reference(user, name="Dana Whitfield", emails=["dana@example.com"])
    return outbox.queue_message(user, reference, kind="keep_in_touch", subject="Hello", text="A line or two.\n" * 50)


@pytest.mark.parametrize("point", ["claimed", "connected", "body_sent"])
def test_killed_before_the_hand_over_marker_the_message_is_resent_exactly_once(point):
    user = make_user("alice")
    with SmtpSink() as sink:
        make_smtp_settings(user, sink.port)
        message = queue_one(user)
        died = crash_at(point)
        assert died.returncode == -9, died.stderr
        assert OutboxMessage.objects.get(pk=message.pk).state == MessageState.SENDING
        assert outbox.drain() == {"sent": 1}  # a fresh worker sees the dead claimer and sends again
        assert sink.handler.wait_for(1)
        ids = sink.handler.message_ids()
    message.refresh_from_db()
    assert (message.state, message.attempts) == (MessageState.SENT, 2)
    assert ids == [message.message_id]
    assert not OutboxMessage.objects.filter(state=MessageState.UNCERTAIN).exists()


@pytest.mark.parametrize("point, arrived", [("marker_committed", 0), ("dot_sent", None), ("reply_received", 1)])
def test_killed_after_the_hand_over_marker_the_message_is_uncertain_and_not_resent(point, arrived):
    user = make_user("alice")
    with SmtpSink() as sink:
        make_smtp_settings(user, sink.port)
        message = queue_one(user)
        died = crash_at(point)
        assert died.returncode == -9, died.stderr
        assert outbox.drain() == {}  # recovered as uncertain: nothing is sent again
        if arrived:
            assert sink.handler.wait_for(arrived)
        ids = sink.handler.message_ids()
        assert not sink.handler.wait_for(len(ids) + 1, timeout=0.5)
    message.refresh_from_db()
    assert message.state == MessageState.UNCERTAIN and "may have arrived" in message.last_error
    assert message.attempts == 1
    # The server got the "." in these cases or not; whichever, never twice.
    assert ids in ([], [message.message_id]) if arrived is None else len(ids) == arrived
