"""The data folder is 0700 and the SQLite database with its WAL files 0600, new or old, whatever the umask."""

import os
import stat
import subprocess
import sys

import pytest

from goodword.lib.private_files import make_private_folder, make_private_sqlite_files
from tests.test_cli_process import installed_script, plain_env

# Run as a user's shell would, with the usual umask, and stat the WAL files
# while this process still holds its connection (SQLite removes them on close).
WHILE_CONNECTED = """
import os, stat
from goodword.cli import _django
_django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM references_reference")
name = connection.settings_dict["NAME"]
for path in (name, name + "-wal", name + "-shm"):
    print(os.path.basename(path), oct(stat.S_IMODE(os.stat(path).st_mode)))
"""


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def run(args, env):
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False, timeout=120,
                          preexec_fn=lambda: os.umask(0o022))
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_fresh_data_folder_is_private_and_so_are_the_database_and_its_wal_files(tmp_path):
    home = tmp_path / "fresh" / "goodword"
    env = plain_env(home)
    run([installed_script(), "ref", "add", "Dana Whitfield", "--email", "dana@example.com"], env)
    assert mode(home) == 0o700
    assert mode(home / "goodword.sqlite3") == 0o600
    assert mode(home / "secret_key") == 0o600
    shown = run([sys.executable, "-c", WHILE_CONNECTED], env)
    assert shown.split("\n")[:3] == [
        "goodword.sqlite3 0o600", "goodword.sqlite3-wal 0o600", "goodword.sqlite3-shm 0o600"
    ], shown


def test_an_existing_world_readable_database_and_folder_are_tightened_on_open(tmp_path):
    home = tmp_path / "goodword"
    env = plain_env(home)
    run([installed_script(), "ref", "list"], env)
    os.chmod(home, 0o755)
    database = home / "goodword.sqlite3"
    os.chmod(database, 0o644)
    for suffix in ("-wal", "-shm"):
        (home / f"goodword.sqlite3{suffix}").touch(mode=0o644)
        os.chmod(home / f"goodword.sqlite3{suffix}", 0o644)
    run([installed_script(), "ref", "list"], env)
    assert mode(home) == 0o700
    assert mode(database) == 0o600
    for suffix in ("-wal", "-shm"):
        path = home / f"goodword.sqlite3{suffix}"
        assert not path.exists() or mode(path) == 0o600


@pytest.mark.django_db
def test_the_test_database_itself_goes_through_the_private_backend():
    from django.db import connection

    connection.ensure_connection()
    name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        pytest.skip("file permissions are SQLite's")
    assert mode(name) == 0o600
    assert mode(name + "-wal") == 0o600


def test_a_shared_sticky_folder_is_left_as_it_is(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    make_private_folder(shared)
    assert mode(shared) == 0o1777


def test_in_memory_and_uri_databases_are_not_touched(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in (":memory:", "file:memorydb_default?mode=memory&cache=shared", ""):
        make_private_sqlite_files(name)
    assert list(tmp_path.iterdir()) == []
