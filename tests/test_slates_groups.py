"""The ledger grouped as the candidate acts on it: one group per opportunity
(or per reference where no opportunity applies), one slate-wide action each."""

import datetime as dt

from goodword.courtesy.facts import Debt, Severity
from goodword.courtesy.groups import group_debts, summary
from goodword.outreach.models import DRAFT_FOR_EVENT_KIND

TODAY = dt.date(2026, 3, 10)
ACME = {"opportunity_id": 7, "opportunity_label": "Data Engineer at Acme"}


def debt(rule, action, ref_id=None, severity=Severity.CRITICAL, due=TODAY, name="", **opportunity):
    return Debt(rule=rule, severity=severity, due_on=due, why="because", action=action,
                reference_id=ref_id, reference_name=name or (f"Ref {ref_id}" if ref_id else ""), **opportunity)


def acme_slate():
    return [
        *(debt("no_heads_up", "heads_up", n, **ACME) for n in (1, 2, 3)),
        *(debt("no_permission", "agreed", n, Severity.HIGH, **ACME) for n in (4, 5)),
    ]


def test_an_opportunitys_debts_make_one_group_that_counts_them_by_what_they_need():
    (group,) = group_debts(acme_slate(), DRAFT_FOR_EVENT_KIND)
    assert group.title == "Data Engineer at Acme"
    assert group.summary == "3 need a heads-up, 2 haven't agreed"
    assert len(group.debts) == 5 and not group.single  # every debt stays in the group


def test_the_groups_one_action_is_the_slate_wide_draft_of_its_most_pressing_debts():
    (group,) = group_debts(acme_slate(), DRAFT_FOR_EVENT_KIND)
    assert (group.action_kind, group.action_count) == ("heads_up", 3)
    assert group.action_label == "Send all three heads-ups"


def test_at_equal_severity_the_kind_more_references_owe_leads():
    debts = [debt("called_unannounced", "apology", 1, **ACME),
             *(debt("no_heads_up", "heads_up", n, **ACME) for n in (2, 3))]
    (group,) = group_debts(debts, DRAFT_FOR_EVENT_KIND)
    assert group.action_kind == "heads_up"
    assert group.summary == "2 need a heads-up, 1 was called without warning"


def test_a_lone_debt_stays_a_single_card_with_no_slate_action():
    (group,) = group_debts([debt("no_heads_up", "heads_up", 1, **ACME)], DRAFT_FOR_EVENT_KIND)
    assert group.single and group.action_kind == ""


def test_debts_without_an_opportunity_group_by_reference_and_say_what_is_wrong_without_counting():
    debts = [debt("keep_warm", "keep_in_touch", 9, Severity.LOW, name="Tomás Herrera"),
             debt("fatigue", "rest", 9, Severity.LOW, name="Tomás Herrera")]
    (group,) = group_debts(debts, DRAFT_FOR_EVENT_KIND)
    assert group.key == "reference-9" and group.title == "Tomás Herrera"
    assert group.summary == "asked too often, gone quiet" or group.summary == "gone quiet, asked too often"
    assert group.action_kind == ""  # nothing slate-wide about one reference


def test_groups_come_worst_first_then_soonest_due():
    low = [debt("keep_warm", "keep_in_touch", 9, Severity.LOW, due=TODAY - dt.timedelta(days=30))]
    later = [debt("no_heads_up", "heads_up", 1, due=TODAY, opportunity_id=8, opportunity_label="B at Beta")]
    sooner = [debt("no_heads_up", "heads_up", 2, due=TODAY - dt.timedelta(days=1), **ACME)]
    keys = [group.key for group in group_debts(low + later + sooner, DRAFT_FOR_EVENT_KIND)]
    assert keys == ["opportunity-7", "opportunity-8", "reference-9"]


def test_a_short_slate_is_named_not_counted():
    debts = [debt("short_slate", "agreed", None, Severity.HIGH, **ACME),
             debt("no_permission", "agreed", 4, Severity.HIGH, **ACME)]
    assert summary(debts) == "1 hasn't agreed, the slate is short"


def test_the_action_is_worded_for_how_many_owe_it():
    one = [debt("no_heads_up", "heads_up", 1, **ACME), debt("letter_without_draft", "draft_provided", 2,
                                                             Severity.HIGH, **ACME)]
    (group,) = group_debts(one, DRAFT_FOR_EVENT_KIND)
    assert group.action_label == "Send the heads-up"
    five = [debt("outcome_not_shared", "outcome_shared", n, Severity.MEDIUM, **ACME) for n in range(1, 6)]
    (group,) = group_debts(five, DRAFT_FOR_EVENT_KIND)
    assert group.action_label == "Tell all 5 the outcome"
