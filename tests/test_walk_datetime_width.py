"""Walkthrough leftover: date-and-time inputs are wide enough to show the whole value and the picker."""

import pytest

from goodword.accounts.services import local_user
from tests.factories.accounts import sign_in_browser
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference

pytestmark = pytest.mark.browser

# The room the widest value needs: its text in the input's font, its padding, and the picker icon.
FITS = """input => {
  const style = getComputedStyle(input);
  const probe = document.createElement('span');
  probe.style.cssText = 'position:absolute;display:inline-block;white-space:pre;width:auto';
  probe.style.font = style.font;
  probe.textContent = '12/31/2026, 11:59 PM';
  document.body.appendChild(probe);
  const needed = probe.getBoundingClientRect().width + parseFloat(style.paddingLeft)
    + parseFloat(style.paddingRight) + 28;
  probe.remove();
  return [needed, input.clientWidth];
}"""


@pytest.mark.parametrize("width", [1280, 800, 390])
def test_every_date_and_time_input_shows_its_whole_value(chromium, live_server, transactional_db, width):
    user = local_user()
    job = make_opportunity(user, company="Acme", role="Data Engineer", stage="references_requested")
    dana = make_reference(user, name="Dana Whitfield")
    make_listing(job, dana)
    context = chromium.new_context(viewport={"width": width, "height": 900}, bypass_csp=True, locale="en-US")
    page = context.new_page()
    try:
        sign_in_browser(page, live_server)
        seen = 0
        for path in (f"/references/{dana.pk}/", f"/jobs/{job.pk}/interviews/new/"):
            page.goto(live_server.url + path)
            # The reference page's log form loads after the page (htmx): wait for its input.
            page.wait_for_selector('input[type="datetime-local"]')
            for field in page.locator('input[type="datetime-local"]').all():
                needed, room = field.evaluate(FITS)
                assert needed <= room, f"{path}: {needed:.0f}px needed, {room}px wide at {width}px"
                seen += 1
        assert seen >= 2
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()
