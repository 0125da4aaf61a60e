"""Issue 9, item 1 in a real browser: the first sign-in asks who you are, without JavaScript too."""

import pytest
from playwright.sync_api import expect

from goodword.accounts.models import Profile
from goodword.accounts.services import issue_login_token, local_user

pytestmark = pytest.mark.browser


def test_first_sign_in_asks_who_you_are_then_opens_the_dashboard_without_javascript(chromium, live_server,
                                                                                     transactional_db):
    from django.urls import reverse

    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(live_server.url + reverse("accounts:token_login", args=[issue_login_token(local_user())]))
        expect(page.get_by_role("heading", level=1)).to_have_text("Tell us who you are")
        page.get_by_label("First name").fill("me")
        page.get_by_role("button", name="Save and continue").click()
        expect(page.get_by_role("alert")).to_contain_text("Please check")
        page.get_by_label("First name").fill("Sam")
        page.get_by_label("Last name").fill("Rivera")
        page.get_by_label("Your email").fill("sam@example.org")
        page.get_by_label("Your phone").fill("+1 555 0100")
        page.get_by_role("button", name="Save and continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your search at a glance")
        expect(page.get_by_text("Thank you, Sam.")).to_be_visible()
    finally:
        context.close()
    me = local_user()
    assert me.get_full_name() == "Sam Rivera" and Profile.objects.for_user(me).get().phone == "+1 555 0100"
