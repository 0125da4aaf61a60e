"""`goodword import`, `goodword backup`, `goodword restore`."""

from __future__ import annotations

import sys

import click

from goodword.cli import common

MAX_IMPORT_BYTES = 50 * 1024 * 1024
# A Goodword export carries its letters' PDFs (each under 5 MB, a third more in base64).
MAX_DOCUMENT_BYTES = 250 * 1024 * 1024
PROGRESS_FROM_BYTES = 200_000  # about 500 cards; a bar on shorter files is only noise


def _read(path: str, fmt: str | None) -> bytes:
    import os

    try:
        size = os.path.getsize(path)
        with open(path, "rb") as handle:
            document = fmt == "goodword" or (fmt is None and handle.read(4096).lstrip().startswith(b"{"))
            limit = MAX_DOCUMENT_BYTES if document else MAX_IMPORT_BYTES
            if size > limit:
                raise click.ClickException(f"{path} is {size // 1_000_000} MB; Goodword imports "
                                           f"{'its own exports' if document else 'files'} up to "
                                           f"{limit // 1_000_000} MB.")
            handle.seek(0)
            return handle.read()
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"Cannot read {path!r}: {getattr(exc, 'strerror', None) or exc}.") from None


@click.command(
    name="import",
    epilog="""\b
Examples:
  goodword import contacts.vcf                 preview, then confirm
  goodword import Connections.csv --dry-run    LinkedIn's export: only show what would happen
  goodword import people.csv --yes --json      no question; the outcome as JSON
  goodword import goodword.json --format goodword   restore or merge a Goodword export
""",
)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["vcard", "linkedin", "csv", "goodword"]),
              help="The file's format; guessed from its content when left out.")
@click.option("--dry-run", is_flag=True, help="Show the preview and change nothing.")
@click.option("--yes", "-y", is_flag=True, help="Import without asking for confirmation.")
@click.option("--json", "as_json", is_flag=True, help="The preview (and outcome) as JSON.")
@click.option("--map", "columns", multiple=True, metavar="COLUMN=FIELD",
              help="CSV: read COLUMN as FIELD (name, first_name, last_name, email, phone, organisation, title, "
                   "notes); repeat for each column. Columns left out are ignored.")
def import_(file, fmt, dry_run, yes, as_json, columns):
    """Import people from a vCard, LinkedIn's Connections.csv or any CSV with a header.

    New people arrive as contacts (status "resting", no consent), listed
    nowhere. Someone already in your book (same email, or same name and
    organisation) is merged field by field: empty fields are filled, new
    emails and phones added, and what you typed is never overwritten.
    """
    mapping = _mapping(columns)
    data = _read(file, fmt)
    if mapping is not None and fmt in (None, "linkedin"):
        fmt = "csv"
    if fmt is None:
        from goodword.lib.contact_files import guess_format

        fmt = "goodword" if data[:4096].lstrip().startswith(b"{") else guess_format(file, data)
    user = common.boot()
    if fmt == "goodword":
        return _import_document(user, data, dry_run, as_json)
    from goodword.lib.contact_files import parse
    from goodword.transfer import contacts

    if len(data) >= PROGRESS_FROM_BYTES and not as_json:
        with click.progressbar(length=100, label=f"Reading {file}", file=sys.stderr) as bar:
            def advance(line, total):
                bar.update(int(100 * line / max(total, 1)) - bar.pos)

            parsed = parse(data, fmt, mapping, progress=advance)
            bar.update(100 - bar.pos)
    else:
        parsed = parse(data, fmt, mapping)
    plan = contacts.preview(user, parsed)
    if as_json and (dry_run or not yes):
        common.echo_json(plan.as_dict() | {"format": fmt, "imported": False})
        return
    if not as_json:
        _show_preview(plan, fmt)
    if dry_run:
        click.echo("Dry run: nothing was changed.", err=True)
        return
    if not (plan.count(contacts.ADD) or plan.count(contacts.MERGE)):
        click.echo("Nothing to import.", err=True)
        return
    if not yes:
        if not common.in_terminal():
            raise click.ClickException("Not a terminal: add --yes to import, or --dry-run to only look.")
        click.confirm(f"Add {plan.count(contacts.ADD)} and merge {plan.count(contacts.MERGE)}?", abort=True, err=True)
    outcome = contacts.apply(user, parsed)
    if as_json:
        common.echo_json(plan.as_dict() | {"format": fmt, "imported": True, "added": outcome.added,
                                           "merged": outcome.merged, "skipped": outcome.skipped})
    else:
        click.echo(f"Added {outcome.added}, merged {outcome.merged}, skipped {outcome.skipped}.")


