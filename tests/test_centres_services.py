"""Centres: the rules the services and the database keep, whoever calls them."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from goodword.centres import services
from goodword.centres.models import Access, Assignment, Membership, Nudge, Seat
from tests.factories.accounts import make_user
from tests.factories.centres import make_centre, make_coach_of, make_member


@pytest.fixture
def centre(db):
    return make_centre()


def test_the_database_refuses_a_candidate_in_two_centres(centre, alice):
    other = make_centre("Elsewhere")
    services.add_member(centre, alice, "candidate")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(centre=other, user=alice, role="candidate")


def test_joining_a_second_centre_says_to_leave_the_first(centre, alice):
    services.add_member(centre, alice, "candidate")
    with pytest.raises(ValidationError, match="leave it first"):
        services.add_member(make_centre("Elsewhere"), alice, "candidate")


def test_staff_may_coach_in_two_centres_and_hold_both_roles(centre, alice):
    services.add_member(centre, alice, "coach")
    services.add_member(centre, alice, "admin")
    services.add_member(make_centre("Elsewhere"), alice, "coach")
    assert Membership.objects.for_user(alice).count() == 3


def test_invite_keeps_a_seat_that_claim_seats_turns_into_a_membership(centre, alice):
    seat = services.invite(centre, "  Newcomer@Example.com ", "candidate", alice)
    assert seat.email == "newcomer@example.com"
    newcomer = make_user("newcomer")
    joined = services.claim_seats(newcomer, verified=["NEWCOMER@example.com"])
    assert [(m.centre, m.role) for m in joined] == [(centre, "candidate")]
    assert not Seat.objects.exists()
    assert services.claim_seats(newcomer, verified=["newcomer@example.com"]) == []


def test_an_unverified_email_claims_no_seat(centre):
    # Anyone may type any address into their profile: without a verification (allauth), nothing is claimed.
    services.invite(centre, "boss@example.com", "admin", None)
    impostor = make_user("impostor")
    impostor.email = "boss@example.com"
    impostor.save()
    assert services.verified_emails(impostor) == []
    assert services.claim_seats(impostor) == []
    assert not Membership.objects.for_user(impostor).exists() and Seat.objects.count() == 1


def test_claim_seats_ignores_other_addresses(centre):
    services.invite(centre, "someone@example.com", "coach", None)
    stranger = make_user("stranger")
    assert services.claim_seats(stranger, verified=["stranger@example.com"]) == []
    assert Seat.objects.count() == 1


def test_a_candidate_seat_waits_while_the_candidate_is_in_another_centre(centre, alice):
    services.add_member(make_centre("Elsewhere"), alice, "candidate")
    Seat.objects.create(centre=centre, email="alice@example.com", role="candidate")
    assert services.claim_seats(alice, verified=["alice@example.com"]) == []
    assert Seat.objects.count() == 1
    services.leave(alice)
    assert [m.centre for m in services.claim_seats(alice, verified=["alice@example.com"])] == [centre]


def test_inviting_someone_who_verified_the_address_seats_them_at_once(centre, alice, monkeypatch):
    # As allauth would answer (goodword.accounts wires it at merge).
    monkeypatch.setattr(services, "_verified_owner", lambda email: alice if email == "alice@example.com" else None)
    monkeypatch.setattr(services, "verified_emails", lambda user: ["alice@example.com"] if user == alice else [])
    services.invite(centre, "alice@example.com", "coach", None)
    assert Membership.objects.for_user(alice).coaches().get().centre == centre
    assert not Seat.objects.exists()


def test_invite_refuses_a_bad_email_and_a_bad_role(centre):
    with pytest.raises(ValidationError, match="not an email"):
        services.invite(centre, "not-an-email", "coach", None)
    with pytest.raises(ValidationError, match="no role"):
        services.invite(centre, "x@example.com", "owner", None)


def test_the_invitation_is_handed_to_the_sender(centre, monkeypatch):
    sent = []
    monkeypatch.setattr(services, "_send_invitation", lambda *args: sent.append(args))
    services.invite(centre, "fresh@example.com", "candidate", None)
    assert sent == [(centre, "fresh@example.com", "candidate", None)]


def test_assignment_across_centres_is_refused(centre, alice, bob):
    candidate = services.add_member(centre, alice, "candidate")
    coach = services.add_member(make_centre("Elsewhere"), bob, "coach")
    with pytest.raises(ValidationError, match="different centres"):
        services.assign(candidate, coach)


def test_a_coach_reaches_only_assigned_candidates(centre, alice, bob):
    alices = services.add_member(centre, alice, "candidate")
    bobs = services.add_member(centre, bob, "candidate")
    carol = make_coach_of(centre, "carol", alices).user
    assert list(Membership.objects.candidates_of(carol)) == [alices]
    assert services.coach_candidate(carol, alices.pk) == alices
    with pytest.raises(Http404):
        services.coach_candidate(carol, bobs.pk)
    assert list(Assignment.objects.for_coach(carol).values_list("candidate", flat=True)) == [alices.pk]


def test_a_candidate_who_leaves_is_out_of_reach_and_keeps_the_record_of_looks(centre, alice):
    alices = services.add_member(centre, alice, "candidate")
    carol = make_coach_of(centre, "carol", alices).user
    services.record_access(carol, alices, "overview")
    services.nudge(carol, alices, "Dana hasn't heard from you")
    assert services.leave(alice) == centre
    assert services.showing_nudges(alice) == []
    assert not Membership.objects.candidates_of(carol).exists()
    assert not Assignment.objects.exists()
    assert Access.objects.for_user(alice).count() == 1
    assert services.leave(alice) is None


def test_the_last_admin_cannot_be_removed(centre, alice):
    admin = services.add_member(centre, alice, "admin")
    with pytest.raises(ValidationError, match="last admin"):
        services.remove_member(alice, centre, admin.pk)


def test_admin_actions_need_an_admin_of_that_centre(centre, alice, bob):
    services.add_member(centre, alice, "coach")
    candidate = make_member(centre, "dana", "candidate")
    coach = Membership.objects.for_user(alice).get()
    with pytest.raises(Http404):
        services.assign_in_centre(alice, centre, candidate.pk, coach.pk)
    with pytest.raises(Http404):
        services.audit_log(bob, centre)


def test_nudges_are_short_and_a_coach_cannot_pile_them_up(centre, alice):
    alices = services.add_member(centre, alice, "candidate")
    carol = make_coach_of(centre, "carol", alices).user
    with pytest.raises(ValidationError, match="280"):
        services.nudge(carol, alices, "x" * 281)
    with pytest.raises(ValidationError, match="few words"):
        services.nudge(carol, alices, "   ")
    for _ in range(services.NUDGES_SHOWING_PER_COACH):
        services.nudge(carol, alices, "Dana hasn't heard from you")
    with pytest.raises(ValidationError, match="still showing"):
        services.nudge(carol, alices, "One more")
    first = Nudge.objects.for_user(alice).first()
    assert services.dismiss_nudge(alice, first.pk)
    assert not services.dismiss_nudge(carol, Nudge.objects.for_user(alice).showing().first().pk)
    services.nudge(carol, alices, "Now there is room")


def test_create_centre_makes_a_slug_and_refuses_a_taken_one(db):
    assert make_centre("Northfield Careers").slug == "northfield-careers"
    with pytest.raises(ValidationError, match="exists already"):
        make_centre("Northfield  careers")
    with pytest.raises(ValidationError, match="letter or digit"):
        make_centre("!!!")


def test_the_django_admin_lists_centre_models_and_refuses_a_cross_centre_assignment(client, centre, alice, bob):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    root = get_user_model().objects.create_superuser("root", "root@example.com", "a long admin password")
    client.force_login(root)
    candidate = services.add_member(centre, alice, "candidate")
    coach = services.add_member(make_centre("Elsewhere"), bob, "coach")
    services.record_access(bob, candidate, "overview")
    for model in ("centre", "membership", "assignment", "seat", "access"):
        assert client.get(reverse(f"admin:centres_{model}_changelist")).status_code == 200
    response = client.post(reverse("admin:centres_assignment_add"), {"candidate": candidate.pk, "coach": coach.pk})
    assert response.status_code == 200 and "different centres" in response.content.decode()
    assert not Assignment.objects.exists()


def test_for_coach_reaches_the_rows_of_assigned_candidates_only(centre, alice, bob):
    from goodword.opportunities.models import Opportunity
    from goodword.references.models import Reference
    from tests.factories.opportunities import make_opportunity
    from tests.factories.references import make_reference

    alices = services.add_member(centre, alice, "candidate")
    services.add_member(centre, bob, "candidate")
    carol = make_coach_of(centre, "carol", alices).user
    mine, theirs = make_reference(alice, name="Dana"), make_reference(bob, name="Sam")
    make_opportunity(alice, stage="offer")
    assert list(Reference.objects.for_coach(carol)) == [mine]
    assert list(Reference.objects.for_coach(carol, alice.pk)) == [mine]
    assert not Reference.objects.for_coach(carol, bob.pk).exists()
    assert not Reference.objects.for_coach(alice).exists()  # a candidate coaches nobody
    assert [o.stage for o in Opportunity.objects.for_coach(carol)] == ["offer"]
    assert theirs not in Reference.objects.for_coach(carol)
