"""The ledger page, its forms (with and without htmx), the dismissed view,
the thresholds page, the chart, the partials and the badge tag."""

import datetime as dt

import pytest
from django.db import connection
from django.template import Context, RequestContext, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goodword.courtesy.models import CourtesySettings, DebtDecision
from goodword.courtesy.views import ledger_context
from goodword.timeline.models import Event
from tests.factories.courtesy import log, populate
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference

pytestmark = pytest.mark.django_db
LEDGER = "/due/"
CHART = "/due/chart/"  # loaded after the dashboard and the ledger page
HTMX = {"HX-Request": "true", "HX-Target": "ledger", "HX-Current-URL": "http://testserver/due/"}


@pytest.fixture
def unwarned(alice):
    """Northwind asked for references and Dana has had no heads-up: one critical debt."""
    dana = make_reference(alice, name="Dana Whitfield", relationship="manager", preferred_channel="phone")
    job = make_opportunity(alice, company="Northwind", stage="references_requested", references_wanted=1)
    make_listing(job, dana)
    log(dana, "agreed", job)
    return dana, job, f"no_heads_up:{dana.pk}:{job.pk}"


def test_the_ledger_page_shows_a_lone_debt_with_why_and_a_one_step_settle_form(alice_client, unwarned):
    key = unwarned[2]
    response = alice_client.get(LEDGER)
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("courtesy:ledger") == LEDGER
    assert 'class="debt debt-critical"' in page and "No heads-up" in page
    assert "Northwind asked for references" in page
    assert f'value="{key}"' in page and 'hx-post="/due/settle/"' in page
    assert '<option value="phone" selected>' in page  # Dana's preferred channel comes first


def test_the_page_has_no_inline_styles_or_scripts(alice_client, unwarned):
    page = alice_client.get(LEDGER).content.decode()
    assert " style=" not in page
    assert "<script>" not in page and "<script " not in page.replace('<script src=', '')


def test_an_empty_ledger_says_so_kindly(alice_client):
    assert "You owe nobody anything right now" in alice_client.get(LEDGER).content.decode()


PAGE_QUERIES = 15  # session, user, the badge's stamp, the ledger's 9, its count kept, the chart's 2


def test_the_page_costs_the_same_number_of_queries_for_small_and_larger_accounts(
    alice, alice_client, django_assert_max_num_queries
):
    populate(alice, 3)
    alice_client.get(LEDGER)  # the first page view creates the badge's summary row
    populate(alice, 3)  # and a change since then makes the next view keep a new count
    with django_assert_max_num_queries(PAGE_QUERIES), CaptureQueriesContext(connection) as small:
        alice_client.get(LEDGER)
    populate(alice, 40)
    with django_assert_max_num_queries(PAGE_QUERIES), CaptureQueriesContext(connection) as large:
        response = alice_client.get(LEDGER)
    assert response.status_code == 200 and response.content.count(b'class="debt ') > 40
    assert len(small.captured_queries) == len(large.captured_queries)


def test_settling_without_javascript_logs_the_event_and_returns_to_the_ledger(alice_client, unwarned):
    dana, job, key = unwarned
    response = alice_client.post(reverse("courtesy:settle"),
                                 {"key": key, "channel": "email", "note": "Sent the brief", "next": LEDGER})
    assert response.status_code == 302 and response["Location"] == LEDGER
    event = Event.objects.get(kind="heads_up")
    assert (event.reference, event.opportunity, event.channel, event.note) == (dana, job, "email", "Sent the brief")
    page = alice_client.get(LEDGER).content.decode()
    assert key not in page and "Logged for Dana: heads-up sent." in page


def test_settling_with_htmx_returns_the_refreshed_ledger_without_the_debt(alice_client, unwarned):
    _dana, _job, key = unwarned
    response = alice_client.post(reverse("courtesy:settle"), {"key": key, "channel": "phone"}, headers=HTMX)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment and 'id="ledger"' in fragment
    assert key not in fragment and "Logged for Dana" in fragment


def test_a_foreign_next_url_is_ignored(alice_client, unwarned):
    response = alice_client.post(reverse("courtesy:settle"), {"key": unwarned[2], "next": "https://evil.example/"})
    assert response["Location"] == LEDGER


