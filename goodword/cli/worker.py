"""`goodword worker`: the outbox worker for hosted setups (several may run at once)."""

from __future__ import annotations

import click

from goodword.cli.types import positive_seconds


@click.command(
    epilog="""\b
Examples:
  goodword worker              run until stopped (Ctrl+C or SIGTERM)
  goodword worker --once       send what is due, then exit (cron-friendly)
"""
)
@click.option("--once", is_flag=True, help="Send everything due, then exit.")
@click.option("--poll", default=2.0, show_default=True, type=positive_seconds(0.05, 300), help="Seconds between looks at the outbox.")
def worker(once, poll):
    """Send queued messages, daily digests, portal notices and webhooks; recount coaches' cohorts.

    Safe to run in several processes at once."""
    from goodword.cli import _django

    _django.setup()
    import signal
    import threading

    from goodword.centres import counting
    from goodword.outreach import outbox
    from goodword.reminders.services import run_reminders
    from goodword.core.health import Heartbeat
    from goodword.webhooks import critical, delivery

    if once:
        # From cron: each run counts as a heartbeat, so /healthz?worker=1 sees runs stop.
        Heartbeat().beat()
        # Reminders and critical debts first: what they queue goes out in the same drain.
        reminders = run_reminders()
        critical.tick()
        counts = outbox.Worker().drain()
        click.echo(", ".join(f"{n} {state}" for state, n in sorted(counts.items())) or "Nothing to send.")
        hooks = delivery.drain()
        if hooks:
            click.echo("Webhooks: " + ", ".join(f"{n} {state}" for state, n in sorted(hooks.items())))
        counting.tick()  # queues nothing: after the sending
        report = [
            f"{count} {noun}{'' if count == 1 else 's'} {what}"
            for count, noun, what in (
                (reminders.get("sent", 0), "digest", "queued"),
                (reminders.get("failed", 0), "digest", "failed"),
                (reminders.get("portal_notices", 0), "portal notice", "queued"),
            )
            if count
        ]
        if report:
            click.echo("Reminders: " + ", ".join(report))
        return
    stop = threading.Event()
    # SIGTERM (systemd, docker stop) finishes the message in hand, then exits.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    heartbeat = Heartbeat()
    click.echo("Outbox worker running; Ctrl+C to stop.")
    try:
        outbox.run_worker(stop, poll_seconds=poll,
                          periodic=[run_reminders, critical.tick, counting.tick, delivery.purge_old],
                          queues=[delivery.drain], heartbeat=heartbeat.beat)
    except KeyboardInterrupt:
        stop.set()
    finally:
        heartbeat.stop()
    click.echo("Worker stopped.")
