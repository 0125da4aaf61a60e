"""The kept open debts (and the badge's count, what the dashboard and the ledger page show:
holds, hidden and archived counts, calls without warning, and the counts per severity a coach's
cohort page shows) equal a fresh build after any sequence of writes and clock moves (DESIGN.md:
derived data may be cached, never trusted blindly)."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goodword.courtesy import services as courtesy
from goodword.courtesy import summary
from goodword.courtesy.ledger import build_ledger
from goodword.opportunities.models import Interview, Listing, StageChange
from goodword.references.models import Reference
from goodword.timeline.models import Event
from tests.factories.courtesy import log, move_stage
from tests.factories.opportunities import make_interview, make_listing, make_opportunity
from tests.factories.references import make_reference

pytestmark = pytest.mark.django_db

KINDS = ["agreed", "declined", "heads_up", "briefing", "letter_requested", "draft_provided",
         "employer_contacted", "outcome_shared", "thanked", "call", "note"]
STAGES = ["applied", "interviewing", "references_requested", "offer", "landed", "rejected"]
REFS, OPPS = 3, 2

operation = st.one_of(
    st.tuples(st.just("log"), st.integers(0, REFS - 1), st.integers(0, OPPS), st.sampled_from(KINDS),
              st.integers(-72, 0)),
    st.tuples(st.just("list"), st.integers(0, REFS - 1), st.integers(0, OPPS - 1)),
    st.tuples(st.just("unlist"), st.integers(0, OPPS - 1)),
    # Listed, then called by the employer at once: a call without warning (the ledger page's history).
    st.tuples(st.just("called"), st.integers(0, REFS - 1), st.integers(0, OPPS - 1)),
    st.tuples(st.just("stage"), st.integers(0, OPPS - 1), st.sampled_from(STAGES)),
    st.tuples(st.just("interview"), st.integers(0, OPPS - 1), st.integers(-48, 48)),
    st.tuples(st.just("decide"), st.sampled_from(["snooze", "dismiss"])),
    st.tuples(st.just("settings"), st.integers(1, 14)),
    st.tuples(st.just("delete_event")),
    st.tuples(st.just("rest"), st.integers(0, REFS - 1)),
    st.tuples(st.just("clock"), st.integers(1, 40)),
    st.tuples(st.just("clock"), st.just(24 * 95)),  # past the archive horizon (90 days at least)
    st.tuples(st.just("archive"), st.sampled_from([0, 90, 180])),
)


def apply(user, refs, opps, op, now):
    """One write, dated in the real past (the app refuses future events and stage
    changes); `now` is the moment the badge is read at, which the clock moves."""
    name, written = op[0], timezone.now()
    if name == "log":
        _, ref, opp, kind, hours = op
        log(refs[ref], kind, opps[opp] if opp < OPPS else None, at=written + dt.timedelta(hours=hours))
    elif name == "list" and not Listing.objects.filter(opportunity=opps[op[2]], reference=refs[op[1]]).exists():
        make_listing(opps[op[2]], refs[op[1]])
    elif name == "called":
        if not Listing.objects.filter(opportunity=opps[op[2]], reference=refs[op[1]]).exists():
            make_listing(opps[op[2]], refs[op[1]])
        log(refs[op[1]], "employer_contacted", opps[op[2]], at=written)
    elif name == "unlist":
        Listing.objects.filter(pk__in=Listing.objects.filter(opportunity=opps[op[1]]).values("pk")[:1]).delete()
    elif name == "stage":
        if opps[op[1]].stage_changes.order_by("-changed_on", "-id").first().stage != op[2]:
            move_stage(opps[op[1]], op[2], timezone.localdate())
    elif name == "interview":
        make_interview(opps[op[1]], when=now + dt.timedelta(hours=op[2]))
    elif name == "decide":
        debts = build_ledger(user, now).open
        if debts:
            if op[1] == "snooze":
                courtesy.snooze(user, debts[0].key, now.date() + dt.timedelta(days=2), now=now)
            else:
                courtesy.dismiss(user, debts[0].key, "handled elsewhere", now=now)
    elif name == "settings":
        courtesy.save_settings(user, thank_within_days=op[1])
    elif name == "archive":
        courtesy.save_settings(user, thank_within_days=7, archive_after_days=op[1])
    elif name == "delete_event":
        Event.objects.filter(pk__in=Event.objects.filter(owner=user).values("pk")[:1]).delete()
    elif name == "rest":
        Reference.objects.filter(pk=refs[op[1]].pk).update(status="resting")  # a queryset update: no save()


@settings(max_examples=30, deadline=None, report_multiple_bugs=False, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_the_kept_count_always_equals_a_fresh_build(operations):
    user = get_user_model().objects.create(username=f"prop-{get_user_model().objects.count()}")
    refs = [make_reference(user, name=f"Ref {i}", relationship=("manager", "peer", "hr_verifier")[i])
            for i in range(REFS)]
    opps = [make_opportunity(user, company=f"Company {i}", stage="applied") for i in range(OPPS)]
    now = timezone.now()
    assert_kept_equals_fresh(user, now)
    for op in operations:
        if op[0] == "clock":
            now += dt.timedelta(hours=op[1])
        else:
            apply(user, refs, opps, op, now)
        assert_kept_equals_fresh(user, now)


def assert_kept_equals_fresh(user, now):
    built = build_ledger(user, now)
    fresh = built.open
    assert summary.open_count(user, now) == len(fresh)  # may build and keep them
    assert summary.open_debts(user, now) == fresh  # kept ones, read back
    whole = summary.KeptLedger.of(built)
    assert summary.kept_ledger(user, now) == whole  # may build and keep it
    assert summary.kept_ledger(user, now) == whole  # kept, read back
    stamp = summary.read(user, with_debts=True)
    assert stamp.fresh(now) and stamp.counts() == summary.severity_counts(fresh)  # a coach's cohort page reads these
    assert stamp.severity_counts == summary.severity_counts(fresh)  # kept, not counted from the debts
