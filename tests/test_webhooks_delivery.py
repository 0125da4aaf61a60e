"""Webhooks delivered for real: a receiver on loopback (http.server in a thread) running
docs/webhooks.md's receiver example, local mode, driven through the outbox's worker."""

import datetime as dt
import json
import time
import urllib.error
import urllib.request

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from goodword.lib import webhook_wire
from goodword.outreach import outbox
from goodword.sheets import services as sheets
from goodword.webhooks import delivery, services
from goodword.webhooks.models import Delivery, DeliveryState, Endpoint
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.portal import make_portal_setup
from tests.factories.references import make_reference
from tests.factories.timeline import make_event
from tests.factories.webhooks import Receiver, answer_in_portal, make_endpoint
from tests.factories.concurrency import run_at_once

pytestmark = pytest.mark.django_db


def make_due_now(row: Delivery) -> None:
    """Skip the backoff wait (the row keeps its attempts and everything else)."""
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


def test_a_portal_answer_reaches_a_loopback_receiver_that_verifies_the_signature(alice):
    with Receiver() as receiver:
        endpoint, secret = make_endpoint(alice, receiver.url, kinds=["portal.answered"])
        receiver.use_secret(secret)
        listing, token = make_portal_setup(alice)
        answer_in_portal(token, answer="agreed", note="Happy to help.")
        assert Delivery.objects.get().state == DeliveryState.QUEUED  # queued with the answer, sent by the worker

        assert delivery.drain() == {"delivered": 1}

    [(headers, body, _status)] = receiver.requests
    # The documented receiver checked the signature and accepted the event (a bad one answers 401).
    [(kind, data)] = receiver.handled
    assert kind == "portal.answered"
    assert data["answer"]["kind"] == "agreed"
    assert data["reference"] == {"id": listing.reference_id, "name": "Dana Whitfield"}
    assert data["opportunity"]["id"] == listing.opportunity_id
    assert "Happy to help." in data["event"]["note"]
    assert token not in body.decode()  # no private link in a payload
    assert webhook_wire.verify(secret, headers["Goodword-Timestamp"], headers["Goodword-Signature"], body)
    assert not webhook_wire.verify("whsec_not-the-secret", headers["Goodword-Timestamp"],
                                   headers["Goodword-Signature"], body)
    assert headers["Goodword-Event"] == "portal.answered"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    row = Delivery.objects.get()
    assert (row.state, row.last_status_code, row.attempts) == (DeliveryState.DELIVERED, 204, 1)
    assert headers["Goodword-Delivery"] == row.delivery_id
    endpoint.refresh_from_db()
    assert endpoint.last_status == "Delivered (HTTP 204)" and endpoint.last_delivery_at is not None


def test_a_receiver_that_fails_twice_gets_the_event_once_on_the_third_try(alice):
    with Receiver(fail_first=2) as receiver:
        _endpoint, secret = make_endpoint(alice, receiver.url, kinds=["portal.answered"])
        receiver.use_secret(secret)
        _listing, token = make_portal_setup(alice)
        answer_in_portal(token, answer="agreed")
        row = Delivery.objects.get()

        assert delivery.drain() == {"queued": 1}  # HTTP 500: queued again, with the outbox's backoff
        row.refresh_from_db()
        assert row.attempts == 1 and "HTTP 500" in row.last_error
        assert row.next_attempt_at > timezone.now() + outbox.RETRY_BASE - dt.timedelta(seconds=5)
        assert delivery.drain() == {}  # not due yet: the backoff holds
        assert len(receiver.requests) == 1

        make_due_now(row)
        assert delivery.drain() == {"queued": 1}
        row.refresh_from_db()
        assert row.attempts == 2
        assert row.next_attempt_at > timezone.now() + 2 * outbox.RETRY_BASE - dt.timedelta(seconds=5)  # backing off

        make_due_now(row)
        assert delivery.drain() == {"delivered": 1}
        make_due_now(row)
        assert delivery.drain() == {}  # delivered is final

    assert [status for _h, _b, status in receiver.requests] == [500, 500, 0]
    assert len(receiver.handled) == 1  # the event, once
    # Every attempt carried the same delivery id and the same bytes, each signed afresh.
    assert len({headers["Goodword-Delivery"] for headers, _b, _s in receiver.requests}) == 1
    assert len({body for _h, body, _s in receiver.requests}) == 1
    for headers, body, _status in receiver.requests:
        assert webhook_wire.verify(secret, headers["Goodword-Timestamp"], headers["Goodword-Signature"], body)
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (DeliveryState.DELIVERED, 3, "")


