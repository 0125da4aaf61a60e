"""A reference's availability ("away until", "at most N calls a month"): set on the portal or the
reference form, shown on the reference page, used by the fatigue rule and the warning before listing."""

import dataclasses
import datetime as dt

from django.urls import reverse
from django.utils import timezone

from goodword.courtesy.ledger import build_ledger
from goodword.courtesy.rules import fatigue
from goodword.courtesy.services import fatigue_warning
from goodword.portal.models import PortalAnswer
from goodword.references.models import Reference
from goodword.timeline.models import Event
from tests.factories.courtesy import ago, facts, listing, opp, ref
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.portal import make_portal_setup, nonce_from, page_url
from tests.factories.references import make_reference


def test_the_reference_sets_their_availability_on_their_portal_page(client, alice):
    listing, token = make_portal_setup(alice)
    page = client.get(page_url(token))
    assert "Your availability" in page.content.decode()
    away = timezone.localdate() + dt.timedelta(days=30)
    response = client.post(page_url(token), {"form": "availability", "nonce": nonce_from(page, "availability"),
                                             "away_until": away.isoformat(), "max_calls_a_month": "2"})
    assert response.status_code == 302
    reference = Reference.objects.get(pk=listing.reference_id)
    assert (reference.away_until, reference.max_calls_a_month) == (away, 2)
    event = Event.objects.get(kind="note", channel="portal")
    assert f"away until {away.day} {away:%B %Y}; at most 2 calls a month" in event.note
    assert PortalAnswer.objects.get().kind == "availability_updated"
    again = client.get(page_url(token)).content.decode()
    assert f'value="{away.isoformat()}"' in again  # shown back to them as they left it


def test_a_past_away_date_on_the_portal_is_refused_in_words(client, alice):
    _listing, token = make_portal_setup(alice)
    page = client.get(page_url(token))
    response = client.post(page_url(token), {"form": "availability", "nonce": nonce_from(page, "availability"),
                                             "away_until": "2020-01-01", "max_calls_a_month": "0"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "That day has passed" in html and "greater than or equal to 1" in html


def test_the_candidate_records_availability_on_the_reference_form_and_sees_it(alice, alice_client):
    dana = make_reference(alice, name="Dana Whitfield")
    form = alice_client.get(reverse("references:edit", args=[dana.pk])).content.decode()
    assert 'name="away_until"' in form and 'name="max_calls_a_month"' in form
    data = {"name": "Dana Whitfield", "relationship": "manager", "status": "active", "emails": "dana@example.com",
            "away_until": "2099-05-03", "max_calls_a_month": "2"}
    response = alice_client.post(reverse("references:edit", args=[dana.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    html = alice_client.get(dana.get_absolute_url()).content.decode()
    assert "Away until 3 May 2099; at most 2 calls a month" in html


def test_more_calls_than_the_reference_allows_is_a_fatigue_debt():
    dana = dataclasses.replace(ref(1), max_calls_a_month=1)
    acme, beta = opp(1, "Acme"), opp(2, "Beta")
    listed = [listing(dana, acme, listed_at=ago(10)), listing(dana, beta, listed_at=ago(2))]
    found = list(fatigue(facts([dana], [acme, beta], listed)))
    assert len(found) == 1
    assert found[0].why.startswith("Dana Whitfield asked for at most 1 call a month and has been put forward 2 times")
    within = dataclasses.replace(dana, max_calls_a_month=2)
    assert list(fatigue(facts([within], [acme, beta], listed))) == []
    long_ago = [listing(dana, acme, listed_at=ago(40)), listing(dana, beta, listed_at=ago(2))]
    assert list(fatigue(facts([dana], [acme, beta], long_ago))) == []  # a month is the last 30 days


def test_the_ledger_reads_the_availability_from_the_database(alice):
    dana = make_reference(alice, name="Dana Whitfield", max_calls_a_month=1)
    for company in ("Acme", "Beta"):
        make_listing(make_opportunity(alice, company=company), dana)
    assert any(debt.rule == "fatigue" and "at most 1 call a month" in debt.why for debt in build_ledger(alice).open)


def test_listing_someone_away_or_at_their_limit_warns_first(alice):
    away = make_reference(alice, name="Ann Park", away_until=timezone.localdate() + dt.timedelta(days=5))
    assert fatigue_warning(away).startswith("Ann Park is away until")
    capped = make_reference(alice, name="Cap Stone", max_calls_a_month=1)
    assert fatigue_warning(capped) is None
    make_listing(make_opportunity(alice, company="Acme"), capped)
    assert "asked for at most 1 call a month" in fatigue_warning(capped)


def test_the_fatigue_rule_without_availability_is_unchanged():
    dana = ref(1)
    jobs = [opp(n, f"C{n}") for n in range(4)]
    found = facts([dana], jobs, [listing(dana, job, listed_at=ago(n + 1)) for n, job in enumerate(jobs)])
    assert [debt.rule for debt in fatigue(found)] == ["fatigue"]
