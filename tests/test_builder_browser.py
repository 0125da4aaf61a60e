"""In Chromium: the slate builder's panel loads after the opportunity page without moving the reader."""

import pytest
from playwright.sync_api import expect

from goodword.accounts.services import local_user
from tests.factories.accounts import sign_in_browser
from tests.factories.opportunities import make_opportunity
from tests.factories.references import make_reference

pytestmark = pytest.mark.browser

POSTING = "- Kafka and event-driven systems\n- On-call ownership\n- Mentoring engineers\n" * 3


def test_the_opportunity_page_stays_at_the_top_while_its_suggestion_loads(page, live_server, transactional_db):
    user = local_user()
    job = make_opportunity(user, company="Northwind", role="Platform Engineer", posting_text=POSTING)
    for n in range(4):
        make_reference(user, name=f"Reference {n}", relationship="manager" if n == 0 else "peer",
                       vouches_for=["Kafka", "On-call"])
    sign_in_browser(page, live_server)
    page.goto(live_server.url + job.get_absolute_url())
    expect(page.locator("#builder")).to_contain_text("List the ticked ones in this order")  # loaded by htmx
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.scrollY") == 0
    assert page.evaluate("document.activeElement === document.body")
