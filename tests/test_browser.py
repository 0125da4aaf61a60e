"""A newcomer's first session, in Chromium, against the live app."""

import pytest
from playwright.sync_api import expect

from goodword.accounts.services import local_user
from goodword.timeline.models import Event
from tests.factories.accounts import sign_in_browser

pytestmark = pytest.mark.browser


def test_newcomer_adds_a_reference_and_a_job_then_logs_a_heads_up(page, live_server, transactional_db):
    sign_in_browser(page, live_server)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="References").click()
    page.get_by_role("link", name="Add a reference").click()
    page.get_by_label("Name").fill("Dana Whitfield")
    page.get_by_label("Title").fill("VP Engineering")
    page.get_by_label("Organisation").fill("Initech")
    page.get_by_label("Relationship").select_option("manager")
    page.get_by_label("Email addresses").fill("dana@example.com")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dana Whitfield")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Opportunities").click()
    page.get_by_role("link", name="Add an opportunity").first.click()
    page.get_by_label("Company").fill("Northwind Traders")
    page.get_by_label("Role").fill("Platform Engineer")
    page.get_by_label("Stage", exact=True).select_option("references_requested")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Platform Engineer")

    page.get_by_label("Reference to add").select_option(label="Dana Whitfield (Manager, Initech)")
    page.get_by_role("button", name="Add to the slate").click()
    slate = page.locator("#slate")
    expect(slate).to_contain_text("Dana Whitfield")

    slate.get_by_role("link", name="Dana Whitfield", exact=True).click()
    page.get_by_label("What happened").select_option("heads_up")
    page.get_by_label("Channel").select_option("phone")
    page.get_by_label("About opportunity").select_option(label="Platform Engineer at Northwind Traders")
    page.get_by_label("Note").fill("Told her the panel went well; she will confirm incident leadership.")
    page.get_by_role("button", name="Log it").click()

    timeline = page.locator("#timeline")
    expect(timeline.get_by_role("list", name="Events, newest first")).to_contain_text("Heads-up sent")
    expect(timeline).to_contain_text("she will confirm incident leadership")
    expect(page.locator("#listings")).to_contain_text("Heads-up sent")
    assert Event.objects.filter(kind="heads_up", reference__name="Dana Whitfield").count() == 1


def test_event_form_updates_the_timeline_without_a_page_load(page, live_server, transactional_db):
    from tests.factories.references import make_reference

    sign_in_browser(page, live_server)
    reference = make_reference(local_user(), name="Sam Okafor")
    page.goto(live_server.url + reference.get_absolute_url())
    page.evaluate("window.__stillHere = true")
    page.get_by_label("What happened").select_option("call")
    page.get_by_label("Note").fill("Caught up about the new role.")
    page.get_by_role("button", name="Log it").click()
    expect(page.locator("#timeline")).to_contain_text("Caught up about the new role.")
    assert page.evaluate("window.__stillHere") is True  # htmx swapped the fragment; no navigation
    expect(page.get_by_label("Note")).to_have_value("")

