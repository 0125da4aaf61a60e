"""Walkthrough leftover: the slate row's Draft button picks the draft of the worst open debt."""

import re

from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event


def draft_link(html: str, reference) -> str:
    found = re.search(r'href="[^"]*\?kind=(\w+)&amp;ref=%d&amp;[^"]*">Draft<' % reference.pk, html)
    assert found, "no Draft button for the reference"
    return found.group(1)


def test_the_draft_button_offers_the_apology_while_one_is_owed_then_the_outcome(alice, alice_client):
    alice.first_name, alice.last_name = "Sam", "Rivera"
    alice.save()
    job = make_opportunity(alice, company="Acme", role="Data Engineer", stage="offer")
    dana = make_reference(alice, name="Dana Whitfield")
    make_listing(job, dana)
    make_event(dana, "agreed", opportunity=job)
    make_event(dana, "employer_contacted", opportunity=job)  # called before any heads-up

    page = alice_client.get(f"/jobs/{job.pk}/").content.decode()
    assert draft_link(page, dana) == "apology"

    make_event(dana, "apology", opportunity=job)
    page = alice_client.get(f"/jobs/{job.pk}/").content.decode()
    assert draft_link(page, dana) == "outcome"
