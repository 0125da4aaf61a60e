"""Every page, with the demo loaded, passes axe-core (axe-playwright-python)
without a serious or critical violation, signed in and signed out."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from goodword.accounts.services import local_user
from goodword.core.demo import load_demo
from goodword.opportunities.models import Listing, Opportunity
from goodword.outreach import outbox
from goodword.portal.services import issue_link, portal_path
from goodword.references.models import Reference
from goodword.sheets.backdoor import issue_standing_link, standing_path
from goodword.sheets.services import employer_path
from goodword.sheets.services import issue_link as issue_employer_link
from tests.factories.accounts import sign_in_browser
from tests.factories.outreach import free_port, make_smtp_settings

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
LONG_MESSAGE = "\n\n".join(f"Paragraph {n}: thank you again for everything you did during the search." * 3
                           for n in range(40))


# axe-core's default set, plus an experimental rule the issue saw fail (a visible
# label that the accessible name does not contain, from an aria-label).
OPTIONS = {"resultTypes": ["violations"], "rules": {"label-content-name-mismatch": {"enabled": True}}}


def blocking_violations(page) -> list[str]:
    # Sections that load themselves after the page (htmx "load") are checked as they settle.
    page.wait_for_load_state("networkidle")
    results = Axe().run(page, options=OPTIONS)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                    for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


def signed_in_pages(user) -> list[str]:
    dana = Reference.objects.for_user(user).get(name="Dana Whitfield")
    northwind = Opportunity.objects.for_user(user).get(company="Northwind Traders")
    listing = Listing.objects.for_user(user).filter(opportunity=northwind).first()
    interview = northwind.interviews.first()
    # A long message on Dana's timeline and in the outbox (SMTP set up, so the send buttons show too).
    make_smtp_settings(user, free_port())
    outbox.record_sent_by_hand(user, dana, kind="keep_in_touch", subject="Thank you", text=LONG_MESSAGE)
    message = outbox.queue_message(user, dana, kind="heads_up", opportunity=northwind, subject="Northwind",
                                   text=LONG_MESSAGE)
    pages = [
        reverse("core:home"),
        reverse("courtesy:ledger"), reverse("courtesy:ledger") + "?all=1", reverse("courtesy:hidden"),
        reverse("courtesy:chart"),
        reverse("courtesy:settings"),
        reverse("references:list"), reverse("references:create"),
        dana.get_absolute_url(), reverse("references:edit", args=[dana.pk]), reverse("references:delete", args=[dana.pk]),
        reverse("opportunities:list"), reverse("opportunities:create"),
        northwind.get_absolute_url(), reverse("opportunities:edit", args=[northwind.pk]),
        reverse("opportunities:delete", args=[northwind.pk]),
        reverse("opportunities:interview_create", args=[northwind.pk]),
        reverse("outreach:compose"),
        reverse("outreach:compose") + f"?kind=heads_up&ref={dana.pk}&job={northwind.pk}",
        reverse("outreach:slate", args=[northwind.pk]),
        reverse("outreach:slate", args=[northwind.pk]) + "?kind=outcome&next=/",
        reverse("outreach:outbox"), message.get_absolute_url(),
        reverse("core:settings"), reverse("accounts:profile"), reverse("outreach:smtp"), reverse("outreach:templates"),
        reverse("outreach:template_edit", args=["thanks", "friendly"]), reverse("reminders:settings"),
        reverse("portal:manage", args=[listing.pk]),
        reverse("sheets:sheet", args=[northwind.pk]), reverse("sheets:print", args=[northwind.pk]),
        reverse("sheets:standing", args=[dana.pk]),
        reverse("opportunities:synonyms"), reverse("opportunities:synonyms") + f"?next={northwind.get_absolute_url()}",
        reverse("api:tokens"),
    ]
    from goodword.api.services import create_token, revoke_token

    create_token(user, "job tracker")  # the settings page's token table: one in use, one revoked
    revoke_token(create_token(user, "old script", read_only=True)[0])
    from pathlib import Path

    from goodword.transfer.models import ImportUpload

    fixtures = Path(__file__).parent / "fixtures" / "import"
    vcard = ImportUpload.objects.create(owner=user, filename="iphone.vcf", format="vcard",
                                        data=(fixtures / "iphone.vcf").read_bytes())
    unknown = ImportUpload.objects.create(owner=user, filename="unknown_columns.csv", format="csv",
                                          data=(fixtures / "unknown_columns.csv").read_bytes())
    pages += [reverse("transfer:upload"), reverse("transfer:preview", args=[vcard.pk]),
              reverse("transfer:preview", args=[unknown.pk])]
    if interview is not None:
        pages.append(reverse("opportunities:interview_edit", args=[interview.pk]))
    pages += [reverse("opportunities:list") + f"?stage={stage}" for stage in
              ("lead", "applied", "interviewing", "references_requested", "offer", "landed", "rejected")]
    event = dana.events.first()
    pages.append(reverse("timeline:delete", args=[event.pk]))
    from goodword.webhooks import services as webhooks

    hook, _secret = webhooks.create_endpoint(user, "https://hooks.example.org/goodword", ["debt.critical", "portal.answered"])
    webhooks.send_test(user, hook.pk)
    pages += [reverse("webhooks:index"), reverse("webhooks:endpoint", args=[hook.pk])]
    return pages


def test_every_page_has_no_serious_or_critical_axe_violation(chromium, page, live_server, transactional_db):
    user = local_user()
    load_demo(user)
    pages = signed_in_pages(user)
    listing = Listing.objects.for_user(user).filter(opportunity__company="Northwind Traders").first()
    _link, token = issue_link(listing)
    _employer_link, employer_token = issue_employer_link(listing.opportunity)
    _standing_link, standing_token = issue_standing_link(listing.reference)
    sign_in_browser(page, live_server)
    found = {}
    for path in pages:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        found[path] = blocking_violations(page)
    # The public pages, signed out: sign-in, the reference's portal page, a page that is not there.
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    visitor = context.new_page()
    try:
        for path, status in ((reverse("accounts:login"), 200), (portal_path(token), 200), ("/no-such-page/", 404),
                             (portal_path(token) + "letter/", 200), (employer_path(employer_token), 200),
                             (standing_path(standing_token), 200)):
            response = visitor.goto(live_server.url + path)
            assert response.status == status, path
            found[path] = blocking_violations(visitor)
        page.goto(live_server.url + "/jobs/999999/")
        found["404 signed in"] = blocking_violations(page)
    finally:
        context.close()
    print(f"\nAXE: {len(found)} pages checked, "
          f"{sum(len(v) for v in found.values())} serious or critical violations")
    problems = {path: problems for path, problems in found.items() if problems}
    assert not problems, "\n".join(f"{path}: {items}" for path, items in problems.items())
