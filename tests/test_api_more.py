"""The last web-only forms through the API: a centre's admin pages (centres/services.py, as the admin
views call it). Each test would fail if the route stopped calling the service the web page calls."""

import json

from django.core import mail

from goodword.centres import services as centres
from goodword.centres.models import Assignment, Membership, Seat
from tests.factories.api import bearer, make_token
from tests.factories.centres import make_centre, make_member
from tests.factories.hosted import hosted, make_account  # noqa: F401


def post(client, url, body, token, **headers):
    return client.post(url, json.dumps(body), content_type="application/json", **token, **headers)


def test_an_admin_invites_assigns_unassigns_and_removes_through_the_api(client, alice):
    centre = make_centre()
    centres.add_member(centre, alice, "admin")
    pupil = make_member(centre, "pupil", "candidate")
    tutor = make_member(centre, "tutor", "coach")
    token = bearer(make_token(alice))
    base = f"/api/v1/centres/{centre.slug}"

    assert [c["slug"] for c in client.get("/api/v1/centres", **token).json()] == [centre.slug]
    page = client.get(base, **token).json()
    assert {(m["id"], m["role"]) for m in page["members"]} >= {(pupil.pk, "candidate"), (tutor.pk, "coach")}

    invited = post(client, f"{base}/seats", {"email": " Dana@Example.org ", "role": "coach"}, token)
    assert invited.status_code == 201 and invited.json()["email"] == "dana@example.org"
    assert [s["email"] for s in client.get(base, **token).json()["seats"]] == ["dana@example.org"]
    refused = post(client, f"{base}/seats", {"email": "not an address", "role": "coach"}, token)
    assert refused.status_code == 422 and "not an email address" in refused.json()["detail"]
    assert client.delete(f"{base}/seats/{invited.json()['id']}", **token).status_code == 204
    assert not Seat.objects.filter(centre=centre).exists()
    assert client.delete(f"{base}/seats/{invited.json()['id']}", **token).status_code == 404

    assigned = post(client, f"{base}/assignments", {"candidate_id": pupil.pk, "coach_id": tutor.pk}, token,
                    HTTP_IDEMPOTENCY_KEY="assign-pupil-1")
    assert assigned.status_code == 201 and assigned.json()["coach_id"] == tutor.pk
    again = post(client, f"{base}/assignments", {"candidate_id": pupil.pk, "coach_id": tutor.pk}, token,
                 HTTP_IDEMPOTENCY_KEY="assign-pupil-1")
    assert again["Idempotent-Replayed"] == "true" and Assignment.objects.count() == 1
    assert [row["candidate_id"] for row in client.get("/api/v1/cohort", **bearer(make_token(tutor.user))).json()
            ["items"]] == [pupil.pk]
    swapped = post(client, f"{base}/assignments", {"candidate_id": tutor.pk, "coach_id": pupil.pk}, token)
    assert swapped.status_code == 422 and "candidate and a coach" in swapped.json()["detail"]

    assignment_id = assigned.json()["id"]
    assert client.delete(f"{base}/assignments/{assignment_id}", **token).status_code == 204
    assert client.get("/api/v1/cohort", **bearer(make_token(tutor.user))).json()["items"] == []
    assert client.delete(f"{base}/assignments/{assignment_id}", **token).status_code == 404

    assert client.delete(f"{base}/members/{pupil.pk}", **token).status_code == 204
    assert not Membership.objects.filter(pk=pupil.pk).exists()
    mine = Membership.objects.get(centre=centre, user=alice, role="admin")
    last = client.delete(f"{base}/members/{mine.pk}", **token)
    assert last.status_code == 422 and "last admin" in last.json()["detail"]


def test_the_audit_log_pages_the_coaches_looks_and_is_read_only_for_read_tokens(client, alice):
    centre = make_centre()
    centres.add_member(centre, alice, "admin")
    pupil = make_member(centre, "pupil", "candidate")
    tutor = make_member(centre, "tutor", "coach")
    centres.assign(pupil, tutor)
    coach_token = bearer(make_token(tutor.user, read_only=True))
    client.get(f"/api/v1/cohort/{pupil.pk}", **coach_token)  # recorded, as the web's candidate page
    for label in ("Dana", "Eli"):
        centres.record_access(tutor.user, pupil, "reference", label)
    reader = bearer(make_token(alice, read_only=True))

    first = client.get(f"/api/v1/centres/{centre.slug}/audit?limit=2", **reader).json()
    assert [row["label"] for row in first["items"]] == ["Eli", "Dana"] and first["next_cursor"]
    rest = client.get(f"/api/v1/centres/{centre.slug}/audit?cursor={first['next_cursor']}", **reader).json()
    assert [row["what"] for row in rest["items"]] == ["overview"] and rest["next_cursor"] is None
    assert (rest["items"][0]["coach"], rest["items"][0]["candidate"]) == ("Tutor Example", "Pupil Example")
    assert post(client, f"/api/v1/centres/{centre.slug}/seats", {"email": "x@example.org"}, reader).status_code == 403


def test_an_invitation_over_the_api_is_mailed_as_from_the_admin_page(hosted, client):
    centre = make_centre()
    ada = make_account("ada@example.org")
    centres.add_member(centre, ada, "admin")
    invited = post(client, f"/api/v1/centres/{centre.slug}/seats", {"email": "dana@example.org", "role": "candidate"},
                   bearer(make_token(ada)))
    assert invited.status_code == 201
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dana@example.org"]
    assert "/accounts/invite/" in mail.outbox[0].body
