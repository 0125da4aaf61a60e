"""Each page costs a fixed number of queries, whether the user has 3 rows of data or 30."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.opportunities import make_interview, make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event

# Counting the two every signed-in page pays (session, user), and the fixed
# cost of the courtesy ledger behind the navigation badge. The same bound holds
# for every size below: a page that grows with the data fails here.
# The ledger's 9, the badge's stamp read before them (2 on the user's first page
# view, which creates the summary row) and the count kept after them: a first
# view. Later views of pages without the ledger pay one query for the badge
# (tests/test_perf_badge.py).
LEDGER = 9 + 2 + 1
# The first page after signing in moves the session's idle timer (a savepoint, the update, its
# release); later pages within the minute do not (goodword/core/middleware.py SignedInPagesMiddleware).
SESSION_REFRESH = 3
MAX_QUERIES = {
    "core:home": SESSION_REFRESH + 5 + LEDGER + 4 + 1,  # the ledger is the dashboard; + the 90-day chart, portal and employer notices, nudges
    "references:list": SESSION_REFRESH + 4 + LEDGER,
    "references:detail": SESSION_REFRESH + 9 + LEDGER,  # + the reference's outbox messages
    "opportunities:list": SESSION_REFRESH + 4 + LEDGER,  # + the count per stage
    "opportunities:detail": SESSION_REFRESH + 9 + LEDGER + 2,  # + the slate builder: vouches and organisations, synonyms
}


def build(user, size):
    """`size` references and opportunities, each reference on every slate, with events."""
    references = [make_reference(user, name=f"Reference {i:02}") for i in range(size)]
    opportunities = [
        make_opportunity(user, company=f"Company {i:02}", stage="applied", stage_on=dt.date(2026, 1, 1))
        for i in range(size)
    ]
    hub_reference, hub_opportunity = references[0], opportunities[0]
    for opportunity in opportunities:
        make_listing(opportunity, hub_reference)
        make_interview(opportunity)
        make_event(hub_reference, "heads_up", opportunity=opportunity, occurred_at=timezone.now())
    for reference in references[1:]:
        make_listing(hub_opportunity, reference)
        make_event(reference, "agreed", opportunity=hub_opportunity)
        make_event(reference, "call")
    for i in range(size):
        make_interview(hub_opportunity, with_whom=f"Interviewer {i}")
    return hub_reference, hub_opportunity


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize("page", sorted(MAX_QUERIES))
def test_page_queries_are_bounded(alice, alice_client, django_assert_max_num_queries, page, size):
    reference, opportunity = build(alice, size)
    args = {"references:detail": [reference.pk], "opportunities:detail": [opportunity.pk]}.get(page, [])
    with django_assert_max_num_queries(MAX_QUERIES[page]):
        response = alice_client.get(reverse(page, args=args))
    assert response.status_code == 200
    # The data really is on the page, so the bound covers real rendering.
    html = response.content.decode()
    assert "Reference 00" in html or f"Company {size - 1:02}" in html  # lists show the newest first
