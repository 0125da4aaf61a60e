"""Every API route, for alice and bob: bob's token on alice's ids gets 404 (problem+json), and
alice's own ids answer. Routes are read from the URL resolver, so a new one cannot be forgotten."""

import json
import re

import pytest
from django.urls import get_resolver

from goodword.api.core import api
from goodword.centres import services as centre_services
from goodword.centres.models import Access, Membership
from goodword.outreach import outbox
from goodword.webhooks import services as webhook_services
from tests.factories.api import bearer, make_token
from tests.factories.centres import make_centre, make_member
from tests.factories.opportunities import make_interview, make_listing, make_opportunity
from tests.factories.outreach import make_smtp_settings
from tests.factories.references import make_reference
from tests.factories.sheets import make_letter
from tests.factories.timeline import make_event

import goodword.api.urls  # noqa: F401,E402  (adds the routers to the API)

PARAMETER = re.compile(r"\{(\w+)\}")
# A valid body for each write, so that only the id can be what is refused.
BODIES = {
    ("POST", "/stages"): {"stage": "offer"},
    ("POST", "/interviews"): {"when": "2026-01-01T10:00:00Z"},
    ("POST", "/listings"): {"reference_id": "BOB_REFERENCE"},
    ("POST", "/move"): {"offset": 1},
    ("POST", "/snooze"): {"until": "2030-01-01"},
    ("POST", "/dismiss"): {"reason": "not needed"},
    ("POST", "/draft"): {"kind": "thanks"},
    ("PUT", "/requirements"): {"requirements": ["Python"]},
    ("POST", "/apply"): {"reference_ids": ["BOB_REFERENCE"]},
    ("POST", "/nudges"): {"text": "How did the interview go?"},
    ("POST", "/seats"): {"email": "new.person@example.com", "role": "candidate"},
    ("POST", "/assignments"): {"candidate_id": 1, "coach_id": 1},
    ("POST", "/letters"): {"letter_id": 1},
}


def body_for(method, path, bob_reference):
    for (verb, suffix), body in BODIES.items():
        if verb == method and path.endswith(suffix):
            return {k: (bob_reference if v == "BOB_REFERENCE" else [bob_reference] if v == ["BOB_REFERENCE"] else v)
                    for k, v in body.items()}
    return {}


@pytest.fixture
def owned(alice, bob):
    ids = {}
    centre = make_centre()
    cole = make_member(centre, "cole", "coach")  # coaches both: each has a nudge showing
    for user in (alice, bob):
        reference = make_reference(user, name=f"Dana of {user.username}", emails=[f"dana.{user.username}@example.com"])
        job = make_opportunity(user, company=f"Northwind of {user.username}", role="Engineer",
                               stage="references_requested")
        listing = make_listing(job, reference)
        make_smtp_settings(user, 2525)
        message = outbox.queue_message(user, reference, kind="keep_in_touch", subject="Hello", text="Hello\n")
        from goodword.api.models import AccessToken

        make_token(user, "other")
        webhook, _secret = webhook_services.create_endpoint(user, f"https://hooks.example.org/{user.username}",
                                                            ["portal.answered"])
        webhook_services.send_test(user, webhook.pk)
        candidate = centre_services.add_member(centre, user, "candidate")
        centre_services.assign(candidate, cole)
        # Each is the admin of a centre of their own, with a coach, a candidate and an open seat.
        administered = make_centre(f"Careers of {user.username}")
        centre_services.add_member(administered, user, "admin")
        pupil = make_member(administered, f"pupil_{user.username}", "candidate")
        tutor = make_member(administered, f"tutor_{user.username}", "coach")
        assignment = centre_services.assign(pupil, tutor)
        centre_services.record_access(tutor.user, pupil, "overview")
        seat = centre_services.invite(administered, f"seat.{user.username}@example.com", "coach", user)
        ids[user.username] = {
            "candidate_id": candidate.pk,
            "slug": administered.slug, "assignment_id": assignment.pk, "seat_id": seat.pk,
            "membership_id": tutor.pk, "fmt": "pdf", "letter_id": make_letter(listing).pk,
            "nudge_id": centre_services.nudge(cole.user, candidate, f"Well done, {user.username}").pk,
            "webhook_id": webhook.pk,
            "reference_id": reference.pk, "opportunity_id": job.pk, "interview_id": make_interview(job).pk,
            "listing_id": listing.pk, "event_id": make_event(reference, "note").pk, "message_id": message.pk,
            "token_id": AccessToken.objects.filter(owner=user).first().pk,
            "key": f"no_heads_up:{reference.pk}:{job.pk}",
        }
    return ids


def operations():
    """Every operation whose path names an object by id or key (templates are named by kind and tone:
    each user has their own, see test_templates_are_each_users_own)."""
    schema = api.get_openapi_schema(path_prefix="/api")
    for path, methods in schema["paths"].items():
        for method in methods:
            if PARAMETER.search(path) and "{kind}" not in path:
                yield method.upper(), path


