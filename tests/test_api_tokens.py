"""Personal access tokens: made on the settings page and by the CLI, shown once, stored hashed,
read-only or read-write, revocable, rate limited, never logged."""

import json
import logging

import pytest

from goodword.api import services
from goodword.api.models import AccessToken
from tests.factories.api import bearer, make_token
from tests.factories.references import make_reference


def test_a_token_is_stored_only_as_its_hash(alice):
    token = make_token(alice)
    row = AccessToken.objects.get()
    assert token not in json.dumps(row.as_dict()) and row.token_hash != token
    assert token.startswith(row.prefix) and len(row.prefix) == 12


def test_a_read_only_token_reads_but_cannot_write(client, alice):
    token = make_token(alice, read_only=True)
    assert client.get("/api/v1/references", **bearer(token)).status_code == 200
    response = client.post("/api/v1/references", {"name": "Morgan"}, content_type="application/json", **bearer(token))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "read-only" in response.json()["detail"]
    reference = make_reference(alice)
    assert client.delete(f"/api/v1/references/{reference.pk}", **bearer(token)).status_code == 403
    assert client.get(f"/api/v1/references/{reference.pk}", **bearer(token)).status_code == 200


def test_a_revoked_token_gets_401(client, alice):
    token = make_token(alice)
    assert client.get("/api/v1/ledger", **bearer(token)).status_code == 200
    services.revoke_token(AccessToken.objects.get())
    response = client.get("/api/v1/ledger", **bearer(token))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer gwp_" + "x" * 43, "Basic Zm9vOmJhcg==", "Bearer", "", "Bearer " + "a" * 5000])
def test_a_wrong_or_malformed_token_gets_401(client, alice, header):
    response = client.get("/api/v1/references", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"


def test_rate_limit_answers_429_with_retry_after(client, alice, monkeypatch):
    monkeypatch.setattr(services, "RATE_LIMIT_PER_MINUTE", 3)
    token = make_token(alice)
    other = make_token(alice, "other")
    answers = [client.get("/api/v1/ledger", **bearer(token)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = client.get("/api/v1/ledger", **bearer(token))
    assert 1 <= int(limited["Retry-After"]) <= 61
    assert limited["Content-Type"] == "application/problem+json"
    # per token: another token of the same user is not held back
    assert client.get("/api/v1/ledger", **bearer(other)).status_code == 200


def test_last_used_is_written_at_most_once_a_minute(alice):
    import datetime as dt

    from django.utils import timezone

    token = make_token(alice)
    now = timezone.now()
    services.authenticate(token, now=now)
    services.authenticate(token, now=now + dt.timedelta(seconds=30))
    assert AccessToken.objects.get().last_used_at == now
    services.authenticate(token, now=now + dt.timedelta(seconds=61))
    assert AccessToken.objects.get().last_used_at == now + dt.timedelta(seconds=61)


def test_the_token_never_appears_in_logs(client, alice, caplog):
    token = make_token(alice)
    with caplog.at_level(logging.DEBUG):
        client.get("/api/v1/references/999999", **bearer(token))  # a 404 is logged by django.request
        client.get(f"/api/v1/references?q={token}", **bearer(token))
        client.post("/api/v1/references", json.dumps({"name": token, "emails": ["bad"]}),
                    content_type="application/json", **bearer(token))
        client.get("/api/v1/ledger", HTTP_AUTHORIZATION=f"Bearer {token}x")
    assert caplog.records
    assert token not in caplog.text and token[4:] not in caplog.text


def test_settings_page_makes_a_token_shown_once_and_revokes_it(alice_client, alice, client):
    page = alice_client.get("/settings/")
    assert b"API tokens" in page.content
    made = alice_client.post("/api/tokens/", {"name": "job tracker", "scope": "read"})
    assert made.status_code == 200 and "no-store" in made["Cache-Control"]
    row = AccessToken.objects.get()
    token = made.content.decode().split('id="new-token"')[1].split('value="')[1].split('"')[0]
    assert token.startswith(row.prefix) and row.scope == "read"
    assert token not in alice_client.get("/settings/").content.decode()
    assert client.get("/api/v1/ledger", **bearer(token)).status_code == 200
    assert alice_client.post(f"/api/tokens/{row.pk}/revoke/").status_code == 302
    assert AccessToken.objects.get().revoked_at is not None
    assert client.get("/api/v1/ledger", **bearer(token)).status_code == 401


def test_the_settings_form_needs_csrf(alice):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.post("/api/tokens/", {"name": "x", "scope": "read"}).status_code == 403
    assert not AccessToken.objects.exists()


def test_the_session_reaches_the_api_only_with_csrf_for_writes(alice):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    assert strict.get("/api/v1/references").status_code == 200
    refused = strict.post("/api/v1/references", {"name": "Morgan"}, content_type="application/json")
    assert refused.status_code == 403


def test_bob_cannot_revoke_alices_token(client, alice, bob):
    make_token(alice)
    row = AccessToken.objects.get()
    client.force_login(bob)
    assert client.post(f"/api/tokens/{row.pk}/revoke/").status_code == 404
    bobs = make_token(bob)
    assert client.delete(f"/api/v1/tokens/{row.pk}", **bearer(bobs)).status_code == 404
    assert AccessToken.objects.get(pk=row.pk).revoked_at is None


def test_cli_creates_lists_and_revokes_tokens(run, client, alice):
    made = run("token", "create", "ci", "--read-only")
    assert made.exit_code == 0, made.output
    token = made.output.strip().splitlines()[-1]
    assert token.startswith("gwp_")
    assert client.get("/api/v1/ledger", **bearer(token)).status_code == 200
    listed = run("token", "list")
    assert "ci" in listed.output and token not in listed.output and "read only" in listed.output
    row = AccessToken.objects.get()
    assert json.loads(run("token", "list", "--json").output)[0]["scope"] == "read"
    assert run("token", "revoke", str(row.pk)).exit_code == 0
    assert client.get("/api/v1/ledger", **bearer(token)).status_code == 401
    assert run("token", "revoke", "99999").exit_code != 0


def test_goodword_help_lists_token_without_importing_django():
    import subprocess
    import sys

    code = ("import sys; from click.testing import CliRunner; from goodword.cli import main; "
            "r = CliRunner().invoke(main, ['--help']); assert 'token' in r.output; "
            "r = CliRunner().invoke(main, ['token', '--help']); assert 'Examples' in r.output; "
            "assert 'django' not in sys.modules, 'django imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
