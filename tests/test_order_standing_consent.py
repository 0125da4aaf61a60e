"""Standing consent: it counts for a listing while fresh and confirmed in scope,
stale consent asks to ask again, a yes for one listing does not carry over,
and the reference page says what it covers and until when."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from goodword.courtesy.ledger import build_ledger
from goodword.courtesy.models import CourtesySettings
from goodword.lib.vocabulary import add_months, standing_consent
from goodword.opportunities import services
from goodword.timeline.models import Event
from tests.factories.courtesy import NOW, courtesy_settings, day_ago, debts, facts, listing, log, opp, ref
from tests.factories.opportunities import make_opportunity
from tests.factories.portal import make_portal_setup, nonce_from, page_url
from tests.factories.references import make_reference


def rules_for(user, reference):
    return {debt.rule for debt in build_ledger(user).open if debt.reference_id == reference.pk}


@pytest.fixture
def acme(alice):
    return make_opportunity(alice, company="Acme", role="Data Engineer", stage="applied")


@pytest.fixture
def dana(alice):
    return make_reference(alice, name="Dana Whitfield", consent_given_on=timezone.localdate() - dt.timedelta(days=20),
                          consent_scope="data-engineering roles")


def test_fresh_standing_consent_confirmed_in_scope_counts_as_their_yes_and_only_then(alice, acme, dana):
    services.add_to_slate(acme, dana, in_scope=True)
    # The same standing consent, without the candidate's confirmation, does not count.
    ruth = make_reference(alice, name="Ruth Adler", consent_given_on=dana.consent_given_on)
    services.add_to_slate(acme, ruth)

    assert "no_permission" not in rules_for(alice, dana)
    assert "no_permission" in rules_for(alice, ruth)
    event = Event.objects.get(reference=dana)
    assert (event.kind, event.opportunity) == ("in_scope", acme)
    assert [state for _, state in services.slate_with_states(acme)] == ["in_scope", "listed"]


def test_a_later_no_for_that_opportunity_overrides_the_standing_consent(alice, acme, dana):
    services.add_to_slate(acme, dana, in_scope=True)
    log(dana, "declined", acme)

    assert "no_permission" in rules_for(alice, dana)


def test_stale_standing_consent_cannot_be_used_and_says_to_ask_again(alice, acme):
    old = make_reference(alice, name="Olivia Chen", consent_given_on=timezone.localdate() - dt.timedelta(days=400))
    with pytest.raises(ValidationError) as raised:
        services.add_to_slate(acme, old, in_scope=True)
    assert "ask them again" in str(raised.value)
    assert not acme.listings.exists()


def test_the_window_is_a_per_user_setting(alice, acme, dana):
    courtesy_settings(alice, consent_months=1)
    dana.consent_given_on = timezone.localdate() - dt.timedelta(days=40)
    dana.save()
    with pytest.raises(ValidationError):
        services.add_to_slate(acme, dana, in_scope=True)
    courtesy_settings(alice, consent_months=6)
    services.add_to_slate(acme, dana, in_scope=True)
    assert "no_permission" not in rules_for(alice, dana)


def test_a_yes_given_through_the_portal_is_for_that_listing_only(client, alice):
    listing_row, token = make_portal_setup(alice)
    page = client.get(page_url(token))
    client.post(page_url(token), {"form": "consent", "nonce": nonce_from(page, "consent"), "answer": "agreed"})
    reference = listing_row.reference
    reference.refresh_from_db()
    assert reference.consent_given_on is None

    nextjob = make_opportunity(alice, company="Globex", role="Analyst", stage="references_requested")
    services.add_to_slate(nextjob, reference)
    assert any(debt.rule == "no_permission" and debt.opportunity_id == nextjob.pk for debt in build_ledger(alice).open)


def test_a_yes_for_one_opportunity_does_not_count_for_the_next(alice, acme):
    sam = make_reference(alice, name="Sam Ortiz")
    services.add_to_slate(acme, sam)
    log(sam, "agreed", acme)
    with pytest.raises(ValidationError):
        services.add_to_slate(make_opportunity(alice, company="Globex", role="Analyst"), sam, in_scope=True)


# --- the rules, on plain facts -------------------------------------------------

def test_consent_that_ran_out_while_relied_on_gives_a_low_ask_again_debt():
    given = day_ago(200)
    dana = ref(1, consent_given_on=given, consent_scope="data-engineering roles")
    job = opp(10, stage="interviewing")
    row = listing(dana, job, ("in_scope", NOW - dt.timedelta(days=60)), listed_at=NOW - dt.timedelta(days=60))
    [debt] = debts(facts([dana], [job], [row]), "consent_stale")
    assert debt.severity.label == "low"
    assert debt.due_on == add_months(given, 6) + dt.timedelta(days=1)
    assert "ran out on" in debt.why and "ask Dana again" in debt.why
    assert debts(facts([dana], [job], [row]), "no_permission") == []


def test_no_ask_again_while_fresh_or_once_they_agreed_for_this_opportunity():
    dana = ref(1, consent_given_on=day_ago(200))
    job = opp(10, stage="interviewing")
    fresh = facts([ref(1, consent_given_on=day_ago(20))], [job],
                  [listing(dana, job, ("in_scope", NOW - dt.timedelta(days=10)))])
    assert debts(fresh, "consent_stale") == []
    agreed = facts([dana], [job], [listing(dana, job, ("in_scope", NOW - dt.timedelta(days=60)),
                                           ("agreed", NOW - dt.timedelta(days=1)))])
    assert debts(agreed, "consent_stale") == []


def test_standing_consent_counts_through_the_last_day_of_its_window():
    consent = standing_consent(dt.date(2026, 10, 2), "data-engineering roles", 6)
    assert consent.until == dt.date(2027, 4, 2)
    assert consent.fresh_on(dt.date(2027, 4, 2)) and not consent.fresh_on(dt.date(2027, 4, 3))
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)


# --- what the candidate sees -----------------------------------------------------

def test_the_reference_page_says_what_their_consent_covers_and_until_when(alice, alice_client):
    given = timezone.localdate() - dt.timedelta(days=3)
    dana = make_reference(alice, name="Dana Whitfield", consent_given_on=given, consent_scope="data-engineering roles")
    page = alice_client.get(reverse("references:detail", args=[dana.pk])).content.decode()
    until = add_months(given, 6)
    assert (f"Agreed to be listed for <span dir=\"auto\">data-engineering roles</span> on {given:%-d %b %Y}; "
            f"counts until {until:%-d %b %Y}.") in page


def test_the_slate_form_confirms_the_scope_and_refuses_stale_consent(alice, alice_client, acme, dana):
    url = reverse("opportunities:slate_add", args=[acme.pk])
    alice_client.post(url, {"reference": dana.pk, "in_scope": "on"})
    assert Event.objects.filter(reference=dana, kind="in_scope", opportunity=acme).exists()

    old = make_reference(alice, name="Olivia Chen", consent_given_on=timezone.localdate() - dt.timedelta(days=400))
    response = alice_client.post(url, {"reference": old.pk, "in_scope": "on"})
    assert response.status_code == 200
    assert "ask them again" in response.content.decode()
    assert not acme.listings.filter(reference=old).exists()


def test_the_cli_adds_to_a_slate_within_standing_consent(run, alice, acme, dana):
    result = run("slate", "add", "Acme", "Dana", "--in-scope")
    assert result.exit_code == 0, result.output
    assert Event.objects.filter(reference=dana, kind="in_scope").exists()
    assert "no_permission" not in rules_for(alice, dana)


def test_the_thresholds_page_sets_how_long_standing_consent_counts(alice, alice_client):
    url = reverse("courtesy:settings")
    data = {"time_zone": "UTC", "thank_within_days": 7, "fatigue_listings": 3, "fatigue_days": 30,
            "keep_warm_days": 180, "references_wanted": 3, "archive_after_days": 180, "consent_months": 12}
    assert alice_client.post(url, data).status_code == 302
    assert CourtesySettings.objects.get(user=alice).consent_months == 12