def test_the_documented_receiver_drops_a_repeat_of_the_same_delivery(alice):
    """At least once: a delivery sent again (a worker died after the receiver answered) is handled once."""
    with Receiver() as receiver:
        _endpoint, secret = make_endpoint(alice, receiver.url, kinds=["portal.answered"])
        receiver.use_secret(secret)
        _listing, token = make_portal_setup(alice)
        answer_in_portal(token, answer="agreed")
        row = Delivery.objects.get()
        assert delivery.drain() == {"delivered": 1}
        # Replay the situation of a worker that died before recording the answer.
        Delivery.objects.filter(pk=row.pk).update(state=DeliveryState.SENDING, claimed_by="gone:1:1",
                                                  claimed_until=timezone.now() - dt.timedelta(seconds=1))
        assert delivery.recover_stale_claims() == 1
        assert delivery.drain() == {"delivered": 1}
    assert len(receiver.requests) == 2 and len(receiver.handled) == 1


def test_a_receiver_that_never_succeeds_is_given_up_after_the_outbox_attempt_limit(alice):
    with Receiver(status=503) as receiver:
        endpoint, _secret = make_endpoint(alice, receiver.url, kinds=["portal.answered"])
        _listing, token = make_portal_setup(alice)
        answer_in_portal(token, answer="agreed")
        row = Delivery.objects.get()
        states = []
        for _ in range(outbox.MAX_ATTEMPTS + 1):
            make_due_now(row)
            states.append(delivery.drain())
    assert states[:-2] == [{"queued": 1}] * (outbox.MAX_ATTEMPTS - 1)
    assert states[-2:] == [{"failed": 1}, {}]
    row.refresh_from_db()
    assert row.state == DeliveryState.FAILED and row.attempts == outbox.MAX_ATTEMPTS
    assert row.last_error == f"Gave up after {outbox.MAX_ATTEMPTS} attempts. The receiver answered HTTP 503."
    endpoint.refresh_from_db()
    assert endpoint.last_status.startswith("Failed: Gave up after")


def test_a_redirect_is_not_followed_and_fails_with_the_reason(alice):
    with Receiver(status=302) as receiver:
        _endpoint, _secret = make_endpoint(alice, receiver.url, kinds=["portal.answered"])
        _listing, token = make_portal_setup(alice)
        answer_in_portal(token, answer="agreed")
        assert delivery.drain() == {"failed": 1}
    assert len(receiver.requests) == 1  # http://127.0.0.1:9/elsewhere was never asked
    assert "do not follow redirects" in Delivery.objects.get().last_error


def test_an_employer_opening_the_sheet_is_announced_with_the_references_on_it(alice):
    job = make_opportunity(alice, company="Acme", role="Platform Engineer", stage="interviewing")
    for name in ("Dana Whitfield", "Sam Okafor"):
        reference = make_reference(alice, name=name)
        make_listing(job, reference)
        make_event(reference, "agreed", opportunity=job)
    with Receiver() as receiver:
        _endpoint, secret = make_endpoint(alice, receiver.url, kinds=["sheet.opened"])
        receiver.use_secret(secret)
        _link, token = sheets.issue_link(job, employer="Acme HR")
        assert Client().get(f"/e/{token}/").status_code == 200
        assert Client().get(f"/e/{token}/").status_code == 200  # the same visit: no second event
        assert delivery.drain() == {"delivered": 1}
    [(kind, data)] = receiver.handled
    assert kind == "sheet.opened"
    assert data["employer"] == "Acme HR" and data["what"] == "opened your reference sheet"
    assert data["opportunity"] == {"id": job.pk, "company": "Acme", "role": "Platform Engineer"}
    assert sorted(r["name"] for r in data["references"]) == ["Dana Whitfield", "Sam Okafor"]
    assert token not in receiver.requests[0][1].decode()


def test_only_active_endpoints_subscribed_to_the_kind_get_the_event(alice, bob):
    with Receiver() as receiver:
        wanted, secret = make_endpoint(alice, receiver.url, kinds=["portal.answered"])
        receiver.use_secret(secret)
        make_endpoint(alice, receiver.url + "/sheet", kinds=["sheet.opened"])
        disabled, _ = make_endpoint(alice, receiver.url + "/off", kinds=["portal.answered"])
        services.set_active(alice, disabled.pk, False)
        make_endpoint(bob, receiver.url + "/bob", kinds=["portal.answered"])
        _listing, token = make_portal_setup(alice)
        answer_in_portal(token, answer="agreed")
        assert list(Delivery.objects.values_list("endpoint_id", flat=True)) == [wanted.pk]
        assert delivery.drain() == {"delivered": 1}
    assert len(receiver.requests) == 1 and len(receiver.handled) == 1


