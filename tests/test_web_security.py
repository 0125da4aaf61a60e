"""CSRF, security headers, the CSP-friendly markup, and escaping of hostile text."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from goodword.opportunities.models import Listing
from goodword.references.models import Reference
from goodword.timeline.models import Event
from tests.factories.opportunities import make_interview, make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event

PAYLOAD = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def form_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.fixture
def strict_client(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    return client


# CSRF ------------------------------------------------------------------------

def test_creating_a_reference_needs_the_csrf_token(alice, strict_client):
    url = reverse("references:create")
    data = {"name": "Dana Whitfield", "relationship": "manager", "status": "active"}
    assert strict_client.post(url, data).status_code == 403
    assert not Reference.objects.exists()

    token = form_token(strict_client.get(url).content.decode())
    assert strict_client.post(url, {**data, "csrfmiddlewaretoken": token}).status_code == 302
    assert Reference.objects.filter(owner=alice, name="Dana Whitfield").exists()


def test_logging_an_event_needs_the_csrf_token(alice, strict_client):
    reference = make_reference(alice)
    url = reverse("timeline:log", args=[reference.pk])
    assert strict_client.post(url, {"kind": "call"}).status_code == 403
    assert strict_client.post(url, {"kind": "call"}, headers={"HX-Request": "true"}).status_code == 403
    assert not Event.objects.exists()

    html = strict_client.get(reference.get_absolute_url() + "?log=1").content.decode()  # the form, without JavaScript
    assert strict_client.post(url, {"kind": "call", "csrfmiddlewaretoken": form_token(html)}).status_code == 302
    # htmx sends the token as a header, taken from the page's hx-headers.
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1)
    response = strict_client.post(url, {"kind": "thanked"}, headers={"HX-Request": "true", "X-CSRFToken": header_token})
    assert response.status_code == 200
    assert Event.objects.count() == 2


def test_deleting_a_reference_needs_the_csrf_token(alice, strict_client):
    reference = make_reference(alice)
    url = reverse("references:delete", args=[reference.pk])
    assert strict_client.post(url).status_code == 403
    assert Reference.objects.filter(pk=reference.pk).exists()

    token = form_token(strict_client.get(url).content.decode())
    assert strict_client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    assert not Reference.objects.filter(pk=reference.pk).exists()


def test_slate_changes_need_the_csrf_token(alice, strict_client):
    opportunity = make_opportunity(alice)
    reference = make_reference(alice)
    url = reverse("opportunities:slate_add", args=[opportunity.pk])
    assert strict_client.post(url, {"reference": reference.pk}).status_code == 403
    assert not Listing.objects.exists()

    token = form_token(strict_client.get(opportunity.get_absolute_url()).content.decode())
    assert strict_client.post(url, {"reference": reference.pk, "csrfmiddlewaretoken": token}).status_code == 302
    assert Listing.objects.count() == 1


# Headers and markup ----------------------------------------------------------

def test_pages_send_the_security_headers(alice_client):
    response = alice_client.get(reverse("core:home"))
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert "'nonce-" in directives["script-src"]
    assert "'unsafe-inline'" not in directives.get("style-src", "")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_every_page_works_under_the_csp(alice, alice_client):
    """No inline style, no <style>, and every <script> carries this response's nonce."""
    reference = make_reference(alice)
    opportunity = make_opportunity(alice)
    interview = make_interview(opportunity)
    make_listing(opportunity, reference)
    event = make_event(reference, "call", opportunity=opportunity)
    urls = [
        reverse("core:home"),
        reverse("references:list"),
        reverse("references:create"),
        reverse("references:detail", args=[reference.pk]),
        reverse("references:edit", args=[reference.pk]),
        reverse("references:delete", args=[reference.pk]),
        reverse("timeline:delete", args=[event.pk]),
        reverse("opportunities:list"),
        reverse("opportunities:create"),
        reverse("opportunities:detail", args=[opportunity.pk]),
        reverse("opportunities:edit", args=[opportunity.pk]),
        reverse("opportunities:delete", args=[opportunity.pk]),
        reverse("opportunities:interview_create", args=[opportunity.pk]),
        reverse("opportunities:interview_edit", args=[interview.pk]),
        reverse("opportunities:interview_delete", args=[interview.pk]),
    ]
    for url in urls:
        response = alice_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert not re.search(r"\sstyle=", html), url
        assert "<style" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        for tag in re.findall(r"<script[^>]*>", html):
            assert f'nonce="{nonce}"' in tag, (url, tag)


