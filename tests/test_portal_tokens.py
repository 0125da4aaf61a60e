"""Portal links: who can open what, for how long, and what a guesser gets."""

import datetime as dt
import logging

import pytest
from django.urls import reverse
from django.utils import timezone

from goodword.opportunities.services import change_stage
from goodword.portal import services
from goodword.portal.models import PortalLink, PortalMiss
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.portal import make_portal_setup, page_url
from tests.factories.references import make_reference

pytestmark = pytest.mark.django_db


def test_token_has_256_random_bits_and_only_its_hash_is_stored(alice):
    listing, token = make_portal_setup(alice)
    assert len(token) == 43 and services.TOKEN_PATTERN.fullmatch(token)
    link = PortalLink.objects.get(listing=listing)
    assert link.token_hash == services.hash_token(token)
    stored = [str(value) for value in PortalLink.objects.values_list().get(pk=link.pk)]
    assert not any(token in value for value in stored)


def test_live_link_opens_its_listing_with_private_headers(client, alice):
    _listing, token = make_portal_setup(alice, company="Northwind Traders", role="Platform Engineer")
    response = client.get(page_url(token))
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "no-store"
    assert "noindex" in response["X-Robots-Tag"]
    body = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert "Platform Engineer" in body and "Northwind Traders" in body and "Priya Raman" in body


def test_expired_link_gets_a_kind_410_naming_the_candidate(client, alice):
    alice.first_name, alice.last_name = "Alice", "Martin"
    alice.save()
    listing, token = make_portal_setup(alice)
    PortalLink.objects.filter(listing=listing).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(page_url(token))
    assert response.status_code == 410
    assert "ask <strong>Alice Martin</strong> for a new link" in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_link_ends_thirty_days_after_the_opportunity_closes(client, alice):
    listing, token = make_portal_setup(alice)
    closed_on = timezone.localdate() - dt.timedelta(days=31)
    # Stage dates must move forward, so the history starts earlier.
    listing.opportunity.stage_changes.update(changed_on=closed_on - dt.timedelta(days=5))
    change_stage(listing.opportunity, "rejected", on=closed_on)
    assert client.get(page_url(token)).status_code == 410


def test_link_still_works_within_thirty_days_of_closing(client, alice):
    listing, token = make_portal_setup(alice)
    change_stage(listing.opportunity, "landed")
    assert client.get(page_url(token)).status_code == 200


def test_link_never_lasts_more_than_120_days():
    now = timezone.now()
    from tests.factories.accounts import make_user

    listing, _token = make_portal_setup(make_user("carol"))
    link, _ = services.issue_link(listing, now=now)
    assert services.expires_at(link) - now == dt.timedelta(days=120)


def test_revoked_link_gets_410(client, alice):
    listing, token = make_portal_setup(alice)
    services.revoke(listing)
    assert client.get(page_url(token)).status_code == 410


def test_reissued_link_kills_the_old_one(client, alice):
    listing, old = make_portal_setup(alice)
    _link, new = services.issue_link(listing)
    assert new != old
    assert client.get(page_url(old)).status_code == 410
    assert client.get(page_url(new)).status_code == 200


def test_link_shows_only_its_own_listing(client, alice):
    _listing, token = make_portal_setup(alice, company="Northwind Traders")
    other_job = make_opportunity(alice, company="Contoso Secret Project", stage="references_requested")
    other_ref = make_reference(alice, name="Omar Other")
    make_listing(other_job, other_ref)
    body = client.get(page_url(token)).content.decode()
    assert "Northwind Traders" in body
    assert "Contoso Secret Project" not in body and "Omar Other" not in body


def test_another_users_link_shows_that_users_listing_only(client, alice, bob):
    _listing, alice_token = make_portal_setup(alice, company="Alice Corp")
    _listing, bob_token = make_portal_setup(bob, company="Bob Industries")
    assert "Bob Industries" not in client.get(page_url(alice_token)).content.decode()
    assert "Alice Corp" not in client.get(page_url(bob_token)).content.decode()


@pytest.mark.parametrize("token", ["x", "A" * 42, "A" * 44, "A" * 42 + "!", "%00" * 15])
def test_malformed_token_is_404(client, token):
    assert client.get(reverse("portal:page", args=[token])).status_code == 404


def test_unknown_well_formed_token_is_404(client, alice):
    make_portal_setup(alice)
    assert client.get(page_url(services.new_token())).status_code == 404


def test_repeated_misses_from_one_client_are_throttled_even_for_a_valid_token(client, alice):
    _listing, token = make_portal_setup(alice)
    for _ in range(services.MISS_LIMIT):
        assert client.get(page_url(services.new_token())).status_code == 404
    response = client.get(page_url(services.new_token()))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    # The guesser cannot keep going by luck: even a right token waits out the window.
    assert client.get(page_url(token)).status_code == 429


def test_throttle_is_per_client_and_forgets_after_the_window(client, alice):
    _listing, token = make_portal_setup(alice)
    for _ in range(services.MISS_LIMIT):
        client.get(page_url(services.new_token()), REMOTE_ADDR="10.0.0.9")
    assert client.get(page_url(token), REMOTE_ADDR="10.0.0.9").status_code == 429
    assert client.get(page_url(token), REMOTE_ADDR="10.0.0.10").status_code == 200
    PortalMiss.objects.update(at=timezone.now() - services.MISS_WINDOW - dt.timedelta(seconds=1))
    assert client.get(page_url(token), REMOTE_ADDR="10.0.0.9").status_code == 200


def test_tokens_never_reach_the_log(client, alice, caplog):
    listing, token = make_portal_setup(alice)
    unknown = services.new_token()
    with caplog.at_level(logging.DEBUG):
        client.get(page_url(unknown))
        services.revoke(listing)
        client.get(page_url(token))
        client.delete(page_url(token))
        client.post(page_url(unknown), {"form": "letter"})
        client.get("/no-such-page-control/")  # proves that 404 paths do get logged elsewhere
    assert any("/no-such-page-control/" in record.getMessage() for record in caplog.records)
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert token not in text and unknown not in text


def test_portal_form_without_csrf_token_is_refused_quietly(alice, caplog):
    from django.test import Client

    _listing, token = make_portal_setup(alice)
    strict = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.DEBUG):
        response = strict.post(page_url(token), {"form": "letter", "nonce": "abcdefgh"})
    assert response.status_code == 403
    assert token not in "\n".join(record.getMessage() for record in caplog.records)


def _csrf_post(token, origin):
    import re

    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    page = strict.get(page_url(token)).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    nonce = re.search(r'name="nonce" value="([^"]+)"', page[page.index('value="letter"'):]).group(1)
    return strict.post(page_url(token), {"form": "letter", "nonce": nonce, "csrfmiddlewaretoken": csrf},
                       HTTP_ORIGIN=origin)


def test_portal_form_accepts_the_null_origin_no_referrer_pages_send(alice):
    _listing, token = make_portal_setup(alice)
    assert _csrf_post(token, "null").status_code == 302


def test_portal_form_posted_from_another_site_is_refused(alice):
    _listing, token = make_portal_setup(alice)
    assert _csrf_post(token, "https://evil.example").status_code == 403
