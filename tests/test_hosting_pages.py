"""Signed-in pages are never cached, sessions end when idle, /healthz tells the truth, one log line per request."""

import datetime as dt
import logging

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.utils import timezone

from goodword.core import health
from goodword.core.middleware import SESSION_REFRESH_SECONDS, SESSION_REFRESHED_KEY
from goodword.core.models import WorkerHeartbeat
from goodword.portal import services
from tests.factories.portal import make_portal_setup, page_url


def test_signed_in_pages_are_private_and_never_stored(alice_client):
    for path in ["/", "/references/", "/jobs/", "/settings/"]:
        cache_control = alice_client.get(path)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, path


def test_public_token_pages_stay_private_and_unstored(client, alice):
    _listing, token = make_portal_setup(alice)
    cache_control = client.get(page_url(token))["Cache-Control"]
    assert "no-store" in cache_control


def session_row(client):
    return Session.objects.get(session_key=client.session.session_key)


def test_the_idle_timer_moves_on_at_most_once_a_minute(alice_client, settings):
    alice_client.get("/")
    first = session_row(alice_client).expire_date
    assert abs((first - timezone.now()) - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)) < dt.timedelta(minutes=1)
    alice_client.get("/references/")
    assert session_row(alice_client).expire_date == first  # within the minute: no write
    session = alice_client.session
    session[SESSION_REFRESHED_KEY] -= SESSION_REFRESH_SECONDS
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=first - dt.timedelta(minutes=5))
    alice_client.get("/references/")
    assert session_row(alice_client).expire_date > first - dt.timedelta(minutes=5)


def test_an_idle_session_has_ended(alice_client):
    alice_client.get("/")
    Session.objects.filter(session_key=alice_client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = alice_client.get("/references/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ---------------------------------------------------------------- /healthz


@pytest.mark.django_db
def test_healthz_answers_ok_without_sign_in_or_a_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert "sessionid" not in response.cookies and "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_does_not_answer(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(type(health.connection), "cursor", broken, raising=False)
    response = client.get("/healthz")
    assert response.status_code == 503 and b"database" in response.content


@pytest.mark.django_db
def test_healthz_reports_a_stalled_worker_only_when_asked(client):
    assert client.get("/healthz?worker=1").status_code == 503  # no worker ever ran
    beat = health.Heartbeat("host:1")
    beat.beat()
    assert client.get("/healthz?worker=1").status_code == 200
    stale = timezone.now() - dt.timedelta(minutes=health.STALL_MINUTES + 1)
    WorkerHeartbeat.objects.update(beat_at=stale)
    response = client.get("/healthz?worker=1")
    assert response.status_code == 503 and b"worker stalled" in response.content
    assert client.get("/healthz").status_code == 200  # the load balancer's probe ignores the worker
    assert client.get("/healthz?worker=yes").status_code == 400
    beat.stop()
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker loop closes old connections, as in its own process
def test_the_worker_records_a_heartbeat_each_turn_of_its_loop():
    import threading

    from goodword.outreach import outbox

    stop = threading.Event()
    beat = health.Heartbeat("host:2")

    def beat_then_stop():
        try:
            beat.beat()
        finally:
            stop.set()

    outbox.run_worker(stop, poll_seconds=0.01, heartbeat=beat_then_stop)
    assert WorkerHeartbeat.objects.filter(worker="host:2").exists()
    assert not health.worker_stalled()


# ---------------------------------------------------------------- the request log


def test_one_line_per_request_with_the_user_id_and_no_token(client, alice, caplog):
    _listing, token = make_portal_setup(alice)
    client.force_login(alice)
    with caplog.at_level(logging.INFO, logger="goodword.requests"):
        client.get("/references/?q=secret-query")
        client.get(page_url(token), REMOTE_ADDR="198.51.100.4")
        client.get(page_url(services.new_token()) + "%0Aforged line")
    lines = [record.getMessage() for record in caplog.records if record.name == "goodword.requests"]
    assert len(lines) == 3
    assert lines[0].startswith("GET /references/ 200 ") and f"user={alice.pk}" in lines[0]
    assert "secret-query" not in lines[0]
    assert lines[1].startswith("GET /r/[redacted]") and "client=198.51.100.4" in lines[1]
    assert all("\n" not in line and token not in line for line in lines)