def test_snooze_hides_the_debt_and_undo_from_the_hidden_view_brings_it_back(alice_client, unwarned):
    key = unwarned[2]
    until = timezone.localdate() + dt.timedelta(days=4)
    response = alice_client.post(reverse("courtesy:snooze"), {"key": key, "until": until.isoformat()})
    assert response.status_code == 302
    assert key not in alice_client.get(LEDGER).content.decode()
    hidden = alice_client.get(reverse("courtesy:hidden")).content.decode()
    assert key in hidden and "Snoozed until" in hidden
    response = alice_client.post(reverse("courtesy:undo"), {"key": key},
                                 headers=HTMX | {"HX-Target": "hidden-debts"})
    assert 'id="hidden-debts"' in response.content.decode()
    assert not DebtDecision.objects.exists()
    assert key in alice_client.get(LEDGER).content.decode()


def test_a_snooze_in_the_past_is_refused_with_a_message(alice_client, unwarned):
    response = alice_client.post(reverse("courtesy:snooze"),
                                 {"key": unwarned[2], "until": "2001-01-01"}, follow=True)
    assert "Snooze until a day after today." in response.content.decode()
    assert not DebtDecision.objects.exists()


def test_dismiss_needs_a_reason_and_the_reason_is_shown_in_the_dismissed_view(alice_client, unwarned):
    key = unwarned[2]
    alice_client.post(reverse("courtesy:dismiss"), {"key": key, "reason": ""})
    assert not DebtDecision.objects.exists()
    response = alice_client.post(reverse("courtesy:dismiss"), {"key": key, "reason": "Northwind will not call"},
                                 headers=HTMX)
    assert key not in response.content.decode()
    hidden = alice_client.get(reverse("courtesy:hidden")).content.decode()
    assert "Dismissed: “Northwind will not call”" in hidden


@pytest.mark.parametrize("name, data", [
    ("courtesy:settle", {}), ("courtesy:snooze", {"until": "2099-01-01"}), ("courtesy:dismiss", {"reason": "x"}),
])
def test_another_users_debt_is_not_found(alice, bob_client, unwarned, name, data):
    response = bob_client.post(reverse(name), {"key": unwarned[2], **data})
    assert response.status_code == 404
    assert not Event.objects.filter(kind="heads_up").exists()
    assert not DebtDecision.objects.exists()


def test_undoing_another_users_decision_is_not_found(alice, bob_client, unwarned):
    dana, job, key = unwarned
    DebtDecision.objects.create(owner=alice, key=key, rule="no_heads_up", reference=dana, opportunity=job,
                                kind="dismiss", reason="mine", severity=4, due_on=timezone.localdate())
    assert bob_client.post(reverse("courtesy:undo"), {"key": key}).status_code == 404
    assert DebtDecision.objects.filter(owner=alice).exists()


def test_a_short_slate_offers_who_to_ask_and_bob_cannot_pick_his_own_reference(alice, client, unwarned):
    job = unwarned[1]
    job.references_wanted = 2
    job.save()
    lee = make_reference(alice, name="Lee Park", relationship="peer")
    client.force_login(alice)
    page = client.get(LEDGER).content.decode()
    assert f'<option value="{lee.pk}">Lee Park</option>' in page
    key = f"short_slate:-:{job.pk}"
    assert client.post(reverse("courtesy:settle"), {"key": key, "reference": lee.pk}).status_code == 302
    assert job.listings.filter(reference=lee).exists()
    assert Event.objects.filter(reference=lee, kind="agreed", opportunity=job).exists()


def test_the_hold_banner_asks_to_wait_with_the_announcement(alice_client, alice):
    dana = make_reference(alice, name="Dana Whitfield")
    job = make_opportunity(alice, company="Northwind", stage="landed")
    make_listing(job, dana)
    log(dana, "agreed", job)
    page = alice_client.get(LEDGER).content.decode()
    assert "Hold the announcement" in page and "<bdi>Dana Whitfield</bdi>" in page