def test_every_route_with_bobs_token_on_alices_ids_is_404(client, alice, bob, owned):
    bobs = make_token(bob)
    checked = 0
    for method, path in operations():
        url = PARAMETER.sub(lambda m: str(owned["alice"][m.group(1)]), path)
        body = body_for(method, path, owned["bob"]["reference_id"])
        response = client.generic(method, url, json.dumps(body), content_type="application/json", **bearer(bobs))
        assert response.status_code == 404, (method, url, response.status_code, response.content[:200])
        assert response["Content-Type"] == "application/problem+json"
        checked += 1
    assert checked >= 25


def test_every_read_route_with_alices_token_on_her_ids_answers(client, alice, owned):
    token = make_token(alice)
    for method, path in operations():
        if method != "GET" or path.startswith("/api/v1/cohort"):
            continue  # alice is not a coach: see test_a_coach_reads_their_candidate_and_nothing_else
        url = PARAMETER.sub(lambda m: str(owned["alice"][m.group(1)]), path)
        response = client.get(url, **bearer(token))
        assert response.status_code == 200, (url, response.content[:300])


def test_lists_show_only_the_callers_rows(client, alice, bob, owned):
    bobs = make_token(bob)
    for path in ("/api/v1/references", "/api/v1/opportunities", "/api/v1/events", "/api/v1/outbox", "/api/v1/tokens",
                 "/api/v1/debts", "/api/v1/webhooks", "/api/v1/contacts/vcard", "/api/v1/contacts/csv"):
        text = client.get(path, **bearer(bobs)).content.decode()
        assert "of alice" not in text and "dana.alice" not in text and "/alice" not in text, path
    for path in (f"/api/v1/events?ref={owned['alice']['reference_id']}", f"/api/v1/debts?job={owned['alice']['opportunity_id']}"):
        assert client.get(path, **bearer(bobs)).status_code == 404


def test_bob_cannot_name_alices_objects_in_a_body(client, alice, bob, owned):
    bobs = make_token(bob)
    a = owned["alice"]
    b = owned["bob"]
    posts = [
        (f"/api/v1/opportunities/{b['opportunity_id']}/listings", {"reference_id": a["reference_id"]}),
        ("/api/v1/events", {"reference_id": a["reference_id"], "kind": "note"}),
        ("/api/v1/events", {"reference_id": b["reference_id"], "kind": "note", "opportunity_id": a["opportunity_id"]}),
        ("/api/v1/outbox", {"reference_id": a["reference_id"], "kind": "thanks", "subject": "x", "text": "y"}),
    ]
    for url, body in posts:
        response = client.post(url, json.dumps(body), content_type="application/json", **bearer(bobs))
        assert response.status_code == 404, (url, response.content)


def test_api_routes_are_in_the_resolver():
    assert any(str(p.pattern) == "api/" for p in get_resolver().url_patterns)


def test_templates_are_each_users_own(client, alice, bob):
    alices, bobs = bearer(make_token(alice)), bearer(make_token(bob))
    saved = client.put("/api/v1/templates/thanks/formal", json.dumps({"subject": "Thanks, {{ reference.first_name }}",
                       "body": "Dear {{ reference.first_name }}, thank you."}), content_type="application/json", **alices)
    assert saved.status_code == 200 and saved.json()["source"] == "yours"
    assert client.get("/api/v1/templates/thanks/formal", **bobs).json()["source"] == "built-in"
    assert client.delete("/api/v1/templates/thanks/formal", **bobs).status_code == 204
    assert client.get("/api/v1/templates/thanks/formal", **alices).json()["source"] == "yours"


def fill(path, ids):
    return PARAMETER.sub(lambda m: str(ids[m.group(1)]), path)


