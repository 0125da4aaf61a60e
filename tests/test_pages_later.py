"""Snooze and dismiss, kept off the ledger's list: each debt's forms load when
asked for (htmx) or open as a page of their own (without JavaScript)."""

import pytest
from django.urls import reverse

from goodword.courtesy.ledger import build_ledger
from tests.factories.courtesy import log
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def key(alice):
    job = make_opportunity(alice, company="Acme", role="Data Engineer", stage="references_requested")
    dana = make_reference(alice, name="Dana Whitfield")
    make_listing(job, dana)
    log(dana, "agreed", job)
    (debt,) = [debt for debt in build_ledger(alice).open if debt.rule == "no_heads_up"]
    return debt.key


def test_the_ledger_lists_no_snooze_or_dismiss_form_only_the_way_to_them(alice_client, key):
    html = alice_client.get(reverse("courtesy:ledger")).content.decode()
    assert 'action="/due/snooze/"' not in html and 'action="/due/dismiss/"' not in html
    assert f'href="/due/later/?key={key}&amp;next=%2Fdue%2F"' in html


def test_with_htmx_the_forms_come_alone_and_replace_the_ledger_when_posted(alice_client, key):
    html = alice_client.get(reverse("courtesy:later"), {"key": key, "next": "/"}, headers=HTMX).content.decode()
    assert "<html" not in html
    assert html.count('hx-target="#ledger" hx-swap="outerHTML"') == 2
    assert f'name="key" value="{key}"' in html and 'name="next" value="/"' in html


def test_without_javascript_they_are_a_page_that_posts_then_returns(alice_client, key):
    html = alice_client.get(reverse("courtesy:later"), {"key": key, "next": "/"}).content.decode()
    assert "<h1>Snooze or dismiss</h1>" in html and "<div hx-disable>" in html
    response = alice_client.post(reverse("courtesy:dismiss"), {"key": key, "reason": "Told in person", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""])
def test_a_foreign_next_falls_back_to_the_ledger(alice_client, key, target):
    html = alice_client.get(reverse("courtesy:later"), {"key": key, "next": target}).content.decode()
    assert 'name="next" value="/due/"' in html


def test_an_unknown_or_someone_elses_debt_is_not_found(alice_client, bob, key):
    assert alice_client.get(reverse("courtesy:later"), {"key": key}).status_code == 200
    assert alice_client.get(reverse("courtesy:later"), {"key": "no_heads_up:999:999"}).status_code == 404
    assert alice_client.get(reverse("courtesy:later")).status_code == 404
    alice_client.force_login(bob)
    assert alice_client.get(reverse("courtesy:later"), {"key": key}).status_code == 404


@pytest.mark.browser
def test_the_page_of_its_own_and_the_opened_forms_pass_axe(page, live_server, transactional_db):
    from playwright.sync_api import expect

    from goodword.accounts.services import local_user
    from tests.factories.accounts import sign_in_browser
    from tests.test_slates_axe import blocking_violations

    user = local_user()
    job = make_opportunity(user, company="Acme", role="Data Engineer", stage="references_requested")
    dana = make_reference(user, name="Dana Whitfield")
    make_listing(job, dana)
    log(dana, "agreed", job)
    (debt,) = [debt for debt in build_ledger(user).open if debt.rule == "no_heads_up"]
    sign_in_browser(page, live_server)
    page.goto(live_server.url + reverse("courtesy:ledger"))
    page.locator(f"#{debt.dom_id} summary").click()
    expect(page.locator(f"#{debt.dom_id}").get_by_role("button", name="Dismiss")).to_be_visible()  # loaded
    assert blocking_violations(page) == []
    page.goto(live_server.url + reverse("courtesy:later") + f"?key={debt.key}&next=/")
    assert blocking_violations(page) == []
