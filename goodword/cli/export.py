"""`goodword export`: your data in other formats (a group: more formats join it)."""

from __future__ import annotations

import click


@click.group(
    epilog="""\b
Examples:
  goodword export ics reminders.ics     due dates, interviews and start dates as a calendar file
  goodword export ics -                 the same, to standard output
"""
)
def export():
    """Export your data."""


@export.command(
    epilog="""\b
For a calendar that stays up to date, subscribe to the private feed on the
web app's Reminders page instead: a file is a snapshot.
"""
)
@click.argument("file", type=click.File("wb"))
def ics(file):
    """Write an iCalendar file: open debts on their due dates, interviews, start dates."""
    from goodword.cli import common

    user = common.boot()
    from goodword.reminders import services

    data = services.build_calendar(user)
    file.write(data)
    if getattr(file, "name", "<stdout>") != "<stdout>":
        # Whole lines only: the same words inside a summary or description are no event.
        events = data.splitlines().count(b"BEGIN:VEVENT")
        click.echo(f"Wrote {events} events to {file.name}.", err=True)