def test_a_coach_reads_their_candidate_and_nothing_else(client, alice, bob, owned):
    """Cora coaches alice (not bob): the coach routes answer for alice, read-only and recorded;
    bob's ids, alice's ids mixed with bob's, and every owner route with alice's ids are 404."""
    from goodword.references.models import Reference

    candidate = Membership.objects.get(pk=owned["alice"]["candidate_id"])
    coach = make_member(candidate.centre, "cora", "coach")
    centre_services.assign(candidate, coach)
    Reference.objects.filter(pk=owned["alice"]["reference_id"]).update(notes="private note on Dana")
    cora = bearer(make_token(coach.user, read_only=True))
    alices = owned["alice"]
    coach_paths = [path for method, path in operations() if path.startswith("/api/v1/cohort") and method == "GET"]
    assert len(coach_paths) == 3

    cohort = client.get("/api/v1/cohort", **cora).json()["items"]
    assert [row["candidate_id"] for row in cohort] == [alices["candidate_id"]]
    looks = Access.objects.filter(coach=coach.user).count()
    for path in coach_paths:
        response = client.get(fill(path, alices), **cora)
        assert response.status_code == 200, (path, response.content[:300])
        text = response.content.decode()
        assert "dana.alice@example.com" not in text and "private note" not in text, path
    assert Access.objects.filter(coach=coach.user, candidate=alice).count() == looks + 3

    # Shared contacts show; the same read function decides for the web page and the API.
    centre_services.set_share_contacts(alice, True)
    shared = client.get(fill("/api/v1/cohort/{candidate_id}/references/{reference_id}", alices), **cora).json()
    assert shared["emails"] == ["dana.alice@example.com"] and "notes" not in shared

    looks = Access.objects.count()
    mixed = [dict(owned["bob"]), dict(alices, reference_id=owned["bob"]["reference_id"],
                                      opportunity_id=owned["bob"]["opportunity_id"])]
    for path in coach_paths:
        for ids in mixed:
            response = client.get(fill(path, ids), **cora)
            if path == "/api/v1/cohort/{candidate_id}" and ids is mixed[1]:
                continue  # alice's own overview: reachable, checked above
            assert response.status_code == 404, (path, ids, response.status_code)
    assert Access.objects.count() == looks + 1  # only the reachable overview was recorded

    # Her coach's token on alice's ids through the owner's routes: nothing, reads or writes.
    writer = bearer(make_token(coach.user))
    for method, path in operations():
        if path.startswith("/api/v1/cohort"):
            continue
        body = body_for(method, path, alices["reference_id"])
        response = client.generic(method, fill(path, alices), json.dumps(body), content_type="application/json",
                                  **writer)
        assert response.status_code == 404, (method, path, response.status_code)
    for path in ("/api/v1/references", "/api/v1/outbox", "/api/v1/tokens", "/api/v1/debts", "/api/v1/events",
                 "/api/v1/webhooks", "/api/v1/templates", "/api/v1/nudges", "/api/v1/centre/looks", "/api/v1/export",
                 "/api/v1/notices/portal", "/api/v1/profile", "/api/v1/settings/smtp",
                 "/api/v1/contacts/vcard", "/api/v1/contacts/csv"):
        text = client.get(path, **writer).content.decode()
        assert "of alice" not in text and "dana.alice" not in text and "/alice" not in text, path
    # The coach's one write is a nudge: to their own candidate, with a read-write token only.
    nudges = fill("/api/v1/cohort/{candidate_id}/nudges", alices)
    word = json.dumps({"text": "Ask Dana first"})
    assert client.post(nudges, word, content_type="application/json", **cora).status_code == 403
    assert client.post(nudges, word, content_type="application/json", **writer).status_code == 201
    assert client.post(fill("/api/v1/cohort/{candidate_id}/nudges", owned["bob"]), word,
                       content_type="application/json", **writer).status_code == 404
    assert client.post(fill("/api/v1/cohort/{candidate_id}", alices), "{}", content_type="application/json",
                       **writer).status_code == 405
    # Neither candidate is a coach: the coach routes are 404 for them.
    alice_token = bearer(make_token(alice))
    assert client.get("/api/v1/cohort", **alice_token).status_code == 404
    assert client.get(fill("/api/v1/cohort/{candidate_id}", alices), **alice_token).status_code == 404


def test_the_centre_admin_routes_are_404_for_every_member_who_is_not_its_admin(client, alice, bob, owned):
    """Alice's centre's coach and candidate, bob (its admin elsewhere) and a coach of a centre alice is in:
    every admin route with alice's centre and ids answers 404, reads and writes, and nothing changes."""
    from django.contrib.auth import get_user_model

    from goodword.centres.models import Assignment, Seat

    users = get_user_model().objects
    outsiders = [users.get(username="tutor_alice"), users.get(username="pupil_alice"), bob,
                 users.get(username="cole")]
    admin_paths = [(method, path) for method, path in operations() if path.startswith("/api/v1/centres/")]
    assert len(admin_paths) == 7
    members, seats, assignments = Membership.objects.count(), Seat.objects.count(), Assignment.objects.count()
    for outsider in outsiders:
        token = bearer(make_token(outsider))
        for method, path in admin_paths:
            body = body_for(method, path, owned["alice"]["reference_id"])
            response = client.generic(method, fill(path, owned["alice"]), json.dumps(body),
                                      content_type="application/json", **token)
            assert response.status_code == 404, (outsider.username, method, path, response.status_code)
        assert client.get("/api/v1/centres", **token).json() == ([{"slug": owned["bob"]["slug"],
                                                                   "name": "Careers of bob", "organisation": ""}]
                                                                 if outsider == bob else [])
    assert (Membership.objects.count(), Seat.objects.count(), Assignment.objects.count()) == (
        members, seats, assignments)
