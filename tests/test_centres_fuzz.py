"""No centre page answers 500 to its own members, whatever they send: the web
fuzz test (tests/test_fuzz_web.py) visits the centre URLs as people with no
centre; here the coach, the admin and the candidate fill the forms with its
hostile values."""

from django.test import Client
from django.urls import reverse

from goodword.centres import services
from tests.factories.centres import make_centre, make_coach_of, make_member
from tests.factories.references import make_reference
from tests.factories.opportunities import make_listing, make_opportunity
from tests.test_fuzz_web import FUZZ_VALUES, HTMX_HEADERS

FIELDS = ["text", "email", "role", "candidate", "coach", "share_contacts", "next", "page"]


def test_centre_forms_never_answer_500(alice, monkeypatch):
    monkeypatch.setattr(services, "_send_invitation", lambda *args: None)
    centre = make_centre()
    alices = services.add_member(centre, alice, "candidate")
    coach = make_coach_of(centre, "carol", alices)
    admin = make_member(centre, "erin", "admin")
    reference = make_reference(alice)
    job = make_opportunity(alice)
    make_listing(job, reference)
    nudge = services.nudge(coach.user, alices, "Dana hasn't heard from you")
    assignment = alices.assignments.get()
    slug = centre.slug
    urls = {
        coach.user: [reverse("centres:cohort"), reverse("centres:candidate", args=[alices.pk]),
                     reverse("centres:reference", args=[alices.pk, reference.pk]),
                     reverse("centres:opportunity", args=[alices.pk, job.pk]),
                     reverse("centres:nudge", args=[alices.pk])],
        admin.user: [reverse(name, args=[slug]) for name in ("centres:admin", "centres:invite", "centres:assign",
                                                             "centres:audit")]
        + [reverse("centres:unassign", args=[slug, assignment.pk]),
           reverse("centres:cancel_seat", args=[slug, 999]),
           reverse("centres:remove_member", args=[slug, admin.pk])],
        alice: [reverse("centres:dismiss_nudge", args=[nudge.pk]), reverse("centres:sharing"),
                reverse("centres:looks"), reverse("centres:leave")],
    }
    failures = []
    for user, paths in urls.items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for path in paths:
            if path == reverse("centres:leave"):
                continue  # last: leaving ends the candidate's other pages
            for label, value in FUZZ_VALUES.items():
                for response in (client.post(path, {name: value for name in FIELDS}),
                                 client.get(path, {"page": value} if label != "oversized" else {})):
                    if response.status_code >= 500:
                        failures.append(f"{user} {path} {label} {response.status_code}")
            for headers in HTMX_HEADERS:
                if client.get(path, **headers).status_code >= 500:
                    failures.append(f"{user} {path} htmx")
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    assert client.get(reverse("centres:leave")).status_code == 200
    assert client.post(reverse("centres:leave"), {"next": "//evil.example"}).status_code == 302
    assert failures == []
