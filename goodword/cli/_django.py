"""Set Django up on demand, and apply pending migrations before a command runs."""

from __future__ import annotations

import os
from pathlib import Path

from goodword import __version__

_ready = False


def setup() -> None:
    global _ready
    if _ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goodword.settings")
    import django

    django.setup()
    migrate_if_needed()
    _ready = True


def migrate_if_needed(verbosity: int = 0) -> bool:
    """Migrate when a migration file is not yet recorded; one cheap query otherwise.

    A database that a newer Goodword migrated is refused untouched; an existing
    SQLite database is copied next to itself before it is migrated.
    """
    from django.core.management import call_command
    from django.db import connection

    from goodword.core import upgrades

    applied = upgrades.applied_migrations()
    on_disk = upgrades.migration_files_on_disk()
    try:
        upgrades.refuse_newer_database(applied, on_disk)
    except upgrades.NewerDatabaseError as exc:
        import click

        raise click.ClickException(str(exc)) from None
    if on_disk <= applied:
        return False
    if applied and connection.vendor == "sqlite":
        back_up_before_migrating(connection)
    call_command("migrate", verbosity=verbosity, interactive=False)
    return True


def back_up_before_migrating(connection) -> None:
    import sqlite3

    import click

    from goodword.core import upgrades

    connection.ensure_connection()
    database = Path(connection.settings_dict["NAME"])
    try:
        copy = upgrades.back_up_sqlite(connection.connection, database)
    except (OSError, sqlite3.Error, upgrades.BackupCheckFailed) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise click.ClickException(
            f"Could not back up {database} before upgrading it ({reason}); nothing was changed. "
            "Free some space or make its folder writable, then try again."
        ) from None
    # stderr: stdout may be JSON another program reads.
    click.echo(f"Upgrading the database to Goodword {__version__}; its previous state is saved in {copy}", err=True)


def current_user():
    """The account the CLI acts for: GOODWORD_USER (default "me"), created in local mode."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from goodword.accounts.services import local_user

    if settings.GOODWORD_MODE == "hosted":
        User = get_user_model()
        try:
            return User.objects.get(username=settings.GOODWORD_CLI_USER)
        except User.DoesNotExist:
            import click

            raise click.ClickException(
                f"No account named {settings.GOODWORD_CLI_USER!r}; set GOODWORD_USER to an existing username."
            ) from None
    return local_user()
