"""The employer link: open → event → critical debts → notification; expired, revoked,
another opportunity's, malformed, throttled; references checked; letters only through it."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from goodword.courtesy.ledger import build_ledger
from goodword.portal import services as portal
from goodword.sheets import backdoor, services
from goodword.sheets.models import EmployerNotice
from goodword.timeline.models import Event
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event


@pytest.fixture
def job(alice):
    opportunity = make_opportunity(alice, company="Acme", stage="interviewing")
    for name in ("Dana Whitfield", "Sam Okafor"):
        reference = make_reference(alice, name=name)
        make_listing(opportunity, reference)
        make_event(reference, "agreed", opportunity=opportunity)
    return opportunity


def _open(token, path="", client=None):
    return (client or Client()).get(f"/e/{token}/{path}")


def test_opening_the_link_records_an_event_makes_heads_ups_due_now_and_notifies(job, alice):
    _link, token = services.issue_link(job, employer="Acme HR")
    response = _open(token)
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer" and response["Cache-Control"] == "no-store"
    assert "noindex" in response["X-Robots-Tag"]
    assert "Dana Whitfield" in response.content.decode()
    opened = Event.objects.filter(opportunity=job, kind="sheet_opened")
    assert opened.count() == 2 and opened.first().note.startswith("Acme HR opened your reference sheet")
    debts = [d for d in build_ledger(alice).open if d.rule == "no_heads_up"]
    assert len(debts) == 2 and all(d.severity.label == "critical" for d in debts)
    assert all("they may call today" in d.why and d.due_on == timezone.localdate() for d in debts)
    assert EmployerNotice.objects.filter(owner=alice, text__startswith="Acme HR opened your reference sheet").exists()
    home = Client()
    home.force_login(alice)
    assert "Acme HR opened your reference sheet" in home.get("/").content.decode()


def test_a_download_is_recorded_but_a_reload_in_the_same_visit_is_not_repeated(job):
    _link, token = services.issue_link(job)
    _open(token)
    _open(token)
    assert Event.objects.filter(opportunity=job, kind="sheet_opened").count() == 2
    pdf = _open(token, "sheet.pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    assert Event.objects.filter(opportunity=job, kind="sheet_opened", note__contains="(PDF)").count() == 2


def test_the_employer_marks_references_checked_and_the_listings_move_on(job, alice):
    _link, token = services.issue_link(job)
    client = Client()
    page = client.get(f"/e/{token}/")
    assert page.status_code == 200
    response = client.post(f"/e/{token}/", {"action": "checked"})
    assert response.status_code == 302
    assert Event.objects.filter(opportunity=job, kind="references_checked").count() == 2
    from goodword.opportunities.services import slate_with_states

    assert {state for _listing, state in slate_with_states(job)} == {"references_checked"}


@pytest.mark.parametrize("case", ["expired", "revoked", "reissued"])
def test_a_dead_link_answers_410_and_records_nothing(job, case):
    link, token = services.issue_link(job)
    if case == "expired":
        link.expires_at = timezone.now() - dt.timedelta(seconds=1)
        link.save()
    elif case == "revoked":
        services.revoke(job)
    else:
        services.issue_link(job)
    assert _open(token).status_code == 410
    assert _open(token, "sheet.pdf").status_code == 410
    assert not Event.objects.filter(kind="sheet_opened").exists()


def test_a_link_shows_only_its_own_opportunity(job, alice):
    other = make_opportunity(alice, company="Globex")
    reference = make_reference(alice, name="Only Globex")
    make_listing(other, reference)
    make_event(reference, "agreed", opportunity=other)
    _link, token = services.issue_link(job)
    body = _open(token).content.decode()
    assert "Only Globex" not in body and "Dana Whitfield" in body


def test_malformed_and_unknown_tokens_are_404_and_throttled(job):
    client = Client()
    for bad in ("short", "x" * 43, "!" * 43):
        assert client.get(f"/e/{bad}/").status_code == 404
    for _ in range(portal.MISS_LIMIT):
        client.get(f"/e/{'y' * 43}/")
    _link, token = services.issue_link(job)
    throttled = client.get(f"/e/{token}/")
    assert throttled.status_code == 429 and throttled["Retry-After"]


def test_only_the_hash_of_the_token_is_stored(job):
    link, token = services.issue_link(job)
    assert token not in link.token_hash and len(link.token_hash) == 64


def test_issuing_a_link_sends_the_sheet(job, alice):
    services.issue_link(job)
    assert Event.objects.filter(opportunity=job, kind="sheet_sent").count() == 2


def test_a_call_from_an_employer_that_never_had_them_raises_an_event_and_a_notice(job, alice):
    dana = job.listings.first().reference
    event = backdoor.report_call(dana, employer="Initrode", asked="Why did she leave?")
    assert event.kind == "backdoor_call" and "Why did she leave?" in event.note
    assert EmployerNotice.objects.filter(owner=alice, text__contains="Initrode").exists()
    listed = backdoor.report_call(dana, employer="acme")
    assert listed.kind == "employer_contacted" and listed.opportunity == job


def test_a_reference_reports_an_unlisted_call_through_their_portal_link(alice):
    listing, token = __import__("tests.factories.portal", fromlist=["x"]).make_portal_setup(alice)
    client = Client()
    page = client.get(f"/r/{token}/letter/")
    assert page.status_code == 200
    response = client.post(f"/r/{token}/letter/", {"form": "backdoor", "employer": "Umbrella Corp",
                                                   "listed": "no", "asked": "Leadership"})
    assert response.status_code == 302
    assert Event.objects.filter(reference=listing.reference, kind="backdoor_call").exists()


def test_a_standing_link_takes_reports_until_it_is_revoked(alice, alice_client):
    dana = make_reference(alice, name="Dana Whitfield")
    page = alice_client.post(f"/sheets/references/{dana.pk}/standing/", {"action": "issue"})
    # A signed-in page: private as every one (goodword/core/middleware.py), and never stored.
    assert page.status_code == 200 and set(page["Cache-Control"].split(", ")) == {"no-store", "private"}
    url = page.context["url"]
    path = url[url.index("/k/"):]
    visitor = Client()
    form = visitor.get(path)
    assert form.status_code == 200 and form["Referrer-Policy"] == "no-referrer"
    assert visitor.post(path, {"employer": "Initrode", "listed": "no", "asked": "Team size"}).status_code == 302
    assert Event.objects.filter(reference=dana, kind="backdoor_call", note__contains="Team size").exists()
    assert EmployerNotice.objects.filter(owner=alice, text__contains="Initrode").exists()
    alice_client.post(f"/sheets/references/{dana.pk}/standing/", {"action": "revoke"})
    assert visitor.get(path).status_code == 410
    assert visitor.get("/k/" + "z" * 43 + "/").status_code == 404


def test_an_employer_visit_is_emailed_when_the_candidate_set_up_smtp(job, alice):
    from goodword.outreach.models import OutboxMessage
    from tests.factories.outreach import free_port, make_smtp_settings

    alice.email = "alice@example.com"
    alice.save()
    _link, token = services.issue_link(job, employer="Acme HR")
    _open(token)
    assert not OutboxMessage.objects.filter(kind="employer_notice").exists()  # no SMTP: the dashboard only
    make_smtp_settings(alice, free_port())
    _open(token, "sheet.docx")
    [mail] = OutboxMessage.objects.filter(kind="employer_notice")
    assert mail.to_address == "alice@example.com" and "Acme HR downloaded your reference sheet" in mail.subject