def test_the_chart_shows_listings_and_employer_contacts_with_a_text_alternative(alice_client, alice):
    dana = make_reference(alice, name="Dana Whitfield")
    sam = make_reference(alice, name="Sam Ortiz")
    for n in range(2):
        job = make_opportunity(alice, company=f"Company {n}")
        make_listing(job, dana)
        log(dana, "employer_contacted", job)
    make_listing(make_opportunity(alice, company="Contoso"), sam)
    old = make_opportunity(alice, company="Old Co")
    make_listing(old, sam)
    from goodword.opportunities.models import Listing

    Listing.objects.filter(opportunity=old).update(created_at=timezone.now() - dt.timedelta(days=91))
    page = alice_client.get(CHART, headers={"HX-Request": "true"}).content.decode()
    assert 'role="img" aria-labelledby="asked-svg-title asked-svg-desc"' in page
    assert "<title id=\"asked-svg-title\">" in page
    assert "Dana Whitfield: 2 listed, 2 employer contacts; Sam Ortiz: 1 listed, 0 employer contacts" in page
    assert page.count('class="bar-listings"') == 2 and page.count('class="bar-contacts"') == 1
    assert "<td>2</td><td>2</td><td>4</td>" in page  # the table: Dana's row


def test_the_chart_table_stops_at_fifty_references_and_says_how_many_more(alice_client, alice):
    from goodword.courtesy.chart import MAX_TABLE_ROWS
    from goodword.opportunities.models import Listing
    from goodword.references.models import Reference

    job = make_opportunity(alice, company="Northwind")
    refs = Reference.objects.bulk_create(
        [Reference(owner=alice, name=f"Reference {n:02d}") for n in range(MAX_TABLE_ROWS + 2)])
    Listing.objects.bulk_create([Listing(opportunity=job, reference=ref, position=n) for n, ref in enumerate(refs)])
    page = alice_client.get(CHART, headers={"HX-Request": "true"}).content.decode()
    table = page.split('<details class="chart-table">')[1].split("</details>")[0]
    assert table.count('<th scope="row">') == MAX_TABLE_ROWS
    assert "…and 2 more references, each asked no more than those above." in table
    assert "(top 12 shown; the top 50 in the table)" in page


def test_the_thresholds_page_saves_valid_settings_and_refuses_a_bad_zone(alice, alice_client):
    url = reverse("courtesy:settings")
    assert alice_client.get(url).status_code == 200
    data = {"time_zone": "Asia/Tokyo", "thank_within_days": 5, "fatigue_listings": 2, "fatigue_days": 14,
            "keep_warm_days": 120, "references_wanted": 4, "archive_after_days": 365}
    assert alice_client.post(url, data).status_code == 302
    saved = CourtesySettings.objects.get(user=alice)
    assert (saved.time_zone, saved.thank_within_days, saved.keep_warm_days, saved.archive_after_days) == (
        "Asia/Tokyo", 5, 120, 365)
    response = alice_client.post(url, data | {"time_zone": "Mars/Olympus"})
    assert response.status_code == 200 and "Mars/Olympus" in response.content.decode()
    assert CourtesySettings.objects.get(user=alice).time_zone == "Asia/Tokyo"


def test_the_thresholds_page_refuses_an_archive_horizon_inside_the_thank_you_window(alice, alice_client):
    url = reverse("courtesy:settings")
    data = {"time_zone": "UTC", "thank_within_days": 7, "fatigue_listings": 3, "fatigue_days": 30,
            "keep_warm_days": 180, "references_wanted": 3}
    response = alice_client.post(url, data | {"archive_after_days": 30})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Use 0 (never archive) or a number of days from 90 to 3650." in page
    assert "Archive after at least" not in page  # one message, naming the minimum that applies
    assert not CourtesySettings.objects.filter(user=alice).exists()
    assert alice_client.post(url, data | {"archive_after_days": 0}).status_code == 302
    assert CourtesySettings.objects.get(user=alice).archive_after_days == 0


def test_the_ledger_partial_renders_on_any_page_from_ledger_context(alice, unwarned):
    request = RequestFactory().get("/")
    request.user = alice
    html = render_to_string("courtesy/ledger.html#ledger", ledger_context(alice), request=request)
    assert html.lstrip().startswith('<section id="ledger"') and "No heads-up" in html
    assert "<html" not in html


