"""A whole browser session's server log holds no token: the sign-in link, a portal link, an employer
link and a calendar feed are each opened (and wrong ones guessed), then every log record is searched."""

import logging

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from goodword.accounts.services import issue_login_token, local_user
from goodword.lib.tokens import new_token
from goodword.portal import services as portal
from goodword.reminders import services as reminders
from goodword.sheets import services as sheets
from tests.factories.accounts import give_name
from tests.factories.portal import make_portal_setup

pytestmark = pytest.mark.browser


def test_no_token_of_a_full_browser_session_reaches_the_server_log(page, live_server, transactional_db, caplog):
    user = give_name(local_user())
    listing, portal_token = make_portal_setup(user, company="Northwind Traders")
    _link, employer_token = sheets.issue_link(listing.opportunity, employer="Northwind")
    feed_token = reminders.issue_feed_token(user)
    sign_in_token = issue_login_token(user)
    guessed = [new_token() for _ in range(3)]
    tokens = [portal_token, employer_token, feed_token, sign_in_token, *guessed]

    caplog.set_level(logging.INFO, logger="goodword.requests")  # on in hosted mode; the tests run local
    with caplog.at_level(logging.DEBUG):
        page.goto(live_server.url + reverse("accounts:token_login", args=[sign_in_token]))
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        page.goto(live_server.url + "/references/")
        page.goto(live_server.url + f"/jobs/{listing.opportunity_id}/")
        page.goto(live_server.url + reverse("accounts:token_login", args=[sign_in_token]))  # spent: 410
        page.goto(live_server.url + portal.portal_path(portal_token))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.goto(live_server.url + sheets.employer_path(employer_token))
        expect(page.get_by_text("Northwind Traders").first).to_be_visible()
        feed = page.request.get(live_server.url + reminders.feed_path(feed_token))
        assert feed.status == 200 and b"BEGIN:VCALENDAR" in feed.body()
        page.goto(live_server.url + portal.portal_path(guessed[0]))
        page.goto(live_server.url + sheets.employer_path(guessed[1]))
        assert page.request.get(live_server.url + reminders.feed_path(guessed[2])).status == 404

    records = caplog.records
    text = "\n".join(f"{record.name} {record.getMessage()} {record.exc_text or ''}" for record in records)
    request_lines = [record.getMessage() for record in records if record.name == "goodword.requests"]
    assert len(request_lines) >= 10, "the request log said nothing: this test would prove nothing"
    assert any(line.startswith("GET /r/[redacted]") for line in request_lines)
    assert any(f"user={user.pk}" in line for line in request_lines)
    for token in tokens:
        assert token not in text
