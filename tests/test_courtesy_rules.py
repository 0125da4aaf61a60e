"""Rules 1–5 over plain facts: each fires, stays quiet at the edge of its
threshold, and is settled by the right event. No database."""

import datetime as dt

from goodword.courtesy.facts import Severity
from goodword.courtesy.rules import announcement_holds
from tests.factories.courtesy import (
    NOW,
    TODAY,
    ago,
    day_ago,
    debts,
    facts,
    interview,
    listing,
    opp,
    ref,
)

DANA = ref(1, "Dana Whitfield", "manager")


# --- 1. no_permission ---------------------------------------------------------

def test_listing_without_agreement_is_a_high_debt_naming_the_company():
    job = opp(stage="interviewing")
    found = debts(facts([DANA], [job], [listing(DANA, job, listed_at=ago(3))]), "no_permission")
    assert len(found) == 1
    debt = found[0]
    assert (debt.severity, debt.action, debt.key) == (Severity.HIGH, "agreed", "no_permission:1:10")
    assert debt.due_on == day_ago(3)
    assert "Dana Whitfield" in debt.why and "Northwind" in debt.why and "7 Mar" in debt.why


def test_listing_without_agreement_turns_critical_once_references_are_requested():
    job = opp(stage="references_requested", since=day_ago(1))
    [debt] = debts(facts([DANA], [job], [listing(DANA, job, listed_at=ago(3))]), "no_permission")
    assert debt.severity == Severity.CRITICAL
    assert debt.due_on == day_ago(1)


def test_listing_without_agreement_turns_critical_when_the_employer_calls_someone_on_the_slate():
    sam = ref(2, "Sam Ortiz", "peer")
    job = opp(stage="interviewing")
    rows = [listing(DANA, job), listing(sam, job, ("agreed", ago(9)), ("employer_contacted", ago(1)))]
    [debt] = debts(facts([DANA, sam], [job], rows), "no_permission")
    assert (debt.reference_id, debt.severity) == (1, Severity.CRITICAL)


def test_agreement_settles_the_permission_debt():
    job = opp(stage="references_requested")
    assert debts(facts([DANA], [job], [listing(DANA, job, ("agreed", ago(1)))]), "no_permission") == []


def test_a_later_decline_reopens_the_permission_debt_and_says_so():
    job = opp(stage="offer")
    row = listing(DANA, job, ("agreed", ago(9)), ("declined", ago(2)))
    [debt] = debts(facts([DANA], [job], [row]), "no_permission")
    assert debt.severity == Severity.CRITICAL
    assert "said no" in debt.why and "8 Mar" in debt.why


def test_agreeing_again_after_a_decline_settles_it():
    job = opp(stage="offer")
    row = listing(DANA, job, ("declined", ago(9)), ("agreed", ago(2)))
    assert debts(facts([DANA], [job], [row]), "no_permission") == []


def test_permission_is_moot_once_the_application_ended_without_an_offer():
    job = opp(stage="rejected")
    assert debts(facts([DANA], [job], [listing(DANA, job)]), "no_permission") == []


# --- 2. no_heads_up -----------------------------------------------------------

def test_references_requested_without_a_heads_up_is_critical_and_due_at_once():
    job = opp(stage="references_requested", since=day_ago(2))
    row = listing(DANA, job, ("agreed", ago(20)), listed_at=ago(20))
    [debt] = debts(facts([DANA], [job], [row]), "no_heads_up")
    assert (debt.severity, debt.action, debt.due_on) == (Severity.CRITICAL, "heads_up", day_ago(2))
    assert "Northwind asked for references on 8 Mar" in debt.why
    assert "Dana" in debt.why and "Platform Engineer" in debt.why


def test_a_listing_made_after_the_request_is_due_the_day_it_was_made():
    job = opp(stage="references_requested", since=day_ago(6))
    [debt] = debts(facts([DANA], [job], [listing(DANA, job, listed_at=ago(1))]), "no_heads_up")
    assert debt.due_on == day_ago(1)


