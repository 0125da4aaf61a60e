"""`goodword backup` and `goodword restore`, and the daily backup of `goodword serve`.

SQLite: a consistent copy through SQLite's online backup API, made while the
app runs (goodword.core.upgrades.copy_sqlite, the same copy as before a
migration), verified with PRAGMA integrity_check, named by time, the newest N
kept, with the letters' PDFs copied into a folder next to it (the database
names them; the media folder holds them). PostgreSQL: the JSON export of every
account, letters included, one file; the whole server is pg_dump's job.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from goodword.core import upgrades
from goodword.lib.private_files import PRIVATE_FILE, PRIVATE_FOLDER, make_private_folder, tighten

KEEP_DEFAULT = 7
PREFIX = "goodword-backup-"
DAILY_SECONDS = 24 * 3600


def default_folder() -> Path:
    return Path(settings.GOODWORD_HOME) / "backups"


def _stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S", time.gmtime())


def _new_path(folder: Path, suffix: str) -> Path:
    candidate = folder / f"{PREFIX}{_stamp()}{suffix}"
    counter = 2
    while candidate.exists():
        candidate = folder / f"{PREFIX}{_stamp()}-{counter}{suffix}"
        counter += 1
    return candidate


def backups_in(folder: Path) -> list[Path]:
    """Backups in `folder`, oldest first."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob(f"{PREFIX}*") if p.suffix in (".sqlite3", ".json")]
    return sorted(found, key=lambda path: path.name)


def back_up(folder: Path | None = None, keep: int = KEEP_DEFAULT) -> Path:
    """Make one backup in `folder` (0700), keep the newest `keep`; returns its path."""
    folder = Path(folder) if folder else default_folder()
    make_private_folder(folder)
    if connection.vendor == "sqlite":
        # A connection of its own: the backup API reads a snapshot while others keep writing.
        source = sqlite3.connect(connection.settings_dict["NAME"], timeout=30)
        try:
            target = upgrades.copy_sqlite(source, _new_path(folder, ".sqlite3"))
        finally:
            source.close()
        _copy_letters(target)
    else:
        target = _json_backup(folder)
    for old in backups_in(folder)[:-keep]:
        old.unlink(missing_ok=True)
        shutil.rmtree(letters_of(old), ignore_errors=True)
    return target


def letters_of(backup: Path) -> Path:
    """The folder of a SQLite backup's letter files, named after it."""
    return backup.with_name(backup.name.removesuffix(".sqlite3") + ".letters")


def _letters_folder() -> Path | None:
    """Where the letters' files are, when they are files on this machine (not, say, in object storage)."""
    from django.core.files.storage import FileSystemStorage, default_storage

    if not isinstance(default_storage, FileSystemStorage):
        return None
    return Path(default_storage.location) / "letters"


def _copy_letters(backup: Path) -> None:
    """Copied after the database, so that every letter its copy names is there (a file is written before
    its row); only a letter deleted in between can be missing. Letter files are written once under a
    random name and never changed, so a plain copy is a consistent one."""
    source = _letters_folder()
    if source is None or not source.is_dir():
        return
    target = letters_of(backup)
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        copy = target / path.relative_to(source)
        make_private_folder(copy.parent)
        shutil.copyfile(path, copy)
        tighten(copy, PRIVATE_FILE)
    if target.is_dir():
        tighten(target, PRIVATE_FOLDER)


def _json_backup(folder: Path) -> Path:
    from django.contrib.auth import get_user_model

    from goodword.transfer.document import export_document

    # The instance's copy, for moving accounts: confidential letters too, which a person's own download leaves out.
    accounts = [export_document(user, confidential_letters=True) for user in get_user_model().objects.order_by("pk")]
    target = _new_path(folder, ".json")
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump({"format": "goodword-backup", "accounts": accounts}, handle, ensure_ascii=False)
    return target


def last_backup(folder: Path | None = None) -> dt.datetime | None:
    found = backups_in(Path(folder) if folder else default_folder())
    if not found:
        return None
    return dt.datetime.fromtimestamp(found[-1].stat().st_mtime, tz=dt.UTC)


def daily_backup() -> Path | None:
    """The periodic job of `goodword serve` (local mode): one backup a day, unless turned off."""
    if not settings.GOODWORD_DAILY_BACKUP or settings.GOODWORD_MODE != "local":
        return None
    latest = last_backup()
    if latest and (dt.datetime.now(dt.UTC) - latest).total_seconds() < DAILY_SECONDS:
        return None
    return back_up()


class RestoreRefused(Exception):
    pass


def restore_sqlite(backup: Path) -> None:
    """Replace the live SQLite database by `backup`, after checking the backup's integrity;
    the current database is first saved next to itself (as before a migration)."""
    if connection.vendor != "sqlite":
        raise RestoreRefused("This Goodword uses PostgreSQL: restore a JSON backup with "
                             "`goodword import FILE --format goodword`, or the server with pg_restore.")
    problem = upgrades.integrity_problems(backup)
    if problem:
        raise RestoreRefused(f"{backup} fails its integrity check ({problem}); nothing was changed.")
    database = Path(connection.settings_dict["NAME"])
    connection.ensure_connection()
    upgrades.back_up_sqlite(connection.connection, database)
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    _put_back_letters(backup)


def _put_back_letters(backup: Path) -> None:
    """The backup's letter files go back where the restored database expects them. Files already there
    are kept as they are (the same name is the same letter), and so are letters the backup does not have:
    the database saved before the restore may still name them."""
    saved, target = letters_of(backup), _letters_folder()
    if target is None or not saved.is_dir():
        return
    for path in sorted(saved.rglob("*")):
        destination = target / path.relative_to(saved)
        if path.is_file() and not destination.exists():
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
