"""The web's ledger reuses its facts between requests while SQLite shows the
database unchanged, and never serves facts older than the data."""

import sqlite3

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from goodword.courtesy.ledger import build_ledger
from tests.factories.courtesy import log
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference

# Transactions of their own: inside the test's transaction, facts are never reused.
pytestmark = pytest.mark.django_db(transaction=True)

LEDGER_QUERIES = 9
REUSED_QUERIES = 3  # settings, PRAGMA data_version, decisions

sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="the change stamp is SQLite's")


@pytest.fixture
def unwarned(alice):
    dana = make_reference(alice, name="Dana Whitfield", relationship="manager")
    job = make_opportunity(alice, company="Northwind", stage="references_requested", references_wanted=1)
    make_listing(job, dana)
    log(dana, "agreed", job)
    return dana, job, f"no_heads_up:{dana.pk}:{job.pk}"


def ledger_and_queries(user):
    with CaptureQueriesContext(connection) as queries:
        ledger = build_ledger(user, reuse_facts=True)
    return ledger, len(queries)


def keys(ledger):
    return {debt.key for debt in ledger.open}


@sqlite_only
def test_an_unchanged_database_costs_three_queries_and_gives_the_same_ledger(alice, unwarned):
    first, first_queries = ledger_and_queries(alice)
    second, second_queries = ledger_and_queries(alice)
    assert (first_queries, second_queries) == (LEDGER_QUERIES + 1, REUSED_QUERIES)
    assert keys(second) == keys(first) and unwarned[2] in keys(second)


@sqlite_only
def test_a_write_on_the_same_connection_is_seen_at_once(alice, unwarned):
    dana, job, key = unwarned
    ledger_and_queries(alice)
    log(dana, "heads_up", job)
    ledger, queries = ledger_and_queries(alice)
    assert key not in keys(ledger) and queries == LEDGER_QUERIES + 1


@sqlite_only
def test_a_commit_from_another_connection_is_seen_at_once(alice, unwarned):
    dana, _job, key = unwarned
    ledger_and_queries(alice)
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None, timeout=10)
    try:
        other.execute("UPDATE references_reference SET name = 'Dana Okafor' WHERE id = ?", (dana.pk,))
    finally:
        other.close()
    ledger, queries = ledger_and_queries(alice)
    assert queries == LEDGER_QUERIES + 1
    assert [debt.reference_name for debt in ledger.open if debt.key == key] == ["Dana Okafor"]


@sqlite_only
def test_facts_kept_for_one_user_are_never_given_to_another(alice, bob, unwarned):
    ledger_and_queries(alice)
    ledger, queries = ledger_and_queries(bob)
    assert ledger.open == [] and queries == LEDGER_QUERIES + 1


def test_inside_a_transaction_or_on_postgresql_facts_are_always_read_afresh(alice, unwarned):
    with transaction.atomic():
        counts = [ledger_and_queries(alice)[1] for _ in range(2)]
    assert counts == [LEDGER_QUERIES, LEDGER_QUERIES]
    if connection.vendor != "sqlite":
        assert [ledger_and_queries(alice)[1] for _ in range(2)] == [LEDGER_QUERIES, LEDGER_QUERIES]


@sqlite_only
def test_without_autocommit_facts_are_read_afresh(alice, unwarned):
    ledger_and_queries(alice)
    connection.set_autocommit(False)
    try:
        counts = [ledger_and_queries(alice)[1] for _ in range(2)]
    finally:
        connection.rollback()
        connection.set_autocommit(True)
    assert counts == [LEDGER_QUERIES, LEDGER_QUERIES]


@sqlite_only
def test_a_new_connection_reads_afresh(alice, unwarned):
    ledger_and_queries(alice)
    connection.close()
    assert ledger_and_queries(alice)[1] == LEDGER_QUERIES + 1


@sqlite_only
def test_a_new_day_can_archive_an_application_the_kept_facts_still_hold(alice):
    import datetime as dt

    from django.utils import timezone

    from tests.factories.courtesy import move_stage

    dana = make_reference(alice, name="Dana Whitfield", relationship="manager")
    today = timezone.localdate()
    job = make_opportunity(alice, company="Northwind", stage="references_requested",
                           stage_on=today - dt.timedelta(days=120))
    make_listing(job, dana)
    log(dana, "agreed", job, at=timezone.now() - dt.timedelta(days=119))
    move_stage(job, "rejected", on=today - dt.timedelta(days=100))
    now = timezone.now()
    assert "not_thanked" in {debt.rule for debt in build_ledger(alice, now, reuse_facts=True).open}
    later = build_ledger(alice, now + dt.timedelta(days=81), reuse_facts=True)
    assert later.archived_count == 1 and not [debt for debt in later.open if debt.opportunity_id == job.pk]


@sqlite_only
def test_the_dashboard_reuses_its_facts_and_an_htmx_settle_is_seen_at_once(alice_client, unwarned):
    _dana, _job, key = unwarned
    assert f'value="{key}"' in alice_client.get("/").content.decode()
    with CaptureQueriesContext(connection) as reloaded:
        assert f'value="{key}"' in alice_client.get("/").content.decode()
    assert not any("timeline_event" in query["sql"] and "group_concat" in query["sql"]
                   for query in reloaded.captured_queries)  # the listings query did not run again
    headers = {"HX-Request": "true", "HX-Target": "ledger", "HX-Current-URL": "http://testserver/"}
    fragment = alice_client.post("/due/settle/", {"key": key, "channel": "phone"}, headers=headers)
    assert fragment.status_code == 200 and f'value="{key}"' not in fragment.content.decode()
    assert f'value="{key}"' not in alice_client.get("/").content.decode()
