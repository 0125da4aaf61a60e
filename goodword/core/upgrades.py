"""Opening a database of another Goodword version: refuse a newer one, back up an older one.

Goodword migrates by itself when it starts (goodword.cli._django). A database
that a newer Goodword migrated holds migrations this code does not know; going
on would run old code on a schema it cannot read, so nothing may touch it. A
SQLite database about to be migrated is copied first (SQLite's backup API, so
the copy is consistent even while another process writes), because a migration
cannot be taken back once applied. PostgreSQL is the operator's to back up.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from pathlib import Path

from goodword import __version__

KEPT_BACKUPS = 3


class NewerDatabaseError(Exception):
    """The database has migrations of Goodword's apps that the running code does not have."""


def our_app_labels() -> set[str]:
    from django.apps import apps

    return {config.label for config in apps.get_app_configs() if config.name.startswith("goodword.")}


def migration_files_on_disk() -> set[tuple[str, str]]:
    """(app label, migration name) of every migration file of the installed apps.

    Listing file names avoids importing every migration module (the loader
    would), which keeps database commands nearly as fast as django.setup().
    """
    from django.apps import apps

    found = set()
    for config in apps.get_app_configs():
        folder = Path(config.path) / "migrations"
        if folder.is_dir():
            for path in folder.glob("[0-9]*.py"):
                found.add((config.label, path.stem))
    return found


def applied_migrations() -> set[tuple[str, str]]:
    """The rows of django_migrations; empty for a brand-new database."""
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            return set(cursor.fetchall())
    except DatabaseError:
        return set()


def refuse_newer_database(applied: set[tuple[str, str]], on_disk: set[tuple[str, str]]) -> None:
    """Raise NewerDatabaseError when an app of ours has applied migrations not on disk.

    Only our apps count: rows of Django's own apps, or of an app no longer
    installed, say nothing about whether this code can read Goodword's tables.
    """
    ours = our_app_labels()
    unknown = sorted(f"{app}.{name}" for app, name in applied - on_disk if app in ours)
    if unknown:
        raise NewerDatabaseError(
            f"This database was upgraded by a newer Goodword than the one running ({__version__}): "
            f"it has migrations this version does not know ({', '.join(unknown)}). "
            "Nothing was changed: run the newer Goodword (pip install -U goodword), or point "
            "GOODWORD_HOME or GOODWORD_DATABASE_URL at another database."
        )


def backup_path(database: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    candidate = database.with_name(f"{database.name}.before-{__version__}-{stamp}.sqlite3")
    counter = 2
    while candidate.exists():
        candidate = database.with_name(f"{database.name}.before-{__version__}-{stamp}-{counter}.sqlite3")
        counter += 1
    return candidate


class BackupCheckFailed(Exception):
    """A copy that PRAGMA integrity_check does not pass."""


def integrity_problems(path: Path) -> str | None:
    """None when `path` is a SQLite database that passes PRAGMA integrity_check, else what is wrong."""
    try:
        with open(path, "rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                return "it is not a SQLite database"
        check = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            verdict = [row[0] for row in check.execute("PRAGMA integrity_check")]
        finally:
            check.close()
    except (OSError, sqlite3.Error) as exc:
        return str(exc)
    return None if verdict == ["ok"] else "; ".join(verdict[:5])


def copy_sqlite(source: sqlite3.Connection, target: Path) -> Path:
    """Copy the open database `source` to the new file `target`, readable by its owner only,
    and verify the copy with PRAGMA integrity_check. The one copy both the pre-migration
    backup and `goodword backup` make."""
    # Created 0600 before SQLite opens it, so the copy is never readable by others, not even briefly.
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, stat.S_IRUSR | stat.S_IWUSR))
    try:
        copy = sqlite3.connect(target)
        try:
            # The backup API copies a consistent snapshot even while other processes write.
            source.backup(copy)
            # The copy inherits WAL mode; one self-contained file is what a backup should be.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
        problem = integrity_problems(target)
        if problem:
            raise BackupCheckFailed(f"the copy fails its integrity check ({problem})")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def back_up_sqlite(source: sqlite3.Connection, database: Path, keep: int = KEPT_BACKUPS) -> Path:
    """Copy the open database `source` (whose file is `database`) next to it, readable by
    its owner only; keep the newest `keep` copies. Returns the copy's path."""
    target = copy_sqlite(source, backup_path(database))
    prune_backups(database, keep)
    return target


def backups_of(database: Path) -> list[Path]:
    """The backups of `database`, oldest first."""
    found = database.parent.glob(f"{database.name}.before-*.sqlite3")
    return sorted(found, key=lambda path: (path.stat().st_mtime_ns, path.name))


def prune_backups(database: Path, keep: int) -> None:
    for old in backups_of(database)[:-keep]:
        old.unlink(missing_ok=True)
