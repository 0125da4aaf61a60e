"""`goodword check`: Django's system checks and Goodword's own (goodword/core/checks.py), for operators and CI."""

from __future__ import annotations

import click

LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


@click.command(
    epilog="""\b
Examples:
  goodword check                                   the checks every start runs
  goodword check --deploy --fail-level WARNING     before putting a hosted instance online
"""
)
@click.option("--deploy", is_flag=True, help="Add Django's deployment checks (HTTPS, HSTS, cookies, the secret key).")
@click.option("--fail-level", type=click.Choice(LEVELS, case_sensitive=False), default="ERROR", show_default=True,
              help="Exit with status 1 when a message of this level or worse is found.")
def check(deploy, fail_level):
    """Check the configuration, as `goodword serve` does before it starts; exit 1 on a problem."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goodword.settings")
    import django

    # No migration here (unlike other commands): a check must not change the database it looks at.
    django.setup()
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        call_command("check", deploy=deploy, fail_level=fail_level.upper())
    except SystemCheckError as error:
        raise click.ClickException(str(error).strip()) from None


@click.command()
def migrate():
    """Apply pending migrations and exit: the first step of an upgrade, before the new processes start.

    Every other command migrates on its own when it needs to; hosted setups run this once,
    from one place, so that several app processes never race to migrate.
    """
    from goodword.cli import _django

    _django.setup()  # migrates when a migration is pending
    click.echo("The database is up to date.")
