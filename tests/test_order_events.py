"""One order of events: the time the user gave, then the order of recording,
for every reader (slate, ledger, CLI, portal), and a web form that stamps the
moment of submission unless the user changed the time."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from goodword.courtesy.ledger import build_ledger, fetch_facts
from goodword.opportunities.services import slate_with_states
from goodword.portal.services import consent_answer
from goodword.timeline.forms import DATETIME_LOCAL
from goodword.timeline.models import Event
from tests.factories.courtesy import log
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference

MINUTE = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=1)


@pytest.fixture
def acme(alice):
    return make_opportunity(alice, company="Acme", role="Data Engineer", stage="references_requested")


@pytest.fixture
def dana(alice, acme):
    dana = make_reference(alice, name="Dana Whitfield")
    make_listing(acme, dana)
    return dana


def test_agreed_then_declined_in_the_same_minute_reads_declined_on_the_slate_the_ledger_cli_and_portal(
        alice, acme, dana, run):
    log(dana, "agreed", acme, at=MINUTE)
    declined = log(dana, "declined", acme, at=MINUTE)

    assert [state for _, state in slate_with_states(acme)] == ["declined"]
    listing = next(row for row in fetch_facts(alice).listings if row.reference_id == dana.pk)
    assert listing.consent == "declined"
    assert listing.state == "declined"
    why = next(debt.why for debt in build_ledger(alice).open if debt.rule == "no_permission")
    assert "said no" in why
    shown = json.loads(run("slate", "show", "Acme", "--json").output)
    assert shown["slate"][0]["state"] == "declined"
    assert consent_answer(acme.listings.get()) == declined


def test_declined_then_agreed_in_the_same_minute_reads_agreed_everywhere(alice, acme, dana):
    log(dana, "declined", acme, at=MINUTE)
    log(dana, "agreed", acme, at=MINUTE)

    assert [state for _, state in slate_with_states(acme)] == ["agreed"]
    assert fetch_facts(alice).listings[0].consent == "agreed"
    assert not [debt for debt in build_ledger(alice).open if debt.rule == "no_permission"]


def test_a_heads_up_recorded_before_a_call_of_the_same_minute_came_first(alice, acme, dana):
    log(dana, "agreed", acme, at=MINUTE - dt.timedelta(days=1))
    log(dana, "heads_up", acme, at=MINUTE)
    log(dana, "employer_contacted", acme, at=MINUTE)

    assert build_ledger(alice).history == []
    # Recorded the other way round, the call came first: a breach.
    sam = make_reference(alice, name="Sam Ortiz")
    make_listing(acme, sam)
    log(sam, "agreed", acme, at=MINUTE - dt.timedelta(days=1))
    log(sam, "employer_contacted", acme, at=MINUTE)
    log(sam, "heads_up", acme, at=MINUTE)
    assert [breach.reference_name for breach in build_ledger(alice).history] == ["Sam Ortiz"]


def _post_event(client, reference, opportunity, kind, *, when, prefilled):
    return client.post(reverse("timeline:log", args=[reference.pk]), {
        "kind": kind, "opportunity": opportunity.pk, "occurred_at": when, "prefilled": prefilled, "channel": "phone",
    })


def test_the_event_form_stamps_the_moment_of_submission_when_the_time_was_left_as_pre_filled(
        alice, alice_client, acme, dana):
    log(dana, "agreed", acme, at=MINUTE - dt.timedelta(days=1))
    page_loaded = timezone.localtime().replace(second=0, microsecond=0)
    pre_filled = page_loaded.strftime(DATETIME_LOCAL)
    # The heads-up is settled from the ledger (the moment it happens) after the page was loaded…
    heads_up = log(dana, "heads_up", acme)
    # …and the call is logged with the form's untouched, pre-filled minute.
    response = _post_event(alice_client, dana, acme, "employer_contacted", when=pre_filled, prefilled=pre_filled)
    assert response.status_code == 302

    call = Event.objects.get(kind="employer_contacted")
    assert call.occurred_at >= heads_up.occurred_at
    assert build_ledger(alice).history == []
    assert not [debt for debt in build_ledger(alice).open if debt.rule == "called_unannounced"]

    # A time the user changed is kept.
    yesterday = (timezone.localtime() - dt.timedelta(days=1)).replace(hour=9, minute=30, second=0, microsecond=0)
    _post_event(alice_client, dana, acme, "briefing", when=yesterday.strftime(DATETIME_LOCAL), prefilled=pre_filled)
    assert Event.objects.get(kind="briefing").occurred_at == yesterday


def test_the_reference_page_pre_fills_the_time_with_its_marker(alice_client, dana):
    html = alice_client.get(reverse("timeline:log_form", args=[dana.pk]), headers={"HX-Request": "true"}).content.decode()
    assert 'name="prefilled"' in html
