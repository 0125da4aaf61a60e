"""In Chromium: the ledger acts on whole slates in few clicks (counted and
printed), and every htmx action refreshes the badge and the page's debts
without a reload."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from goodword.accounts.services import local_user
from goodword.outreach.models import OutboxMessage
from goodword.timeline.models import Event
from tests.factories.accounts import sign_in_browser
from tests.factories.courtesy import log
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.outreach import free_port, make_smtp_settings
from tests.factories.references import make_reference

pytestmark = pytest.mark.browser

NAMES = ["Dana Whitfield", "Priya Venkataraman", "Marcus Oyelaran"]


def slate_of_three(stage="references_requested", *, told=()):
    """Acme's three references, all agreed; `told` lists the event kinds each has had since."""
    user = local_user()
    job = make_opportunity(user, company="Acme", role="Data Engineer", stage=stage)
    refs = []
    for n, name in enumerate(NAMES):
        ref = make_reference(user, name=name, relationship="manager" if n == 0 else "peer",
                             emails=[f"{name.split()[0].lower()}@example.com"], preferred_channel="email")
        make_listing(job, ref)
        log(ref, "agreed", job)
        for kind in told:
            log(ref, kind, job)
        refs.append(ref)
    return job, refs


class Clicks:
    """Counts the clicks a task takes; choosing from a menu is counted apart."""

    def __init__(self, task):
        self.task, self.count, self.choices = task, 0, 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def choose(self, locator, value):
        self.choices += 1
        locator.select_option(value)

    def report(self, extra=""):
        print(f"\nFRICTION {self.task}: {self.count} click(s)"
              f"{f' after {self.choices} choice(s)' if self.choices else ''}{extra}")


def badge(page):
    return page.locator("#due-badge")


def test_warning_a_whole_slate_from_the_ledger_takes_two_clicks_with_smtp(page, live_server, transactional_db):
    job, refs = slate_of_three()
    make_smtp_settings(local_user(), free_port())
    sign_in_browser(page, live_server)
    page.goto(live_server.url + reverse("courtesy:ledger"))
    clicks = Clicks("every listed reference of a 3-reference slate warned, SMTP set up")
    group = page.locator(".debt-group", has_text="3 need a heads-up")
    clicks.click(group.get_by_role("link", name="Send all three heads-ups"))
    for name in NAMES:
        expect(page.get_by_role("checkbox", name=name)).to_be_checked()
    clicks.click(page.get_by_role("button", name="Send all ticked by email"))
    expect(page.locator("main")).to_contain_text("Queued 3 messages")
    expect(page.get_by_role("heading", level=1)).to_have_text("What you owe")  # back where it started
    clicks.report()
    assert clicks.count == 2
    assert OutboxMessage.objects.filter(opportunity=job, kind="heads_up").count() == 3


def test_warning_a_whole_slate_without_smtp_takes_two_clicks_in_goodword(page, live_server, transactional_db):
    job, refs = slate_of_three()
    sign_in_browser(page, live_server)
    page.goto(live_server.url + reverse("courtesy:ledger"))
    clicks = Clicks("every listed reference of a 3-reference slate warned, no SMTP")
    clicks.click(page.get_by_role("link", name="Send all three heads-ups"))
    # The drafts go out from the mail program, one "Open in my mail program" link each (not counted here).
    expect(page.get_by_role("link", name="Open in my mail program")).to_have_count(3)
    clicks.click(page.get_by_role("button", name="I sent them myself: mark all ticked as sent"))
    expect(page.locator("main")).to_contain_text("Logged 3 messages as sent.")
    expect(page.locator(".debt-group")).to_have_count(0)
    expect(badge(page)).not_to_contain_text("open debts")
    clicks.report(" in Goodword, plus one 'Open in my mail program' per reference")
    assert clicks.count <= 3
    assert Event.objects.filter(opportunity=job, kind="heads_up").count() == 3


def test_a_phone_heads_up_from_the_ledger_is_one_click_after_choosing_the_channel(page, live_server, transactional_db):
    user = local_user()
    job = make_opportunity(user, company="Acme", role="Data Engineer", stage="references_requested",
                           references_wanted=1)
    dana = make_reference(user, name="Dana Whitfield", preferred_channel="email")
    make_listing(job, dana)
    log(dana, "agreed", job)
    sign_in_browser(page, live_server)
    page.goto(live_server.url + reverse("courtesy:ledger"))
    clicks = Clicks("a phone heads-up for one reference, from the ledger")
    debt = page.locator("li.debt", has_text="No heads-up")
    clicks.choose(debt.get_by_label("How"), "phone")
    clicks.click(debt.get_by_role("button", name="Log: heads-up sent"))
    expect(page.locator("li.debt", has_text="No heads-up")).to_have_count(0)
    expect(badge(page)).not_to_contain_text("open debts")  # refreshed out of band
    clicks.report()
    assert clicks.count == 1
    assert Event.objects.get(reference=dana, kind="heads_up").channel == "phone"