def test_no_heads_up_debt_while_still_interviewing():
    job = opp(stage="interviewing", since=day_ago(1))
    assert debts(facts([DANA], [job], [listing(DANA, job, ("agreed", ago(20)))]), "no_heads_up") == []


def test_an_employer_calling_the_slate_counts_as_asking_for_references():
    sam = ref(2, "Sam Ortiz", "peer")
    job = opp(stage="interviewing")
    rows = [listing(DANA, job, ("agreed", ago(9))),
            listing(sam, job, ("agreed", ago(9)), ("heads_up", ago(4)), ("employer_contacted", ago(1)))]
    [debt] = debts(facts([DANA, sam], [job], rows), "no_heads_up")
    assert debt.reference_id == 1
    assert "started calling your references on 9 Mar" in debt.why


def test_the_heads_up_reason_names_the_stage_that_brought_references_into_play():
    landed = opp(stages=[("interviewing", day_ago(9)), ("landed", day_ago(3))])
    [debt] = debts(facts([DANA], [landed], [listing(DANA, landed, ("agreed", ago(20)))]), "no_heads_up")
    assert debt.why.startswith("You landed the job at Northwind on 7 Mar and Dana Whitfield hasn't heard from you")
    offer = opp(stages=[("offer", day_ago(4)), ("landed", day_ago(3))])
    [debt] = debts(facts([DANA], [offer], [listing(DANA, offer, ("agreed", ago(20)))]), "no_heads_up")
    assert debt.why.startswith("Northwind made you an offer on 6 Mar") and debt.due_on == day_ago(4)


def test_a_heads_up_settles_it():
    job = opp(stage="references_requested")
    row = listing(DANA, job, ("agreed", ago(20)), ("heads_up", ago(0, minutes=5)))
    assert debts(facts([DANA], [job], [row]), "no_heads_up") == []


def test_a_reference_the_employer_already_reached_is_left_to_the_unannounced_call_rule():
    job = opp(stage="references_requested")
    row = listing(DANA, job, ("agreed", ago(20)), ("employer_contacted", ago(1)))
    f = facts([DANA], [job], [row])
    assert debts(f, "no_heads_up") == []
    assert [d.rule for d in debts(f, "called_unannounced")] == ["called_unannounced"]


def test_no_heads_up_is_owed_once_the_application_ended_without_an_offer():
    job = opp(stages=[("references_requested", day_ago(9)), ("rejected", day_ago(2))])
    assert debts(facts([DANA], [job], [listing(DANA, job, ("agreed", ago(20)))]), "no_heads_up") == []


# --- 3. stale_briefing --------------------------------------------------------

def test_an_interview_after_the_briefing_asks_for_an_update_naming_the_points():
    friday = ago(4)  # Friday 6 March
    job = opp(stage="interviewing", interviews=[interview(friday, "panel", "Incident leadership", "Kubernetes depth")])
    row = listing(DANA, job, ("agreed", ago(20)), ("heads_up", ago(10)))
    [debt] = debts(facts([DANA], [job], [row]), "stale_briefing")
    assert (debt.severity, debt.action) == (Severity.MEDIUM, "briefing")
    assert debt.due_on == day_ago(2)
    assert debt.why == ("Tell Dana how Friday's panel at Northwind went, so Dana can confirm “Incident leadership” "
                        "and answer their doubts about “Kubernetes depth”.")


def test_the_latest_interview_counts_even_when_an_earlier_one_was_briefed():
    job = opp(stage="interviewing", interviews=[interview(ago(9), "phone"), interview(ago(1), "onsite")])
    row = listing(DANA, job, ("heads_up", ago(10)), ("briefing", ago(8)))
    [debt] = debts(facts([DANA], [job], [row]), "stale_briefing")
    assert "yesterday's on-site interview" in debt.why and debt.due_on == TODAY + dt.timedelta(days=1)


