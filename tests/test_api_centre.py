"""A career centre through the API from both sides: the candidate's choices, looks, nudges and leaving,
and what the coach then sees (centres/services.py, the same as the web pages)."""

import json

from goodword.centres import services as centres
from tests.factories.api import bearer, make_token
from tests.factories.centres import make_centre, make_member
from tests.factories.references import make_reference


def test_the_candidate_decides_what_the_coach_sees_and_sees_who_looked(client, alice):
    centre = make_centre()
    candidate = centres.add_member(centre, alice, "candidate")
    coach = make_member(centre, "cora", "coach")
    centres.assign(candidate, coach)
    reference = make_reference(alice, name="Dana Quinn", emails=["dana@example.com"])
    mine, coachs = bearer(make_token(alice)), bearer(make_token(coach.user))
    seen_by_coach = f"/api/v1/cohort/{candidate.pk}/references/{reference.pk}"

    assert client.get("/api/v1/centre", **mine).json()["share_contacts"] is False
    assert client.get(seen_by_coach, **coachs).json()["emails"] == []
    shared = client.patch("/api/v1/centre", json.dumps({"share_contacts": True}), content_type="application/json",
                          **mine)
    assert shared.status_code == 200 and shared.json()["share_contacts"] is True
    assert client.get(seen_by_coach, **coachs).json()["emails"] == ["dana@example.com"]

    looks = client.get("/api/v1/centre/looks", **mine).json()["items"]
    assert [(look["what"], look["label"]) for look in looks] == [("reference", "Dana Quinn")] * 2

    nudged = client.post(f"/api/v1/cohort/{candidate.pk}/nudges", json.dumps({"text": "Thank Dana today"}),
                         content_type="application/json", **coachs)
    assert nudged.status_code == 201
    assert [n["text"] for n in client.get("/api/v1/nudges", **mine).json()["items"]] == ["Thank Dana today"]
    assert client.post(f"/api/v1/nudges/{nudged.json()['id']}/dismiss", **mine).status_code == 204
    assert client.get("/api/v1/nudges", **mine).json()["items"] == []

    left = client.post("/api/v1/centre/leave", **mine)
    assert left.status_code == 200 and left.json()["left"] == centre.name
    assert client.get(seen_by_coach, **coachs).status_code == 404
    assert client.get("/api/v1/centre", **mine).status_code == 404
    assert len(client.get("/api/v1/centre/looks", **mine).json()["items"]) == 2  # the record stays hers


def test_a_nudge_is_checked_as_on_the_web(client, alice):
    centre = make_centre()
    candidate = centres.add_member(centre, alice, "candidate")
    coach = make_member(centre, "cora", "coach")
    centres.assign(candidate, coach)
    coachs = bearer(make_token(coach.user))
    url = f"/api/v1/cohort/{candidate.pk}/nudges"
    for number in range(centres.NUDGES_SHOWING_PER_COACH):
        assert client.post(url, json.dumps({"text": f"Nudge {number}"}), content_type="application/json",
                           **coachs).status_code == 201
    refused = client.post(url, json.dumps({"text": "One more"}), content_type="application/json", **coachs)
    assert refused.status_code == 422 and "still showing" in refused.json()["detail"]