def test_a_phone_heads_up_from_the_slate_row_is_one_click_after_choosing_the_channel(page, live_server, transactional_db):
    job, (dana, *_rest) = slate_of_three()
    sign_in_browser(page, live_server)
    page.goto(live_server.url + job.get_absolute_url())
    expect(badge(page)).to_contain_text("3")
    clicks = Clicks("a phone heads-up for one reference, from the opportunity's slate row")
    row = page.locator(".slate-row", has_text="Dana Whitfield")
    expect(row.get_by_label("What happened")).to_have_value("heads_up")  # what she owes, offered first
    clicks.choose(row.get_by_label("How"), "phone")
    page.evaluate("window.__stillHere = true")
    clicks.click(row.get_by_role("button", name="Log it for Dana Whitfield"))
    expect(page.locator("#slate")).to_contain_text("Logged “Heads-up sent” with Dana Whitfield.")
    expect(badge(page)).to_contain_text("2")
    expect(page.locator("#own-debts li.debt")).to_have_count(2)
    assert page.evaluate("window.__stillHere") is True
    clicks.report()
    assert clicks.count == 1
    assert Event.objects.get(reference=dana, kind="heads_up").channel == "phone"


def test_the_outcome_to_the_whole_slate_takes_two_clicks_from_the_hold_banner(page, live_server, transactional_db):
    job, refs = slate_of_three("offer", told=["heads_up"])
    make_smtp_settings(local_user(), free_port())
    sign_in_browser(page, live_server)
    page.goto(live_server.url + reverse("core:home"))
    clicks = Clicks("the outcome to everyone on the slate, from the hold banner")
    expect(page.locator("main")).to_contain_text("Hold the announcement")
    clicks.click(page.get_by_role("link", name="Tell them the Acme news"))
    expect(page.get_by_label("Kind")).to_have_value("outcome")
    for name in NAMES:
        expect(page.get_by_role("checkbox", name=name)).to_be_checked()
    clicks.click(page.get_by_role("button", name="Send all ticked by email"))
    expect(page.locator("main")).to_contain_text("Queued 3 messages")
    clicks.report()
    assert clicks.count == 2
    assert OutboxMessage.objects.filter(opportunity=job, kind="outcome").count() == 3


def test_every_htmx_change_refreshes_the_badge_and_the_pages_debts_without_a_reload(page, live_server, transactional_db):
    user = local_user()
    job = make_opportunity(user, company="Acme", role="Data Engineer", stage="interviewing", references_wanted=1)
    dana = make_reference(user, name="Dana Whitfield", relationship="manager", preferred_channel="phone")
    priya = make_reference(user, name="Priya Venkataraman", relationship="peer")
    make_listing(job, dana)
    log(dana, "agreed", job)
    sign_in_browser(page, live_server)
    page.goto(live_server.url + job.get_absolute_url())
    page.evaluate("window.__stillHere = true")
    own = page.locator("#own-debts li.debt")
    expect(own).to_have_count(0)
    expect(badge(page)).not_to_contain_text("open debts")

    # A stage change: references requested, Dana has had no heads-up.
    stage = page.locator("#stage")
    stage.get_by_label("New stage").select_option("references_requested")
    stage.get_by_role("button", name="Change stage").click()
    expect(own).to_have_count(1)
    expect(page.locator("#own-debts")).to_contain_text("No heads-up")
    expect(badge(page)).to_contain_text("1 open debts")

    # A slate change: Priya listed without being asked.
    slate = page.locator("#slate")
    slate.get_by_label("Reference to add").select_option(str(priya.pk))
    slate.get_by_role("button", name="Add to the slate").click()
    expect(page.locator("#own-debts")).to_contain_text("Listed without permission")
    expect(badge(page)).to_contain_text("3 open debts")  # and she has had no heads-up either

    # A move changes no debt, and breaks nothing.
    slate.get_by_role("button", name="move Priya Venkataraman up").click()
    expect(page.locator("#slate")).to_contain_text("Moved Priya Venkataraman up.")
    expect(badge(page)).to_contain_text("3 open debts")

    # A slate-row log: Priya agreed.
    row = page.locator(".slate-row", has_text="Priya Venkataraman")
    row.get_by_label("What happened").select_option("agreed")
    row.get_by_role("button", name="Log it for Priya Venkataraman").click()
    expect(page.locator("#own-debts")).not_to_contain_text("Listed without permission")
    expect(badge(page)).to_contain_text("2 open debts")  # two heads-ups still owed

    # Removing her from the slate settles hers.
    page.locator(".slate-row", has_text="Priya Venkataraman").get_by_role("button", name="Remove").click()
    expect(own).to_have_count(1)
    expect(badge(page)).to_contain_text("1 open debts")
    assert page.evaluate("window.__stillHere") is True

    # A logged event on the reference's page.
    page.goto(live_server.url + dana.get_absolute_url())
    page.evaluate("window.__stillHere = true")
    expect(page.locator("#own-debts li.debt")).to_have_count(1)
    form = page.locator("#timeline form")
    form.get_by_label("What happened").select_option("heads_up")
    form.get_by_label("Opportunity").select_option(str(job.pk))
    form.get_by_role("button", name="Log it").click()
    expect(page.locator("#own-debts li.debt")).to_have_count(0)
    expect(badge(page)).not_to_contain_text("open debts")
    assert page.evaluate("window.__stillHere") is True


