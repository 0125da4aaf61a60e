"""The isolation table, grown for centres: every URL, for the candidate, the
coach of that candidate, the coach of another candidate and anonymous users.

Nobody but the candidate reaches the candidate's own pages (404, or a redirect
to sign in), whatever their role; the coach of the candidate reaches the
read-only centre pages of that candidate only; the coach of another candidate
reaches nothing of hers. No page shows a coach her drafts, outbox, SMTP
settings, portal tokens, private notes or (unshared) references' contacts.
"""

import pytest
from django.test import Client
from django.urls import reverse

from goodword.centres import services
from goodword.outreach import outbox
from goodword.portal.services import issue_link
from tests.factories.centres import make_centre, make_coach_of, make_member
from tests.factories.outreach import make_smtp_settings
from tests.test_fuzz_web import url_patterns
from tests.test_web_isolation import OBJECT_URLS, alices_world, snapshot  # noqa: F401  (alices_world: a fixture)

ROLES = ["candidate", "own_coach", "other_coach", "anonymous"]

# The candidate's own URLs that name one of her objects: test_web_isolation's table, and the rest.
CANDIDATE_OBJECT_URLS = {name: kind for name, (kind, _data) in OBJECT_URLS.items()} | {
    "outreach:slate": "opportunity",
    "outreach:message": "message",
    "portal:manage": "listing",
    "api:token_revoke": "access_token",
}
# A token is the key itself, handed to one reference or employer (or printed once for sign-in):
# whoever holds it reaches its page by design. No coach page ever shows one (tested below).
TOKEN_URLS = {"accounts:token_login", "accounts:invitation", "portal:page", "portal:letter", "reminders:feed", "employer:page",
              "employer:download", "employer:letter", "standing:page"}
# Centre URLs: what each role gets. "reach": her data, read-only; "own": a page of the visitor's own,
# without her data; "refuse": 404 (or 405 for a method the URL never takes).
CENTRE_URLS = {
    "centres:cohort": ("", {"candidate": "refuse", "own_coach": "reach", "other_coach": "own"}),
    "centres:candidate": ("membership", {"own_coach": "reach"}),
    "centres:reference": ("membership+reference", {"own_coach": "reach"}),
    "centres:opportunity": ("membership+opportunity", {"own_coach": "reach"}),
    "centres:nudge": ("membership", {"own_coach": "reach"}),
    "centres:dismiss_nudge": ("nudge", {"candidate": "reach"}),
    "centres:sharing": ("", {"candidate": "reach"}),
    "centres:leave": ("", {"candidate": "reach"}),
    "centres:looks": ("", {"candidate": "reach", "own_coach": "own", "other_coach": "own"}),
    "centres:admin": ("slug", {}),
    "centres:invite": ("slug", {}),
    "centres:assign": ("slug", {}),
    "centres:unassign": ("slug+assignment", {}),
    "centres:remove_member": ("slug+membership", {}),
    "centres:cancel_seat": ("slug+seat", {}),
    "centres:audit": ("slug", {}),
}
# What only the candidate's own pages may show; a coach's "reach" pages show none of SECRETS either.
NAMES = ["Dana Whitfield", "Northwind"]
SECRETS = ["Told her about the panel", "dana.secret@example.com", "Quasar subject line", "smtp.alice-secret.example",
           "Ada Byron"]


@pytest.fixture
def world(alices_world, alice, bob):
    centre = make_centre()
    alices = services.add_member(centre, alice, "candidate")
    bobs = services.add_member(centre, bob, "candidate")
    own_coach = make_coach_of(centre, "carol", alices)
    other_coach = make_coach_of(centre, "dave", bobs)
    make_member(centre, "erin", "admin")
    reference = alices_world["reference"]
    reference.emails = ["dana.secret@example.com"]
    reference.save()
    make_smtp_settings(alice, 2525, host="smtp.alice-secret.example")
    message = outbox.queue_message(alice, reference, kind="heads_up", subject="Quasar subject line", text="Draft text")
    _link, token = issue_link(alices_world["listing"])
    seat = services.invite(centre, "waiting@example.com", "candidate", None)
    from goodword.api.services import create_token

    return {
        "access_token": create_token(alice, "job tracker")[0],
        **alices_world, "message": message, "token": token, "centre": centre, "membership": alices,
        "assignment": alices.assignments.get(), "seat": seat,
        "nudge": services.nudge(own_coach.user, alices, "Dana hasn't heard from you"),
        "users": {"candidate": alice, "own_coach": own_coach.user, "other_coach": other_coach.user},
    }


