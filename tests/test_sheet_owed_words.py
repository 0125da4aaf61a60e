"""Courtesies owed outside a listing: a call the candidate didn't list, a letter reused."""

import datetime as dt

from django.utils import timezone

from goodword.courtesy.ledger import build_ledger
from goodword.sheets import backdoor
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event


def owed(user, rule):
    return [debt for debt in build_ledger(user).open if debt.rule == rule]


def test_an_unlisted_call_is_owed_thanks_at_once_until_the_candidate_thanks_them(alice):
    dana = make_reference(alice, name="Dana Whitfield")
    backdoor.report_call(dana, employer="Initrode", asked="Why she left")
    [debt] = owed(alice, "unlisted_call")
    assert debt.severity.label == "high" and debt.due_on == timezone.localdate()
    assert "Initrode" in debt.why and debt.action == "thanked"
    make_event(dana, "thanked")
    assert owed(alice, "unlisted_call") == []


def test_a_thank_you_from_before_the_call_does_not_settle_it(alice):
    dana = make_reference(alice, name="Dana Whitfield")
    make_event(dana, "thanked", occurred_at=timezone.now() - dt.timedelta(days=3))
    backdoor.report_call(dana, employer="Initrode")
    assert len(owed(alice, "unlisted_call")) == 1


def test_a_call_from_the_employer_they_were_listed_for_is_not_a_backdoor_call(alice):
    opportunity = make_opportunity(alice, company="Acme", stage="interviewing")
    dana = make_reference(alice, name="Dana Whitfield")
    make_listing(opportunity, dana)
    backdoor.report_call(dana, employer="Acme Inc")
    assert owed(alice, "unlisted_call") == []


def test_a_reused_letter_asks_the_candidate_to_tell_the_writer(alice):
    opportunity = make_opportunity(alice, company="Globex")
    dana = make_reference(alice, name="Dana Whitfield")
    make_event(dana, "letter_reused", opportunity=opportunity)
    [debt] = owed(alice, "letter_reused")
    assert debt.severity.label == "medium" and "Globex" in debt.why
    make_event(dana, "keep_in_touch")
    assert owed(alice, "letter_reused") == []
