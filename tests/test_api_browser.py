"""/api/docs in Chromium: Swagger UI from Goodword's own static files renders under the app's CSP,
and its "Try it out" reaches the API with the session (and CSRF) of the signed-in user."""

import pytest
from playwright.sync_api import expect

from goodword.accounts.services import local_user
from tests.factories.accounts import sign_in_browser
from tests.factories.references import make_reference

pytestmark = pytest.mark.browser


def test_the_interactive_docs_render_under_the_csp_without_any_cdn(page, live_server, transactional_db):
    sign_in_browser(page, live_server)
    make_reference(local_user(), name="Morgan Ellis")
    errors, outside = [], []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:") else None)
    response = page.goto(live_server.url + "/api/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_text("Goodword API").first).to_be_visible()
    operation = page.locator(".opblock", has_text="/api/v1/references").first
    expect(operation).to_be_visible()
    operation.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").first.click()
    page.get_by_role("button", name="Execute").first.click()
    expect(page.locator(".responses-wrapper .live-responses-table").first).to_contain_text("Morgan Ellis")
    assert not [text for text in errors if "Content Security Policy" in text or "Refused" in text], errors
    assert not outside, outside


def test_the_settings_page_makes_a_token_in_the_browser(page, live_server, transactional_db):
    sign_in_browser(page, live_server)
    page.goto(live_server.url + "/settings/")
    section = page.locator("#api-tokens")
    section.get_by_label("Name").fill("job tracker")
    section.get_by_label("Read only").check()
    section.get_by_role("button", name="Make a token").click()
    token = page.get_by_label("Token (read only)").input_value()
    assert token.startswith("gwp_")
    page.goto(live_server.url + "/settings/")
    expect(page.locator("#api-tokens")).to_contain_text("job tracker")
    assert token not in page.content()


def test_the_interactive_docs_pass_axe_but_for_swagger_uis_nested_buttons(page, live_server, transactional_db):
    from tests.test_slates_axe import blocking_violations

    sign_in_browser(page, live_server)
    page.goto(live_server.url + "/api/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    # Left: Swagger UI's own markup puts a button inside each operation's summary button
    # (nested-interactive); Goodword's template and stylesheet fix the language and the contrast.
    left = [violation for violation in blocking_violations(page)
            if not (violation.startswith("nested-interactive") and ".opblock-summary-control" in violation)]
    assert left == []
