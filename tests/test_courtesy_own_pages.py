"""A reference's page and an opportunity's page show the debts about them, and only those."""

from django.urls import reverse

from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event


def owe_dana_a_heads_up(owner):
    dana = make_reference(owner, name="Dana Whitfield")
    sam = make_reference(owner, name="Sam Okafor")
    northwind = make_opportunity(owner, company="Northwind Traders", stage="references_requested")
    make_listing(northwind, dana)
    make_event(dana, "agreed", opportunity=northwind)
    make_event(sam, "call")
    return dana, sam, northwind


def test_reference_page_shows_what_you_owe_them(alice, alice_client):
    dana, _, northwind = owe_dana_a_heads_up(alice)
    html = alice_client.get(reverse("references:detail", args=[dana.pk])).content.decode()
    assert "What you owe here" in html
    assert "No heads-up" in html
    assert f"kind=heads_up&amp;ref={dana.pk}&amp;job={northwind.pk}" in html


def test_reference_page_without_debts_shows_none(alice, alice_client):
    _, sam, _ = owe_dana_a_heads_up(alice)
    assert "What you owe here" not in alice_client.get(reverse("references:detail", args=[sam.pk])).content.decode()


def test_opportunity_page_shows_the_debts_about_its_slate(alice, alice_client):
    _, _, northwind = owe_dana_a_heads_up(alice)
    other = make_opportunity(alice, company="Globex", stage="applied")
    html = alice_client.get(reverse("opportunities:detail", args=[northwind.pk])).content.decode()
    assert "What you owe here" in html and "Dana Whitfield" in html and "No heads-up" in html
    assert "What you owe here" not in alice_client.get(reverse("opportunities:detail", args=[other.pk])).content.decode()
