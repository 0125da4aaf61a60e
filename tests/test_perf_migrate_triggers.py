"""Migrating a database that already has the ledger's triggers: SQLite rebuilds a table to
alter it, and a trigger on another table naming it made that fail (the opportunity table,
named by the listing table's triggers). They are dropped before and reinstalled after."""

import sqlite3
import subprocess
import sys

from tests.test_cli_process import installed_script, plain_env

MIGRATE = """
import sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", *sys.argv[1:], verbosity=0)
"""


def test_a_table_rebuild_on_an_existing_database_migrates_and_the_triggers_come_back(tmp_path):
    env = plain_env(tmp_path)
    for args in (("ref", "add", "Dana Whitfield"), ("job", "add", "Acme", "Data Engineer"), ("slate", "add", "Acme", "Dana")):
        done = subprocess.run([installed_script(), *args], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    database = tmp_path / "goodword.sqlite3"

    def triggers():
        with sqlite3.connect(database) as db:
            return {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}

    def versions():
        with sqlite3.connect(database) as db:
            return list(db.execute("SELECT version FROM courtesy_ledgersummary ORDER BY user_id"))

    before = triggers()
    assert "goodword_ledger_opportunities_listing_insert" in before
    with sqlite3.connect(database) as db:
        db.execute("INSERT OR IGNORE INTO courtesy_ledgersummary (user_id, version, open_count, open_debts) "
                   "SELECT id, 0, 0, '[]' FROM auth_user")
    kept = versions()
    # Back past a migration that alters the opportunity table (SQLite rebuilds it), then forward again.
    for target in (("opportunities", "0002"), ()):
        done = subprocess.run([sys.executable, "-c", MIGRATE, *target], capture_output=True, text=True, timeout=120,
                              env={**env, "DJANGO_SETTINGS_MODULE": "goodword.settings"})
        assert done.returncode == 0, done.stderr[-2000:]
    assert triggers() == before
    assert all(after > was for (after,), (was,) in zip(versions(), kept, strict=True)), "kept debts outlived a migrate"
    listed = subprocess.run([installed_script(), "slate", "show", "Acme"], env=env, capture_output=True, text=True,
                            timeout=120)
    assert listed.returncode == 0 and "Dana Whitfield" in listed.stdout
