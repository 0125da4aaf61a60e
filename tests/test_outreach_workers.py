"""Workers under stress: two at once, a background thread, and SIGKILL mid-batch."""

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection

from goodword.outreach import outbox
from goodword.outreach.models import MessageState, OutboxMessage
from goodword.timeline.models import Event
from tests.factories.accounts import make_user
from tests.factories.outreach import SmtpSink, make_smtp_settings
from tests.factories.references import make_reference
from tests.factories.concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


def queue_many(user, count):
    reference = make_reference(user, name="Dana Whitfield", emails=["dana@example.com"])
    return [
        outbox.queue_message(user, reference, kind="keep_in_touch", subject=f"Note {n}", text=f"Message {n}\n")
        for n in range(count)
    ]


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return f"postgresql://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED claims are a PostgreSQL feature")
def test_two_workers_at_once_send_each_message_once():
    user = make_user("alice")
    with SmtpSink() as sink:
        make_smtp_settings(user, sink.port)
        queued = queue_many(user, 60)
        sink.handler.delay = 0.005
        run_at_once(lambda: outbox.Worker().drain())
        ids = sink.handler.message_ids()
    assert sorted(ids) == sorted(m.message_id for m in queued)
    assert OutboxMessage.objects.filter(state=MessageState.SENT).count() == 60
    assert Event.objects.count() == 60


def test_local_worker_thread_sends_what_was_committed():
    user = make_user("alice")
    with SmtpSink() as sink:
        make_smtp_settings(user, sink.port)
        thread = outbox.start_local_worker(poll_seconds=30)
        try:
            assert outbox.start_local_worker() is thread  # idempotent
            message = queue_many(user, 1)[0]
            # The poll is 30 s: arriving quickly proves the commit woke the thread.
            assert sink.handler.wait_for(1, timeout=10)
        finally:
            outbox.stop_local_worker()
    message.refresh_from_db()
    assert message.state == MessageState.SENT


def start_worker(env):
    return subprocess.Popen(
        [sys.executable, "-m", "goodword", "worker", "--poll", "0.05"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def test_worker_killed_mid_batch_never_sends_a_message_twice():
    user = make_user("alice")
    kills = 5
    with SmtpSink() as sink:
        make_smtp_settings(user, sink.port)
        queued = queue_many(user, 40)
        sink.handler.delay = 0.03  # about 1.2 s of sending: every kill lands mid-batch
        env = os.environ | {"GOODWORD_DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "goodword.settings"}
        rng = random.Random(7)
        for _ in range(kills):
            worker = start_worker(env)
            # Kill once a few more messages have arrived, at a random moment
            # within a message: wherever the worker is (claiming, mid-DATA,
            # after the "." but before recording it) when the signal lands.
            target = len(sink.handler.message_ids()) + rng.randint(2, 5)
            assert sink.handler.wait_for(target, timeout=60), worker.stderr.read1().decode() if worker.poll() is not None else "stuck"
            time.sleep(rng.uniform(0, 0.03))
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        sent_while_killing = len(sink.handler.message_ids())
        final = subprocess.run(
            [sys.executable, "-m", "goodword", "worker", "--once"], env=env, capture_output=True, text=True, timeout=120, check=False,
        )
        assert final.returncode == 0, final.stderr
        ids = sink.handler.message_ids()
    states = dict(OutboxMessage.objects.values_list("message_id", "state"))
    assert len(ids) == len(set(ids)), "a message arrived twice"
    uncertain = [mid for mid, state in states.items() if state == MessageState.UNCERTAIN]
    sent = [mid for mid, state in states.items() if state == MessageState.SENT]
    assert len(uncertain) <= kills
    assert len(sent) + len(uncertain) == len(queued)
    assert set(sent) <= set(ids)
    assert len(ids) >= len(queued) - kills
    assert Event.objects.count() == len(sent)
    # The kills landed mid-batch: some messages went before them, some after.
    assert 0 < sent_while_killing < len(queued)
