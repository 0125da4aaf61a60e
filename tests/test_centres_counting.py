"""The worker keeps coaches' cohort counts up to date (goodword/centres/counting.py), and the
cohort page reads the counts kept per severity (or, kept before those were, the kept debts)."""

import datetime as dt

import pytest
from django.utils import timezone

from goodword.centres import counting, services
from goodword.courtesy import summary
from goodword.courtesy.ledger import build_ledger
from goodword.courtesy.models import LedgerSummary
from tests.factories.accounts import make_user
from tests.factories.centres import make_centre, make_coach_of, make_member
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event

pytestmark = pytest.mark.django_db


def busy(user):
    """Someone with open debts (a reference listed without being asked), and the reference to write on."""
    reference = make_reference(user, name=f"Ref of {user.username}")
    job = make_opportunity(user, stage="interviewing")
    make_listing(job, reference)
    make_event(reference, "call", opportunity=job)
    return reference


def fresh(user) -> bool:
    return summary.read(user).fresh(timezone.now())


@pytest.fixture
def world(alice, bob):
    """Alice and Bob are candidates assigned to Carol; Una is a candidate nobody coaches; Zed is in no centre."""
    centre = make_centre()
    make_coach_of(centre, "carol", services.add_member(centre, alice, "candidate"),
                  services.add_member(centre, bob, "candidate"))
    una = make_member(centre, "una", "candidate").user
    zed = make_user("zed")
    return {"alice": alice, "bob": bob, "una": una, "zed": zed,
            "references": {user.username: busy(user) for user in (alice, bob, una, zed)}}


def test_the_worker_recounts_stale_assigned_candidates_and_leaves_everyone_else_alone(world):
    for user in (world["alice"], world["una"], world["zed"]):
        summary.kept_ledger(user)  # counted once, by their own visits
    for name in ("alice", "una", "zed"):
        make_event(world["references"][name], "note")  # and stale since
    assert counting.tick() == 2  # Alice, stale, and Bob, never counted
    assert fresh(world["alice"]) and fresh(world["bob"])
    assert not fresh(world["una"]) and not fresh(world["zed"])
    kept = LedgerSummary.objects.get(user=world["alice"])
    assert kept.severity_counts == summary.severity_counts(build_ledger(world["alice"]).open)
    assert counting.tick() == 0  # nothing stale left that the worker looks after


def test_the_worker_counts_the_never_counted_first_then_the_oldest_counts(world):
    summary.kept_ledger(world["alice"])
    make_event(world["references"]["alice"], "note")
    assert counting.stale_candidates(limit=1) == [world["bob"]]
    summary.kept_ledger(world["bob"])
    LedgerSummary.objects.filter(user=world["bob"]).update(valid_until=timezone.now())  # his day is over
    LedgerSummary.objects.filter(user=world["alice"]).update(today=timezone.localdate() - dt.timedelta(days=3))
    assert counting.stale_candidates(limit=1) == [world["alice"]]
    assert counting.tick(limit=1) == 1 and fresh(world["alice"]) and not fresh(world["bob"])


def test_counts_kept_before_their_column_come_from_the_kept_debts(world):
    coach = services.Membership.objects.get(user__username="carol", role="coach").user
    services.cohort(coach)  # both counted
    expected = {row.membership.user_id: row.counts for row in services.cohort(coach)}
    assert any(sum(counts.values()) for counts in expected.values())
    LedgerSummary.objects.update(severity_counts=None)  # as a summary kept before the column
    rows = services.cohort(coach)
    assert {row.membership.user_id: row.counts for row in rows} == expected
    assert all(row.fresh for row in rows)
