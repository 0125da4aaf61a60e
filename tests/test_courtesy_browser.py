"""The ledger in Chromium: htmx settles a debt in place under the strict CSP,
and the same form works with JavaScript turned off."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from goodword.accounts.services import local_user
from goodword.timeline.models import Event
from tests.factories.accounts import sign_in_browser
from tests.factories.courtesy import log
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference

pytestmark = pytest.mark.browser


def owe_a_heads_up():
    user = local_user()
    dana = make_reference(user, name="Dana Whitfield", relationship="manager")
    job = make_opportunity(user, company="Northwind", stage="references_requested", references_wanted=1)
    make_listing(job, dana)
    log(dana, "agreed", job)
    return dana


def sign_in(page, live_server):
    sign_in_browser(page, live_server)


def test_settling_from_the_ledger_removes_the_debt_without_a_page_load(page, live_server, transactional_db):
    dana = owe_a_heads_up()
    sign_in(page, live_server)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + reverse("courtesy:ledger"))
    debt = page.locator("li.debt", has_text="No heads-up")
    expect(debt).to_contain_text("Northwind asked for references")
    page.evaluate("window.__stillHere = true")
    debt.get_by_label("How").select_option("phone")
    debt.get_by_role("button", name="Log: heads-up sent").click()
    expect(page.locator("#ledger")).to_contain_text("Logged for Dana: heads-up sent.")
    expect(page.locator("li.debt", has_text="No heads-up")).to_have_count(0)
    assert page.evaluate("window.__stillHere") is True
    assert Event.objects.get(reference=dana, kind="heads_up").channel == "phone"
    assert not [text for text in errors if "Content Security Policy" in text]


def test_the_ledger_forms_work_without_javascript(chromium, live_server, transactional_db):
    owe_a_heads_up()
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server)
        page.goto(live_server.url + reverse("courtesy:ledger"))
        debt = page.locator("li.debt", has_text="No heads-up")
        debt.locator("summary").click()
        debt.get_by_role("link", name="Snooze or dismiss it").click()  # their page of their own
        page.get_by_label("Reason").fill("Northwind dropped the reference check")
        page.get_by_role("button", name="Dismiss").click()
        expect(page.locator("main")).to_contain_text("Dismissed.")
        expect(page.locator("li.debt", has_text="No heads-up")).to_have_count(0)
        page.goto(live_server.url + reverse("courtesy:hidden"))
        expect(page.locator("main")).to_contain_text("Northwind dropped the reference check")
    finally:
        context.close()


def critical_debt_on_the_dashboard(page):
    return page.locator("#ledger li.debt-critical").filter(has_text="Dana Whitfield")


def test_logging_the_heads_up_from_the_dashboard_settles_the_debt_in_place(page, live_server, transactional_db):
    dana = owe_a_heads_up()
    sign_in(page, live_server)  # lands on the dashboard
    debt = critical_debt_on_the_dashboard(page)
    expect(debt).to_have_count(1)
    page.evaluate("window.__stillHere = true")
    debt.get_by_label("How").select_option("phone")
    debt.get_by_label("Note").fill("Called her before the checker did.")
    debt.get_by_role("button", name="Log: heads-up sent").click()
    expect(critical_debt_on_the_dashboard(page)).to_have_count(0)
    assert page.evaluate("window.__stillHere") is True  # swapped by htmx, no page load
    assert Event.objects.filter(reference=dana, kind="heads_up", channel="phone").count() == 1


def test_logging_the_heads_up_from_the_dashboard_without_javascript_reloads_it_without_the_debt(
    chromium, live_server, transactional_db
):
    owe_a_heads_up()
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, live_server)
        expect(critical_debt_on_the_dashboard(page)).to_have_count(1)
        critical_debt_on_the_dashboard(page).get_by_role("button", name="Log: heads-up sent").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your search at a glance")
        expect(critical_debt_on_the_dashboard(page)).to_have_count(0)
    finally:
        context.close()