def test_an_interview_at_the_moment_of_the_briefing_is_not_news():
    moment = ago(3)
    job = opp(stage="interviewing", interviews=[interview(moment)])
    row = listing(DANA, job, ("agreed", ago(20)), ("briefing", moment))
    assert debts(facts([DANA], [job], [row]), "stale_briefing") == []


def test_a_future_interview_does_not_make_a_briefing_stale():
    job = opp(stage="interviewing", interviews=[interview(NOW + dt.timedelta(days=1))])
    row = listing(DANA, job, ("agreed", ago(20)), ("heads_up", ago(10)))
    assert debts(facts([DANA], [job], [row]), "stale_briefing") == []


def test_a_reference_never_briefed_gets_no_update_debt():
    job = opp(stage="interviewing", interviews=[interview(ago(2))])
    assert debts(facts([DANA], [job], [listing(DANA, job, ("agreed", ago(20)))]), "stale_briefing") == []


def test_a_briefing_after_the_interview_settles_it():
    job = opp(stage="interviewing", interviews=[interview(ago(3))])
    row = listing(DANA, job, ("heads_up", ago(10)), ("briefing", ago(1)))
    assert debts(facts([DANA], [job], [row]), "stale_briefing") == []


def test_a_briefing_without_points_still_says_what_it_is_for():
    job = opp(stage="interviewing", interviews=[interview(ago(20), "phone", "", "")])
    row = listing(DANA, job, ("heads_up", ago(30)))
    [debt] = debts(facts([DANA], [job], [row]), "stale_briefing")
    assert debt.why == "Tell Dana how the phone screen on 18 Feb at Northwind went, so Dana knows where things stand."


# --- 4. letter_without_draft --------------------------------------------------

def test_a_letter_request_without_a_draft_is_high_and_due_that_day():
    job = opp(stage="references_requested")
    row = listing(DANA, job, ("agreed", ago(20)), ("letter_requested", ago(2)))
    [debt] = debts(facts([DANA], [job], [row]), "letter_without_draft")
    assert (debt.severity, debt.action, debt.due_on) == (Severity.HIGH, "draft_provided", day_ago(2))
    assert "letter for Northwind on 8 Mar" in debt.why


def test_a_draft_sent_earlier_the_same_day_counts():
    job = opp(stage="references_requested")
    morning, evening = NOW.replace(hour=8), NOW.replace(hour=14)
    row = listing(DANA, job, ("draft_provided", morning), ("letter_requested", evening))
    assert debts(facts([DANA], [job], [row]), "letter_without_draft") == []


def test_a_draft_from_the_day_before_the_request_does_not_count():
    job = opp(stage="references_requested")
    row = listing(DANA, job, ("draft_provided", ago(1)), ("letter_requested", ago(0, hours=1)))
    assert len(debts(facts([DANA], [job], [row]), "letter_without_draft")) == 1


def test_providing_the_draft_settles_it_and_so_does_a_letter_already_sent():
    job = opp(stage="references_requested")
    drafted = listing(DANA, job, ("letter_requested", ago(2)), ("draft_provided", ago(1)))
    sent = listing(DANA, job, ("letter_requested", ago(2)), ("letter_sent", ago(1)))
    assert debts(facts([DANA], [job], [drafted]), "letter_without_draft") == []
    assert debts(facts([DANA], [job], [sent]), "letter_without_draft") == []


def test_a_new_letter_request_after_the_draft_needs_a_new_draft():
    job = opp(stage="references_requested")
    row = listing(DANA, job, ("letter_requested", ago(9)), ("draft_provided", ago(8)), ("letter_requested", ago(1)))
    [debt] = debts(facts([DANA], [job], [row]), "letter_without_draft")
    assert debt.due_on == day_ago(1)


# --- 5. outcome_not_shared ----------------------------------------------------

def landed(days=3, **fields):
    return opp(stages=[("references_requested", day_ago(20)), ("landed", day_ago(days))], **fields)


