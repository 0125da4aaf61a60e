import threading

import pytest

from goodword.outreach import outbox


@pytest.mark.django_db(transaction=True)
def test_worker_loop_runs_the_periodic_jobs_between_drains():
    stop = threading.Event()
    calls = []

    def digest_job():
        calls.append("digests")
        stop.set()

    outbox.run_worker(stop, poll_seconds=0.01, periodic=[digest_job])
    assert calls == ["digests"]


@pytest.mark.django_db(transaction=True)
def test_a_failing_periodic_job_does_not_stop_the_worker():
    stop = threading.Event()
    calls = []

    def broken():
        calls.append("broken")
        raise RuntimeError("digest server down")

    def second():
        calls.append("second")
        stop.set()

    outbox.run_worker(stop, poll_seconds=0.01, periodic=[broken, second])
    assert calls == ["broken", "second"]


def test_worker_once_sends_the_digest_whose_hour_has_come(alice, settings):
    """`goodword worker --once` runs the reminders too, so cron alone keeps digests going."""
    from click.testing import CliRunner

    from goodword.cli import main
    from tests.factories.outreach import SmtpSink, make_smtp_settings
    from tests.test_reminders_digest import digest_on, owes_a_critical_and_a_low

    settings.GOODWORD_CLI_USER = "alice"
    owes_a_critical_and_a_low(alice)
    with SmtpSink() as sink:
        make_smtp_settings(alice, sink.port)
        digest_on(alice, hour=0)
        result = CliRunner().invoke(main, ["worker", "--once"])
        assert result.exit_code == 0, result.output
        assert "Reminders: 1 digest queued" in result.output and "1 sent" in result.output
        assert sink.handler.wait_for(1)
    assert "Dana Whitfield" in sink.handler.received[0].get_body(("plain",)).get_content()