def test_snooze_and_dismiss_on_the_dashboard_refresh_the_badge(page, live_server, transactional_db):
    slate_of_three()
    sign_in_browser(page, live_server)
    expect(badge(page)).to_contain_text("3 open debts")
    debt = page.locator("li.debt", has_text="Dana Whitfield")
    debt.locator("summary").click()
    debt.get_by_role("button", name="Snooze").click()
    expect(badge(page)).to_contain_text("2 open debts")
    debt = page.locator("li.debt", has_text="Priya Venkataraman")
    debt.locator("summary").click()
    debt.get_by_label("Reason").fill("She was told in person")
    debt.get_by_role("button", name="Dismiss").click()
    expect(badge(page)).to_contain_text("1 open debts")
    expect(page.locator("#ledger li.debt")).to_have_count(1)


def test_the_slate_row_and_the_slate_compose_work_without_javascript(chromium, live_server, transactional_db):
    job, (dana, *_rest) = slate_of_three()
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in_browser(page, live_server)
        page.goto(live_server.url + job.get_absolute_url())
        page.locator(".slate-row", has_text="Dana Whitfield").get_by_role("button", name="Log it for Dana Whitfield").click()
        expect(page.locator("main")).to_contain_text("Logged “Heads-up sent” with Dana Whitfield.")
        page.get_by_role("link", name="Write to everyone on the slate").click()
        expect(page.get_by_role("checkbox", name="Dana Whitfield")).not_to_be_checked()  # done already
        page.get_by_role("button", name="I sent them myself: mark all ticked as sent").click()
        expect(page.locator("main")).to_contain_text("Logged 2 messages as sent.")
        assert Event.objects.filter(opportunity=job, kind="heads_up").count() == 3
    finally:
        context.close()


TEXT_FITS = """select => {
  const style = getComputedStyle(select);
  const probe = document.createElement("span");
  probe.style.font = style.font;
  probe.style.whiteSpace = "pre";
  probe.style.position = "absolute";
  probe.textContent = select.options[select.selectedIndex].text;
  document.body.appendChild(probe);
  const needed = probe.getBoundingClientRect().width;
  probe.remove();
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;  // the arrow
  return [needed, room];
}"""


@pytest.mark.parametrize("width", [1280, 800])
def test_the_compose_choices_show_their_whole_option_text(chromium, live_server, transactional_db, width):
    user = local_user()
    job = make_opportunity(user, company="Juniper Grove Software", role="Platform Consultant (3-month contract)")
    dana = make_reference(user, name="Dana Whitfield", organisation="Larkspur Analytics")
    context = chromium.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    try:
        sign_in_browser(page, live_server)
        page.goto(live_server.url + reverse("outreach:compose") + f"?kind=letter&ref={dana.pk}&job={job.pk}")
        for label in ("Kind", "Reference", "Opportunity", "Tone"):
            needed, room = page.locator(".compose-choose").get_by_label(label).evaluate(TEXT_FITS)
            assert needed <= room, f"{label}: {needed:.0f}px of text in {room:.0f}px at {width}px wide"
    finally:
        context.close()
