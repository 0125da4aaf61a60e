"""A coach's pages, the candidate's centre settings and the admins' pages, through the web."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.formats import date_format

from goodword.centres import services
from goodword.centres.models import Access, Assignment, Membership, Nudge, Seat
from goodword.courtesy.models import LedgerSummary
from tests.factories.accounts import make_user
from tests.factories.centres import make_centre, make_coach_of, make_member
from tests.factories.opportunities import make_interview, make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def centre_world(alice, bob):
    centre = make_centre()
    alices = services.add_member(centre, alice, "candidate")
    bobs = services.add_member(centre, bob, "candidate")
    carol = make_coach_of(centre, "carol", alices)
    dave = make_coach_of(centre, "dave", bobs)
    erin = make_member(centre, "erin", "admin")
    dana = make_reference(alice, name="Dana Whitfield", emails=["dana.secret@example.com"], phones=["+1 555 0199"],
                          notes="Private: she is going through a divorce")
    job = make_opportunity(alice, company="Northwind Traders", role="Platform Engineer", stage="interviewing",
                           notes="Salary talk: 140k")
    make_interview(job, questions="Secret question about the outage")
    make_listing(job, dana)
    make_event(dana, "call", opportunity=job, note="Employer called her")
    return {"centre": centre, "alices": alices, "bobs": bobs, "carol": carol.user, "dave": dave.user,
            "erin": erin.user, "dana": dana, "job": job}


def main_part(html: str) -> str:
    """The page without the coach's own navigation (which links to their own outbox and settings)."""
    return html[html.index("<main"):html.index("</main>")]


def coach_urls(world):
    alices = world["alices"]
    return {
        "candidate": reverse("centres:candidate", args=[alices.pk]),
        "reference": reverse("centres:reference", args=[alices.pk, world["dana"].pk]),
        "opportunity": reverse("centres:opportunity", args=[alices.pk, world["job"].pk]),
    }


def test_the_coach_reads_the_candidates_ledger_references_and_applications(centre_world):
    carol = client_for(centre_world["carol"])
    urls = coach_urls(centre_world)
    page = carol.get(urls["candidate"]).content.decode()
    assert "Dana Whitfield" in page and "Platform Engineer" in page and "open" in page
    assert "Listed without permission" in page  # Dana was put on the slate without being asked
    reference_page = carol.get(urls["reference"]).content.decode()
    assert "On slates" in reference_page and "Call" in reference_page
    opportunity_page = carol.get(urls["opportunity"]).content.decode()
    assert "Dana Whitfield" in opportunity_page and "Panel" in opportunity_page


def test_coach_pages_leave_out_notes_questions_and_links_to_the_candidates_own_pages(centre_world):
    carol = client_for(centre_world["carol"])
    for url in coach_urls(centre_world).values():
        page = main_part(carol.get(url).content.decode())
        for secret in ("divorce", "140k", "Secret question", "Employer called her"):
            assert secret not in page, (url, secret)
        assert f'href="{reverse("references:detail", args=[centre_world["dana"].pk])}"' not in page
        assert f'href="{reverse("opportunities:detail", args=[centre_world["job"].pk])}"' not in page
        assert 'href="/r/' not in page and "/outreach/" not in page and "/sheets/" not in page


def test_contact_details_show_only_when_the_candidate_shares_them(centre_world, alice):
    carol = client_for(centre_world["carol"])
    url = coach_urls(centre_world)["reference"]
    page = carol.get(url).content.decode()
    assert "dana.secret@example.com" not in page and "555 0199" not in page
    assert "Hidden" in page
    response = client_for(alice).post(reverse("centres:sharing"), {"share_contacts": "on"})
    assert response.status_code == 302
    page = carol.get(url).content.decode()
    assert "dana.secret@example.com" in page and "555 0199" in page
    client_for(alice).post(reverse("centres:sharing"), {})
    assert "dana.secret@example.com" not in carol.get(url).content.decode()


def test_every_coach_view_is_recorded_and_the_candidate_sees_it(centre_world, alice):
    carol = client_for(centre_world["carol"])
    for url in coach_urls(centre_world).values():
        assert carol.get(url).status_code == 200
    looks = list(Access.objects.for_user(alice).order_by("at", "id").values_list("coach__username", "what", "label"))
    assert looks == [("carol", "overview", ""), ("carol", "reference", "Dana Whitfield"),
                     ("carol", "opportunity", "Platform Engineer at Northwind Traders")]
    settings_page = client_for(alice).get(reverse("core:settings")).content.decode()
    assert "Who looked at your data" in settings_page and "Carol Example" in settings_page
    assert "Dana Whitfield" in settings_page
    all_looks = client_for(alice).get(reverse("centres:looks")).content.decode()
    assert all_looks.count("Carol Example") == 3


