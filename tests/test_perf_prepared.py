"""@prepared (goodword/core/prepared.py): a queryset compiled once per thread gives, for any ids,
exactly what the queryset itself gives, and never another owner's rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goodword.core.prepared import prepared
from goodword.references.models import Reference
from goodword.timeline.models import Event
from tests.factories.accounts import make_user
from tests.factories.concurrency import run_at_once
from tests.factories.references import make_reference
from tests.factories.timeline import make_event


def latest_events_query(owner_id):
    return (Event.objects.for_user(owner_id).select_related("reference")
            .only("kind", "occurred_at", "note", "owner_id", "reference__name")[:5])


latest_events = prepared(latest_events_query)


def described(events):
    return [(event.pk, event.kind, event.occurred_at, event.note, event.reference.name) for event in events]


@pytest.fixture
def two_histories(alice, bob):
    for owner, name in ((alice, "Dana Whitfield"), (bob, "Sam Okafor")):
        reference = make_reference(owner, name=name)
        for kind in ("call", "note", "thanked"):
            make_event(reference, kind, note=f"{name}: {kind}")
    return alice, bob


def test_a_prepared_query_gives_each_owner_what_the_queryset_gives(two_histories):
    alice, bob = two_histories
    for owner in (alice, bob, alice):  # compiled on the first call, then only the id changes
        assert described(latest_events(owner.pk)) == described(latest_events_query(owner.pk))
    assert {event.reference.name for event in latest_events(bob.pk)} == {"Sam Okafor"}
    assert latest_events(make_user("carol").pk) == []


def test_a_prepared_query_runs_one_query_and_its_related_objects_need_none(two_histories):
    alice, _bob = two_histories
    latest_events(alice.pk)
    with CaptureQueriesContext(connection) as queries:
        events = latest_events(alice.pk)
        names = [event.reference.name for event in events]
    assert len(queries) == 1 and len(names) == 3


def test_values_and_annotations_come_through_the_databases_converters(alice):
    reference = make_reference(alice, name="Priya Raman")
    make_event(reference, "call")

    @prepared
    def created(owner_id):
        return Reference.objects.filter(owner_id=owner_id).values_list("name", "created_at")

    [(name, moment)] = created(alice.pk)
    assert name == "Priya Raman" and moment == reference.created_at  # a datetime, not SQLite's text


def test_each_thread_compiles_its_own_and_gets_its_own_owners_rows(two_histories, transactional_db):
    alice, bob = two_histories
    owners = iter([alice.pk, bob.pk])
    results = run_at_once(lambda: (owner := next(owners), {e.reference.name for e in latest_events(owner)}))
    assert sorted(results) == sorted([(alice.pk, {"Dana Whitfield"}), (bob.pk, {"Sam Okafor"})])


def test_a_query_that_ignores_its_id_is_refused(alice):
    @prepared
    def everyone(owner_id):
        return Event.objects.all()

    with pytest.raises(ValueError, match="does not use its argument"):
        everyone(alice.pk)


def test_the_number_of_ids_is_fixed_at_the_first_call(alice, bob):
    latest_events(alice.pk)
    with pytest.raises(TypeError, match="expected 1 ids"):
        latest_events(alice.pk, bob.pk)


def test_an_id_beyond_64_bits_finds_nothing_instead_of_failing(alice):
    assert latest_events(2**70) == [] and latest_events(-(2**70)) == []
