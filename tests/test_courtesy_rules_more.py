"""Rules 6–10 over plain facts, exemptions, time zones, ordering, and the
rule catalogue itself (ids, docstrings, docs/ledger.md)."""

import datetime as dt
from pathlib import Path

import pytest

from goodword.courtesy import facts as facts_module
from goodword.courtesy.facts import Debt, Decision, Severity
from goodword.courtesy.load import fatigue_message
from goodword.courtesy.rules import RULES, breaches, run_rules
from tests.factories.courtesy import (
    NOW,
    TODAY,
    ago,
    day_ago,
    debts,
    facts,
    listing,
    opp,
    ref,
)

DANA = ref(1, "Dana Whitfield", "manager")


def ended(stage="landed", days=8, **fields):
    return opp(stages=[("references_requested", day_ago(30)), (stage, day_ago(days))], **fields)


# --- 6. not_thanked -----------------------------------------------------------

def test_a_landing_not_followed_by_thanks_within_a_week_is_a_medium_debt():
    job = ended("landed", 8)
    [debt] = debts(facts([DANA], [job], [listing(DANA, job, ("agreed", ago(40)))]), "not_thanked")
    assert (debt.severity, debt.action, debt.due_on) == (Severity.MEDIUM, "thanked", day_ago(1))
    assert "helped you land Platform Engineer at Northwind (2 Mar)" in debt.why


def test_on_the_seventh_day_the_thank_you_is_not_yet_late():
    job = ended("landed", 7)
    assert debts(facts([DANA], [job], [listing(DANA, job, ("agreed", ago(40)))]), "not_thanked") == []


def test_the_thank_you_window_is_a_user_setting():
    job = ended("landed", 4)
    row = listing(DANA, job, ("agreed", ago(40)))
    assert debts(facts([DANA], [job], [row]), "not_thanked") == []
    assert len(debts(facts([DANA], [job], [row], thank_within_days=3), "not_thanked")) == 1


def test_after_a_rejection_a_thank_you_is_still_owed_at_low_severity():
    job = ended("rejected", 10)
    [debt] = debts(facts([DANA], [job], [listing(DANA, job, ("agreed", ago(40)))]), "not_thanked")
    assert debt.severity == Severity.LOW
    assert "didn't work out" in debt.why


def test_a_thank_you_or_a_gift_after_the_outcome_settles_it_but_one_before_does_not():
    job = ended("landed", 10)
    assert debts(facts([DANA], [job], [listing(DANA, job, ("agreed", ago(40)), ("thanked", ago(9)))]), "not_thanked") == []
    assert debts(facts([DANA], [job], [listing(DANA, job, ("agreed", ago(40)), ("gift", ago(2)))]), "not_thanked") == []
    early = listing(DANA, job, ("agreed", ago(40)), ("thanked", ago(20)))
    assert len(debts(facts([DANA], [job], [early]), "not_thanked")) == 1


# --- 7. called_unannounced ----------------------------------------------------

def test_an_employer_call_with_no_heads_up_is_critical_until_amends():
    job = opp(stage="references_requested")
    row = listing(DANA, job, ("agreed", ago(20)), ("employer_contacted", ago(2)))
    [debt] = debts(facts([DANA], [job], [row]), "called_unannounced")
    assert (debt.severity, debt.action, debt.due_on) == (Severity.CRITICAL, "apology", day_ago(2))
    assert "Northwind called Dana Whitfield on 8 Mar before Dana had any warning" in debt.why


def test_a_heads_up_a_minute_before_the_call_means_no_breach():
    job = opp(stage="references_requested")
    row = listing(DANA, job, ("heads_up", ago(2, minutes=1)), ("employer_contacted", ago(2)))
    f = facts([DANA], [job], [row])
    assert debts(f, "called_unannounced") == []
    assert breaches(f) == []


def test_an_apology_settles_it_and_the_breach_stays_in_the_history():
    job = opp(stage="references_requested")
    row = listing(DANA, job, ("employer_contacted", ago(2)), ("apology", ago(1)))
    f = facts([DANA], [job], [row])
    assert debts(f, "called_unannounced") == []
    [breach] = breaches(f)
    assert (breach.reference.id, breach.called_on, breach.settled_on) == (1, day_ago(2), day_ago(1))


def test_a_heads_up_after_the_call_also_settles_it():
    job = opp(stage="references_requested")
    row = listing(DANA, job, ("employer_contacted", ago(2)), ("heads_up", ago(1)))
    assert debts(facts([DANA], [job], [row]), "called_unannounced") == []
    assert breaches(facts([DANA], [job], [row]))[0].settled_on == day_ago(1)


