"""No live token (portal, calendar feed, sign-in link) reaches a log line, whatever the URL or error."""

import contextlib
import datetime as dt
import io
import logging

import pytest
from django.test import Client
from django.urls import get_resolver

from goodword.accounts.services import issue_login_token
from goodword.lib import redact
from goodword.outreach import outbox
from goodword.reminders.services import issue_feed_token
from tests.factories.outreach import SmtpSink, make_smtp_settings
from tests.factories.portal import make_portal_setup
from tests.factories.references import make_reference

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def captured_logs(caplog):
    """Every record at DEBUG, as captured and as the configured handlers write it."""
    written = io.StringIO()
    handlers = [handler for handler in logging.getLogger().handlers if isinstance(handler, logging.StreamHandler)
                and handler.get_name() == "console"]
    assert handlers, "the LOGGING console handler is missing"
    previous = [handler.setStream(written) for handler in handlers]
    logs = {}
    try:
        with caplog.at_level(logging.DEBUG):
            yield logs
    finally:
        for handler, stream in zip(handlers, previous, strict=True):
            handler.setStream(stream)
    logs["records"] = "\n".join(
        f"{record.getMessage()}\n{record.exc_text or ''}\n{record.stack_info or ''}" for record in caplog.records
    )
    logs["captured"] = caplog.text
    logs["handlers"] = written.getvalue()


def assert_absent(logs, *secrets):
    for where, text in logs.items():
        for secret in secrets:
            assert secret not in text, f"a token reached the log ({where}):\n{text}"
            assert secret[:30] not in text, f"most of a token reached the log ({where}):\n{text}"


def near_misses(prefix, token):
    return [f"{prefix}{token}/x/", f"{prefix}{token}//", f"{prefix}{token}/.", f"{prefix}{token}/index.html",
            f"{prefix}{token}", f"{prefix}{token}x/", f"{prefix}/{token}/", f"{prefix}{token}/%2e%2e/",
            f"{prefix}{token}.ICS", f"{prefix}{token}.ics/", f"{prefix}{token}/", f"{prefix}{token}.ics.bak"]


def test_near_miss_urls_under_every_kind_of_token_are_logged_without_the_token(alice, caplog):
    _listing, portal_token = make_portal_setup(alice)
    feed_token = issue_feed_token(alice)
    login_token = issue_login_token(alice)
    anonymous, strict = Client(), Client(enforce_csrf_checks=True)
    with captured_logs(caplog) as logs:
        for prefix, token in (("/r/", portal_token), ("/reminders/feed/", feed_token),
                              ("/accounts/link/", login_token)):
            for url in near_misses(prefix, token):
                for client in (anonymous, strict):
                    client.get(url)
                    client.post(url, {"form": "letter"})
                    client.generic("PROPFIND", url)
        anonymous.get("/no-such-page-control/")
    assert "Not Found: /no-such-page-control/" in logs["handlers"]  # 404s are logged at all…
    assert f"Not Found: /r/{redact.LOG_MARKER}/x/" in logs["records"]  # …and these ones without the token
    assert f"Not Found: /reminders/feed/{redact.LOG_MARKER}" in logs["records"]
    assert "Forbidden (CSRF" in logs["records"]  # the strict client's POSTs were refused and logged
    assert_absent(logs, portal_token, feed_token, login_token)


def test_errors_under_a_token_url_are_logged_without_the_token(alice, caplog, monkeypatch):
    from goodword.accounts import views as account_views
    from goodword.reminders import views as reminder_views

    feed_token = issue_feed_token(alice)
    login_token = issue_login_token(alice)

    def broken(token):
        raise RuntimeError(f"cannot look up {token}")

    monkeypatch.setattr(reminder_views.services, "resolve_feed", broken)
    monkeypatch.setattr(account_views, "redeem_login_token", broken)
    client = Client(raise_request_exception=False)
    with captured_logs(caplog) as logs:
        assert client.get(f"/reminders/feed/{feed_token}.ics").status_code == 500
        assert client.get(f"/accounts/link/{login_token}/").status_code == 500
    assert "Traceback" in logs["handlers"] and "RuntimeError: cannot look up" in logs["handlers"]
    assert "Internal Server Error: /accounts/link/" in logs["handlers"]
    assert_absent(logs, feed_token, login_token)


