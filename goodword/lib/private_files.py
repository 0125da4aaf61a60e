"""Goodword's data is private: the data folder is 0700, the SQLite files 0600.

SQLite gives its -wal, -shm and -journal files the permissions of the
database file, so creating that file 0600 before SQLite first opens it keeps
them all private; files made by an older version are tightened on open.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def tighten(path: Path, mode: int) -> None:
    """Drop every permission bit beyond `mode`; a file we do not own is left as it is."""
    try:
        current = stat.S_IMODE(os.stat(path).st_mode)
        if current & ~mode:
            os.chmod(path, current & mode)
    except (FileNotFoundError, PermissionError):
        pass


def make_private_folder(path: Path) -> None:
    """Create the data folder 0700, or tighten an existing one that is ours.

    Never the home folder itself nor a shared sticky folder such as /tmp,
    should GOODWORD_HOME point there: their permissions are not Goodword's to change.
    """
    existed = path.is_dir()
    path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    info = path.stat()
    if existed and (info.st_uid != os.getuid() or info.st_mode & stat.S_ISVTX or _is_home(path)):
        return
    tighten(path, PRIVATE_FOLDER)


def _is_home(path: Path) -> bool:
    try:
        return path.resolve() == Path.home().resolve()
    except (OSError, RuntimeError):
        return True


def make_private_sqlite_files(database: str) -> None:
    """Before SQLite opens `database`: create it 0600 if missing, tighten it and its companions otherwise."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        pass
    except OSError:
        return  # a missing folder or no permission: SQLite's own error will say so
    for candidate in (path, *(Path(f"{path}{suffix}") for suffix in SQLITE_COMPANIONS)):
        tighten(candidate, PRIVATE_FILE)
