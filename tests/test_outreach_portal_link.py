"""Heads-up, briefing and letter drafts offer a private portal link for the listing."""

import re

from django.urls import reverse

from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference


def compose_url(kind, reference, job):
    return reverse("outreach:compose") + f"?kind={kind}&ref={reference.pk}&job={job.pk}"


def test_heads_up_draft_gets_a_working_portal_link_on_request(alice, alice_client):
    reference = make_reference(alice, name="Dana Whitfield")
    job = make_opportunity(alice, company="Northwind Traders", stage="references_requested")
    make_listing(job, reference)
    page = alice_client.get(compose_url("heads_up", reference, job)).content.decode()
    assert "Add a private portal link" in page

    response = alice_client.post(compose_url("heads_up", reference, job), {
        "action": "portal_link", "to_name": "Dana Whitfield", "to_address": reference.primary_email,
        "subject": "Heads-up", "body": "Hi Dana,\nNorthwind may call you this week.", "key": "k" * 32,
        "channel": "email",
    })
    body = response.content.decode()
    link = re.search(r"(http://testserver/r/[A-Za-z0-9_-]+/)", body).group(1)
    assert "Northwind may call you this week." in body  # the user's edits are kept

    portal = alice_client.get(link.removeprefix("http://testserver"))
    assert portal.status_code == 200
    assert "Northwind Traders" in portal.content.decode()


def test_keep_in_touch_draft_offers_no_portal_link(alice, alice_client):
    reference = make_reference(alice)
    job = make_opportunity(alice)
    make_listing(job, reference)
    assert "Add a private portal link" not in alice_client.get(compose_url("keep_in_touch", reference, job)).content.decode()


def test_no_portal_link_for_a_reference_who_is_not_on_the_slate(alice, alice_client):
    reference = make_reference(alice)
    job = make_opportunity(alice)
    assert "Add a private portal link" not in alice_client.get(compose_url("heads_up", reference, job)).content.decode()