def test_a_refused_view_records_nothing(centre_world):
    dave = client_for(centre_world["dave"])
    for url in coach_urls(centre_world).values():
        assert dave.get(url).status_code == 404
    assert not Access.objects.exists()


def test_a_nudge_appears_on_the_dashboard_until_dismissed(centre_world, alice):
    carol = client_for(centre_world["carol"])
    url = reverse("centres:nudge", args=[centre_world["alices"].pk])
    assert carol.post(url, {"text": "Dana hasn't heard from you"}).status_code == 302
    alice_client = client_for(alice)
    home = alice_client.get(reverse("core:home")).content.decode()
    assert "Dana hasn&#x27;t heard from you" in home and "From your coach" in home
    nudge = Nudge.objects.for_user(alice).get()
    assert alice_client.post(reverse("centres:dismiss_nudge", args=[nudge.pk]), {"next": "/"}).status_code == 302
    assert "From your coach" not in alice_client.get(reverse("core:home")).content.decode()


def test_another_coach_cannot_nudge_and_another_user_cannot_dismiss(centre_world, alice, bob):
    dave = client_for(centre_world["dave"])
    assert dave.post(reverse("centres:nudge", args=[centre_world["alices"].pk]), {"text": "hi"}).status_code == 404
    nudge = services.nudge(centre_world["carol"], centre_world["alices"], "Dana hasn't heard from you")
    assert client_for(bob).post(reverse("centres:dismiss_nudge", args=[nudge.pk])).status_code == 404
    assert client_for(centre_world["carol"]).post(
        reverse("centres:dismiss_nudge", args=[nudge.pk])).status_code == 404
    assert Nudge.objects.for_user(alice).showing().count() == 1


def test_a_bad_nudge_says_why(centre_world):
    carol = client_for(centre_world["carol"])
    url = reverse("centres:nudge", args=[centre_world["alices"].pk])
    page = carol.post(url, {"text": "x" * 400}, follow=True).content.decode()
    assert "280 characters" in page
    assert not Nudge.objects.exists()


def test_the_cohort_lists_assigned_candidates_worst_first(centre_world, alice):
    centre = centre_world["centre"]
    calm = services.add_member(centre, make_user("calm"), "candidate")
    services.assign(calm, Membership.objects.get(user=centre_world["carol"], role="coach"))
    page = client_for(centre_world["carol"]).get(reverse("centres:cohort")).content.decode()
    assert page.index("Alice Example") < page.index("Calm Example")
    assert "Bob Example" not in page
    assert "1 interviewing" in page


def test_the_cohort_is_no_page_for_a_candidate(centre_world, alice):
    assert client_for(alice).get(reverse("centres:cohort")).status_code == 404


# The page's own queries (session, user, "is a coach", the members with their latest event, the kept
# counts, the applications per stage, the navigation badge's stamp), and what one fresh ledger costs
# (courtesy.ledger.build_ledger plus reading and storing its summary).
COHORT_QUERIES, ONE_FRESH_LEDGER = 7, 13