def test_a_second_unannounced_call_after_the_apology_is_a_new_breach():
    job = opp(stage="references_requested")
    row = listing(DANA, job, ("employer_contacted", ago(5)), ("apology", ago(4)), ("employer_contacted", ago(1)))
    [debt] = debts(facts([DANA], [job], [row]), "called_unannounced")
    assert debt.due_on == day_ago(1)


# --- 8. short_slate -----------------------------------------------------------

def slate_facts(*people, stage="references_requested", wanted=3, extra_refs=()):
    job = opp(stage=stage, since=day_ago(2), references_wanted=wanted)
    rows = [listing(person, job, *events) for person, events in people]
    return facts([p for p, _ in people] + list(extra_refs), [job], rows)


AGREED = (("agreed", ago(9)),)


def test_fewer_agreed_references_than_wanted_is_high_and_suggests_rested_references():
    sam, lee = ref(2, "Sam Ortiz", "peer"), ref(3, "Lee Park", "peer")
    rested, recent, worn_out = ref(4, "Ana Ruiz", "client"), ref(5, "Cy Moss", "client"), ref(6, "Bo Chen", "client")
    job = opp(stage="references_requested", since=day_ago(2), references_wanted=3)
    others = [opp(20 + i, f"Other {i}") for i in range(4)]
    rows = [listing(DANA, job, *AGREED), listing(sam, job, *AGREED), listing(lee, job),
            listing(recent, others[0], listed_at=ago(10))]
    rows += [listing(worn_out, other, listed_at=ago(2)) for other in others[1:]]
    [debt] = debts(facts([DANA, sam, lee, rested, recent, worn_out], [job, *others], rows), "short_slate")
    assert (debt.severity, debt.reference_id, debt.due_on) == (Severity.HIGH, None, day_ago(2))
    assert debt.why == ("Northwind wants 3 references for Platform Engineer; only Dana Whitfield and Sam Ortiz "
                        "have agreed: get an answer from Lee Park, who is listed, or list and ask Ana Ruiz or Cy Moss.")
    assert [name for _, name in debt.candidates] == ["Lee Park", "Ana Ruiz", "Cy Moss"]


def test_exactly_enough_agreed_references_with_a_manager_is_no_debt():
    sam, lee = ref(2, "Sam Ortiz", "peer"), ref(3, "Lee Park", "peer")
    assert debts(slate_facts((DANA, AGREED), (sam, AGREED), (lee, AGREED)), "short_slate") == []


def test_enough_references_but_no_manager_asks_for_one():
    sam, lee, pat = ref(2, "Sam Ortiz", "peer"), ref(3, "Lee Park", "peer"), ref(4, "Pat Kim", "client")
    boss = ref(5, "Rae Fox", "skip_level")
    [debt] = debts(slate_facts((sam, AGREED), (lee, AGREED), (pat, AGREED), extra_refs=[boss]), "short_slate")
    assert "none of them managed you" in debt.why and "Rae Fox (skip-level manager)" in debt.why


def test_hr_verifiers_do_not_count_towards_the_slate():
    sam, hr = ref(2, "Sam Ortiz", "peer"), ref(3, "Hana HR", "hr_verifier")
    assert len(debts(slate_facts((DANA, AGREED), (sam, AGREED), (hr, AGREED)), "short_slate")) == 1


def test_resting_retired_do_not_use_and_hr_references_are_never_suggested():
    outsiders = [ref(2, "Rest", "manager", "resting"), ref(3, "Ret", "manager", "retired"),
                 ref(4, "Dnu", "manager", "do_not_use"), ref(5, "Hr", "hr_verifier")]
    [debt] = debts(slate_facts((DANA, AGREED), extra_refs=outsiders), "short_slate")
    assert debt.candidates == ()
    assert debt.why.endswith("add someone to the slate and ask them.")


def test_the_slate_is_only_checked_while_the_employer_is_checking():
    assert debts(slate_facts((DANA, AGREED), stage="interviewing"), "short_slate") == []
    assert debts(slate_facts((DANA, AGREED), stage="landed"), "short_slate") == []
    assert len(debts(slate_facts((DANA, AGREED), stage="offer"), "short_slate")) == 1


def test_an_opportunity_without_a_count_uses_the_users_default():
    f = slate_facts((DANA, AGREED), wanted=0)
    assert "wants 3 references" in debts(f, "short_slate")[0].why


# --- 9. fatigue ---------------------------------------------------------------

