"""The ledger against the database: facts fetched right, a fixed number of
queries, every rule settled by its event, snooze, dismiss, time zones."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from goodword.courtesy import services
from goodword.courtesy.facts import Severity
from goodword.courtesy.ledger import build_ledger, fetch_facts
from goodword.courtesy.models import CourtesySettings, DebtDecision
from goodword.references.models import Reference
from tests.factories.courtesy import courtesy_settings, log, move_stage, populate
from tests.factories.opportunities import make_interview, make_listing, make_opportunity
from tests.factories.references import make_reference

pytestmark = pytest.mark.django_db


def days_ago(days, hours=0):
    return timezone.now() - dt.timedelta(days=days, hours=hours)


def keys(user, **kwargs):
    return {debt.key for debt in build_ledger(user, **kwargs).open}


@pytest.fixture
def dana(alice):
    return make_reference(alice, name="Dana Whitfield", relationship="manager")


def test_facts_hold_each_listing_with_only_its_own_events(alice, bob, dana):
    job = make_opportunity(alice, company="Northwind", stage="interviewing")
    other_job = make_opportunity(alice, company="Contoso")
    make_listing(job, dana)
    agreed = log(dana, "agreed", job, at=days_ago(3))
    log(dana, "heads_up", other_job, at=days_ago(2))
    log(dana, "note", at=days_ago(1))
    bob_ref = make_reference(bob, name="Dana Whitfield")
    make_listing(make_opportunity(bob), bob_ref)
    log(bob_ref, "heads_up", at=days_ago(0))

    facts = fetch_facts(alice)
    [row] = facts.listings
    assert (row.reference_id, row.opportunity_id) == (dana.pk, job.pk)
    assert row.last == {"agreed": agreed.occurred_at}
    assert row.listed_at.tzinfo is not None
    assert abs(facts.references[dana.pk].last_event_at - days_ago(1)) < dt.timedelta(seconds=5)
    assert facts.opportunities[job.pk].stage == "interviewing"
    assert set(facts.references) == {dana.pk}


LEDGER_QUERIES = 9  # settings, references, stages, interviews, opportunities, events, listings, owed words, decisions


def test_the_ledger_costs_the_same_number_of_queries_for_a_small_and_a_larger_account(
    alice, bob, django_assert_max_num_queries
):
    populate(alice, 3)
    populate(bob, 40)
    with django_assert_max_num_queries(LEDGER_QUERIES), CaptureQueriesContext(connection) as small:
        small_ledger = build_ledger(alice)
    with django_assert_max_num_queries(LEDGER_QUERIES), CaptureQueriesContext(connection) as large:
        large_ledger = build_ledger(bob)
    assert len(large_ledger.open) > len(small_ledger.open) > 0
    assert len(small.captured_queries) == len(large.captured_queries) == LEDGER_QUERIES


def scenario(rule, alice, dana):
    """Make `rule` fire for Dana; returns the opportunity (or None)."""
    if rule in ("fatigue", "keep_warm"):
        if rule == "fatigue":
            for n in range(4):
                job = make_opportunity(alice, company=f"Company {n}")
                make_listing(job, dana)
                log(dana, "agreed", job)
        else:
            Reference.objects.filter(pk=dana.pk).update(created_at=days_ago(400))
            log(dana, "call", at=days_ago(200))
        return None
    stage = {"no_permission": "applied", "stale_briefing": "interviewing", "letter_without_draft": "interviewing",
             "outcome_not_shared": "landed", "not_thanked": "landed"}.get(rule, "references_requested")
    job = make_opportunity(alice, company="Northwind", stage=stage, stage_on=timezone.localdate() - dt.timedelta(days=10),
                           references_wanted=1)
    make_listing(job, dana)
    if rule != "no_permission" and rule != "short_slate":
        log(dana, "agreed", job, at=days_ago(20))
    if rule in ("stale_briefing", "outcome_not_shared", "not_thanked", "letter_without_draft"):
        log(dana, "heads_up", job, at=days_ago(19))
    if rule == "stale_briefing":
        make_interview(job, when=days_ago(2))
    if rule == "letter_without_draft":
        log(dana, "letter_requested", job, at=days_ago(1))
    if rule == "not_thanked":
        log(dana, "outcome_shared", job, at=days_ago(9))
    if rule == "called_unannounced":
        log(dana, "employer_contacted", job, at=days_ago(1))
    return job


RULE_ACTIONS = [
    ("no_permission", "agreed"), ("no_heads_up", "heads_up"), ("stale_briefing", "briefing"),
    ("letter_without_draft", "draft_provided"), ("outcome_not_shared", "outcome_shared"), ("not_thanked", "thanked"),
    ("called_unannounced", "apology"), ("short_slate", "agreed"), ("keep_warm", "keep_in_touch"),
]


@pytest.mark.parametrize("rule, kind", RULE_ACTIONS)
def test_logging_the_settling_event_anywhere_settles_the_debt_at_once(alice, dana, rule, kind):
    job = scenario(rule, alice, dana)
    key = f"{rule}:{'-' if rule == 'short_slate' else dana.pk}:{job.pk if job else '-'}"
    assert key in keys(alice)
    log(dana, kind, job)
    assert key not in keys(alice)


@pytest.mark.parametrize("rule", [rule for rule, _ in RULE_ACTIONS] + ["fatigue"])
def test_the_one_click_settle_does_what_the_debt_asks(alice, dana, rule):
    job = scenario(rule, alice, dana)
    [debt] = [d for d in build_ledger(alice).open if d.rule == rule]
    result = services.settle(alice, debt.key, channel="phone", note="Called her",
                             reference_id=dana.pk if debt.reference_id is None else None)
    assert debt.key not in keys(alice)
    if rule == "fatigue":
        assert Reference.objects.get(pk=dana.pk).status == "resting"
    else:
        assert (result.kind, result.channel, result.note, result.opportunity) == (debt.action, "phone", "Called her", job)


def test_a_short_slate_settles_by_adding_and_logging_a_suggested_reference(alice, dana):
    lee = make_reference(alice, name="Lee Park", relationship="skip_level")
    job = make_opportunity(alice, company="Northwind", stage="references_requested", references_wanted=2)
    make_listing(job, dana)
    log(dana, "agreed", job)
    [debt] = [d for d in build_ledger(alice).open if d.rule == "short_slate"]
    assert (lee.pk, "Lee Park") in debt.candidates
    services.settle(alice, debt.key, reference_id=lee.pk)
    assert job.listings.filter(reference=lee).exists()
    assert debt.key not in keys(alice)


def test_a_settle_for_someone_not_offered_is_refused(alice, bob, dana):
    job = make_opportunity(alice, stage="references_requested")
    make_listing(job, dana)
    log(dana, "agreed", job)
    stranger = make_reference(bob, name="Bob's contact")
    [debt] = [d for d in build_ledger(alice).open if d.rule == "short_slate"]
    with pytest.raises(services.ValidationError):
        services.settle(alice, debt.key, reference_id=stranger.pk)
    assert not job.listings.filter(reference=stranger).exists()


def test_a_snoozed_debt_hides_until_its_day_then_comes_back(alice, dana):
    scenario("no_permission", alice, dana)
    key = next(iter(keys(alice)))
    today = timezone.localdate()
    services.snooze(alice, key, today + dt.timedelta(days=3))
    ledger = build_ledger(alice)
    assert key not in {d.key for d in ledger.open}
    assert [h.decision.until for h in ledger.hidden] == [today + dt.timedelta(days=3)]
    assert key not in keys(alice, now=timezone.now() + dt.timedelta(days=2))
    assert key in keys(alice, now=timezone.now() + dt.timedelta(days=3, hours=1))


def test_a_snooze_must_end_after_today(alice, dana):
    scenario("no_permission", alice, dana)
    key = next(iter(keys(alice)))
    with pytest.raises(services.ValidationError):
        services.snooze(alice, key, timezone.localdate())
    assert not DebtDecision.objects.exists()


def test_a_dismissed_debt_stays_hidden_with_its_reason_and_undo_brings_it_back(alice, dana):
    scenario("no_permission", alice, dana)
    key = next(iter(keys(alice)))
    services.dismiss(alice, key, "She told me any time is fine")
    ledger = build_ledger(alice, now=timezone.now() + dt.timedelta(days=300))
    assert key not in {d.key for d in ledger.open}
    assert [h.decision.reason for h in ledger.hidden] == ["She told me any time is fine"]
    assert services.undo(alice, key) is True
    assert key in keys(alice)


def test_a_dismissal_needs_a_reason(alice, dana):
    scenario("no_permission", alice, dana)
    with pytest.raises(services.ValidationError):
        services.dismiss(alice, next(iter(keys(alice))), "   ")


def test_a_debt_that_gets_worse_breaks_through_its_snooze(alice, dana):
    job = scenario("no_permission", alice, dana)
    key = f"no_permission:{dana.pk}:{job.pk}"
    services.snooze(alice, key, timezone.localdate() + dt.timedelta(days=30))
    assert key not in keys(alice)
    move_stage(job, "references_requested", timezone.localdate())
    [debt] = [d for d in build_ledger(alice).open if d.key == key]
    assert debt.severity == Severity.CRITICAL


def test_snoozing_or_dismissing_someone_elses_debt_is_not_found(alice, bob, dana):
    scenario("no_permission", alice, dana)
    key = next(iter(keys(alice)))
    with pytest.raises(services.DebtNotFound):
        services.snooze(bob, key, timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(services.DebtNotFound):
        services.settle(bob, key)
    assert services.undo(bob, key) is False


def test_due_dates_and_today_follow_the_users_time_zone(alice, dana):
    job = make_opportunity(alice, stage="interviewing")
    make_listing(job, dana)
    # Yesterday's 05:00 UTC: today's would still be in the future in the hours after midnight UTC.
    yesterday = timezone.now() - dt.timedelta(days=1)
    requested = yesterday.replace(hour=5, minute=0, second=0, microsecond=0)
    log(dana, "letter_requested", job, at=requested)
    now = requested + dt.timedelta(hours=1)  # 06:00 UTC: still the evening before in Los Angeles
    courtesy_settings(alice, time_zone="UTC")
    [utc] = [d for d in build_ledger(alice, now=now).open if d.rule == "letter_without_draft"]
    courtesy_settings(alice, time_zone="America/Los_Angeles")
    ledger = build_ledger(alice, now=now)
    [la] = [d for d in ledger.open if d.rule == "letter_without_draft"]
    assert utc.due_on == requested.date()
    assert la.due_on == ledger.today == requested.date() - dt.timedelta(days=1)


def test_settings_default_to_the_instance_time_zone_and_documented_thresholds(alice, settings):
    row = CourtesySettings.for_user(alice)
    assert row.pk is None
    plain = row.as_plain()
    assert (plain.time_zone, plain.thank_within_days, plain.fatigue_listings, plain.fatigue_days,
            plain.keep_warm_days, plain.references_wanted) == (settings.TIME_ZONE, 7, 3, 30, 180, 3)


def test_a_user_threshold_changes_what_is_owed(alice, dana):
    Reference.objects.filter(pk=dana.pk).update(created_at=days_ago(100))
    assert not [d for d in build_ledger(alice).open if d.rule == "keep_warm"]
    courtesy_settings(alice, keep_warm_days=90)
    assert [d.reference_id for d in build_ledger(alice).open if d.rule == "keep_warm"] == [dana.pk]


def test_the_fatigue_warning_speaks_before_a_listing_over_the_limit(alice, bob, dana):
    user_settings = CourtesySettings.for_user(alice).as_plain()
    for n in range(2):
        make_listing(make_opportunity(alice, company=f"Company {n}"), dana)
    assert services.fatigue_warning(dana, user_settings) is None
    make_listing(make_opportunity(alice, company="Northwind"), dana)
    warning = services.fatigue_warning(dana, user_settings)
    assert warning.startswith("Dana Whitfield has been put forward 3 times in the last 30 days")
    assert "Northwind" in warning and "one more makes 4" in warning
    courtesy_settings(alice, fatigue_listings=5)
    assert services.fatigue_warning(dana, CourtesySettings.for_user(alice)) is None


def test_the_fatigue_warning_ignores_listings_older_than_the_window(alice, dana):
    from goodword.opportunities.models import Listing

    for n in range(3):
        make_listing(make_opportunity(alice, company=f"Company {n}"), dana)
    Listing.objects.filter(reference=dana).update(created_at=days_ago(31))
    assert services.fatigue_warning(dana, None) is None


def test_the_fatigue_warning_names_a_resting_reference(alice):
    resting = make_reference(alice, name="Tomás Rivera", status="resting")
    assert "Tomás Rivera is marked as resting" in services.fatigue_warning(resting, None)


def test_settling_a_snoozed_debt_forgets_the_snooze(alice, dana):
    scenario("no_permission", alice, dana)
    key = next(iter(keys(alice)))
    services.snooze(alice, key, timezone.localdate() + dt.timedelta(days=5))
    services.settle(alice, key)
    assert not DebtDecision.objects.filter(owner=alice).exists()


def ended_application(alice, dana, ended_days_ago):
    """A rejected application Dana agreed to, never told or thanked: two debts until it is archived."""
    today = build_ledger(alice).today
    job = make_opportunity(alice, company="Northwind", stage="references_requested",
                           stage_on=today - dt.timedelta(days=ended_days_ago + 10))
    make_listing(job, dana)
    log(dana, "agreed", job, at=days_ago(ended_days_ago + 9))
    log(dana, "heads_up", job, at=days_ago(ended_days_ago + 9))
    move_stage(job, "rejected", on=today - dt.timedelta(days=ended_days_ago))
    return job


def debts_of(ledger, job):
    return {debt.rule for debt in ledger.open if debt.opportunity_id == job.pk}


def test_an_application_that_ended_past_the_archive_horizon_leaves_the_ledger(alice, dana):
    job = ended_application(alice, dana, ended_days_ago=181)
    ledger = build_ledger(alice)
    assert debts_of(ledger, job) == set() and ledger.archived_count == 1
    assert job.pk not in fetch_facts(alice).opportunities

    courtesy_settings(alice, archive_after_days=181)  # ended exactly 181 days ago: still inside
    ledger = build_ledger(alice)
    assert debts_of(ledger, job) == {"outcome_not_shared", "not_thanked"} and ledger.archived_count == 0


def test_archive_after_zero_keeps_every_ended_application(alice, dana):
    job = ended_application(alice, dana, ended_days_ago=1000)
    courtesy_settings(alice, archive_after_days=0)
    assert debts_of(build_ledger(alice), job) == {"outcome_not_shared", "not_thanked"}


def test_an_open_application_is_never_archived_however_old(alice, dana):
    job = make_opportunity(alice, company="Contoso", stage="interviewing",
                           stage_on=timezone.localdate() - dt.timedelta(days=900))
    make_listing(job, dana)
    ledger = build_ledger(alice)
    assert debts_of(ledger, job) == {"no_permission"} and ledger.archived_count == 0


def test_the_ledger_page_says_how_many_applications_are_archived(alice, alice_client, dana):
    assert "archived" not in alice_client.get("/due/").content.decode()
    ended_application(alice, dana, ended_days_ago=400)
    assert "1 application that ended more than 180 days ago is archived" in alice_client.get("/due/").content.decode()


def test_a_page_lets_go_of_its_ledger_once_rendered(alice, alice_client, dana):
    """Requests and template contexts sit in reference cycles that wait for the
    garbage collector; a heavy ledger hanging off them made 200 ms stalls."""
    job = make_opportunity(alice, company="Northwind", stage="references_requested")
    make_listing(job, dana)
    response = alice_client.get("/")
    assert "No heads-up" in response.content.decode()
    assert not hasattr(response.wsgi_request, "_courtesy_ledger")
    assert "ledger" not in response.context.keys()
    assert build_ledger(alice).facts.memo == {}  # what the rules shared is dropped at once
