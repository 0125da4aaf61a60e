"""Issue 9, item 6: an offer already needs the references told; thanks still wait for the landing."""

import datetime as dt

from django.urls import reverse

from goodword.courtesy.facts import Severity
from goodword.courtesy.rules import announcement_holds
from goodword.outreach import drafts
from tests.factories.courtesy import TODAY, ago, day_ago, debts, facts, listing, log, opp, ref
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference

DANA = ref(1, "Dana Whitfield", "manager")
SAM = ref(2, "Sam Ortiz", "peer")


def offered(days=1, **fields):
    return opp(stages=[("references_requested", day_ago(20)), ("offer", day_ago(days))], **fields)


def test_an_offer_owes_the_references_the_news_due_two_days_later():
    job = offered(1)
    [debt] = debts(facts([DANA], [job], [listing(DANA, job, ("agreed", ago(30)), ("heads_up", ago(25)))]),
                   "outcome_not_shared")
    assert (debt.severity, debt.action, debt.due_on) == (Severity.MEDIUM, "outcome_shared", day_ago(-1))
    assert "Northwind offered you the Platform Engineer job" in debt.why and "before you tell anyone else" in debt.why
    # No thank-you yet, however long the offer waits: thanks follow the outcome.
    long_offer = offered(20)
    assert debts(facts([DANA], [long_offer], [listing(DANA, long_offer, ("agreed", ago(30)))]), "not_thanked") == []


def test_an_offer_holds_the_announcement_until_everyone_who_took_part_is_told():
    job = offered(1)
    rows = [listing(DANA, job, ("agreed", ago(30))), listing(SAM, job, ("agreed", ago(30)))]
    [(held, untold)] = announcement_holds(facts([DANA, SAM], [job], rows))
    assert held.id == job.id and [r.name for r in untold] == ["Dana Whitfield", "Sam Ortiz"]
    told = [listing(r, job, ("agreed", ago(30)), ("outcome_shared", ago(0))) for r in (DANA, SAM)]
    assert announcement_holds(facts([DANA, SAM], [job], told)) == []


def test_news_told_at_the_offer_still_counts_when_the_offer_becomes_the_landing():
    job = opp(stages=[("references_requested", day_ago(20)), ("offer", day_ago(12)), ("landed", day_ago(10))])
    row = listing(DANA, job, ("agreed", ago(30)), ("outcome_shared", ago(11)))
    assert debts(facts([DANA], [job], [row]), "outcome_not_shared") == []
    assert announcement_holds(facts([DANA], [job], [row])) == []
    # Thanks follow the landing, as before.
    [thanks] = debts(facts([DANA], [job], [row]), "not_thanked")
    assert thanks.due_on == day_ago(10) + dt.timedelta(days=7)
    # Turning the offer down is news again: told of the offer, they still hear how it ended.
    turned_down = opp(stages=[("references_requested", day_ago(20)), ("offer", day_ago(12)), ("declined", day_ago(2))])
    [debt] = debts(facts([DANA], [turned_down], [listing(DANA, turned_down, ("agreed", ago(30)),
                                                           ("outcome_shared", ago(11)))]), "outcome_not_shared")
    assert "you turned down Northwind's offer" in debt.why


def test_an_untold_offer_that_became_a_landing_is_due_from_the_offer():
    job = opp(stages=[("references_requested", day_ago(20)), ("offer", day_ago(12)), ("landed", day_ago(1))])
    [debt] = debts(facts([DANA], [job], [listing(DANA, job, ("agreed", ago(30)))]), "outcome_not_shared")
    assert debt.due_on == day_ago(10)


def test_an_offer_announced_before_telling_them_is_critical():
    job = offered(3, announced_on=TODAY)
    [debt] = debts(facts([DANA], [job], [listing(DANA, job, ("agreed", ago(30)))]), "outcome_not_shared")
    assert debt.severity == Severity.CRITICAL


def test_the_dashboard_holds_the_announcement_from_the_offer_with_one_click_to_tell_them(alice, alice_client):
    job = make_opportunity(alice, company="Northwind", role="Platform Engineer", stage="offer")
    for name in ("Dana Whitfield", "Sam Ortiz"):
        reference = make_reference(alice, name=name, emails=[f"{name.split()[0].lower()}@example.com"])
        make_listing(job, reference)
        log(reference, "agreed", job)
    page = alice_client.get(reverse("core:home")).content.decode()
    assert "Hold the announcement: tell your 2 references first" in page
    assert "Northwind</bdi> made you an offer" in page and "<bdi>Sam Ortiz</bdi>" in page
    tell_them = reverse("outreach:slate", args=[job.pk]) + "?kind=outcome"
    assert f'href="{tell_them}"' in page
    slate = alice_client.get(tell_them)
    assert slate.status_code == 200 and slate.context["kind"] == "outcome"
    assert "Northwind has offered me the Platform Engineer role" in slate.content.decode()


def test_the_outcome_draft_at_an_offer_tells_of_the_offer(alice):
    dana = make_reference(alice, name="Dana Whitfield")
    job = make_opportunity(alice, company="Northwind", role="Platform Engineer", stage="offer")
    friendly = drafts.make_draft(alice, "outcome", dana, job)
    assert friendly.subject == "Good news: an offer from Northwind"
    assert "hear from me first: Northwind has offered me the Platform Engineer role" in friendly.body
    formal = drafts.make_draft(alice, "outcome", dana, job, "formal")
    assert "has offered me the position of Platform Engineer" in formal.body
