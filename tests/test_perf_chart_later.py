"""The "how much each reference has been asked" chart comes after the dashboard and
the ledger page (htmx), and without JavaScript on a page of its own."""

import pytest
from django.urls import reverse

from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(alice):
    dana = make_reference(alice, name="Dana Whitfield")
    make_listing(make_opportunity(alice, company="Northwind"), dana)
    return dana


@pytest.mark.parametrize("page", ["/", "/due/", "/due/?all=1"])
def test_the_pages_load_the_chart_after_themselves_and_link_to_it(alice_client, listed, page):
    html = alice_client.get(page).content.decode()
    assert f'hx-get="{reverse("courtesy:chart")}" hx-trigger="load" hx-swap="outerHTML"' in html
    assert f'<a href="{reverse("courtesy:chart")}">' in html  # without JavaScript
    assert 'class="bar-listings"' not in html and "Dana Whitfield: 1 listed" not in html


def test_the_chart_fragment_and_its_page_show_the_chart(alice_client, listed):
    fragment = alice_client.get(reverse("courtesy:chart"), headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section class="asked-chart panel"') and "<html" not in fragment
    assert "Dana Whitfield: 1 listed, 0 employer contacts" in fragment and 'class="bar-listings"' in fragment
    page = alice_client.get(reverse("courtesy:chart")).content.decode()
    assert "<html" in page and "<h1>How much each reference has been asked</h1>" in page
    assert "Dana Whitfield: 1 listed, 0 employer contacts" in page


def test_the_chart_is_the_users_own(bob_client, listed):
    page = bob_client.get(reverse("courtesy:chart"), headers={"HX-Request": "true"}).content.decode()
    assert "Dana Whitfield" not in page and "Nobody has been listed" in page
