"""`debt.critical`: the worker's tick announces each debt that became critical, once,
by comparing the ledger's critical debts with the keys already announced."""

import datetime as dt

import pytest
from django.utils import timezone

from goodword.courtesy import services as courtesy
from goodword.webhooks import critical, delivery, services
from goodword.webhooks.models import CriticalDebtSeen, Delivery
from tests.factories.courtesy import log
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.webhooks import Receiver, make_endpoint
from tests.factories.concurrency import run_at_once

pytestmark = pytest.mark.django_db


def listed_without_heads_up(owner, name="Dana Whitfield", company="Northwind"):
    """A reference who agreed, on a slate the employer asked for, never warned: one critical debt."""
    job = make_opportunity(owner, company=company, stage="references_requested", references_wanted=1)
    reference = make_reference(owner, name=name, relationship="manager")
    make_listing(job, reference)
    log(reference, "agreed", job)
    return reference, job


def test_a_debt_that_becomes_critical_is_announced_once_with_its_key(alice):
    with Receiver() as receiver:
        _endpoint, secret = make_endpoint(alice, receiver.url, kinds=["debt.critical"])
        receiver.use_secret(secret)
        assert critical.tick() == 0
        reference, job = listed_without_heads_up(alice)
        assert critical.tick() == 1
        assert critical.tick() == 0  # already announced
        assert delivery.drain() == {"delivered": 1}
    [(kind, data)] = receiver.handled
    assert kind == "debt.critical"
    debt = data["debt"]
    assert debt["key"] == f"no_heads_up:{reference.pk}:{job.pk}" and debt["severity"] == "critical"
    assert debt["reference"] == {"id": reference.pk, "name": "Dana Whitfield"}
    assert debt["action"] == "heads_up" and debt["why"]


def test_a_settled_debt_is_forgotten_and_announced_again_if_it_comes_back(alice):
    make_endpoint(alice, "https://hooks.example.org/x", kinds=["debt.critical"])
    reference, job = listed_without_heads_up(alice)
    key = f"no_heads_up:{reference.pk}:{job.pk}"
    assert critical.tick() == 1
    courtesy.snooze(alice, key, timezone.localdate() + dt.timedelta(days=3))
    assert critical.tick() == 0
    assert not CriticalDebtSeen.objects.filter(key=key).exists()  # no longer open: forgotten
    courtesy.undo(alice, key)
    assert critical.tick() == 1  # critical again: a new announcement
    assert Delivery.objects.filter(kind="debt.critical").count() == 2


def test_debts_already_critical_when_subscribing_are_not_announced(alice):
    listed_without_heads_up(alice, name="Dana Whitfield", company="Northwind")
    make_endpoint(alice, "https://hooks.example.org/x", kinds=["debt.critical"])
    assert CriticalDebtSeen.objects.for_user(alice).count() == 1  # the baseline
    assert critical.tick() == 0
    listed_without_heads_up(alice, name="Sam Okafor", company="Fabrikam")
    assert critical.tick() == 1
    [row] = Delivery.objects.all()
    assert '"name": "Sam Okafor"' in row.body


def test_only_users_subscribed_to_the_kind_are_looked_at(alice, bob):
    make_endpoint(alice, "https://hooks.example.org/alice", kinds=["sheet.opened"])
    disabled, _ = make_endpoint(bob, "https://hooks.example.org/bob", kinds=["debt.critical"])
    services.set_active(bob, disabled.pk, False)
    listed_without_heads_up(alice)
    listed_without_heads_up(bob)
    assert critical.subscribers() == []
    assert critical.tick() == 0 and not Delivery.objects.exists()
    services.set_active(bob, disabled.pk, True)  # enabling starts from what is critical now
    assert critical.subscribers() == [bob]
    assert critical.tick() == 0


def test_a_tick_with_nothing_changed_reads_the_kept_summary(alice, django_assert_max_num_queries):
    make_endpoint(alice, "https://hooks.example.org/x", kinds=["debt.critical"])
    listed_without_heads_up(alice)
    assert critical.tick() == 1
    # Endpoints, users, the summary (its stamp still holds: no ledger build), the announced keys.
    with django_assert_max_num_queries(4):
        assert critical.tick() == 0


def test_one_account_failing_does_not_stop_the_others(alice, bob, monkeypatch):
    make_endpoint(alice, "https://hooks.example.org/alice", kinds=["debt.critical"])
    make_endpoint(bob, "https://hooks.example.org/bob", kinds=["debt.critical"])
    listed_without_heads_up(bob)
    real = critical.check_user

    def check_user(user, now=None):
        if user.username == "alice":
            raise RuntimeError("alice's data is broken")
        return real(user, now)

    monkeypatch.setattr(critical, "check_user", check_user)
    assert critical.tick() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_ticking_at_once_announce_a_debt_once(alice):
    make_endpoint(alice, "https://hooks.example.org/x", kinds=["debt.critical"])
    for n in range(5):
        listed_without_heads_up(alice, name=f"Reference {n}", company=f"Company {n}")
    counts = run_at_once(critical.tick)
    assert sum(counts) == 5
    assert Delivery.objects.filter(kind="debt.critical").count() == 5
    assert CriticalDebtSeen.objects.count() == 5
