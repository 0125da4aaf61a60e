"""`goodword digest`: today's digest of what you owe, printed or sent."""

from __future__ import annotations

import click


@click.command(
    epilog="""\b
Examples:
  goodword digest              print today's digest (sends nothing)
  goodword digest --send       send it now to your digest address, once a day at most
  goodword digest --due-all    send every account's digest whose hour has come (cron)

\b
Turn the daily digest on, and choose its hour and address, on the web app's
Reminders page (/reminders/). A running `goodword worker` (or `goodword serve`)
sends each digest (and portal notices) on its own when its hour comes, so
--due-all is only needed when you run neither and want cron to do it.
"""
)
@click.option("--print", "mode", flag_value="print", default=True, help="Print the digest (the default).")
@click.option("--send", "mode", flag_value="send", help="Send it now, unless today's digest already went.")
@click.option("--due-all", "mode", flag_value="due_all", help="Send the digests of every account whose hour has come.")
def digest(mode):
    """Today's digest of what you owe your references."""
    from goodword.cli import common

    user = common.boot()
    from goodword.reminders import services

    from goodword.outreach import outbox

    if mode == "due_all":
        counts = services.send_due_digests()
        outbox.drain()  # what was queued goes now; what fails is retried by the worker
        click.echo(", ".join(f"{n} {state.replace('_', ' ')}" for state, n in sorted(counts.items())) or "No digest is on.")
        return
    if mode == "send":
        result = services.send_digest(user, any_hour=True)
        if result == "sent":
            outbox.drain()
            delivery = services.todays_digest_message(user)
            if delivery is not None and delivery.state == "queued":
                click.echo(f"Today's digest is queued; the mail server did not take it yet ({delivery.last_error}). "
                           "The worker will try again.")
                return
            if delivery is not None and delivery.state != "sent":
                click.echo(f"Today's digest is {delivery.get_state_display().lower()}: {delivery.last_error}")
                raise SystemExit(1)
        messages = {
            "sent": "Sent today's digest.",
            "nothing_due": "Nothing is due; no digest sent today.",
            "already": "Today's digest was already handled; nothing sent.",
            "no_address": "No address to send to: set one on the Reminders page (/reminders/).",
            "failed": "Sending failed; see the log. Today's digest will not be retried.",
        }
        click.echo(messages[result])
        if result in ("failed", "no_address"):
            raise SystemExit(1)
        return
    built = services.build_digest(user)
    if built is None:
        click.echo("Nothing is due. No digest would be sent today.")
        return
    click.echo(f"Subject: {built.subject}\n")
    click.echo(built.text.rstrip())
