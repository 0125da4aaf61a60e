"""Scaled out: two gunicorn processes and two `goodword worker` processes on one PostgreSQL database.

Nothing one process holds may disagree with another: a session made on one
works on the other, the portal throttle and the sign-in limits count misses
made on both, and the outbox sends each message once whichever worker claims it. The test makes
(and drops) a database of its own, and talks to the servers as the reverse
proxy would: from 127.0.0.1 (the trusted proxy), with X-Forwarded-For and
X-Forwarded-Proto: https.
"""

import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection

from tests.factories.outreach import SmtpSink

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="several processes on one database: a PostgreSQL setup")

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "refs.example.org"
MESSAGES = 30

SEED = """
import json, django
django.setup()
from goodword.outreach.appmail import queue_app_mail
from tests.factories.hosted import make_account
from tests.factories.portal import make_portal_setup
user = make_account("alice@example.com", "correct horse battery staple")
_listing, token = make_portal_setup(user, company="Alice Corp")
for n in range(%d):
    queue_app_mail(user, kind="digest", to_address="alice@example.com", subject=f"Digest {n}", text=f"Digest {n}",
                   idempotency_key=f"app.test.{n:04d}")
print(json.dumps({"token": token}))
"""


@pytest.fixture
def database():
    import psycopg

    settings = connection.settings_dict
    server = f"postgresql://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}"
    name = f"gw_hosting_procs_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def hosted_env(tmp_path, database, smtp_port):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOODWORD_", "DJANGO_"))}
    return env | {
        "GOODWORD_HOME": str(tmp_path), "GOODWORD_MODE": "hosted", "GOODWORD_SECRET_KEY": secrets.token_urlsafe(40),
        "GOODWORD_DATABASE_URL": database, "GOODWORD_ALLOWED_HOSTS": HOST, "GOODWORD_TRUSTED_PROXIES": "127.0.0.1",
        "GOODWORD_TRUSTED_ORIGINS": f"https://{HOST}", "GOODWORD_PUBLIC_URL": f"https://{HOST}",
        "GOODWORD_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}?starttls=false", "DJANGO_SETTINGS_MODULE": "goodword.settings",
    }


def start_gunicorn(env):
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "python:goodword.gunicorn_conf", "--bind", "127.0.0.1:0", "--workers", "1",
         "goodword.wsgi"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    seen = []
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        seen.append(line)
        found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
        if found:
            port = int(found.group(1))
            wait_until_answering(port)
            return process, port
        if not line and process.poll() is not None:
            break
    process.kill()
    raise AssertionError("gunicorn did not start:\n" + "".join(seen))


def wait_until_answering(port):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("gunicorn never answered /healthz")


def request(port, method, path, *, client="203.0.113.10", cookies=None, form=None, headers=None):
    """One request as the proxy passes it on: (status, headers, body)."""
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sent = {"Host": HOST, "X-Forwarded-For": client, "X-Forwarded-Proto": "https"} | (headers or {})
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    connection_.request(method, path, body=body, headers=sent)
    response = connection_.getresponse()
    result = response.status, response.getheaders(), response.read().decode()
    connection_.close()
    return result


def set_cookies(headers) -> dict:
    jar = SimpleCookie()
    for name, value in headers:
        if name.lower() == "set-cookie":
            jar.load(value)
    return {key: morsel.value for key, morsel in jar.items()}