def test_an_untold_landing_is_a_medium_debt_due_two_days_later():
    job = landed(3)
    row = listing(DANA, job, ("agreed", ago(30)), ("heads_up", ago(25)))
    [debt] = debts(facts([DANA], [job], [row]), "outcome_not_shared")
    assert (debt.severity, debt.action, debt.due_on) == (Severity.MEDIUM, "outcome_shared", day_ago(1))
    assert "On 7 Mar you got the Platform Engineer job at Northwind" in debt.why


def test_an_announcement_before_telling_them_makes_it_critical():
    job = landed(3, announced_on=day_ago(1))
    [debt] = debts(facts([DANA], [job], [listing(DANA, job, ("agreed", ago(30)))]), "outcome_not_shared")
    assert debt.severity == Severity.CRITICAL
    assert "You announced the Northwind news on 9 Mar" in debt.why


def test_a_planned_announcement_sets_the_deadline_but_is_not_critical_yet():
    job = landed(0, announced_on=TODAY + dt.timedelta(days=1))
    [debt] = debts(facts([DANA], [job], [listing(DANA, job, ("agreed", ago(30)))]), "outcome_not_shared")
    assert (debt.severity, debt.due_on) == (Severity.MEDIUM, TODAY + dt.timedelta(days=1))


def test_sharing_the_outcome_on_the_day_it_happened_settles_it():
    job = landed(3)
    outcome_morning = dt.datetime.combine(day_ago(3), dt.time(0, 5), tzinfo=dt.UTC)
    row = listing(DANA, job, ("agreed", ago(30)), ("outcome_shared", outcome_morning))
    assert debts(facts([DANA], [job], [row]), "outcome_not_shared") == []


def test_news_shared_the_day_before_the_outcome_does_not_count():
    job = landed(3)
    row = listing(DANA, job, ("agreed", ago(30)), ("outcome_shared", ago(4)))
    assert len(debts(facts([DANA], [job], [row]), "outcome_not_shared")) == 1


def test_every_ending_is_worded_for_what_happened():
    row_events = (("agreed", ago(30)),)
    for stage, words in [("rejected", "Northwind said no to you"), ("withdrawn", "you withdrew from Northwind"),
                         ("declined", "you turned down Northwind's offer")]:
        job = opp(stage=stage, since=day_ago(1))
        [debt] = debts(facts([DANA], [job], [listing(DANA, job, *row_events)]), "outcome_not_shared")
        assert words in debt.why and debt.severity == Severity.MEDIUM


def test_a_reference_who_never_took_part_is_not_owed_the_outcome():
    job = landed(3)
    assert debts(facts([DANA], [job], [listing(DANA, job)]), "outcome_not_shared") == []


def test_a_landing_with_untold_references_holds_the_announcement_until_they_are_told():
    sam = ref(2, "Sam Ortiz", "peer")
    job = landed(1)
    rows = [listing(DANA, job, ("agreed", ago(30))), listing(sam, job, ("agreed", ago(30)), ("outcome_shared", ago(0)))]
    [(held, untold)] = announcement_holds(facts([DANA, sam], [job], rows))
    assert held.id == job.id and [r.name for r in untold] == ["Dana Whitfield"]
    rows[0] = listing(DANA, job, ("agreed", ago(30)), ("outcome_shared", ago(0)))
    assert announcement_holds(facts([DANA, sam], [job], rows)) == []


def test_the_hold_banner_is_for_a_recent_landing_or_a_planned_announcement():
    row_events = (("agreed", ago(90)),)
    for job, held in [(landed(30), True), (landed(31), False),
                      (landed(60, announced_on=TODAY + dt.timedelta(days=1)), True)]:
        holds = announcement_holds(facts([DANA], [job], [listing(DANA, job, *row_events)]))
        assert bool(holds) is held, job


def test_no_hold_banner_once_the_news_is_out_or_for_a_rejection():
    announced = landed(3, announced_on=day_ago(1))
    rejected = opp(11, "Contoso", stage="rejected", since=day_ago(1))
    rows = [listing(DANA, announced, ("agreed", ago(30))), listing(DANA, rejected, ("agreed", ago(30)))]
    assert announcement_holds(facts([DANA], [announced, rejected], rows)) == []
