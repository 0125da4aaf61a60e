"""The private calendar feed: what is in it, that any parser reads it, and who can fetch it."""

import datetime as dt

import icalendar
import pytest
import vobject
from django.urls import reverse
from django.utils import timezone

from goodword.opportunities.services import change_stage
from goodword.portal import services as portal
from goodword.reminders import services
from goodword.reminders.models import ReminderSettings
from tests.factories.opportunities import make_interview, make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event

pytestmark = pytest.mark.django_db

TRICKY = "Zoë O'Brien, PhD; \"Z\" 🎉\nSecond line"


def events_of(ics: bytes) -> dict[str, icalendar.Event]:
    return {str(e["summary"]): e for e in icalendar.Calendar.from_ical(ics).walk("VEVENT")}


def account_with_a_critical_debt(user, name="Dana Whitfield", company="Northwind Traders"):
    job = make_opportunity(user, company=company, role="Platform Engineer", stage="references_requested")
    reference = make_reference(user, name=name)
    make_listing(job, reference)
    return job, reference


def test_open_debt_appears_on_its_due_date_and_disappears_once_settled(alice):
    job, reference = account_with_a_critical_debt(alice)
    events = events_of(services.build_calendar(alice))
    debt_events = [e for summary, e in events.items() if summary.startswith("Critical:")]
    assert debt_events, events.keys()
    heads_up = next(e for e in debt_events if "hasn't heard from you" in str(e["summary"]))
    assert heads_up.decoded("dtstart") == job.stage_since
    make_event(reference, "heads_up", opportunity=job)
    make_event(reference, "agreed", opportunity=job)
    after = services.build_calendar(alice).decode()
    assert "hasn't heard from you" not in after


def test_interviews_and_start_dates_are_in_the_feed_with_the_users_time_zone(alice):
    job = make_opportunity(alice, company="Northwind Traders", role="Platform Engineer", stage="interviewing",
                           start_date=timezone.localdate() + dt.timedelta(days=40))
    when = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
    make_interview(job, when=when, with_whom="Priya Raman")
    ics = services.build_calendar(alice)
    events = events_of(ics)
    interview = events["Interview: Platform Engineer at Northwind Traders"]
    start = interview.decoded("dtstart")
    assert start == when and str(start.tzinfo) == "Europe/Paris"
    assert b"BEGIN:VTIMEZONE" in ics and b"TZID:Europe/Paris" in ics
    assert events["First day: Platform Engineer at Northwind Traders"].decoded("dtstart") == job.start_date


def test_lost_opportunities_have_no_start_date_event(alice):
    job = make_opportunity(alice, stage="offer", start_date=timezone.localdate() + dt.timedelta(days=10))
    change_stage(job, "declined")
    assert not any(s.startswith("First day") for s in events_of(services.build_calendar(alice)))


def test_names_with_commas_semicolons_newlines_and_emoji_round_trip_in_icalendar_and_vobject(alice):
    job, _reference = account_with_a_critical_debt(alice, name=TRICKY, company="Acme; Widgets, Inc. 🚀")
    make_interview(job, when=timezone.now() + dt.timedelta(days=1), with_whom=TRICKY)
    ics = services.build_calendar(alice)
    assert all(len(line) <= 75 for line in ics.split(b"\r\n")), "lines must be folded at 75 octets"

    parsed = icalendar.Calendar.from_ical(ics)
    descriptions = [str(e["description"]) for e in parsed.walk("VEVENT")]
    assert any(TRICKY in text for text in descriptions)
    assert any("Acme; Widgets, Inc. 🚀" in str(e["summary"]) for e in parsed.walk("VEVENT"))

    cal = vobject.readOne(ics.decode("utf-8"))
    vdescriptions = [event.description.value for event in cal.vevent_list]
    assert any(TRICKY in text for text in vdescriptions)
    assert {event.uid.value for event in cal.vevent_list} == {str(e["uid"]) for e in parsed.walk("VEVENT")}


def test_uids_are_stable_across_refreshes_and_differ_between_users(alice, bob):
    account_with_a_critical_debt(alice)
    account_with_a_critical_debt(bob)
    first = {str(e["summary"]): str(e["uid"]) for e in icalendar.Calendar.from_ical(services.build_calendar(alice)).walk("VEVENT")}
    later = timezone.now() + dt.timedelta(hours=5)
    second = {str(e["summary"]): str(e["uid"]) for e in icalendar.Calendar.from_ical(services.build_calendar(alice, later)).walk("VEVENT")}
    assert first == second and len(set(first.values())) == len(first)
    bobs = {str(e["uid"]) for e in icalendar.Calendar.from_ical(services.build_calendar(bob)).walk("VEVENT")}
    assert not bobs & set(first.values())
    assert ReminderSettings.for_user(alice).uid_salt != ReminderSettings.for_user(bob).uid_salt


# ---------------------------------------------------------------- the URL


def test_feed_url_serves_the_calendar_to_any_client_without_login(client, alice):
    account_with_a_critical_debt(alice)
    token = services.issue_feed_token(alice)
    response = client.get(services.feed_path(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "no-referrer"
    assert icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def test_replaced_feed_url_is_410_and_revoked_is_410(client, alice):
    old = services.issue_feed_token(alice)
    new = services.issue_feed_token(alice)
    assert client.get(services.feed_path(old)).status_code == 410
    assert client.get(services.feed_path(new)).status_code == 200
    services.revoke_feed(alice)
    assert client.get(services.feed_path(new)).status_code == 410


def test_feed_shows_only_its_owners_data(client, alice, bob):
    account_with_a_critical_debt(alice, company="Alice Corp")
    account_with_a_critical_debt(bob, company="Bob Industries")
    body = client.get(services.feed_path(services.issue_feed_token(bob))).content.decode()
    assert "Bob Industries" in body and "Alice Corp" not in body


def test_unknown_and_malformed_feed_tokens_are_404_then_throttled(client, alice):
    token = services.issue_feed_token(alice)
    assert client.get(reverse("reminders:feed", args=["short"])).status_code == 404
    for _ in range(portal.MISS_LIMIT - 1):
        assert client.get(services.feed_path(portal.new_token())).status_code == 404
    assert client.get(services.feed_path(token)).status_code == 429


def test_settings_page_shows_a_new_feed_url_once_and_revokes_it(alice_client, alice, client):
    response = alice_client.post(reverse("reminders:settings"), {"action": "issue_feed"})
    body = response.content.decode()
    assert "shown only this once" in body
    token = body.split("/reminders/feed/")[1].split(".ics")[0]
    assert client.get(services.feed_path(token)).status_code == 200
    assert token not in alice_client.get(reverse("reminders:settings")).content.decode()
    alice_client.post(reverse("reminders:settings"), {"action": "revoke_feed"})
    assert client.get(services.feed_path(token)).status_code == 410