def stop(processes):
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def test_two_app_processes_and_two_workers_share_sessions_throttles_limits_and_the_outbox(tmp_path, database):
    with SmtpSink() as sink:
        env = hosted_env(tmp_path, database, sink.port)
        migrated = subprocess.run([str(BIN / "goodword"), "migrate"], env=env, cwd=ROOT, capture_output=True,
                                  text=True, timeout=300)
        assert migrated.returncode == 0, migrated.stderr
        seeded = subprocess.run([sys.executable, "-c", SEED % MESSAGES], env=env, cwd=ROOT, capture_output=True,
                                text=True, timeout=120)
        assert seeded.returncode == 0, seeded.stderr
        token = json.loads(seeded.stdout.strip().splitlines()[-1])["token"]

        processes = []
        try:
            (first, a), (second, b) = start_gunicorn(env), start_gunicorn(env)
            processes += [first, second]

            # Signed in on A (a real form post, CSRF origin check behind HTTPS included)...
            status, headers, _ = request(a, "GET", "/accounts/login/")
            assert status == 200
            cookies = set_cookies(headers)
            status, headers, _ = request(a, "POST", "/accounts/login/", cookies=cookies, form={
                "login": "alice@example.com", "password": "correct horse battery staple",
                "csrfmiddlewaretoken": cookies["csrftoken"],
            }, headers={"Origin": f"https://{HOST}", "Referer": f"https://{HOST}/accounts/login/"})
            assert status == 302, "the sign-in form was refused"
            cookies |= set_cookies(headers)
            assert "sessionid" in cookies
            # ... and still signed in on B.
            status, headers, body = request(b, "GET", "/references/", cookies=cookies)
            assert status == 200 and "Dana Whitfield" in body
            assert "no-store" in dict(headers)["Cache-Control"]
            assert "includeSubDomains" in dict(headers)["Strict-Transport-Security"]
            # Without the proxy's word for HTTPS, the same page is sent to HTTPS.
            status, headers, _ = request(b, "GET", "/references/", cookies=cookies,
                                         headers={"X-Forwarded-Proto": "http"})
            assert status == 301 and dict(headers)["Location"].startswith(f"https://{HOST}/")

            # The throttle counts one guesser's misses on both processes, and only theirs.
            guesser, neighbour = "203.0.113.66", "198.51.100.23"
            for n in range(10):
                status, _, _ = request((a, b)[n % 2], "GET", f"/r/{secrets.token_urlsafe(32)}/", client=guesser)
                assert status == 404
            assert request(a, "GET", f"/r/{token}/", client=guesser)[0] == 429
            assert request(b, "GET", f"/r/{token}/", client=guesser)[0] == 429
            assert request(b, "GET", f"/r/{token}/", client=neighbour)[0] == 200

            # Wrong passwords for one account, alternating between the processes from five addresses:
            # the account's limit (5 in 5 minutes) counts them all, so the right one is refused too.
            for n in range(5):
                port = (a, b)[n % 2]
                _status, headers, _ = request(port, "GET", "/accounts/login/", client=f"192.0.2.{n}")
                fresh = set_cookies(headers)
                request(port, "POST", "/accounts/login/", client=f"192.0.2.{n}", cookies=fresh, form={
                    "login": "alice@example.com", "password": f"guess {n}", "csrfmiddlewaretoken": fresh["csrftoken"],
                }, headers={"Origin": f"https://{HOST}", "Referer": f"https://{HOST}/accounts/login/"})
            _status, headers, _ = request(b, "GET", "/accounts/login/", client="192.0.2.77")
            fresh = set_cookies(headers)
            status, _, body = request(b, "POST", "/accounts/login/", client="192.0.2.77", cookies=fresh, form={
                "login": "alice@example.com", "password": "correct horse battery staple",
                "csrfmiddlewaretoken": fresh["csrftoken"],
            }, headers={"Origin": f"https://{HOST}", "Referer": f"https://{HOST}/accounts/login/"})
            assert status != 302 and (status == 429 or "Too many failed login attempts" in body)

            # Two workers send the outbox, each message once.
            for _ in range(2):
                processes.append(subprocess.Popen([str(BIN / "goodword"), "worker", "--poll", "0.05"], env=env,
                                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
            assert sink.handler.wait_for(MESSAGES, timeout=120), f"{len(sink.handler.received)} sent"
            time.sleep(1)  # room for a duplicate to arrive, if there were one
            ids = sink.handler.message_ids()
            assert len(ids) == MESSAGES == len(set(ids))
            status, _, body = request(a, "GET", "/healthz?worker=1")
            assert (status, body) == (200, "ok\n")
        finally:
            stop(processes)
