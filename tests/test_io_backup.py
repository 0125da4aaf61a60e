"""`goodword backup` / `restore`: consistent copies while others write, integrity-checked, pruned, private."""

import multiprocessing
import sqlite3
import time
from pathlib import Path

import pytest
from django.db import connection

from goodword.core.upgrades import integrity_problems
from goodword.transfer import backups

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite backups")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backups")


def writer(database: str, worker: int, stop_at: float, committed):
    db = sqlite3.connect(database, timeout=30)
    db.execute("PRAGMA journal_mode=WAL")
    n = 0
    while time.time() < stop_at:
        with db:
            db.execute("INSERT INTO writes (worker, n) VALUES (?, ?)", (worker, n))
        committed.put((worker, n, time.time()))
        n += 1
    db.close()


@sqlite_only
def test_a_backup_while_8_processes_write_is_whole_and_holds_every_earlier_write(tmp_path):
    database = tmp_path / "live.sqlite3"
    db = sqlite3.connect(database)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE writes (worker INTEGER, n INTEGER, PRIMARY KEY (worker, n))")
    db.commit()
    context = multiprocessing.get_context("spawn")
    committed = context.Queue()
    stop_at = time.time() + 30
    workers = [context.Process(target=writer, args=(str(database), i, stop_at, committed)) for i in range(8)]
    for process in workers:
        process.start()
    seen = []
    while len({w for w, _, _ in seen}) < 8 or len(seen) < 200:  # every writer is busy
        seen.append(committed.get(timeout=60))
    began = time.time()
    from goodword.core.upgrades import copy_sqlite

    copy = copy_sqlite(sqlite3.connect(database, timeout=30), tmp_path / "copy.sqlite3")
    for process in workers:
        process.terminate()
        process.join()
    while not committed.empty():
        seen.append(committed.get())
    before = {(w, n) for w, n, at in seen if at < began}
    assert integrity_problems(copy) is None
    held = set(sqlite3.connect(copy).execute("SELECT worker, n FROM writes"))
    assert before and before <= held
    assert oct(copy.stat().st_mode & 0o777) == "0o600"


@sqlite_only
def test_backup_command_names_by_time_keeps_the_last_n_and_is_private(run, tmp_path, alice):
    for _ in range(3):
        result = run("backup", tmp_path, "--keep", "2")
        assert result.exit_code == 0, result.output
        time.sleep(1.05)
    found = backups.backups_in(tmp_path)
    assert len(found) == 2 and all(p.name.startswith("goodword-backup-2") for p in found)
    assert all(integrity_problems(p) is None for p in found)
    assert {oct(p.stat().st_mode & 0o777) for p in found} == {"0o600"}


@sqlite_only
def test_restore_refuses_a_file_failing_its_integrity_check(run, tmp_path):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    result = run("restore", bad, "--yes")
    assert result.exit_code == 1 and "fails its integrity check" in result.output
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("hello")
    assert "not a SQLite database" in run("restore", junk, "--yes").output


@sqlite_only
def test_restore_without_yes_outside_a_terminal_asks_for_it(run, tmp_path):
    run("backup", tmp_path)
    result = run("restore", backups.backups_in(tmp_path)[0])
    assert result.exit_code == 1 and "--yes" in result.output


@sqlite_only
def test_daily_backup_runs_once_a_day_and_can_be_turned_off(settings, tmp_path, db):
    settings.GOODWORD_HOME = tmp_path
    settings.GOODWORD_MODE = "local"
    settings.GOODWORD_DAILY_BACKUP = False
    assert backups.daily_backup() is None and backups.last_backup() is None
    settings.GOODWORD_DAILY_BACKUP = True
    first = backups.daily_backup()
    assert first and backups.daily_backup() is None
    assert backups.last_backup() is not None


@postgresql_only
def test_backup_on_postgresql_is_the_json_export_of_every_account(run, tmp_path, alice, bob):
    import json

    from goodword.references.models import Reference

    Reference.objects.create(owner=alice, name="Dana Whitfield")
    Reference.objects.create(owner=bob, name="Sam Okafor")
    result = run("backup", tmp_path)
    assert result.exit_code == 0, result.output
    (path,) = backups.backups_in(tmp_path)
    assert path.suffix == ".json" and oct(path.stat().st_mode & 0o777) == "0o600"
    accounts = json.loads(path.read_text())["accounts"]
    names = {a["account"]["username"]: [r["name"] for r in a["references"]] for a in accounts}
    assert names["alice"] == ["Dana Whitfield"] and names["bob"] == ["Sam Okafor"]
    refused = run("restore", path, "--yes")
    assert refused.exit_code == 1 and "pg_restore" in refused.output


@sqlite_only
def test_restore_puts_the_backup_back_and_keeps_the_state_it_replaced(tmp_path, transactional_db, settings):
    from click.testing import CliRunner

    from goodword.cli import main
    from goodword.references.models import Reference
    from tests.factories.accounts import make_user

    user = make_user("alice")
    settings.GOODWORD_CLI_USER = "alice"
    Reference.objects.create(owner=user, name="Before the backup")
    assert CliRunner().invoke(main, ["backup", str(tmp_path)]).exit_code == 0
    Reference.objects.create(owner=user, name="After the backup")
    database = Path(connection.settings_dict["NAME"])
    saved_before = set(database.parent.glob(f"{database.name}.before-*"))
    result = CliRunner().invoke(main, ["restore", str(backups.backups_in(tmp_path)[0]), "--yes"])
    assert result.exit_code == 0, result.output
    connection.close()
    assert list(Reference.objects.values_list("name", flat=True)) == ["Before the backup"]
    assert set(database.parent.glob(f"{database.name}.before-*")) - saved_before  # what it replaced is kept
