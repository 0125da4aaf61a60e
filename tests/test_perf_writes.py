"""The two writes candidates make most (logging an event, adding to a slate) read nothing they
already hold: each costs its own INSERT, not a re-read of rows the view fetched a moment before."""

import pytest
from django.urls import reverse

from goodword.courtesy.ledger import load_settings
from goodword.courtesy.services import fatigue_warning
from goodword.opportunities.models import Listing
from goodword.timeline.models import Event
from goodword.timeline.services import log_event
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference

pytestmark = pytest.mark.django_db


def test_logging_an_event_is_one_insert(alice, django_assert_num_queries):
    dana = make_reference(alice, name="Dana Whitfield")
    job = make_opportunity(alice, company="Northwind")
    with django_assert_num_queries(1) as captured:
        event = log_event(alice, dana, "call", opportunity=job, channel="phone", note="Caught up.")
    assert captured.captured_queries[0]["sql"].startswith('INSERT INTO "timeline_event"')
    assert Event.objects.get(pk=event.pk).opportunity_id == job.pk


def test_the_fatigue_warning_reads_the_listings_only_when_given_the_settings(alice, django_assert_num_queries):
    dana = make_reference(alice, name="Dana Whitfield")
    user_settings = load_settings(alice)
    dana = type(dana).objects.get(pk=dana.pk)  # as a view holds it: its owner not loaded
    with django_assert_num_queries(1):
        assert fatigue_warning(dana, user_settings) is None


def test_adding_to_a_slate_reads_the_courtesy_settings_once(alice, alice_client, django_assert_max_num_queries):
    dana = make_reference(alice, name="Dana Whitfield")
    job = make_opportunity(alice, company="Northwind", stage="interviewing")
    make_listing(make_opportunity(alice, company="Fabrikam"), dana)
    alice_client.get("/")  # the session and the summary exist, as for anyone using the app
    with django_assert_max_num_queries(25) as captured:  # the slate, its debts and the badge are redrawn
        response = alice_client.post(reverse("opportunities:slate_add", args=[job.pk]), {"reference": dana.pk},
                                     headers={"HX-Request": "true"})
    assert response.status_code == 200 and Listing.objects.filter(opportunity=job, reference=dana).exists()
    sqls = [query["sql"] for query in captured.captured_queries]
    assert sum('FROM "courtesy_courtesysettings"' in sql for sql in sqls) == 1
    assert sum('FROM "auth_user"' in sql for sql in sqls) == 1  # the session's user, not the reference's owner