@pytest.mark.parametrize("size", [5, 50])
def test_the_cohort_costs_a_bounded_number_of_queries(size, db, django_assert_max_num_queries):
    centre = make_centre()
    coach = make_member(centre, "coach", "coach")
    references = []
    for n in range(size):
        member = services.add_member(centre, make_user(f"cand{n}"), "candidate")
        services.assign(member, coach)
        reference = make_reference(member.user, name=f"Ref {n}")
        job = make_opportunity(member.user, stage="interviewing")
        make_listing(job, reference)
        make_event(reference, "call", opportunity=job)
        references.append(reference)
    client = client_for(coach.user)
    # Cold (nobody counted yet, a few counted now; the coach's own badge too, a first view) and warm:
    # the same bounds for 5 and 50.
    with django_assert_max_num_queries(COHORT_QUERIES + ONE_FRESH_LEDGER * (services.COHORT_FIRST_COUNTS_PER_VISIT + 1)):
        page = client.get(reverse("centres:cohort"))
    assert page.status_code == 200
    for _ in range(size // services.COHORT_FIRST_COUNTS_PER_VISIT):
        client.get(reverse("centres:cohort"))
    with django_assert_max_num_queries(COHORT_QUERIES):
        page = client.get(reverse("centres:cohort")).content.decode()
    assert page.count("not counted yet") == 0 and page.count("counted on") == 0 and page.count("Cand") >= size
    # Every candidate writes: the page recounts nobody, it shows the last counts with their day.
    for reference in references:
        make_event(reference, "note")
    with django_assert_max_num_queries(COHORT_QUERIES):
        page = client.get(reverse("centres:cohort")).content.decode()
    assert page.count("counted on") == size


def test_stale_counts_say_when_they_were_counted(centre_world, django_assert_max_num_queries):
    carol = client_for(centre_world["carol"])
    carol.get(reverse("centres:cohort"))  # Alice's first count
    make_event(centre_world["dana"], "thanked", opportunity=centre_world["job"])
    with django_assert_max_num_queries(COHORT_QUERIES):
        page = carol.get(reverse("centres:cohort")).content.decode()
    counted_on = LedgerSummary.objects.get(user=centre_world["alices"].user).today
    assert f'<span class="muted">counted on {date_format(counted_on, "j M")}</span>' in page


def test_candidates_beyond_a_visits_first_counts_are_not_counted_yet(centre_world, monkeypatch):
    monkeypatch.setattr(services, "COHORT_FIRST_COUNTS_PER_VISIT", 0)
    page = client_for(centre_world["carol"]).get(reverse("centres:cohort")).content.decode()
    assert "not counted yet" in page
    assert not LedgerSummary.objects.filter(user=centre_world["alices"].user, built_version__isnull=False).exists()


def test_the_candidate_leaves_and_the_coach_loses_sight(centre_world, alice):
    alice_client = client_for(alice)
    assert "Northfield Careers" in alice_client.get(reverse("centres:leave")).content.decode()
    assert alice_client.post(reverse("centres:leave")).status_code == 302
    assert not Membership.objects.for_user(alice).exists()
    for url in coach_urls(centre_world).values():
        assert client_for(centre_world["carol"]).get(url).status_code == 404
    assert alice_client.get(reverse("centres:leave")).status_code == 404


def test_the_admin_invites_assigns_unassigns_and_reads_the_audit_log(centre_world, monkeypatch):
    centre, erin = centre_world["centre"], client_for(centre_world["erin"])
    monkeypatch.setattr(services, "_send_invitation", lambda *args: None)
    admin_url = reverse("centres:admin", args=[centre.slug])
    assert "Alice Example" in erin.get(admin_url).content.decode()
    assert erin.post(reverse("centres:invite", args=[centre.slug]),
                     {"email": "fresh@example.com", "role": "coach"}).status_code == 302
    assert Seat.objects.filter(email="fresh@example.com", role="coach").exists()
    bad = erin.post(reverse("centres:invite", args=[centre.slug]), {"email": "nope", "role": "coach"})
    assert bad.status_code == 400 and "valid email" in bad.content.decode()
    carol = Membership.objects.get(user=centre_world["carol"], role="coach")
    assert erin.post(reverse("centres:assign", args=[centre.slug]),
                     {"candidate": centre_world["bobs"].pk, "coach": carol.pk}).status_code == 302
    assignment = Assignment.objects.get(candidate=centre_world["bobs"], coach=carol)
    assert erin.post(reverse("centres:unassign", args=[centre.slug, assignment.pk])).status_code == 302
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    client_for(centre_world["carol"]).get(coach_urls(centre_world)["candidate"])
    log = erin.get(reverse("centres:audit", args=[centre.slug])).content.decode()
    assert "Carol Example" in log and "Alice Example" in log


def test_the_admin_pages_are_only_for_that_centres_admins(centre_world):
    centre = centre_world["centre"]
    other_admin = make_member(make_centre("Elsewhere"), "frank", "admin").user
    for user in (centre_world["carol"], other_admin):
        client = client_for(user)
        assert client.get(reverse("centres:admin", args=[centre.slug])).status_code == 404
        assert client.get(reverse("centres:audit", args=[centre.slug])).status_code == 404
        assert client.post(reverse("centres:invite", args=[centre.slug]),
                           {"email": "x@example.com", "role": "admin"}).status_code == 404
    assert not Seat.objects.exists()


def test_an_admin_cannot_assign_across_centres(centre_world):
    other = make_centre("Elsewhere")
    stranger = make_member(other, "stranger", "candidate")
    carol = Membership.objects.get(user=centre_world["carol"], role="coach")
    response = client_for(centre_world["erin"]).post(
        reverse("centres:assign", args=[centre_world["centre"].slug]), {"candidate": stranger.pk, "coach": carol.pk})
    assert response.status_code == 400
    assert not Assignment.objects.filter(candidate=stranger).exists()