def test_the_worker_logs_a_refusal_that_quotes_the_link_without_the_token(alice, caplog, monkeypatch):
    monkeypatch.setattr(outbox, "RETRY_BASE", dt.timedelta(0))
    _listing, token = make_portal_setup(alice)
    link = f"http://testserver/r/{token}/"
    with SmtpSink() as sink:
        make_smtp_settings(alice, sink.port)
        sink.handler.plan = [f"550 5.7.1 Blocked URL {link} in message"]
        reference = make_reference(alice, emails=["dana@example.com"])
        outbox.queue_message(alice, reference, kind="heads_up", subject="Heads-up", text=f"Your page: {link}\n")
        with captured_logs(caplog) as logs:
            assert outbox.drain() == {"failed": 1}
    assert "550 5.7.1 Blocked URL" in logs["handlers"]
    assert_absent(logs, token)


def test_any_logger_and_any_handler_get_redacted_records(caplog):
    token = "A" * 20 + "b" * 23
    own = logging.getLogger("some.library")
    written = io.StringIO()
    private_handler = logging.StreamHandler(written)  # not configured by Goodword: redaction happens earlier
    own.addHandler(private_handler)
    try:
        with captured_logs(caplog) as logs:
            own.warning("fetching %s", f"https://refs.example.org/goodword/r/{token}/")
            own.info("Client disconnected while serving /reminders/feed/%s.ics" % token)
            try:
                raise ValueError(f"bad token {token}")
            except ValueError:
                own.exception("failed")
            own.warning("stack", stack_info=True)
    finally:
        own.removeHandler(private_handler)
    logs["private handler"] = written.getvalue()
    assert "https://refs.example.org/goodword/r/[redacted]/" in logs["private handler"]
    assert_absent(logs, token)


def test_pages_under_r_that_are_not_tokens_stay_readable_in_the_log():
    assert redact.redact_log_text("Not Found: /r/manage/12/x/") == "Not Found: /r/manage/12/x/"
    assert redact.redact_log_text("Method Not Allowed: /r/notices/read/") == "Method Not Allowed: /r/notices/read/"


def test_every_url_with_a_token_is_under_a_prefix_the_redaction_knows():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    with_tokens = [route for route in walk(get_resolver().url_patterns) if "<str:token>" in route]
    # portal (page, letter), feed, sign-in, invitation, employer (page, sheet, letter), standing
    assert len(with_tokens) == 9
    for route in with_tokens:
        assert route.split("<str:token>")[0].strip("/") in redact.TOKEN_URL_PREFIXES, route


@pytest.mark.parametrize("debug", ["false", "true"])
def test_a_running_server_writes_no_token_to_its_output(tmp_path, debug):
    """`goodword serve` (waitress) as a user runs it: near-miss URLs under every token, and its whole stderr."""
    import re
    import subprocess
    import time
    import urllib.error
    import urllib.request

    from tests.test_cli_process import installed_script, plain_env

    env = plain_env(tmp_path) | {"GOODWORD_DEBUG": debug}

    def goodword(*args):
        done = subprocess.run([installed_script(), *args], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    goodword("ref", "add", "Dana Whitfield", "--email", "dana@example.com")
    goodword("job", "add", "Northwind", "Platform Engineer", "--stage", "references_requested")
    goodword("slate", "add", "Northwind", "Dana")
    portal_token = re.search(r"/r/([A-Za-z0-9_-]{43})/", goodword("portal", "Northwind", "Dana")).group(1)
    server = subprocess.Popen([installed_script(), "serve", "--no-browser", "--port", "0"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        deadline = time.monotonic() + 60
        while "/accounts/link/" not in line and time.monotonic() < deadline:
            line = server.stdout.readline()
        base, login_token = re.search(r"(http://[^/]+)/accounts/link/([A-Za-z0-9_-]{43})/", line).groups()
        for prefix, token in (("/r/", portal_token), ("/accounts/link/", login_token)):
            for url in near_misses(prefix, token):
                for data in (None, b"form=letter"):
                    try:
                        urllib.request.urlopen(base + url, data=data, timeout=10)
                    except urllib.error.HTTPError:
                        pass
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(base + "/no-such-page-control/", timeout=10)
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=20)
    assert "Not Found: /no-such-page-control/" in err
    assert f"Not Found: /r/{redact.LOG_MARKER}/x/" in err
    for token in (portal_token, login_token):
        assert token[:30] not in err, err
