"""A reference on a phone opens their portal link, copies the letter, and reports a call."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from goodword.accounts.services import issue_login_token, local_user
from goodword.timeline.models import Event
from tests.factories.accounts import give_name
from tests.factories.portal import make_portal_setup, page_url

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_reference_on_a_phone_copies_the_letter_and_reports_an_unannounced_call(phone, page, live_server, transactional_db):
    candidate = give_name(local_user())  # letters are signed with the candidate's name
    listing, token = make_portal_setup(
        candidate, company="Northwind Traders", role="Platform Engineer", shared=["briefing", "letter"],
    )

    phone.goto(live_server.url + page_url(token))
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    expect(phone.locator(".job")).to_have_text("Platform Engineer at Northwind Traders")
    # Phone-sized: nothing wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    phone.get_by_role("button", name="Copy the letter draft").click()
    expect(phone.get_by_role("status").filter(has_text="Copied.")).to_be_visible()
    copied = phone.evaluate("navigator.clipboard.readText()")
    shown = phone.locator("#letter-draft").input_value()
    assert copied == shown
    assert "Platform Engineer" in copied and "Northwind Traders" in copied

    phone.get_by_label("What did they ask? (optional)").fill("Whether she led incidents alone.")
    phone.get_by_role("button", name="The employer contacted me").click()
    expect(phone.get_by_text("Thank you for letting")).to_be_visible()
    assert Event.objects.filter(kind="employer_contacted", channel="portal", reference=listing.reference).count() == 1

    # The candidate sees it at once: the event on the dashboard, the critical debt on the ledger.
    page.goto(live_server.url + reverse("accounts:token_login", args=[issue_login_token(candidate)]))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(live_server.url + reverse("core:home"))
    expect(page.locator("main")).to_contain_text("Employer contacted them")
    expect(page.locator("main")).to_contain_text("Whether she led incidents alone.")
    page.goto(live_server.url + reverse("courtesy:ledger"))
    critical = page.locator(".severity-critical")
    expect(critical).to_contain_text("Dana Whitfield")
    expect(critical).to_contain_text("before Dana had any warning")


def test_reference_without_javascript_still_reads_and_answers(chromium, live_server, transactional_db):
    listing, token = make_portal_setup(give_name(local_user()), shared=["letter"])
    context = chromium.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    try:
        phone = context.new_page()
        phone.set_default_timeout(10_000)
        phone.goto(live_server.url + page_url(token))
        # No script, no copy button: the draft stays readable and selectable in its box.
        expect(phone.get_by_role("button", name="Copy the letter draft")).to_be_hidden()
        expect(phone.locator("#letter-draft")).to_be_visible()
        phone.get_by_role("button", name="Yes, I'll be a reference").click()
        expect(phone.get_by_text("Thank you: your answer is recorded")).to_be_visible()
    finally:
        context.close()
    assert Event.objects.filter(kind="agreed", channel="portal", reference=listing.reference).count() == 1
