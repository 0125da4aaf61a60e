"""Hosted accounts in Chromium: sign-up by invitation, sign-in, TOTP enrolment and a two-factor sign-in,
and every account page free of serious or critical axe violations."""

import time

import pytest
from allauth.mfa.totp.internal import auth as totp
from playwright.sync_api import expect

from goodword.accounts.services import create_invitation
from tests.factories.hosted import hosted  # noqa: F401
from tests.test_slates_axe import blocking_violations

pytestmark = pytest.mark.browser

PASSWORD = "Zq8!long-passphrase"


def code_for(secret, counter):
    return totp.format_hotp_value(totp.hotp_value(secret, counter))


def test_invited_person_signs_up_turns_on_two_factor_and_signs_in_with_it(
        hosted, chromium, page, live_server, transactional_db):
    _invitation, path = create_invitation("dana@example.org")
    problems = {}

    def check(name):
        problems[name] = blocking_violations(page)

    page.goto(live_server.url + path)
    expect(page.get_by_label("Email")).to_have_value("dana@example.org")
    expect(page.get_by_label("Email")).to_have_attribute("readonly", "")
    check("sign-up")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    # A new account is asked its name before anything else.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tell us who you are")
    page.get_by_label("First name").fill("Dana")
    page.get_by_label("Last name").fill("Whitfield")
    page.get_by_role("button", name="Save").first.click()

    page.goto(live_server.url + "/settings/")
    check("settings")
    page.get_by_role("link", name="Your account").click()
    check("account")
    page.get_by_role("link", name="Two-factor authentication").click()
    check("two-factor")
    page.goto(live_server.url + "/accounts/2fa/totp/activate/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Confirm Access")
    check("reauthenticate")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    secret = page.get_by_label("Authenticator secret").input_value()
    check("activate")
    counter = int(time.time()) // 30
    page.get_by_label("Authenticator code").fill(code_for(secret, counter))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Recovery Codes")
    check("recovery codes")
    for path_, name in (("/accounts/sessions/", "sessions"), ("/accounts/email/", "email"),
                        ("/accounts/password/change/", "password"), ("/accounts/account/delete/", "delete")):
        page.goto(live_server.url + path_)
        check(name)
    page.get_by_role("button", name="Sign out").click()
    check("signed out")

    page.goto(live_server.url + "/accounts/login/")
    check("sign-in")
    page.get_by_label("Email").fill("dana@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Two-Factor Authentication")
    check("two-factor sign-in")
    # Wait for the next 30-second window: a code is accepted once.
    while int(time.time()) // 30 == counter:
        time.sleep(0.5)
    page.get_by_label("Code").fill(code_for(secret, int(time.time()) // 30))
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.context.clear_cookies()
    for path_, name in (("/accounts/password/reset/", "reset"), ("/accounts/login/code/", "login by code"),
                        ("/accounts/signup/", "sign-up closed"), (path, "used invitation")):
        page.goto(live_server.url + path_)
        check(name)
    bad = {name: found for name, found in problems.items() if found}
    assert not bad, "\n".join(f"{name}: {found}" for name, found in bad.items())
