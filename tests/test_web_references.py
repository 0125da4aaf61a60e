"""The reference book pages: list, create, edit, detail, delete, and the timeline form."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from goodword.opportunities.models import Listing
from goodword.references.models import Reference
from goodword.timeline.models import Event
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event


def reference_form(**overrides):
    data = {
        "name": "Dana Whitfield",
        "title": "VP Engineering",
        "organisation": "Initech",
        "relationship": "manager",
        "status": "active",
        "emails": "dana@example.com\n  dana.w@example.org  \n\n",
        "phones": "+1 555 0100",
        "vouches_for": "Led the billing migration\nHired and grew the platform team",
        "known_since": "2019-03-01",
    }
    data.update(overrides)
    return data


# Listing and filtering -------------------------------------------------------

def test_the_list_shows_the_users_references(alice, alice_client):
    make_reference(alice, name="Dana Whitfield", organisation="Initech")
    make_reference(alice, name="Sam Okafor", organisation="Globex")
    html = alice_client.get(reverse("references:list")).content.decode()
    assert "Dana Whitfield" in html
    assert "Sam Okafor" in html


@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        ({"status": "resting"}, "Resting Rita", "Active Andy"),
        ({"relationship": "peer"}, "Active Andy", "Resting Rita"),
        ({"q": "globex"}, "Resting Rita", "Active Andy"),
    ],
)
def test_the_list_filters_by_status_relationship_and_name(alice, alice_client, query, shown, hidden):
    make_reference(alice, name="Active Andy", relationship="peer", organisation="Initech")
    make_reference(alice, name="Resting Rita", status="resting", relationship="manager", organisation="Globex")
    html = alice_client.get(reverse("references:list"), query).content.decode()
    assert shown in html
    assert hidden not in html


def test_an_empty_book_invites_adding_a_reference(alice_client):
    html = alice_client.get(reverse("references:list")).content.decode()
    assert "Your reference book is empty" in html
    assert reverse("references:create") in html


# Create and edit -------------------------------------------------------------

def test_creating_a_reference_saves_lists_from_lines_and_says_so(alice, alice_client):
    response = alice_client.post(reverse("references:create"), reference_form(), follow=True)
    reference = Reference.objects.get(owner=alice)
    assert reference.emails == ["dana@example.com", "dana.w@example.org"]
    assert reference.phones == ["+1 555 0100"]
    assert reference.vouches_for == ["Led the billing migration", "Hired and grew the platform team"]
    assert reference.known_since == dt.date(2019, 3, 1)
    assert response.redirect_chain[-1][0] == reverse("references:detail", args=[reference.pk])
    assert "Saved Dana Whitfield." in response.content.decode()


def test_an_invalid_email_is_reported_on_the_emails_field(alice_client):
    response = alice_client.post(reverse("references:create"), reference_form(emails="dana@example.com\nbob@"))
    assert response.status_code == 200
    assert response.context["form"].errors["emails"] == ["“bob@” is not a valid email address."]
    assert escape("“bob@” is not a valid email address.") in response.content.decode()
    assert not Reference.objects.exists()


def test_a_bad_phone_is_reported_on_the_phones_field(alice_client):
    response = alice_client.post(reverse("references:create"), reference_form(phones="call me maybe"))
    assert "is not a phone number" in response.context["form"].errors["phones"][0]
    assert not Reference.objects.exists()


def test_a_missing_name_is_a_field_error_and_nothing_is_saved(alice_client):
    response = alice_client.post(reverse("references:create"), reference_form(name=""))
    assert response.context["form"].errors["name"] == ["This field is required."]
    assert not Reference.objects.exists()


def test_a_bad_date_and_a_too_long_title_are_field_errors(alice_client):
    response = alice_client.post(
        reverse("references:create"), reference_form(known_since="31/02/2020", title="x" * 201)
    )
    errors = response.context["form"].errors
    assert "known_since" in errors
    assert "title" in errors
    assert not Reference.objects.exists()


def test_the_edit_form_shows_lists_one_per_line_and_saves_changes(alice, alice_client):
    reference = make_reference(alice, name="Dana Whitfield", emails=["a@example.com", "b@example.com"])
    html = alice_client.get(reverse("references:edit", args=[reference.pk])).content.decode()
    assert "a@example.com\nb@example.com" in html

    response = alice_client.post(
        reverse("references:edit", args=[reference.pk]), reference_form(name="Dana W.", status="resting"), follow=True
    )
    reference.refresh_from_db()
    assert reference.name == "Dana W."
    assert reference.status == "resting"
    assert "Saved Dana W." in response.content.decode()


def test_a_failed_edit_changes_nothing(alice, alice_client):
    reference = make_reference(alice, name="Dana Whitfield", emails=["dana@example.com"])
    response = alice_client.post(
        reverse("references:edit", args=[reference.pk]), reference_form(name="Renamed", emails="nope")
    )
    assert "emails" in response.context["form"].errors
    reference.refresh_from_db()
    assert reference.name == "Dana Whitfield"
    assert reference.emails == ["dana@example.com"]
    assert "Edit <bdi>Dana Whitfield</bdi>" in response.content.decode()


def test_names_with_quotes_emoji_and_right_to_left_text_round_trip(alice, alice_client):
    name = "Zoë O'Brien \"Z\" 🌟 נועה כהן"
    alice_client.post(reverse("references:create"), reference_form(name=name, vouches_for="ليلى — قيادة الفريق"))
    reference = Reference.objects.get(owner=alice)
    assert reference.name == name
    assert reference.vouches_for == ["ليلى — قيادة الفريق"]
    detail = alice_client.get(reference.get_absolute_url()).content.decode()
    assert escape(name) in detail
    assert "ليلى — قيادة الفريق" in detail
    edit = alice_client.get(reverse("references:edit", args=[reference.pk])).content.decode()
    assert f'value="{escape(name)}"' in edit
    assert escape(name) in alice_client.get(reverse("references:list")).content.decode()


# Detail and timeline ---------------------------------------------------------

def test_the_detail_page_shows_every_field(alice, alice_client):
    reference = make_reference(
        alice,
        name="Dana Whitfield",
        emails=["dana@example.com"],
        phones=["+33 1 23 45 67 89"],
        title="VP Engineering",
        organisation="Initech",
        relationship="skip_level",
        known_since=dt.date(2018, 5, 2),
        how_we_met="She hired me into the platform team.",
        vouches_for=["Billing migration"],
        likes="Dark chocolate, climbing",
        preferred_channel="phone",
        preferred_hours="Weekday mornings",
        consent_given_on=dt.date(2026, 1, 10),
        consent_scope="Any engineering role",
        status="active",
        notes="Prefers a call before any email.",
    )
    html = alice_client.get(reference.get_absolute_url()).content.decode()
    for text in [
        "Dana Whitfield", "dana@example.com", "+33 1 23 45 67 89", "VP Engineering", "Initech",
        "Skip-level manager", "2 May 2018", "She hired me into the platform team.", "Billing migration",
        "Dark chocolate, climbing", "Phone", "Weekday mornings", "10 Jan 2026", "Any engineering role",
        "Active", "Prefers a call before any email.",
    ]:
        assert text in html, text


def test_the_detail_page_shows_listings_with_their_derived_state(alice, alice_client):
    reference = make_reference(alice)
    opportunity = make_opportunity(alice, company="Globex", role="Staff Engineer", stage="references_requested")
    make_listing(opportunity, reference)
    make_event(reference, "permission_asked", opportunity=opportunity)
    make_event(reference, "agreed", opportunity=opportunity)
    html = alice_client.get(reference.get_absolute_url()).content.decode()
    assert "Staff Engineer at Globex" in html
    assert "References requested" in html
    assert 'class="state state-agreed">Agreed<' in html


def test_the_timeline_shows_events_newest_first(alice, alice_client):
    reference = make_reference(alice)
    now = timezone.now()
    make_event(reference, "call", occurred_at=now - dt.timedelta(days=3), note="The oldest one")
    make_event(reference, "thanked", occurred_at=now - dt.timedelta(days=1), note="The newest one")
    make_event(reference, "meeting", occurred_at=now - dt.timedelta(days=2), note="The middle one")
    html = alice_client.get(reference.get_absolute_url()).content.decode()
    assert html.index("The newest one") < html.index("The middle one") < html.index("The oldest one")


def test_logging_an_event_without_htmx_redirects_to_the_timeline(alice, alice_client):
    reference = make_reference(alice, name="Dana Whitfield")
    opportunity = make_opportunity(alice)
    response = alice_client.post(
        reverse("timeline:log", args=[reference.pk]),
        {"kind": "heads_up", "channel": "phone", "occurred_at": "2026-02-03T09:30",
         "opportunity": opportunity.pk, "note": "Told her the panel focused on incidents"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("references:detail", args=[reference.pk]) + "#timeline"
    event = Event.objects.get(reference=reference)
    assert (event.kind, event.channel, event.opportunity) == ("heads_up", "phone", opportunity)
    assert timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M") == "2026-02-03 09:30"
    html = alice_client.get(response["Location"]).content.decode()
    assert "Told her the panel focused on incidents" in html
    assert "Logged “Heads-up sent” with Dana Whitfield." in html


def test_logging_an_event_with_htmx_returns_only_the_timeline_fragment(alice, alice_client):
    reference = make_reference(alice)
    opportunity = make_opportunity(alice)
    make_listing(opportunity, reference)
    response = alice_client.post(
        reverse("timeline:log", args=[reference.pk]),
        {"kind": "agreed", "opportunity": opportunity.pk, "note": "Happy to help, call me Tuesday"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "<header" not in html
    assert 'id="timeline"' in html
    assert "Happy to help, call me Tuesday" in html
    # The form comes back empty, ready for the next entry.
    assert "Happy to help, call me Tuesday</textarea>" not in html
    # The listing's state follows, out of band.
    assert 'id="listings"' in html and 'hx-swap-oob="true"' in html
    assert "state-agreed" in html


def test_when_defaults_to_now(alice, alice_client):
    reference = make_reference(alice)
    before = timezone.now()
    alice_client.post(reverse("timeline:log", args=[reference.pk]), {"kind": "call", "occurred_at": ""})
    assert Event.objects.get(reference=reference).occurred_at >= before - dt.timedelta(seconds=1)


def test_a_bad_event_is_a_field_error_with_or_without_htmx(alice, alice_client):
    reference = make_reference(alice)
    url = reverse("timeline:log", args=[reference.pk])
    response = alice_client.post(url, {"kind": "invented", "occurred_at": "yesterday-ish"})
    assert response.status_code == 200
    assert set(response.context["event_form"].errors) == {"kind", "occurred_at"}

    response = alice_client.post(url, {"kind": "invented"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "Select a valid choice" in response.content.decode()
    assert not Event.objects.exists()


def test_a_ten_thousand_character_note_saves_and_shows(alice, alice_client):
    reference = make_reference(alice)
    note = ("Long and careful notes. " * 500)[:10_000]
    alice_client.post(reverse("timeline:log", args=[reference.pk]), {"kind": "note", "note": note})
    assert Event.objects.get(reference=reference).note == note
    assert note in alice_client.get(reference.get_absolute_url()).content.decode()


def test_deleting_an_event_asks_first_then_removes_it(alice, alice_client):
    reference = make_reference(alice)
    event = make_event(reference, "call", note="Wrong person")
    url = reverse("timeline:delete", args=[event.pk])
    assert "Delete this event?" in alice_client.get(url).content.decode()
    assert Event.objects.filter(pk=event.pk).exists()
    response = alice_client.post(url)
    assert response["Location"] == reference.get_absolute_url() + "#timeline"
    assert not Event.objects.filter(pk=event.pk).exists()


# Delete ----------------------------------------------------------------------

def test_deleting_a_reference_asks_first_and_names_what_goes_with_it(alice, alice_client):
    reference = make_reference(alice, name="Dana Whitfield")
    opportunity = make_opportunity(alice)
    make_listing(opportunity, reference)
    for kind in ["permission_asked", "agreed", "thanked"]:
        make_event(reference, kind, opportunity=opportunity)

    html = alice_client.get(reverse("references:delete", args=[reference.pk])).content.decode()
    assert "timeline (3 events)" in html
    assert "listings on 1 opportunity" in html
    assert Reference.objects.filter(pk=reference.pk).exists()

    response = alice_client.post(reverse("references:delete", args=[reference.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("references:list")
    assert "Deleted Dana Whitfield and 3 timeline events." in response.content.decode()
    assert not Reference.objects.filter(pk=reference.pk).exists()
    assert not Event.objects.filter(reference_id=reference.pk).exists()
    assert not Listing.objects.filter(reference_id=reference.pk).exists()
    assert opportunity.__class__.objects.filter(pk=opportunity.pk).exists()


def test_the_list_shows_each_references_listings_and_latest_contact(alice, alice_client):
    import datetime as dt

    from django.utils import timezone

    from tests.factories.opportunities import make_listing, make_opportunity
    from tests.factories.timeline import make_event

    dana = make_reference(alice, name="Dana Whitfield")
    make_reference(alice, name="Sam Okafor")
    for company in ("Acme", "Globex"):
        make_listing(make_opportunity(alice, company=company), dana)
    make_event(dana, "call", occurred_at=timezone.make_aware(dt.datetime(2026, 3, 1, 10)))
    make_event(dana, "call", occurred_at=timezone.make_aware(dt.datetime(2026, 5, 9, 10)))
    html = alice_client.get(reverse("references:list")).content.decode()
    dana_row = html.split("Dana Whitfield</a>")[1].split("</tr>")[0]
    sam_row = html.split("Sam Okafor</a>")[1].split("</tr>")[0]
    assert "<td>2</td>" in dana_row and "9 May 2026" in dana_row and "1 Mar 2026" not in dana_row
    assert "<td>0</td>" in sam_row and "never" in sam_row
