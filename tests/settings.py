"""Test settings: the real settings module, with GOODWORD_HOME in a fresh temp folder.

pytest-django imports this before any conftest runs, so it is the one place
that can point the data folder away from the developer's real one.
"""

import atexit
import os
import shutil
import tempfile

_home = tempfile.mkdtemp(prefix="goodword-tests-")
atexit.register(shutil.rmtree, _home, ignore_errors=True)
os.environ["GOODWORD_HOME"] = _home
os.environ.pop("GOODWORD_SECRET_KEY", None)
os.environ.pop("GOODWORD_MODE", None)
os.environ.setdefault("GOODWORD_TIME_ZONE", "Europe/Paris")

from goodword.settings import *  # noqa: E402,F403
from goodword.settings import DATABASES  # noqa: E402

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not :memory:, so WAL, locking and the live server behave as in use.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(_home, "test.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = 0

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests
