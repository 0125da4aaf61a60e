"""Set Django up on demand, and apply pending migrations before a command runs."""

from __future__ import annotations

import os
from pathlib import Path

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


def migration_files_on_disk() -> set[tuple[str, str]]:
    from django.apps import apps

    found = set()
    for config in apps.get_app_configs():
        folder = Path(config.path) / "migrations"
        if folder.is_dir():
            for path in folder.glob("[0-9]*.py"):
                found.add((config.label, path.stem))
    return found


def migrate_if_needed(verbosity: int = 0) -> bool:
    """Migrate when a migration file is not yet recorded; one cheap query otherwise.

    Listing file names avoids importing every migration module (the loader
    would), which keeps database commands nearly as fast as django.setup().
    """
    from django.core.management import call_command
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = set(cursor.fetchall())
    except DatabaseError:
        applied = set()
    if migration_files_on_disk() <= applied:
        return False
    call_command("migrate", verbosity=verbosity, interactive=False)
    return True


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