def _mapping(columns) -> dict[str, str] | None:
    from goodword.lib.contact_files import MAPPABLE_FIELDS

    if not columns:
        return None
    mapping = {}
    for item in columns:
        column, equals, target = item.rpartition("=")
        if not equals or not column.strip() or target.strip() not in MAPPABLE_FIELDS:
            raise click.BadParameter(f"{item!r}: use COLUMN=FIELD, FIELD one of {', '.join(MAPPABLE_FIELDS)}.",
                                     param_hint="--map")
        mapping[column.strip()] = target.strip()
    return mapping


def _show_preview(plan, fmt) -> None:
    from goodword.transfer import contacts

    rows = [[row.number, row.action, row.candidate.name, ", ".join(row.candidate.emails[:2]),
             row.candidate.organisation, row.reason + ("; " + "; ".join(row.kept) if row.kept else "")]
            for row in plan.rows]
    if rows:
        shown = rows if len(rows) <= 200 else rows[:200]
        common.echo_table(["#", "action", "name", "email", "organisation", "why"], shown)
        if len(rows) > 200:
            click.echo(f"… and {len(rows) - 200} more rows (--json lists them all).")
    for problem in plan.problems:
        click.echo(f"Problem: {problem}", err=True)
    click.echo(f"{fmt}: {plan.count(contacts.ADD)} to add, {plan.count(contacts.MERGE)} to merge, "
               f"{plan.count(contacts.SKIP)} skipped, {len(plan.problems)} problems.", err=True)


def _import_document(user, data, dry_run, as_json):
    import json

    from goodword.transfer.document import DocumentError, import_document

    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"This is not a JSON file ({exc}).") from None

    try:
        summary = import_document(user, document, dry_run=dry_run)
    except DocumentError as exc:
        raise click.ClickException(f"{exc} Nothing was imported.") from None
    if as_json:
        common.echo_json({"format": "goodword", "imported": not dry_run, "created": summary.created,
                          "already_there": summary.already_there})
        return
    created = ", ".join(f"{count} {key.replace('_', ' ')}" for key, count in summary.created.items() if count)
    there = sum(summary.already_there.values())
    verb = "Would create" if dry_run else "Created"
    click.echo(f"{verb}: {created or 'nothing'}; {there} rows were already there.")


@click.command(epilog="""\b
Examples:
  goodword backup                     into GOODWORD_HOME/backups, keeping the last 7
  goodword backup /mnt/usb --keep 30
""")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@click.option("--keep", default=7, show_default=True, type=click.IntRange(1, 1000),
              help="How many backups to keep in the folder; older ones are deleted.")
def backup(folder, keep):
    """Back up the database while Goodword runs.

    SQLite: a consistent copy (SQLite's online backup API) checked with
    PRAGMA integrity_check, and the letters' PDFs in a folder next to it.
    PostgreSQL: the JSON export of every account, letters included (back up
    the whole server with pg_dump).
    """
    common.boot(ask_profile=False)
    from goodword.transfer.backups import back_up

    try:
        path = back_up(folder, keep)
    except (OSError, ValueError) as exc:
        raise click.ClickException(f"Cannot back up into {folder or 'the backups folder'}: "
                                   f"{getattr(exc, 'strerror', None) or exc}. Nothing was written.") from None
    click.echo(f"Backed up to {path}")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", "-y", is_flag=True, help="Restore without asking for confirmation.")
def restore(file, yes):
    """Replace the database by a backup made with `goodword backup` (SQLite).

    The backup must pass PRAGMA integrity_check; the current database is
    saved next to itself first. Letter files kept with the backup that are
    missing from the media folder are put back.
    """
    from pathlib import Path

    common.boot(ask_profile=False)
    from goodword.core.upgrades import integrity_problems
    from goodword.transfer.backups import RestoreRefused, restore_sqlite

    from django.db import connection

    if connection.vendor != "sqlite":
        raise click.ClickException("This Goodword uses PostgreSQL: restore a JSON backup with "
                                   "`goodword import FILE --format goodword`, or the server with pg_restore.")
    problem = integrity_problems(Path(file))
    if problem:
        raise click.ClickException(f"{file} fails its integrity check ({problem}); nothing was changed.")
    if not yes:
        if not common.in_terminal():
            raise click.ClickException("Not a terminal: add --yes to restore.")
        click.confirm(f"Replace everything in the database by {file}?", abort=True, err=True)
    try:
        restore_sqlite(Path(file))
    except RestoreRefused as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Restored {file}.")
