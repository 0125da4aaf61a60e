"""The API's HTTP conventions: cursors, the CLI's filters, problem details with field messages,
ETag / If-None-Match / If-Match, idempotency keys, and writes through the same services as the web."""

import json

import pytest

from goodword.api.models import IdempotentRequest
from goodword.opportunities.models import Listing
from goodword.references.models import Reference
from goodword.timeline.models import Event
from tests.factories.api import ApiClient, bearer, make_token
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event


@pytest.fixture
def api(client, alice):
    return ApiClient(client, make_token(alice))


def test_cursor_pages_cover_every_event_once_in_the_one_order(api, alice):
    import datetime as dt

    from django.utils import timezone

    reference = make_reference(alice)
    moment = timezone.now() - dt.timedelta(days=1)
    for index in range(23):
        # several share a moment: the id breaks the tie, as everywhere else
        make_event(reference, "note", occurred_at=moment - dt.timedelta(minutes=index // 3), note=str(index))
    seen, cursor = [], None
    while True:
        page = api.get("/api/v1/events?limit=5" + (f"&cursor={cursor}" if cursor else "")).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    expected = list(Event.objects.filter(owner=alice).order_by("-occurred_at", "-id").values_list("id", flat=True))
    assert seen == expected


def test_filters_match_the_clis(api, alice):
    morgan = make_reference(alice, name="Morgan Ellis")
    make_reference(alice, name="Morgana Smith")
    job = make_opportunity(alice, company="Fabrikam", role="Engineer", stage="references_requested")
    make_opportunity(alice, company="Contoso", role="Engineer", stage="applied")
    make_listing(job, morgan)
    make_event(morgan, "note")
    assert [o["company"] for o in api.get("/api/v1/opportunities?stage=applied").json()["items"]] == ["Contoso"]
    assert len(api.get("/api/v1/events?ref=Morgan Ellis").json()["items"]) == 1
    ambiguous = api.get("/api/v1/events?ref=Morgan")
    assert ambiguous.status_code == 422 and "several" in ambiguous.json()["detail"]
    debts = api.get(f"/api/v1/debts?severity=critical&ref={morgan.pk}").json()["items"]
    assert debts and all(d["severity"] == "critical" and d["reference"]["id"] == morgan.pk for d in debts)
    assert api.get("/api/v1/debts?severity=urgent").status_code == 422


def test_validation_errors_name_each_field(api):
    response = api.send("POST", "/api/v1/references", {"name": "", "emails": ["x"] * 11, "relationship": "boss"})
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"body.name", "body.emails", "body.relationship"} <= fields
    # a domain rule (the model's validation) speaks in the same shape
    domain = api.send("POST", "/api/v1/references", {"name": "Dana", "emails": ["not-an-address"]})
    assert domain.status_code == 422
    assert domain.json()["errors"][0]["field"] == "body.emails"


def test_etag_gives_304_and_if_match_refuses_a_stale_write(api, alice):
    reference = make_reference(alice, name="Morgan")
    url = f"/api/v1/references/{reference.pk}"
    first = api.get(url)
    tag = first["ETag"]
    assert api.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 304
    assert api.send("PATCH", url, {"title": "CTO"}, HTTP_IF_MATCH=tag).status_code == 200
    assert api.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 200  # changed: a new ETag
    stale = api.send("PATCH", url, {"title": "CEO"}, HTTP_IF_MATCH=tag)
    assert stale.status_code == 412 and stale["Content-Type"] == "application/problem+json"
    assert Reference.objects.get(pk=reference.pk).title == "CTO"
    assert api.send("DELETE", url, HTTP_IF_MATCH=tag).status_code == 412
    assert api.send("DELETE", url, HTTP_IF_MATCH=api.get(url)["ETag"]).status_code == 204


def test_an_idempotency_key_replays_the_first_answer(api, alice):
    body = {"name": "Morgan Ellis"}
    first = api.send("POST", "/api/v1/references", body, HTTP_IDEMPOTENCY_KEY="add-morgan-1")
    again = api.send("POST", "/api/v1/references", body, HTTP_IDEMPOTENCY_KEY="add-morgan-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert Reference.objects.filter(owner=alice).count() == 1
    other = api.send("POST", "/api/v1/references", {"name": "Dana"}, HTTP_IDEMPOTENCY_KEY="add-morgan-1")
    assert other.status_code == 422
    assert api.send("POST", "/api/v1/references", body, HTTP_IDEMPOTENCY_KEY="short").status_code == 400
    # a refused request stores nothing under its key: it may be retried once corrected
    assert api.send("POST", "/api/v1/references", {"name": ""}, HTTP_IDEMPOTENCY_KEY="add-dana-01").status_code == 422
    assert api.send("POST", "/api/v1/references", {"name": "Dana"}, HTTP_IDEMPOTENCY_KEY="add-dana-01").status_code == 201
    assert IdempotentRequest.objects.count() == 2


def test_the_same_key_from_two_users_is_two_keys(client, alice, bob):
    for user in (alice, bob):
        response = client.post("/api/v1/references", json.dumps({"name": f"Ref of {user}"}),
                               content_type="application/json", HTTP_IDEMPOTENCY_KEY="same-key-123",
                               **bearer(make_token(user)))
        assert response.status_code == 201
    assert Reference.objects.filter(owner=bob).count() == 1


def test_a_slate_and_the_ledger_through_the_api_as_on_the_web(api, alice):
    morgan = api.send("POST", "/api/v1/references", {"name": "Morgan", "emails": ["m@example.com"]}).json()
    job = api.send("POST", "/api/v1/opportunities", {"company": "Fabrikam", "role": "Eng",
                                                     "stage": "references_requested"}).json()
    listing = api.send("POST", f"/api/v1/opportunities/{job['id']}/listings", {"reference_id": morgan["id"]}).json()
    assert listing["state"] == "listed"
    debts = api.get(f"/api/v1/debts?job={job['id']}").json()["items"]
    heads_up = next(d for d in debts if d["action"] == "heads_up")
    draft = api.send("POST", f"/api/v1/debts/{heads_up['key']}/draft", {"tone": "formal"})
    assert draft.status_code == 200 and draft.json()["kind"] == "heads_up"
    settled = api.send("POST", f"/api/v1/debts/{heads_up['key']}/settle", {"channel": "phone"})
    assert settled.status_code == 200 and settled.json()["event"]["kind"] == "heads_up"
    keys = {d["key"] for d in api.get(f"/api/v1/debts?job={job['id']}").json()["items"]}
    assert heads_up["key"] not in keys
    other = next(iter(keys))
    assert api.send("POST", f"/api/v1/debts/{other}/snooze", {"until": "2000-01-01"}).status_code == 422
    import datetime as dt

    until = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    assert api.send("POST", f"/api/v1/debts/{other}/snooze", {"until": until}).status_code == 200
    assert other in {d["key"] for d in api.get("/api/v1/debts?hidden=true").json()["items"]}
    assert api.send("DELETE", f"/api/v1/debts/{other}/decision").status_code == 204
    stage = api.send("POST", f"/api/v1/opportunities/{job['id']}/stages", {"stage": "offer"})
    assert stage.status_code == 201
    assert api.get(f"/api/v1/opportunities/{job['id']}").json()["stage"] == "offer"
    link = api.send("POST", f"/api/v1/listings/{listing['id']}/portal-link", {})
    assert link.status_code == 201 and link.json()["url"] and link["Cache-Control"] == "no-store"
    assert api.get(f"/api/v1/listings/{listing['id']}/portal-link").json() | {"url": None} == link.json() | {"url": None}
    assert api.send("DELETE", f"/api/v1/listings/{listing['id']}/portal-link").json()["status"] == "revoked"
    assert api.send("DELETE", f"/api/v1/listings/{listing['id']}").status_code == 204
    assert not Listing.objects.exists()


def test_openapi_and_docs_are_served(client):
    description = client.get("/api/openapi.json").json()
    assert description["openapi"].startswith("3.1")
    some = description["paths"]["/api/v1/references/{reference_id}"]["patch"]["responses"]
    assert "application/problem+json" in some["412"]["content"]
    page = client.get("/api/docs")
    assert page.status_code == 200 and b"/static/ninja/swagger-ui-bundle.js" in page.content
    assert b"cdn" not in page.content.lower()


def test_a_form_body_is_refused_as_415_not_a_crash(alice_client):
    response = alice_client.post("/api/v1/references", {"name": "Morgan"})  # multipart, as a browser form sends
    assert response.status_code == 415 and response["Content-Type"] == "application/problem+json"


def test_an_idempotency_key_is_remembered_for_a_day(api, alice):
    import datetime as dt

    assert api.send("POST", "/api/v1/references", {"name": "Morgan"}, HTTP_IDEMPOTENCY_KEY="daily-key-1").status_code == 201
    IdempotentRequest.objects.update(created_at=IdempotentRequest.objects.get().created_at - dt.timedelta(days=2))
    again = api.send("POST", "/api/v1/references", {"name": "Dana"}, HTTP_IDEMPOTENCY_KEY="daily-key-1")
    assert again.status_code == 201 and again.json()["name"] == "Dana"
    assert IdempotentRequest.objects.count() == 1


def test_thresholds_and_templates_as_on_their_settings_pages(api, alice):
    settings = api.get("/api/v1/settings/courtesy")
    assert settings.json()["thank_within_days"] == 7
    changed = api.send("PATCH", "/api/v1/settings/courtesy", {"thank_within_days": 10}, HTTP_IF_MATCH=settings["ETag"])
    assert changed.status_code == 200 and changed.json()["thank_within_days"] == 10
    # checked together, as the settings form checks them
    refused = api.send("PATCH", "/api/v1/settings/courtesy", {"archive_after_days": 95, "fatigue_days": 100})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "body.archive_after_days"
    assert api.send("PATCH", "/api/v1/settings/courtesy", {"time_zone": "Mars/Olympus"}).status_code == 422
    broken = api.send("PUT", "/api/v1/templates/thanks/friendly", {"subject": "Hi {{ reference.name ", "body": "x"})
    assert broken.status_code == 422
    mine = api.send("PUT", "/api/v1/templates/thanks/friendly", {"subject": "Thanks {{ reference.first_name }}",
                                                                 "body": "Thank you."})
    assert mine.status_code == 200 and mine.json()["source"] == "yours"
    assert len(api.get("/api/v1/templates?limit=100").json()["items"]) == 16
    assert api.send("DELETE", "/api/v1/templates/thanks/friendly").status_code == 204
    assert api.get("/api/v1/templates/thanks/friendly").json()["source"] == "built-in"
    assert api.get("/api/v1/templates/nonsense/friendly").status_code == 422


@pytest.mark.parametrize("body", ["[]", "[1, 2]", "3", '"x"', "true", "null"])
def test_a_body_that_is_not_an_object_is_refused_and_changes_nothing(api, alice, body):
    before = api.get("/api/v1/settings/reminders").json()
    response = api.client.generic("PATCH", "/api/v1/settings/reminders", body, content_type="application/json",
                                  **api.headers)
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert "must be a JSON object" in response.json()["detail"]
    assert api.get("/api/v1/settings/reminders").json() == before