def test_the_badge_tag_counts_open_debts_for_the_signed_in_user(alice, bob, unwarned):
    template = Template("{% load courtesy %}{% open_debt_count as owed %}[{{ owed }}]")
    for user, expected in ((alice, "[1]"), (bob, "[0]")):
        request = RequestFactory().get("/")
        request.user = user
        assert template.render(RequestContext(request)) == expected
    assert template.render(Context({})) == "[0]"


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(LEDGER)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.fixture
def eight_critical(alice):
    """Eight references on a slate the employer asked for, none warned: eight critical debts."""
    job = make_opportunity(alice, company="Northwind", stage="references_requested", references_wanted=1)
    refs = [make_reference(alice, name=f"Reference {n}", relationship="manager") for n in range(8)]
    for ref in refs:
        make_listing(job, ref)
        log(ref, "agreed", job)
    return refs, job


def test_an_htmx_settle_from_the_dashboard_answers_with_the_dashboard_ledger_and_every_debt_of_the_group(
    alice_client, eight_critical
):
    refs, job = eight_critical
    dashboard = alice_client.get("/").content.decode()
    # One group for the opportunity; none of its debts hidden behind "…and 3 more".
    assert dashboard.count('class="debt debt-critical"') == 8
    assert "8 need a heads-up" in dashboard and "more critical debts" not in dashboard
    headers = HTMX | {"HX-Current-URL": "http://testserver/"}
    response = alice_client.post(reverse("courtesy:settle"), {"key": f"no_heads_up:{refs[0].pk}:{job.pk}"},
                                 headers=headers)
    fragment = response.content.decode()
    assert fragment.count('class="debt debt-critical"') == 7
    assert 'name="next" value="/"' in fragment

    response = alice_client.post(reverse("courtesy:settle"), {"key": f"no_heads_up:{refs[1].pk}:{job.pk}"},
                                 headers=HTMX | {"HX-Current-URL": "http://testserver/due/?all=1"})
    assert response.content.decode().count('class="debt debt-critical"') == 6
    assert 'name="next" value="/due/?all=1"' in response.content.decode()


def test_a_settled_call_without_warning_stays_in_the_ledger_pages_history(alice, alice_client):
    dana = make_reference(alice, name="Dana Whitfield", relationship="manager")
    job = make_opportunity(alice, company="Northwind", stage="references_requested")
    make_listing(job, dana)
    log(dana, "agreed", job, at=timezone.now() - dt.timedelta(days=3))
    log(dana, "employer_contacted", job, at=timezone.now() - dt.timedelta(days=2))
    log(dana, "apology", job, at=timezone.now() - dt.timedelta(days=1))
    page = alice_client.get(LEDGER).content.decode()
    history = page.split('<section class="ledger-history"')[1].split("</section>")[0]
    assert "Northwind called <bdi>Dana Whitfield</bdi> before any heads-up." in history
    assert "Made good on" in history
    assert "ledger-history" not in alice_client.get("/").content.decode()  # the dashboard keeps to what is owed


@pytest.mark.parametrize(("fields", "shortest"), [
    ({"thank_within_days": 90, "archive_after_days": 90}, 120),
    ({"fatigue_days": 365, "archive_after_days": 180}, 365),
])
def test_the_archive_horizon_cannot_hide_a_thank_you_or_a_counted_listing(alice, alice_client, fields, shortest):
    data = {"time_zone": "UTC", "thank_within_days": 7, "fatigue_listings": 3, "fatigue_days": 30,
            "keep_warm_days": 180, "references_wanted": 3} | fields
    response = alice_client.post(reverse("courtesy:settings"), data)
    assert response.status_code == 200
    assert f"Archive after at least {shortest} days with these thresholds" in response.content.decode()
    assert not CourtesySettings.objects.filter(user=alice).exists()
    assert alice_client.post(reverse("courtesy:settings"), data | {"archive_after_days": shortest}).status_code == 302


def test_a_malformed_current_url_from_htmx_gets_the_ledger_pages_answer(alice_client, eight_critical):
    refs, job = eight_critical
    headers = HTMX | {"HX-Current-URL": "http://testserver//[x/"}
    response = alice_client.post(reverse("courtesy:settle"), {"key": f"no_heads_up:{refs[0].pk}:{job.pk}"},
                                 headers=headers)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.count('class="debt debt-critical"') == 7 and 'name="next" value="/due/"' in fragment
