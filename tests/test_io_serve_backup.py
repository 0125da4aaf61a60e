"""`goodword serve` in local mode backs the database up by itself, once a day, unless told not to."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

GOODWORD = Path(sys.executable).with_name("goodword")


def serve_for_a_while(home: Path, seconds: float, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOODWORD_", "DJANGO_"))}
    env |= {"GOODWORD_HOME": str(home), **extra}
    subprocess.run([str(GOODWORD), "ref", "add", "Dana Whitfield"], env=env, check=True, timeout=60,
                   capture_output=True)
    server = subprocess.Popen([str(GOODWORD), "serve", "--no-browser", "--port", "0"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        server.stdout.readline()  # "Goodword is running at …": the worker has started
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not list(home.glob("backups/goodword-backup-*.sqlite3")):
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return list(home.glob("backups/goodword-backup-*.sqlite3"))


def test_serve_makes_a_backup_by_itself(tmp_path):
    from goodword.core.upgrades import integrity_problems

    (backup,) = serve_for_a_while(tmp_path, 30)
    assert integrity_problems(backup) is None
    assert oct(backup.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("value", ["false", "0"])
def test_serve_makes_none_when_turned_off(tmp_path, value):
    assert serve_for_a_while(tmp_path, 4, GOODWORD_DAILY_BACKUP=value) == []
