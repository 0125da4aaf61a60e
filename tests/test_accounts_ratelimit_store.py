"""Rate-limit counters live in the database (shared by every process, kept across restarts), in a table
that `migrate` makes."""

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import connection
from django.test import Client

from tests.factories.hosted import hosted, make_account  # noqa: F401


def cache_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM goodword_cache")
        return cursor.fetchone()[0]


def test_failed_sign_ins_are_counted_in_the_database(hosted):
    assert isinstance(caches["default"], DatabaseCache)
    make_account("casey@example.org")
    assert cache_rows() == 0
    Client(REMOTE_ADDR="192.0.2.3").post("/accounts/login/", {"login": "casey@example.org", "password": "guess"})
    assert cache_rows() >= 2  # one counter for the address, one for the account


def test_migrate_makes_the_cache_table(transactional_db):
    call_command("migrate", "accounts", "0003", verbosity=0)
    assert "goodword_cache" not in connection.introspection.table_names()
    call_command("migrate", "accounts", verbosity=0)
    assert "goodword_cache" in connection.introspection.table_names()
