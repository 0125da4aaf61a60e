"""The pages that list debts stay cheap: their size grows by a bounded number
of bytes per debt, their number of queries does not grow with the data, and
the opportunity page does not rebuild the ledger while nothing changed."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goodword.courtesy.ledger import build_ledger
from tests.factories.accounts import make_user
from tests.factories.courtesy import log
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference

pytestmark = pytest.mark.django_db

# One debt on /due/ or on the dashboard, with its settle form, its snooze and
# dismiss link and its share of its group's card. It was some 4,100 bytes
# when each debt was worded through template filters and indented markup.
BYTES_PER_DEBT = 3_500


def slates(user, count: int):
    """`count` applications at "references requested", each with three agreed
    references never warned: three "no heads-up" debts, one group, each."""
    jobs, references = [], []
    for i in range(count):
        job = make_opportunity(user, company=f"Company {i:02}", role="Data Engineer", stage="references_requested")
        for n in range(3):  # their own references: someone on every slate would also be asked too often
            reference = make_reference(user, name=f"Reference {i:02}-{n} Lastname", preferred_channel="phone")
            make_listing(job, reference)
            log(reference, "agreed", job)
            references.append(reference)
        jobs.append(job)
    return jobs, references


def signed_in(client, username):
    user = make_user(username)
    client.force_login(user)
    return user


@pytest.mark.parametrize("url", ["/", "/due/?all=1"])
def test_a_page_of_debts_grows_by_a_bounded_number_of_bytes_per_debt(client, url):
    sizes = {}
    for count in (2, 6):
        user = signed_in(client, f"budget{count}")
        slates(user, count)
        html = client.get(url).content.decode()
        sizes[count] = (len(html.encode()), len(build_ledger(user).open))
        assert html.count('<li class="debt ') == sizes[count][1]  # every debt is on the page
    (small, small_debts), (large, large_debts) = sizes[2], sizes[6]
    assert large_debts - small_debts == 12
    per_debt = (large - small) / (large_debts - small_debts)
    assert per_debt <= BYTES_PER_DEBT, f"{url}: {per_debt:.0f} bytes per debt"


def test_the_ledger_page_shows_the_worst_twenty_groups_and_links_to_the_rest(client):
    user = signed_in(client, "many")
    slates(user, 22)
    html = client.get(reverse("courtesy:ledger")).content.decode()
    assert len(re.findall(r'<section class="debt-group ', html)) == 20
    assert "2 more groups of debts." in html and 'href="/due/?all=1"' in html
    everything = client.get(reverse("courtesy:ledger") + "?all=1").content.decode()
    assert len(re.findall(r'<section class="debt-group ', everything)) == 22


def page_queries(client, url) -> int:
    client.get(url)  # the first visit may create the user's rows (settings, the kept summary)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["/", "/due/", "/due/?all=1", "job", "reference"])
def test_the_queries_of_a_page_of_debts_do_not_grow_with_the_data(client, page):
    counts = []
    for count in (1, 12):
        user = signed_in(client, f"queries{count}")
        jobs, references = slates(user, count)
        url = {"job": jobs[0].get_absolute_url(), "reference": references[0].get_absolute_url()}.get(page, page)
        counts.append(page_queries(client, url))
    assert counts[0] == counts[1], f"{page}: {counts}"


def test_the_opportunity_page_reads_the_kept_debts_while_nothing_changed(client):
    user = signed_in(client, "kept")
    jobs, _references = slates(user, 3)
    url = jobs[0].get_absolute_url()
    client.get(url)  # builds the ledger once and keeps its debts
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert html.count('<li class="debt ') == 3
    # The rows the ledger reads (listings with their events, stage changes, interviews, decisions) are not read again.
    assert not [query for query in queries.captured_queries if "courtesy_debtdecision" in query["sql"]]
