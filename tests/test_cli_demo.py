"""`goodword demo`: the promised variety, the deliberate courtesy gaps, and loading once only."""

import datetime as dt
from collections import Counter

import pytest
from click.testing import CliRunner
from django.utils import timezone

from goodword.cli import main
from goodword.core.demo import load_demo
from goodword.opportunities.models import Interview, Listing, Opportunity, StageChange
from goodword.opportunities.services import slate_with_states
from goodword.references.models import Reference
from goodword.timeline.models import Event


@pytest.fixture
def loaded(settings, alice):
    settings.GOODWORD_CLI_USER = "alice"
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    assert "Loaded the demo sample" in result.output
    return alice


def snapshot(user):
    return {
        model.__name__: model.objects.for_user(user).count()
        for model in (Reference, Opportunity, StageChange, Interview, Listing, Event)
    }


def test_demo_has_every_relationship_and_status(loaded):
    references = Reference.objects.for_user(loaded)
    assert 11 <= references.count() <= 15
    kinds = Counter(references.values_list("relationship", flat=True))
    assert set(kinds) == {"manager", "skip_level", "peer", "direct_report", "client", "mentor", "professor",
                          "hr_verifier", "other"}
    assert {"active", "resting", "retired", "do_not_use"} <= set(references.values_list("status", flat=True))
    for reference in references.exclude(relationship="hr_verifier").exclude(status="do_not_use"):
        assert reference.emails and reference.vouches_for and reference.likes, reference.name


def test_demo_has_every_stage_with_histories_interviews_and_slates(loaded):
    jobs = list(Opportunity.objects.for_user(loaded))
    assert {"lead", "applied", "interviewing", "references_requested", "offer", "landed", "rejected", "withdrawn"} <= {
        job.stage for job in jobs
    }
    assert all(job.stage_changes.count() >= 1 for job in jobs)
    assert sum(job.stage_changes.count() > 3 for job in jobs) >= 3
    interviews = Interview.objects.for_user(loaded)
    assert interviews.exclude(strong_points="").exclude(weak_points="").exclude(questions="").count() >= 4
    assert Listing.objects.for_user(loaded).count() >= 10
    kinds = set(Event.objects.for_user(loaded).values_list("kind", flat=True))
    assert {"permission_asked", "agreed", "heads_up", "briefing", "letter_requested", "draft_provided",
            "employer_contacted", "outcome_shared", "thanked", "keep_in_touch", "call"} <= kinds


def test_demo_is_dated_relative_to_today(loaded):
    events = Event.objects.for_user(loaded)
    now = timezone.now()
    assert not events.filter(occurred_at__gt=now).exists()
    assert events.filter(occurred_at__gt=now - dt.timedelta(days=7)).exists()
    assert events.filter(occurred_at__lt=now - dt.timedelta(days=90)).exists()
    # Listings are dated when they began, so the ledger does not see them all as new today.
    assert not Listing.objects.for_user(loaded).filter(created_at__gt=now - dt.timedelta(days=1)).exists()


def test_demo_leaves_the_promised_courtesy_gaps(loaded):
    jobs = {job.stage: job for job in Opportunity.objects.for_user(loaded)}
    requested = {row.reference.name: state for row, state in slate_with_states(jobs["references_requested"])}
    assert "agreed" in requested.values(), "a listed reference with no heads-up once references are requested"
    assert "letter_requested" in requested.values(), "a letter requested with no draft"
    landed = jobs["landed"]
    assert landed.stage_since <= timezone.localdate() - dt.timedelta(days=8)
    landed_states = [state for _, state in slate_with_states(landed)]
    assert "thanked" in landed_states and "outcome_shared" in landed_states, "one reference not yet thanked"


def test_running_the_demo_twice_changes_nothing(loaded):
    before = snapshot(loaded)
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0
    assert "already in your account" in result.output
    assert snapshot(loaded) == before


def test_demo_is_per_user(loaded, bob):
    alices = snapshot(loaded)
    assert load_demo(bob) is True
    assert snapshot(bob) == alices
    assert load_demo(bob) is False
    assert snapshot(loaded) == alices


def test_a_reference_of_your_own_with_a_demo_name_does_not_block_the_demo(alice):
    Reference.objects.create(owner=alice, name="Dana Whitfield")
    assert load_demo(alice) is True