def listed_on(reference, *days_ago):
    jobs = [opp(100 + i, f"Company {i}") for i in range(len(days_ago))]
    return jobs, [listing(reference, job, listed_at=ago(d)) for job, d in zip(jobs, days_ago, strict=True)]


def test_more_than_three_listings_in_thirty_days_is_a_low_rest_debt():
    jobs, rows = listed_on(DANA, 1, 5, 10, 29)
    [debt] = debts(facts([DANA], jobs, rows), "fatigue")
    assert (debt.severity, debt.action, debt.due_on, debt.key) == (Severity.LOW, "rest", day_ago(1), "fatigue:1:-")
    assert "put forward 4 times in the last 30 days" in debt.why


def test_three_listings_or_a_fourth_exactly_thirty_days_ago_is_no_fatigue():
    jobs, rows = listed_on(DANA, 1, 5, 10)
    assert debts(facts([DANA], jobs, rows), "fatigue") == []
    jobs, rows = listed_on(DANA, 1, 5, 10, 30)
    assert debts(facts([DANA], jobs, rows), "fatigue") == []


def test_a_resting_reference_has_no_fatigue_debt():
    resting = ref(1, "Dana Whitfield", "manager", "resting")
    jobs, rows = listed_on(resting, 1, 2, 3, 4, 5)
    assert debts(facts([resting], jobs, rows), "fatigue") == []


def test_fatigue_thresholds_are_user_settings():
    jobs, rows = listed_on(DANA, 1, 20)
    assert debts(facts([DANA], jobs, rows, fatigue_listings=1, fatigue_days=10), "fatigue") == []
    assert len(debts(facts([DANA], jobs, rows, fatigue_listings=1, fatigue_days=21), "fatigue")) == 1


def test_the_fatigue_warning_speaks_before_the_listing_that_would_cross_the_line():
    settings = facts_module.UserSettings()
    assert fatigue_message("Dana Whitfield", ["A", "B"], settings, adding=1) is None
    warning = fatigue_message("Dana Whitfield", ["A", "B", "A"], settings, adding=1)
    assert warning.startswith("Dana Whitfield has been put forward 3 times in the last 30 days (A and B); one more makes 4.")


# --- 10. keep_warm ------------------------------------------------------------

def test_six_months_of_silence_with_an_active_reference_is_a_low_debt():
    quiet = ref(1, "Dana Whitfield", last_event_at=ago(181))
    [debt] = debts(facts([quiet]), "keep_warm")
    assert (debt.severity, debt.action, debt.due_on) == (Severity.LOW, "keep_in_touch", day_ago(1))
    assert "You last had contact with Dana Whitfield on 10 Sep 2025, about 6 months ago" in debt.why


def test_exactly_one_hundred_eighty_days_is_not_yet_quiet():
    assert debts(facts([ref(1, "Dana", last_event_at=ago(180))]), "keep_warm") == []


def test_without_any_event_the_clock_starts_when_the_reference_was_added():
    [debt] = debts(facts([ref(1, "Dana Whitfield", created_at=ago(200))]), "keep_warm")
    assert debt.why.startswith("You added Dana Whitfield on 22 Aug 2025")
    assert debts(facts([ref(1, "Dana", created_at=ago(20))]), "keep_warm") == []


def test_only_active_references_are_kept_warm():
    for status in ("resting", "retired", "do_not_use"):
        assert debts(facts([ref(1, "Dana", status=status, last_event_at=ago(400))]), "keep_warm") == []


# --- exemptions, time zones, ordering ----------------------------------------

HR = ref(7, "Hana Holt", "hr_verifier")


@pytest.mark.parametrize("rule_id, events, stage", [
    ("no_heads_up", (("agreed", ago(9)),), "references_requested"),
    ("stale_briefing", (("heads_up", ago(9)),), "interviewing"),
    ("letter_without_draft", (("letter_requested", ago(2)),), "interviewing"),
    ("outcome_not_shared", (("agreed", ago(30)),), "landed"),
    ("not_thanked", (("agreed", ago(30)),), "landed"),
    ("called_unannounced", (("employer_contacted", ago(2)),), "references_requested"),
])
def test_hr_verifiers_are_exempt_from_the_courtesy_rules_that_bind_references(rule_id, events, stage):
    from tests.factories.courtesy import interview

    job = opp(stage=stage, since=day_ago(20), interviews=[interview(ago(3))])
    assert len(debts(facts([DANA], [job], [listing(DANA, job, *events)]), rule_id)) == 1
    assert debts(facts([HR], [job], [listing(HR, job, *events)]), rule_id) == []


def test_hr_verifiers_still_need_permission_to_be_listed():
    job = opp(stage="references_requested")
    assert len(debts(facts([HR], [job], [listing(HR, job)]), "no_permission")) == 1


