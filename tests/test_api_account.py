"""What used to be web-only, through the API and the same services: the profile, JSON export and
import, the reference sheet and employer link, notices, reminders and SMTP settings."""

import json

import pytest

from goodword.outreach.models import SmtpSettings
from goodword.reminders import services as reminders
from goodword.references.models import Reference
from goodword.sheets.models import EmployerLink
from goodword.timeline.models import Event
from tests.factories.api import ApiClient, bearer, make_token
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.outreach import SmtpSink, make_smtp_settings
from tests.factories.references import make_reference


@pytest.fixture
def api(client, alice):
    return ApiClient(client, make_token(alice))


def test_profile_reads_and_changes_through_the_profile_service(api, alice):
    changed = api.send("PATCH", "/api/v1/profile", {"first_name": "Alice", "last_name": "Moreau",
                                                    "phone": "+44 20 7946 0000"})
    assert changed.status_code == 200, changed.content
    alice.refresh_from_db()
    assert (alice.first_name, alice.last_name) == ("Alice", "Moreau")
    assert api.get("/api/v1/profile").json()["phone"] == "+44 20 7946 0000"
    bad = api.send("PATCH", "/api/v1/profile", {"email": "not an address"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.email"


def test_export_then_import_into_another_account_and_again_changes_nothing(client, alice, bob, api):
    make_reference(alice, name="Morgan Ellis", emails=["morgan@example.com"])
    document = api.get("/api/v1/export").json()
    assert document["format"] == "goodword-export" and document["references"][0]["name"] == "Morgan Ellis"
    bobs = bearer(make_token(bob))
    dry = client.post("/api/v1/import?dry_run=true", json.dumps(document), content_type="application/json", **bobs)
    assert dry.status_code == 200 and dry.json()["imported"] is False and dry.json()["created"]["references"] == 1
    assert not Reference.objects.for_user(bob).exists()
    first = client.post("/api/v1/import", json.dumps(document), content_type="application/json", **bobs)
    assert first.json()["created"]["references"] == 1
    again = client.post("/api/v1/import", json.dumps(document), content_type="application/json", **bobs).json()
    assert again["created"]["references"] == 0 and Reference.objects.for_user(bob).count() == 1
    refused = client.post("/api/v1/import", json.dumps({"format": "other"}), content_type="application/json", **bobs)
    assert refused.status_code == 422 and "Nothing was imported" in refused.json()["detail"]


def test_sheet_choices_and_an_employer_link_shown_once(api, alice):
    job = make_opportunity(alice, company="Fabrikam", role="Engineer", stage="references_requested")
    morgan = make_reference(alice, name="Morgan Ellis", emails=["morgan@example.com"])
    make_listing(job, morgan)
    stranger = make_reference(alice, name="Not On Slate")
    base = f"/api/v1/opportunities/{job.pk}"
    saved = api.send("PUT", base + "/sheet", {"headline": "Platform work", "chosen": [morgan.pk], "insisted": [morgan.pk],
                                             "notes": {str(morgan.pk): "My manager at Contoso"}})
    assert saved.status_code == 200 and saved.json()["notes"] == {str(morgan.pk): "My manager at Contoso"}
    assert [e["name"] for e in saved.json()["entries"]] == ["Morgan Ellis"], saved.json()["entries"]
    assert saved.json()["entries"][0]["included"], saved.json()["entries"]
    assert api.send("PUT", base + "/sheet", {"chosen": [stranger.pk]}).status_code == 422
    assert api.get(base + "/employer-link").json()["status"] == "none"
    issued = api.send("POST", base + "/employer-link", {"employer": "Fabrikam HR", "days": 10})
    assert issued.status_code == 201 and issued["Cache-Control"] == "no-store"
    url = issued.json()["url"]
    assert "/e/" in url and url.rsplit("/e/", 1)[1].strip("/") not in EmployerLink.objects.get().token_hash
    assert Event.objects.filter(reference=morgan, kind="sheet_sent").exists()
    status = api.get(base + "/employer-link").json()
    assert status["status"] == "live" and status["url"] is None
    assert api.send("DELETE", base + "/employer-link").json()["status"] == "revoked"


def test_reminders_digest_and_calendar_feed(api, alice):
    changed = api.send("PATCH", "/api/v1/settings/reminders", {"digest_enabled": True, "digest_hour": 7})
    assert changed.status_code == 200 and changed.json()["digest_enabled"] is True
    assert api.send("PATCH", "/api/v1/settings/reminders", {"digest_address": "nope"}).json()["errors"][0]["field"] \
        == "body.digest_address"
    assert api.send("PATCH", "/api/v1/settings/reminders", {"digest_enabled": False}).json()["digest_enabled"] is False
    feed = api.send("POST", "/api/v1/settings/reminders/calendar-feed")
    assert feed.status_code == 201 and reminders.has_live_feed(alice)
    assert api.get("/api/v1/settings/reminders").json()["calendar_feed"] is True
    assert api.send("DELETE", "/api/v1/settings/reminders/calendar-feed").json()["calendar_feed"] is False


def test_smtp_password_is_write_only_and_the_test_message_goes_out(api, alice):
    assert api.get("/api/v1/settings/smtp").json()["configured"] is False
    with SmtpSink() as sink:
        saved = api.send("PUT", "/api/v1/settings/smtp", {"host": "127.0.0.1", "port": sink.port, "security": "none",
                                                           "password": "hunter2-secret", "from_address": "alice@example.com"})
        assert saved.status_code == 200, saved.content
        assert saved.json()["has_password"] is True and "hunter2" not in saved.content.decode()
        assert "hunter2" not in api.get("/api/v1/settings/smtp").content.decode()
        assert "hunter2" not in SmtpSettings.objects.get(owner=alice).password_encrypted
        sent = api.send("POST", "/api/v1/settings/smtp/test")
        assert sent.status_code == 200 and sink.handler.wait_for(1)
    # Saving again without a password keeps it; forgetting deletes it.
    assert api.send("PUT", "/api/v1/settings/smtp", {"host": "127.0.0.1", "port": 2525, "security": "none",
                                                      "from_address": "alice@example.com"}).json()["has_password"]
    assert api.send("DELETE", "/api/v1/settings/smtp/password").json()["has_password"] is False
    failed = api.send("POST", "/api/v1/settings/smtp/test")
    assert failed.status_code == 422


def test_a_read_only_token_reads_settings_but_changes_none(client, alice):
    make_smtp_settings(alice, 2525)
    reader = bearer(make_token(alice, read_only=True))
    assert client.get("/api/v1/settings/smtp", **reader).status_code == 200
    for method, url in (("PATCH", "/api/v1/profile"), ("POST", "/api/v1/import"), ("PUT", "/api/v1/settings/smtp"),
                        ("POST", "/api/v1/settings/smtp/test"), ("PATCH", "/api/v1/settings/reminders"),
                        ("POST", "/api/v1/notices/portal/read")):
        assert client.generic(method, url, "{}", content_type="application/json", **reader).status_code == 403, url


def test_notices_list_and_mark_read(api):
    assert api.get("/api/v1/notices/portal").json() == {"items": [], "next_cursor": None}
    assert api.send("POST", "/api/v1/notices/portal/read").json() == {"marked_read": 0}
    assert api.get("/api/v1/notices/employer").json()["items"] == []
    assert api.send("POST", "/api/v1/notices/employer/read").json() == {"marked_read": 0}


def test_synonyms_requirements_and_the_builders_suggestion(api, alice):
    job = make_opportunity(alice, company="Fabrikam", role="Engineer", stage="applied")
    morgan = make_reference(alice, name="Morgan Ellis", vouches_for=["k8s"])
    assert api.send("PUT", "/api/v1/settings/synonyms", {"text": "k8s = kubernetes"}).json()["text"] == "k8s = kubernetes"
    base = f"/api/v1/opportunities/{job.pk}"
    kept = api.send("PUT", base + "/requirements", {"requirements": ["Runs Kubernetes in production", " ", "Runs Kubernetes in production"]})
    assert kept.status_code == 200 and kept.json() == {"opportunity_id": job.pk, "requirements": ["Runs Kubernetes in production"],
                                                       "checked": True}
    too_long = api.send("PUT", base + "/requirements", {"requirements": [f"line {n}" for n in range(61)]})
    assert too_long.status_code == 422 and too_long.json()["errors"][0]["field"] == "body.requirements"
    suggestion = api.get(base + "/suggestion?wanted=1").json()
    assert [pick["reference_id"] for pick in suggestion["picks"]][:1] == [morgan.pk]
    assert suggestion["picks"][0]["covers"] == ["Runs Kubernetes in production"], suggestion
    applied = api.send("POST", base + "/suggestion/apply", {"reference_ids": [morgan.pk]})
    assert applied.status_code == 200 and applied.json()["listed"][0]["reference_id"] == morgan.pk
    assert list(job.listings.values_list("reference_id", flat=True)) == [morgan.pk]
    assert api.send("POST", base + "/posting/fetch").status_code == 422  # no posting address yet


def test_an_import_too_large_to_read_is_a_413_not_a_crash(client, alice, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = json.dumps({"format": "goodword-export", "schema_version": 1, "padding": "x" * (1024 * 1024 + 10)})
    refused = client.post("/api/v1/import", body, content_type="application/json", **bearer(make_token(alice)))
    assert refused.status_code == 413 and refused["Content-Type"] == "application/problem+json"
    assert "goodword import" in refused.json()["detail"]
