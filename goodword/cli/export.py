"""`goodword export`: your data in other formats (a group: more formats join it)."""

from __future__ import annotations

import click


@click.group(
    epilog="""\b
Examples:
  goodword export ics reminders.ics     due dates, interviews and start dates as a calendar file
  goodword export ics -                 the same, to standard output
  goodword export json goodword.json    everything you own, to import elsewhere (docs/export.md)
  goodword export vcard refs.vcf        your reference book for a phone or mail program
  goodword export csv refs.csv          your reference book for a spreadsheet
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


def _named(file) -> bool:
    """A real file rather than standard output (whose stand-ins may have no name at all)."""
    return getattr(file, "name", "<stdout>") not in ("<stdout>", "-")


def _write_private(file, data: bytes) -> None:
    """Exports hold private data: a new file is made readable by its owner only."""
    file.write(data)
    file.flush()
    if _named(file):
        from pathlib import Path

        from goodword.lib.private_files import PRIVATE_FILE, tighten

        tighten(Path(file.name), PRIVATE_FILE)


@export.command(name="json")
@click.argument("file", type=click.File("wb"))
def json_(file):
    """Write every row you own as one JSON document (import it with `goodword import FILE --format goodword`)."""
    import json

    from goodword.cli import common

    user = common.boot()
    from goodword.transfer.document import export_document

    document = export_document(user)
    _write_private(file, json.dumps(document, indent=1, ensure_ascii=False).encode())
    if _named(file):
        click.echo(f"Wrote {len(document['references'])} references, {len(document['opportunities'])} "
                   f"opportunities and {len(document['events'])} events to {file.name}.", err=True)


@export.command()
@click.argument("file", type=click.File("wb"))
def vcard(file):
    """Write your reference book as vCard 4.0 cards."""
    from goodword.cli import common

    user = common.boot()
    from goodword.references.models import Reference
    from goodword.transfer.book_files import book_vcard

    references = list(Reference.objects.for_user(user))
    _write_private(file, book_vcard(references).encode())
    if _named(file):
        click.echo(f"Wrote {len(references)} cards to {file.name}.", err=True)


@export.command(name="csv")
@click.argument("file", type=click.File("wb"))
def csv_(file):
    """Write your reference book as a CSV (UTF-8, comma-separated, one row a reference)."""
    from goodword.cli import common

    user = common.boot()
    from goodword.references.models import Reference
    from goodword.transfer.book_files import book_csv

    references = list(Reference.objects.for_user(user))
    _write_private(file, book_csv(references).encode())
    if _named(file):
        click.echo(f"Wrote {len(references)} rows to {file.name}.", err=True)