def test_the_layout_has_landmarks_a_skip_link_and_navigation(alice_client):
    html = alice_client.get(reverse("references:list")).content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert '<nav class="site-nav" aria-label="Main">' in html
    for url in [reverse("core:home"), reverse("references:list"), reverse("opportunities:list")]:
        assert f'href="{url}"' in html
    assert f'<a href="{reverse("references:list")}" aria-current="page">References</a>' in html
    assert 'action="/accounts/logout/"' in html


def test_every_form_field_has_a_label(alice, alice_client):
    reference = make_reference(alice)
    opportunity = make_opportunity(alice)
    for url in [
        reverse("references:create"),
        reverse("references:detail", args=[reference.pk]),
        reverse("references:list"),
        reverse("opportunities:create"),
        reverse("opportunities:detail", args=[opportunity.pk]),
        reverse("opportunities:list"),
        reverse("opportunities:interview_create", args=[opportunity.pk]),
    ]:
        html = alice_client.get(url).content.decode()
        labelled = set(re.findall(r'<label for="([^"]+)"', html))
        for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", html):
            if 'type="hidden"' in tag:
                continue
            field_id = re.search(r'id="([^"]+)"', tag)
            assert field_id and field_id.group(1) in labelled, (url, tag)


# Hostile text ----------------------------------------------------------------

@pytest.fixture
def hostile_world(alice):
    reference = make_reference(
        alice, name=PAYLOAD, title=PAYLOAD, organisation=PAYLOAD, how_we_met=PAYLOAD,
        vouches_for=[PAYLOAD], likes=PAYLOAD, preferred_hours=PAYLOAD, consent_scope=PAYLOAD, notes=PAYLOAD,
    )
    opportunity = make_opportunity(
        alice, company=PAYLOAD, role=PAYLOAD, posting_text=PAYLOAD, checker_name=PAYLOAD,
        checker_phone="+1 555", notes=PAYLOAD,
    )
    make_interview(
        opportunity, with_whom=PAYLOAD, questions=PAYLOAD, strong_points=PAYLOAD, weak_points=PAYLOAD, notes=PAYLOAD
    )
    make_listing(opportunity, reference)
    make_event(reference, "call", opportunity=opportunity, note=PAYLOAD)
    opportunity.stage_changes.update(note=PAYLOAD)
    return reference, opportunity


@pytest.mark.parametrize(
    "page", ["core:home", "references:list", "references:detail", "opportunities:list", "opportunities:detail"]
)
def test_markup_in_every_text_field_is_shown_escaped(hostile_world, alice_client, page):
    reference, opportunity = hostile_world
    args = {"references:detail": [reference.pk], "opportunities:detail": [opportunity.pk]}.get(page, [])
    html = alice_client.get(reverse(page, args=args)).content.decode()
    assert PAYLOAD not in html
    assert ESCAPED in html


def test_the_detail_pages_escape_every_field(hostile_world, alice_client):
    reference, opportunity = hostile_world
    html = alice_client.get(reference.get_absolute_url()).content.decode()
    # name (title and h1), title/organisation line, how we met, vouches, likes, hours, consent, notes, event note
    assert html.count(ESCAPED) >= 10
    html = alice_client.get(opportunity.get_absolute_url()).content.decode()
    # role, company, checker, notes, posting, stage note, interview fields, event's reference name and note
    assert html.count(ESCAPED) >= 12


def test_the_stylesheet_is_served_from_our_own_origin(alice_client):
    from django.contrib.staticfiles import finders

    html = alice_client.get(reverse("core:home")).content.decode()
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
    assert href.startswith("/static/")
    assert finders.find("goodword/goodword.css")
    response = alice_client.get(href)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