def test_disabling_an_endpoint_fails_what_was_still_queued_for_it(alice):
    with Receiver() as receiver:
        endpoint, _secret = make_endpoint(alice, receiver.url, kinds=["portal.answered"])
        _listing, token = make_portal_setup(alice)
        answer_in_portal(token, answer="agreed")
        services.set_active(alice, endpoint.pk, False)
        assert delivery.drain() == {"failed": 1}
    assert receiver.requests == []
    assert "disabled" in Delivery.objects.get().last_error


def test_the_same_fact_queued_twice_is_delivered_once(alice):
    with Receiver() as receiver:
        _endpoint, secret = make_endpoint(alice, receiver.url, kinds=["sheet.opened"])
        receiver.use_secret(secret)
        for _ in range(2):
            delivery.queue_event(alice, "sheet.opened", {"what": "opened"}, key="sheet.opened:42")
        assert delivery.drain() == {"delivered": 1}
    assert len(receiver.requests) == 1


def test_the_documented_receiver_refuses_a_forged_or_replayed_request(alice):
    secret = webhook_wire.new_secret()
    body = b'{"type": "test", "data": {}}'

    def post(headers):
        request = urllib.request.Request(receiver.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with Receiver(secret) as receiver:
        now = int(time.time())
        good = webhook_wire.headers(secret, body, kind="test", delivery_id="dlv_1", timestamp=now)
        assert post(good) == 204
        forged = webhook_wire.headers("whsec_guess", body, kind="test", delivery_id="dlv_2", timestamp=now)
        assert post(forged) == 401
        replayed = webhook_wire.headers(secret, body, kind="test", delivery_id="dlv_3", timestamp=now - 600)
        assert post(replayed) == 401
        moved = dict(good, **{"Goodword-Timestamp": str(now + 1)})  # a fresh timestamp on an old signature
        assert post(moved) == 401
    assert len(receiver.handled) == 1


@pytest.mark.django_db(transaction=True)
def test_the_outbox_worker_thread_delivers_what_was_committed_at_once(alice):
    """The local worker (goodword serve) drains webhooks on its loop, woken by the commit."""
    with Receiver() as receiver:
        _endpoint, secret = make_endpoint(alice, receiver.url, kinds=["portal.answered"])
        receiver.use_secret(secret)
        thread = outbox.start_local_worker(poll_seconds=30, queues=[delivery.drain])
        try:
            _listing, token = make_portal_setup(alice)
            answer_in_portal(token, answer="agreed")
            deadline = time.monotonic() + 10
            while not receiver.handled and time.monotonic() < deadline:
                time.sleep(0.05)  # the poll is 30 s: arriving quickly proves the commit woke the thread
        finally:
            outbox.stop_local_worker()
            thread.join(5)
    assert len(receiver.handled) == 1
    assert Delivery.objects.get().state == DeliveryState.DELIVERED
    connection.close()


def test_goodword_worker_once_delivers_webhooks(alice, run):
    with Receiver() as receiver:
        _endpoint, secret = make_endpoint(alice, receiver.url, kinds=["portal.answered"])
        receiver.use_secret(secret)
        _listing, token = make_portal_setup(alice)
        answer_in_portal(token, answer="agreed")
        result = run("worker", "--once")
    assert result.exit_code == 0, result.output
    assert "Webhooks: 1 delivered" in result.output
    assert len(receiver.handled) == 1


def test_the_body_is_the_stored_json_exactly(alice):
    with Receiver() as receiver:
        endpoint, secret = make_endpoint(alice, receiver.url, kinds=["portal.answered"])
        receiver.use_secret(secret)
        row = services.send_test(alice, endpoint.pk)
        assert delivery.drain() == {"delivered": 1}
    body = receiver.requests[0][1]
    assert body == row.body.encode()
    event = json.loads(body)
    assert event["type"] == "test" and event["id"].startswith("evt_") and event["data"]["endpoint"] == endpoint.pk
    assert Endpoint.objects.get().last_status == "Delivered (HTTP 204)"


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_deliver_each_event_once(alice):

    with Receiver() as receiver:
        _endpoint, secret = make_endpoint(alice, receiver.url, kinds=["sheet.opened"])
        receiver.use_secret(secret)
        for n in range(30):
            delivery.queue_event(alice, "sheet.opened", {"n": n}, key=f"sheet.opened:{n}")
        run_at_once(delivery.drain)
    ids = [headers["Goodword-Delivery"] for headers, _b, _s in receiver.requests]
    assert len(ids) == 30 and len(set(ids)) == 30
    assert len(receiver.handled) == 30
    assert Delivery.objects.filter(state=DeliveryState.DELIVERED).count() == 30
