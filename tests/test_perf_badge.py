"""The navigation badge reads a kept count (one query) while nothing the ledger
reads has changed, and a fresh one after any write, from anywhere."""

import datetime as dt
import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goodword.courtesy import summary
from goodword.courtesy.ledger import build_ledger
from goodword.courtesy.models import LedgerSummary
from goodword.timeline.models import Event
from tests.factories.courtesy import log
from tests.factories.opportunities import make_interview, make_listing, make_opportunity
from tests.factories.references import make_reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def unwarned(alice):
    dana = make_reference(alice, name="Dana Whitfield", relationship="manager")
    job = make_opportunity(alice, company="Northwind", stage="references_requested", references_wanted=1)
    make_listing(job, dana)
    log(dana, "agreed", job)
    return dana, job


def badge(client) -> int:
    html = client.get(reverse("references:list")).content.decode()
    found = re.search(r'class="badge">(\d+)<', html)
    return int(found.group(1)) if found else 0


def test_a_page_without_the_ledger_reads_the_kept_count_in_one_query(client, alice, unwarned):
    client.force_login(alice)
    expected = len(build_ledger(alice).open)
    assert badge(client) == expected  # builds and keeps it
    with CaptureQueriesContext(connection) as queries:
        assert badge(client) == expected
    assert not [q for q in queries if "SELECT l.reference_id" in q["sql"]]  # the ledger's listings query
    assert len([q for q in queries if LedgerSummary._meta.db_table in q["sql"]]) == 1
    assert len(queries) <= 5  # session, user, count, page of references, the badge


def test_a_write_from_outside_the_web_app_shows_on_the_next_page(client, alice, unwarned):
    dana, job = unwarned
    client.force_login(alice)
    before = badge(client)
    # A queryset insert, as the CLI or the worker might write it: no view, no service involved.
    Event.objects.bulk_create([Event(owner=alice, reference=dana, opportunity=job, kind="heads_up",
                                     occurred_at=timezone.now())])
    assert badge(client) == before - 1 == len(build_ledger(alice).open)


def test_a_count_kept_yesterday_is_not_shown_today(alice, unwarned):
    now = timezone.now()
    summary.open_count(alice, now)
    stamp = summary.read(alice)
    assert stamp.fresh(now)
    assert not stamp.fresh(now + dt.timedelta(days=1))


def test_a_count_is_kept_only_until_an_upcoming_interview(alice, unwarned):
    dana, job = unwarned
    log(dana, "heads_up", job)
    soon = timezone.now() + dt.timedelta(minutes=30)
    make_interview(job, when=soon)
    summary.open_count(alice)
    stamp = summary.read(alice)
    assert stamp.valid_until <= soon


def test_a_write_between_the_stamp_and_the_facts_is_never_hidden(alice, unwarned):
    dana, job = unwarned
    stamp = summary.read(alice)
    log(dana, "heads_up", job)  # lands after the stamp was read
    summary.store(alice, stamp, build_ledger(alice))
    assert not summary.read(alice).fresh(timezone.now())


def test_every_table_the_ledger_reads_has_write_triggers(alice, unwarned):
    with CaptureQueriesContext(connection) as queries:
        build_ledger(alice)
    sql = " ".join(q["sql"] for q in queries)
    all_tables = {model._meta.db_table for model in apps.get_models()}
    read = {table for table in all_tables if re.search(rf"\b{table}\b", sql)}
    assert read - {"auth_user"} <= set(summary.ledger_tables())
    if connection.vendor == "sqlite":
        installed = {row[0] for row in connection.cursor().execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT tgname FROM pg_trigger")
            installed = {row[0] for row in cursor.fetchall()}
    assert set(summary.trigger_names()) <= installed


def test_a_reference_page_lists_its_kept_debts_without_reading_the_ledger(client, alice, unwarned):
    dana, job = unwarned
    client.force_login(alice)
    url = reverse("references:detail", args=[dana.pk])
    first = client.get(url).content.decode()
    assert "No heads-up" in first or "heads-up" in first
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url).content.decode()
    assert not [q for q in queries if "SELECT l.reference_id" in q["sql"]]
    assert len([q for q in queries if LedgerSummary._meta.db_table in q["sql"]]) == 1
    assert again.count('class="debt debt-') == first.count('class="debt debt-') >= 1