def test_due_dates_are_days_in_the_users_time_zone():
    # 06:00 UTC on 10 March is still 9 March (23:00) in Los Angeles.
    job = opp(stage="references_requested")
    row = listing(DANA, job, ("letter_requested", dt.datetime(2026, 3, 10, 6, 0, tzinfo=dt.UTC)))
    [utc] = debts(facts([DANA], [job], [row], time_zone="UTC"), "letter_without_draft")
    [la] = debts(facts([DANA], [job], [row], time_zone="America/Los_Angeles"), "letter_without_draft")
    assert utc.due_on == TODAY
    assert la.due_on == TODAY - dt.timedelta(days=1)


def test_today_itself_is_the_users_today():
    late_evening_utc = dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC)  # already 11 March in Paris
    job = ended("landed", 7)
    row = listing(DANA, job, ("agreed", ago(40)))
    assert debts(facts([DANA], [job], [row], now=late_evening_utc, time_zone="UTC"), "not_thanked") == []
    assert len(debts(facts([DANA], [job], [row], now=late_evening_utc, time_zone="Europe/Paris"), "not_thanked")) == 1


def test_the_ledger_is_worst_first_then_by_due_date():
    job = opp(stage="references_requested", since=day_ago(1))
    quiet = ref(2, "Quinn", "peer", last_event_at=ago(300))
    rows = [listing(DANA, job, ("agreed", ago(9)), ("letter_requested", ago(5)), listed_at=ago(9))]
    ordered = run_rules(facts([DANA, quiet], [job], rows))
    assert [d.severity for d in ordered] == sorted((d.severity for d in ordered), reverse=True)
    assert [d.rule for d in ordered][:2] == ["no_heads_up", "letter_without_draft"]
    assert ordered[-1].rule == "keep_warm"


def test_a_snooze_hides_a_debt_until_its_day_and_not_when_it_gets_worse():
    debt = Debt("no_permission", Severity.HIGH, TODAY, "why", "agreed", 1, "Dana", 10, "job")
    snooze = Decision(debt.key, "snooze", Severity.HIGH, TODAY, until=TODAY + dt.timedelta(days=1))
    assert snooze.hides(debt, TODAY)
    assert not snooze.hides(debt, TODAY + dt.timedelta(days=1))
    worse = Debt("no_permission", Severity.CRITICAL, TODAY, "why", "agreed", 1, "Dana", 10, "job")
    assert not snooze.hides(worse, TODAY)
    later = Debt("no_permission", Severity.HIGH, TODAY + dt.timedelta(days=3), "why", "agreed", 1, "Dana", 10, "job")
    assert not Decision(debt.key, "dismiss", Severity.HIGH, TODAY, reason="moved").hides(later, TODAY)


# --- the catalogue ------------------------------------------------------------

def test_there_are_thirteen_documented_rules_each_named_in_docs_ledger_md():
    assert list(RULES) == ["no_permission", "no_heads_up", "stale_briefing", "letter_without_draft",
                           "outcome_not_shared", "not_thanked", "called_unannounced", "short_slate",
                           "fatigue", "keep_warm", "consent_stale", "unlisted_call", "letter_reused"]
    docs = (Path(__file__).resolve().parent.parent / "docs" / "ledger.md").read_text()
    for rule in RULES.values():
        assert len(rule.doc) > 80, rule.id
        assert f"`{rule.id}`" in docs, rule.id


def test_the_rules_are_plain_python_without_django():
    import subprocess
    import sys

    code = ("import sys, goodword.courtesy.rules, goodword.courtesy.facts; "
            "print(any(name == 'django' or name.startswith('django.') for name in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    assert result.stdout.strip() == "False"


def test_the_plain_mirrors_of_domain_choices_match_the_models():
    from goodword.opportunities.models import REFERENCES_IN_PLAY, Stage
    from goodword.references.models import MANAGER_KINDS, Relationship
    from goodword.timeline.models import EventKind

    assert facts_module.ASKED_STAGES == set(REFERENCES_IN_PLAY)
    assert facts_module.OUTCOME_STAGES <= set(Stage.values)
    assert facts_module.MANAGER_KINDS == set(MANAGER_KINDS)
    assert facts_module.HR_VERIFIER in Relationship.values
    assert set(facts_module.PAIR_KINDS) <= set(EventKind.values)
    assert {rule.settles for rule in RULES.values()} - {"rest"} <= set(EventKind.values)
    assert NOW.weekday() == 1  # the fixtures' "Friday's panel" wording assumes a Tuesday