def client_as(world, role) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def centre_url(name, world) -> str:
    kind, _ = CENTRE_URLS[name]
    args = {
        "": [], "membership": [world["membership"].pk], "nudge": [world["nudge"].pk], "slug": [world["centre"].slug],
        "membership+reference": [world["membership"].pk, world["reference"].pk],
        "membership+opportunity": [world["membership"].pk, world["opportunity"].pk],
        "slug+assignment": [world["centre"].slug, world["assignment"].pk],
        "slug+membership": [world["centre"].slug, world["membership"].pk],
        "slug+seat": [world["centre"].slug, world["seat"].pk],
    }[kind]
    return reverse(name, args=args)


def plain_url_names() -> list[str]:
    return sorted(name for route, name in url_patterns() if not route.startswith("admin/")
                  and "<" not in route and not name.startswith("centres:"))


def test_every_url_is_in_a_table():
    for route, name in url_patterns():
        if route.startswith("admin/") or "<" not in route:
            continue
        # The API's routes: tests/test_api_isolation.py calls each one as another user and as a coach.
        assert (name in CANDIDATE_OBJECT_URLS or name in TOKEN_URLS or name in CENTRE_URLS
                or name == "outreach:template_edit" or route.startswith("api/v1/")), \
            f"{name} ({route}) needs a row in an isolation table"
    assert {name for _, name in url_patterns() if name.startswith("centres:")} == set(CENTRE_URLS)


def assert_refused(response, role):
    if role == "anonymous" and response["Content-Type"] == "application/problem+json":
        assert response.status_code == 401  # the API answers for itself: no redirect to a sign-in page
    elif role == "anonymous":
        assert response.status_code in (302, 404, 405), response.status_code
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code in (404, 405), response.status_code


def assert_no_data(response, words):
    body = response.content.decode(errors="replace")
    for word in words:
        assert word not in body, word


@pytest.mark.parametrize("role", ["own_coach", "other_coach", "anonymous"])
@pytest.mark.parametrize("url_name", sorted(CANDIDATE_OBJECT_URLS))
def test_nobody_else_reaches_the_candidates_objects(url_name, role, world, alice):
    url = reverse(url_name, args=[world[CANDIDATE_OBJECT_URLS[url_name]].pk])
    before = snapshot(alice)
    client = client_as(world, role)
    for response in (client.get(url), client.post(url, {"name": "Taken over", "kind": "call"}),
                     client.post(url, {}, headers={"HX-Request": "true"})):
        assert_refused(response, role)
        assert_no_data(response, NAMES + SECRETS)
    assert snapshot(alice) == before


@pytest.mark.parametrize("url_name", sorted(CANDIDATE_OBJECT_URLS))
def test_the_candidate_still_reaches_her_objects(url_name, world):
    url = reverse(url_name, args=[world[CANDIDATE_OBJECT_URLS[url_name]].pk])
    assert client_as(world, "candidate").get(url).status_code in (200, 405)


@pytest.mark.parametrize("role", ["own_coach", "other_coach", "anonymous"])
def test_the_plain_pages_show_others_nothing_of_hers(role, world, alice):
    before = snapshot(alice)
    client = client_as(world, role)
    for name in plain_url_names() + ["outreach:template_edit"]:
        url = reverse(name, args=["thanks", "formal"] if name == "outreach:template_edit" else [])
        response = client.get(url)
        assert response.status_code != 500, url
        assert_no_data(response, NAMES + SECRETS)
        # Public and holding no one's data: sign-in and out, healthz, the API's description and its docs page.
        if role == "anonymous" and name not in ("accounts:login", "accounts:logout", "healthz", "api:openapi-json",
                                                "api:openapi-view"):
            assert_refused(response, role)
        if name != "accounts:logout":
            assert_no_data(client.post(url, {}), NAMES + SECRETS)
    assert snapshot(alice) == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url_name", sorted(CENTRE_URLS))
def test_centre_urls_by_role(url_name, role, world, alice):
    expected = CENTRE_URLS[url_name][1].get(role, "refuse")
    url = centre_url(url_name, world)
    client = client_as(world, role)
    response = client.get(url)
    if expected == "refuse":
        assert_refused(response, role)
        assert_no_data(response, NAMES + SECRETS)
        assert_refused(client.post(url, {"text": "hello", "email": "x@example.com", "role": "admin"}), role)
        assert world["membership"].__class__.objects.filter(pk=world["membership"].pk).exists()
        return
    assert response.status_code in (200, 302, 405)
    if expected == "own":
        assert_no_data(response, NAMES + SECRETS)
    elif role == "own_coach":
        assert_no_data(response, SECRETS)
        assert world["token"] not in response.content.decode()


def test_no_coach_page_carries_a_token_draft_or_smtp_setting(world):
    client = client_as(world, "own_coach")
    for name in ("centres:cohort", "centres:candidate", "centres:reference", "centres:opportunity"):
        body = client.get(centre_url(name, world)).content.decode()
        for secret in (world["token"], "Draft text", "Quasar subject line", "smtp.alice-secret.example", "2525"):
            assert secret not in body, (name, secret)
