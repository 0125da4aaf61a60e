"""Opening a database of another version: an older one is backed up before it is migrated,
a newer one is refused untouched (the CLI, `goodword serve`, the WSGI app)."""

import os
import sqlite3
import stat
import subprocess
import sys

import click
import pytest
from django.db import connection

from goodword import __version__
from goodword.cli import _django
from goodword.core import upgrades
from tests.test_cli_process import installed_script, plain_env

# Takes the newest migration of the courtesy app back, as if the code had been upgraded since.
UNDO_NEWEST_COURTESY_MIGRATION = """
import django
django.setup()
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader

graph = MigrationLoader(None, ignore_no_migrations=True).graph
[newest] = graph.leaf_nodes("courtesy")
[previous] = [parent.key for parent in graph.node_map[newest].parents if parent.key[0] == "courtesy"]
call_command("migrate", *previous, verbosity=0)
print(newest[1])
"""
FUTURE_MIGRATION = ("courtesy", "9999_from_a_newer_goodword")


def goodword(home, *args):
    return subprocess.run(
        [installed_script(), *args], env=plain_env(home), capture_output=True, text=True, check=False, timeout=120
    )


def database(home):
    return home / "goodword.sqlite3"


def applied(path):
    with sqlite3.connect(path) as db:
        return set(db.execute("SELECT app, name FROM django_migrations"))


def contents(path):
    db = sqlite3.connect(path)
    try:
        return list(db.iterdump())
    finally:
        db.close()


def backups(home):
    return sorted(home.glob("goodword.sqlite3.before-*"))


def home_with_a_reference(tmp_path):
    added = goodword(tmp_path, "ref", "add", "Dana Whitfield", "--email", "dana@example.com")
    assert added.returncode == 0, added.stderr
    assert backups(tmp_path) == [], "a brand-new database has nothing to back up"
    return tmp_path


def undo_newest_courtesy_migration(home):
    done = subprocess.run(
        [sys.executable, "-c", UNDO_NEWEST_COURTESY_MIGRATION],
        env={**plain_env(home), "DJANGO_SETTINGS_MODULE": "goodword.settings"},
        capture_output=True, text=True, check=True, timeout=120,
    )
    newest = ("courtesy", done.stdout.strip())
    assert newest not in applied(database(home))
    return newest


def add_future_migration(home):
    with sqlite3.connect(database(home)) as db:
        db.execute("INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, '2031-01-01')", FUTURE_MIGRATION)
    db.close()


def test_a_command_backs_up_an_older_database_before_migrating_it(tmp_path):
    home = home_with_a_reference(tmp_path)
    newest = undo_newest_courtesy_migration(home)

    listed = goodword(home, "ref", "list", "--json")

    assert listed.returncode == 0, listed.stderr
    assert '"Dana Whitfield"' in listed.stdout  # stdout stays JSON; the notice goes to stderr
    [backup] = backups(home)
    assert backup.name.startswith(f"goodword.sqlite3.before-{__version__}-") and backup.suffix == ".sqlite3"
    assert listed.stderr.strip() == (
        f"Upgrading the database to Goodword {__version__}; its previous state is saved in {backup}"
    )
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT name FROM references_reference").fetchall() == [("Dana Whitfield",)]
    copy.close()
    assert newest not in applied(backup)
    assert newest in applied(database(home))

    again = goodword(home, "ref", "list")
    assert again.returncode == 0 and again.stderr == ""
    assert backups(home) == [backup], "nothing pending, nothing copied"


@pytest.mark.parametrize(
    "command",
    [["ref", "list"], ["due"], ["serve", "--no-browser", "--port", "0"], ["wsgi"]],
    ids=["ref-list", "due", "serve", "wsgi"],
)
def test_a_database_from_a_newer_version_is_refused_untouched(tmp_path, command):
    home = home_with_a_reference(tmp_path)
    newest = undo_newest_courtesy_migration(home)  # pending work must not tempt it either
    add_future_migration(home)
    before = contents(database(home))

    if command == ["wsgi"]:
        done = subprocess.run(
            [sys.executable, "-c", "import goodword.wsgi"],
            env={**plain_env(home), "DJANGO_SETTINGS_MODULE": "goodword.settings"},
            capture_output=True, text=True, check=False, timeout=120,
        )
    else:
        done = goodword(home, *command)

    assert done.returncode != 0
    assert f"newer Goodword than the one running ({__version__})" in done.stderr
    assert "courtesy.9999_from_a_newer_goodword" in done.stderr
    if command != ["wsgi"]:
        assert "Traceback" not in done.stderr
        assert done.stderr.startswith("Error: This database was upgraded by a newer Goodword")
    assert contents(database(home)) == before
    assert newest not in applied(database(home))
    assert backups(home) == []


@pytest.mark.django_db
def test_the_newer_version_guard_holds_on_every_database():
    """In-process, on the suite's database: SQLite or, in CI's second run, PostgreSQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, CURRENT_TIMESTAMP)", FUTURE_MIGRATION
        )
    with pytest.raises(click.ClickException, match=r"courtesy\.9999_from_a_newer_goodword") as refused:
        _django.migrate_if_needed()
    assert f"({__version__})" in refused.value.message


def test_migrations_of_apps_that_are_not_goodword_do_not_count_as_newer():
    on_disk = upgrades.migration_files_on_disk()
    upgrades.refuse_newer_database(on_disk | {("auth", "9999_a_later_django"), ("gone_app", "0001_initial")}, on_disk)


def test_only_the_newest_backups_are_kept(tmp_path):
    path = tmp_path / "goodword.sqlite3"
    source = sqlite3.connect(path)
    source.execute("CREATE TABLE note (text TEXT)")
    made = []
    for n in range(upgrades.KEPT_BACKUPS + 2):
        with source:
            source.execute("INSERT INTO note VALUES (?)", (f"note {n}",))
        made.append(upgrades.back_up_sqlite(source, path))
    source.close()

    assert sorted(upgrades.backups_of(path)) == sorted(made[-upgrades.KEPT_BACKUPS:])
    newest = sqlite3.connect(made[-1])
    assert newest.execute("SELECT count(*) FROM note").fetchone() == (upgrades.KEPT_BACKUPS + 2,)
    newest.close()
    assert all(stat.S_IMODE(os.stat(kept).st_mode) == 0o600 for kept in made[-upgrades.KEPT_BACKUPS:])
