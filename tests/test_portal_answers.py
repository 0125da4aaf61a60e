"""What the reference sees and answers on the portal, and what the candidate gets from it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from goodword.courtesy.ledger import build_ledger
from goodword.portal import services
from goodword.portal.models import PortalAnswer, PortalLink
from goodword.timeline.models import Event
from tests.factories.portal import make_portal_setup, nonce_from, page_url

pytestmark = pytest.mark.django_db


def answer(client, token, form, **fields):
    page = client.get(page_url(token))
    data = {"form": form, "nonce": nonce_from(page, form), **fields}
    return client.post(page_url(token), data), data


def test_page_shows_only_what_the_candidate_chose_to_share(client, alice):
    _listing, token = make_portal_setup(alice, shared=["letter"])
    body = client.get(page_url(token)).content.decode()
    assert "Recommendation-letter draft" in body
    assert "Points to confirm" not in body and "How the interviews went" not in body
    assert 'id="talking-points"' not in body and "Kubernetes depth" not in body


def test_briefing_and_recap_show_interview_points_when_shared(client, alice):
    _listing, token = make_portal_setup(alice, shared=["briefing", "recap"])
    body = client.get(page_url(token)).content.decode()
    assert "Points to confirm" in body and "Incident leadership" in body
    assert "Where they had doubts" in body and "Kubernetes depth" in body
    assert "Tell us about a migration you led." in body
    assert "Recommendation-letter draft" not in body


def test_letter_draft_comes_from_the_outreach_drafts_with_a_copy_button(client, alice):
    from goodword.outreach.drafts import make_draft

    listing, token = make_portal_setup(alice, shared=["letter", "talking_points"])
    body = client.get(page_url(token)).content.decode()
    letter = make_draft(alice, "letter", listing.reference, listing.opportunity).body
    first_line = next(line for line in letter.splitlines() if line.strip())
    from django.utils.html import escape

    assert escape(first_line) in body
    assert 'data-copy-target="letter-draft"' in body and 'data-copy-target="talking-points"' in body
    assert "<script src=" in body and "onclick" not in body  # CSP: no inline handlers


def test_saying_yes_records_one_agreed_event_on_the_portal_channel(client, alice):
    listing, token = make_portal_setup(alice)
    response, _ = answer(client, token, "consent", answer="agreed", note="Happy to help.")
    assert response.status_code == 302
    event = Event.objects.get(kind="agreed")
    assert (event.channel, event.reference, event.opportunity) == ("portal", listing.reference, listing.opportunity)
    assert "Happy to help." in event.note
    assert "no_permission" not in {debt.rule for debt in build_ledger(alice).open}


def test_double_submission_of_one_form_records_one_event(client, alice):
    _listing, token = make_portal_setup(alice)
    page = client.get(page_url(token))
    data = {"form": "letter", "nonce": nonce_from(page, "letter"), "note": ""}
    assert client.post(page_url(token), data).status_code == 302
    assert client.post(page_url(token), data).status_code == 302
    assert Event.objects.filter(kind="letter_sent").count() == 1
    assert PortalAnswer.objects.count() == 1


def test_two_separate_answers_are_two_events(client, alice):
    _listing, token = make_portal_setup(alice)
    answer(client, token, "consent", answer="declined")
    answer(client, token, "consent", answer="agreed")
    assert list(Event.objects.filter(channel="portal").order_by("id").values_list("kind", flat=True)) == [
        "declined", "agreed"]


def test_employer_contact_without_heads_up_shows_the_critical_called_unannounced_debt(client, alice):
    listing, token = make_portal_setup(alice)
    day = timezone.localdate() - dt.timedelta(days=1)
    response, _ = answer(client, token, "contacted", when=day.isoformat(), asked="Asked about incident leadership.")
    assert response.status_code == 302
    event = Event.objects.get(kind="employer_contacted")
    assert timezone.localdate(event.occurred_at) == day
    assert "incident leadership" in event.note
    debts = {debt.rule: debt for debt in build_ledger(alice).open}
    assert debts["called_unannounced"].severity.label == "critical"
    assert debts["called_unannounced"].reference_id == listing.reference_id


def test_employer_contact_in_the_future_is_refused(client, alice):
    _listing, token = make_portal_setup(alice)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response, _ = answer(client, token, "contacted", when=tomorrow.isoformat())
    assert response.status_code == 400
    assert "still to come" in response.content.decode()
    assert not Event.objects.filter(kind="employer_contacted").exists()


def test_contact_update_changes_the_reference_and_logs_a_note(client, alice):
    listing, token = make_portal_setup(alice)
    answer(client, token, "contact", email="dana.new@example.org", phone="+44 20 7946 0000", hours="Weekdays 9-11")
    reference = listing.reference
    reference.refresh_from_db()
    assert reference.emails[0] == "dana.new@example.org"
    assert reference.phones[0] == "+44 20 7946 0000"
    assert reference.preferred_hours == "Weekdays 9-11"
    event = Event.objects.get(channel="portal")
    assert event.kind == "note" and "dana.new@example.org" in event.note


def test_bad_phone_is_refused_with_a_message(client, alice):
    _listing, token = make_portal_setup(alice)
    response, _ = answer(client, token, "contact", phone="call me maybe")
    assert response.status_code == 400
    assert "digits" in response.content.decode()
    assert not Event.objects.exists()


def test_answers_on_a_revoked_link_are_refused(client, alice):
    listing, token = make_portal_setup(alice)
    page = client.get(page_url(token))
    services.revoke(listing)
    response = client.post(page_url(token), {"form": "letter", "nonce": nonce_from(page, "letter")})
    assert response.status_code == 410
    assert not Event.objects.exists()


def test_candidate_sees_unread_answers_until_marked_read(client, alice, alice_client):
    _listing, token = make_portal_setup(alice)
    answer(client, token, "consent", answer="agreed")
    assert [a.kind for a in services.unread_portal_answers(alice)] == ["agreed"]
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = alice
    html = render_to_string("portal/_notices.html", services.notices_context(alice), request=request)
    assert "Dana Whitfield" in html and "agreed to be a reference" in html
    alice_client.post(reverse("portal:notices_read"), {"next": "/"})
    assert not services.unread_portal_answers(alice).exists()


def test_unread_answers_are_scoped_to_their_owner(client, alice, bob):
    _listing, token = make_portal_setup(alice)
    answer(client, token, "consent", answer="agreed")
    assert not services.unread_portal_answers(bob).exists()


# ---------------------------------------------------------------- the candidate's manage page


def test_candidate_creates_a_link_and_sees_it_once(alice_client, alice):
    listing, _ = make_portal_setup(alice)
    url = reverse("portal:manage", args=[listing.pk])
    response = alice_client.post(url, {"action": "issue", "shared": ["letter"]})
    body = response.content.decode()
    assert response.status_code == 200 and "shown only this once" in body
    token = body.split("/r/")[1].split("/")[0]
    assert services.resolve(token).status == "live"
    assert PortalLink.objects.filter(listing=listing, revoked_at__isnull=True).get().shared == ["letter"]
    assert token not in alice_client.get(url).content.decode()


def test_candidate_revokes_the_link(alice_client, alice, client):
    listing, token = make_portal_setup(alice)
    alice_client.post(reverse("portal:manage", args=[listing.pk]), {"action": "revoke"})
    assert services.resolve(token).status == "revoked"


def test_candidate_changes_what_is_shared_without_a_new_link(alice_client, alice):
    listing, token = make_portal_setup(alice, shared=["letter"])
    alice_client.post(reverse("portal:manage", args=[listing.pk]), {"action": "share", "shared": ["briefing"]})
    link = services.resolve(token)
    assert link.status == "live" and link.link.shared == ["briefing"]


def test_another_users_listing_is_404_on_the_manage_page(bob_client, alice):
    listing, token = make_portal_setup(alice)
    assert bob_client.get(reverse("portal:manage", args=[listing.pk])).status_code == 404
    assert bob_client.post(reverse("portal:manage", args=[listing.pk]), {"action": "revoke"}).status_code == 404
    assert services.resolve(token).status == "live"


def test_portal_url_for_gives_an_absolute_working_url_and_replaces_the_old_link(client, alice, settings):
    settings.GOODWORD_PUBLIC_URL = "https://refs.example.org/"
    listing, old = make_portal_setup(alice)
    url = services.portal_url_for(listing)
    assert url.startswith("https://refs.example.org/r/")
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert client.get(page_url(token)).status_code == 200
    assert client.get(page_url(old)).status_code == 410
