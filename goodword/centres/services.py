"""What a centre does, for the web pages, the CLI and the API alike (docs/centres.md).

Every read a coach makes goes through `coach_candidate()` (the assigned
candidate or nothing) and is recorded by `record_access()`; every change an
admin makes checks that the admin administers the centre concerned.
"""

from __future__ import annotations

import datetime as dt
import smtplib
from collections import Counter
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, JSONField, OuterRef, Subquery, When
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify

from goodword.centres.models import Access, Assignment, Centre, Membership, Nudge, Role, Seat
from goodword.core.prepared import prepared
from goodword.courtesy import summary
from goodword.courtesy.facts import Severity
from goodword.courtesy.models import LedgerSummary
from goodword.lib.vocabulary import LATEST_MOMENT_FIRST, STAGES

NUDGES_SHOWING_PER_COACH = 3  # unanswered nudges from one coach to one candidate, at most
# Candidates never counted at all (newly assigned) are counted while the cohort page is
# built, this many per visit, so that a new cohort fills in before the worker comes round
# while the page's cost stays bounded whatever the cohort's size. Out-of-date counts are
# the worker's (centres/counting.py); the page shows them with their day.
COHORT_FIRST_COUNTS_PER_VISIT = 2


# --- Centres, members, seats ---------------------------------------------------------------

def create_centre(name: str, *, organisation: str = "", slug: str = "") -> Centre:
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Give the centre a name.")
    slug = slugify(slug or name)[:60]
    if not slug:
        raise ValidationError("The name needs at least one letter or digit for the centre's address (its slug).")
    if Centre.objects.filter(slug=slug).exists():
        raise ValidationError(f"A centre with the slug “{slug}” exists already; choose another with --slug.")
    centre = Centre(name=name[:200], organisation=" ".join(organisation.split())[:200], slug=slug)
    centre.full_clean()
    centre.save()
    return centre


def add_member(centre: Centre, user, role: str) -> Membership:
    """`user` joins `centre` as `role` (idempotent). A candidate already in another centre is refused."""
    if role not in Role.values:
        raise ValidationError(f"“{role}” is no role; use one of {', '.join(Role.values)}.")
    existing = Membership.objects.filter(centre=centre, user=user, role=role).first()
    if existing is not None:
        return existing
    if role == Role.CANDIDATE and Membership.objects.for_user(user).candidates().exists():
        raise ValidationError(f"{user.email or user} is a candidate of another centre already; "
                              "they must leave it first (Settings, “Your career centre”).")
    try:
        with transaction.atomic():
            return Membership.objects.create(centre=centre, user=user, role=role)
    except IntegrityError:  # a concurrent join won the one_centre_per_candidate constraint
        raise ValidationError(f"{user.email or user} is a candidate of another centre already.") from None


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(f"“{email[:80]}” is not an email address.") from None
    return email


@transaction.atomic
def invite(centre: Centre, email: str, role: str, by) -> Seat:
    """Keep a seat for `email` as `role` and send the invitation; an account that
    has verified this address already takes its seat at once. A mail that cannot
    be sent undoes the seat and the invitation (ValidationError)."""
    email = normalise_email(email)
    if role not in Role.values:
        raise ValidationError(f"“{role}” is no role; use one of {', '.join(Role.values)}.")
    seat, _ = Seat.objects.get_or_create(centre=centre, email=email, role=role, defaults={"invited_by": by})
    owner = _verified_owner(email)
    if owner is not None:
        claim_seats(owner)
    else:
        _send_invitation(centre, email, role, by)
    return seat


def _send_invitation(centre: Centre, email: str, role: str, by) -> None:
    """Mail `email` a single-use sign-up link (accounts' invitations); the seat is
    taken when that account signs in with the address verified (claim_seats).

    Only hosted mode has sign-up pages. An address that already has an account,
    not yet verified, gets no link: its owner takes the seat on verifying it.
    """
    if settings.GOODWORD_MODE != "hosted":
        return
    from goodword.accounts.services import create_invitation, send_invitation

    try:
        invitation, url_path = create_invitation(email, invited_by=by)
    except ValidationError:
        return
    try:
        send_invitation(invitation, url_path)
    except (OSError, smtplib.SMTPException) as error:
        raise ValidationError(f"The invitation to {email} could not be mailed ({type(error).__name__}); "
                              "nothing was kept. Check the mail settings and invite again.") from None


def verified_emails(user) -> list[str]:
    """The addresses `user` has proven to own, lower-cased: django-allauth's
    verified EmailAddress rows. Without allauth none: an account's own email is
    typed by its owner (accounts:profile) and proves nothing, and a seat may be
    an admin's."""
    if not apps.is_installed("allauth.account"):
        return []
    from allauth.account.models import EmailAddress

    return [email.lower() for email in
            EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)]


def _verified_owner(email: str):
    """The account that verified `email`, if any (see verified_emails)."""
    if not apps.is_installed("allauth.account"):
        return None
    from allauth.account.models import EmailAddress

    row = EmailAddress.objects.filter(email__iexact=email, verified=True).select_related("user").first()
    return row.user if row else None


def claim_seats(user, verified: list[str] | None = None) -> list[Membership]:
    """Turn the seats kept for `user`'s verified addresses into memberships.

    Called on sign-up and on every sign-in (one query when there is no seat);
    `verified` names the addresses the caller has just seen verified (the
    sign-up flow), else verified_emails(user) is asked. A candidate seat waits
    while the user is a candidate of another centre.
    """
    emails = sorted({email.strip().lower() for email in verified}) if verified is not None else verified_emails(user)
    if not emails:
        return []
    joined = []
    for seat in Seat.objects.filter(email__in=emails).select_related("centre").order_by("created_at", "id"):
        try:
            joined.append(add_member(seat.centre, user, seat.role))
        except ValidationError:
            continue
        seat.delete()
    return joined


def cancel_seat(admin, centre: Centre, seat_id: int) -> None:
    _administered(admin, centre)
    Seat.objects.filter(centre=centre, pk=seat_id).delete()


def _administered(admin, centre: Centre) -> Centre:
    if not Centre.objects.administered_by(admin).filter(pk=centre.pk).exists():
        raise Http404("No such centre.")
    return centre


def administered_centre(admin, slug: str) -> Centre:
    """The centre `admin` administers by this slug, else 404."""
    centre = Centre.objects.administered_by(admin).filter(slug=slug).first()
    if centre is None:
        raise Http404("No such centre.")
    return centre


def assign(candidate: Membership, coach: Membership) -> Assignment:
    if candidate.role != Role.CANDIDATE or coach.role != Role.COACH:
        raise ValidationError("Assign a candidate to a coach.")
    if candidate.centre_id != coach.centre_id:
        raise ValidationError("The candidate and the coach are in different centres.")
    assignment, _ = Assignment.objects.get_or_create(candidate=candidate, coach=coach)
    return assignment


def assign_in_centre(admin, centre: Centre, candidate_id: int, coach_id: int) -> Assignment:
    """What an admin's "Assign" form does: both memberships looked up in the admin's centre only."""
    _administered(admin, centre)
    members = Membership.objects.filter(centre=centre)
    candidate = members.candidates().filter(pk=candidate_id).first()
    coach = members.coaches().filter(pk=coach_id).first()
    if candidate is None or coach is None:
        raise ValidationError("Choose a candidate and a coach of this centre.")
    return assign(candidate, coach)


def unassign(admin, centre: Centre, assignment_id: int) -> int:
    _administered(admin, centre)
    deleted, _ = Assignment.objects.filter(pk=assignment_id, coach__centre=centre).delete()
    return deleted


def remove_member(admin, centre: Centre, membership_id: int) -> int:
    """An admin takes someone out of the centre (their assignments go with them).
    The last admin stays: a centre nobody administers could never be fixed from the web."""
    _administered(admin, centre)
    membership = Membership.objects.filter(centre=centre, pk=membership_id).first()
    if membership is None:
        return 0
    if membership.role == Role.ADMIN and not Membership.objects.filter(
            centre=centre, role=Role.ADMIN).exclude(pk=membership.pk).exists():
        raise ValidationError("That is the centre's last admin; add another admin first.")
    return _end_membership(membership)


@transaction.atomic
def _end_membership(membership: Membership) -> int:
    """Delete the membership (its assignments go with it); a candidate's nudges
    from that centre stop showing, since nobody there follows them any more."""
    if membership.role == Role.CANDIDATE:
        Nudge.objects.for_user(membership.user_id).showing().filter(centre_id=membership.centre_id).update(
            dismissed_at=timezone.now())
    deleted, _ = membership.delete()
    return deleted


def leave(user) -> Centre | None:
    """The candidate leaves their centre: no coach sees them from now on.
    Their record of who looked (Access) stays theirs."""
    membership = Membership.objects.for_user(user).candidates().select_related("centre").first()
    if membership is None:
        return None
    _end_membership(membership)
    return membership.centre


def set_share_contacts(user, share: bool) -> bool:
    """The candidate's choice; False when they are in no centre."""
    return bool(Membership.objects.for_user(user).candidates().update(share_contacts=share))


# --- What a coach sees ---------------------------------------------------------------------

def coach_candidate(coach, membership_id: int) -> Membership:
    """The candidate membership `membership_id` if it is assigned to `coach`, else 404."""
    membership = (Membership.objects.candidates_of(coach).select_related("user", "centre")
                  .filter(pk=membership_id).first())
    if membership is None:
        raise Http404("No such candidate among yours.")
    return membership


def record_access(coach, candidate: Membership, what: str, label: str = "") -> Access:
    return Access.objects.create(centre_id=candidate.centre_id, coach=coach, candidate_id=candidate.user_id,
                                 what=what, label=label[:300])


SEVERITIES = sorted(Severity, reverse=True)
SEVERITY_LABELS = [severity.label for severity in SEVERITIES]  # worst first
STAGE_LABELS = dict(STAGES)


@dataclass
class CohortRow:
    membership: Membership  # with .user's names only (cohort() reads no other column)
    counts: dict[str, int]  # severity label -> open debts
    counted_on: dt.date | None  # the day the counts are for; None: never counted
    fresh: bool
    last_logged: dt.datetime | None
    stages: list[tuple[str, int]] = field(default_factory=list)  # (stage label, applications), pipeline order

    @property
    def open_total(self) -> int:
        return sum(self.counts.values())

    @property
    def worst_first(self) -> tuple:
        return tuple(-self.counts.get(label, 0) for label in SEVERITY_LABELS)


def cohort(coach) -> list[CohortRow]:
    """The coach's candidates, worst off first (most critical debts, then high, …).

    A fixed number of queries whatever the cohort's size: the members with their
    latest event (one query, an index seek each), the kept counts (one), the
    applications per stage (one), plus a fresh ledger for at most
    COHORT_FIRST_COUNTS_PER_VISIT candidates never counted at all. Out-of-date
    counts are the worker's to redo (centres/counting.py): the page shows them
    with the day they were counted.
    """
    members = _cohort_members(coach.pk)
    now = timezone.now()
    counted = {}  # user_id -> (counts, the day they are for, fresh)
    for user_id, version, built_version, valid_until, today, counts, debts in _cohort_counts(coach.pk):
        stamp = summary.Stamp(version, built_version, valid_until, today=today, open_debts=debts,
                              severity_counts=counts)
        counted[user_id] = (stamp.counts(), today, stamp.fresh(now))
    for member in [member for member in members if member.user_id not in counted][:COHORT_FIRST_COUNTS_PER_VISIT]:
        kept = summary.kept_ledger(member.user, now)
        counted[member.user_id] = (kept.counts(), kept.today, True)
    stage_counts: dict[int, Counter] = {member.user_id: Counter() for member in members}
    for owner_id, stage, count in _cohort_stages(coach.pk):
        stage_counts[owner_id][stage] += count
    rows = []
    for member in members:
        counts, counted_on, fresh = counted.get(member.user_id, ({}, None, False))
        rows.append(CohortRow(
            membership=member,
            counts={label: counts.get(label, 0) for label in SEVERITY_LABELS},
            counted_on=counted_on, fresh=fresh, last_logged=member.last_logged,
            stages=[(label, stage_counts[member.user_id][value]) for value, label in STAGES
                    if stage_counts[member.user_id][value]],
        ))
    rows.sort(key=lambda row: (row.worst_first, row.membership.user.get_full_name().lower()))
    return rows


# The cohort's three queries, compiled once per thread (core/prepared.py) and keyed on the coach alone.

@prepared
def _cohort_members(coach_id: int):
    """The coach's candidates with what the page shows of them: their names and their latest event."""
    from goodword.timeline.models import Event

    latest = (Event.objects.filter(owner=OuterRef("user_id")).order_by(*LATEST_MOMENT_FIRST)
              .values("occurred_at")[:1])
    return (Membership.objects.candidates_of(coach_id).select_related("user")
            .only("user_id", "user__first_name", "user__last_name", "user__email", "user__username")
            .annotate(last_logged=Subquery(latest)).order_by("user_id"))


@prepared
def _cohort_counts(coach_id: int):
    """The stamp and the counts per severity kept for each of the coach's candidates counted at least once."""
    # The kept debts themselves are read only from a summary kept before its counts were.
    legacy_debts = Case(When(severity_counts__isnull=True, then=F("open_debts")), default=None,
                        output_field=JSONField())
    return (LedgerSummary.objects.filter(user_id__in=Membership.objects.candidates_of(coach_id).values("user_id"),
                                         built_version__isnull=False)
            .annotate(legacy_debts=legacy_debts)
            .values_list("user_id", "version", "built_version", "valid_until", "today", "severity_counts",
                         "legacy_debts"))


@prepared
def _cohort_stages(coach_id: int):
    """(candidate, stage, applications): counted in the database, a row per stage rather than per application."""
    from goodword.opportunities.models import Opportunity

    return (Opportunity.objects.for_coach(coach_id).values("owner_id", "stage").annotate(count=Count("pk"))
            .order_by().values_list("owner_id", "stage", "count"))


# --- Nudges --------------------------------------------------------------------------------

def nudge(coach, candidate: Membership, text: str) -> Nudge:
    """Leave the candidate a short word on their dashboard; `candidate` comes from coach_candidate()."""
    text = " ".join((text or "").split())
    if not text:
        raise ValidationError("Write a few words for the nudge.")
    if len(text) > 280:
        raise ValidationError(f"Keep a nudge to 280 characters; this one has {len(text)}.")
    if Nudge.objects.for_user(candidate.user_id).showing().filter(coach=coach).count() >= NUDGES_SHOWING_PER_COACH:
        raise ValidationError(f"{candidate.user.get_full_name() or 'They'} has {NUDGES_SHOWING_PER_COACH} of your "
                              "nudges still showing; wait until they dismiss one.")
    return Nudge.objects.create(centre_id=candidate.centre_id, coach=coach, candidate_id=candidate.user_id, text=text)


def dismiss_nudge(user, nudge_id: int) -> bool:
    return bool(Nudge.objects.for_user(user).showing().filter(pk=nudge_id).update(dismissed_at=timezone.now()))


def showing_nudges(user) -> list[Nudge]:
    return _showing_nudges(user.pk)  # on every dashboard: compiled once (core/prepared.py)


@prepared
def _showing_nudges(candidate_id: int):
    return Nudge.objects.for_user(candidate_id).showing().select_related("coach")[:10]


# --- What the candidate and the admins see of the looks ------------------------------------

def looks_at(user):
    """Who opened the candidate's data and when, newest first."""
    return Access.objects.for_user(user).select_related("coach", "centre")


def audit_log(admin, centre: Centre):
    _administered(admin, centre)
    return Access.objects.filter(centre=centre).select_related("coach", "candidate")


def candidate_centre(user) -> Membership | None:
    """The candidate's membership, with their coaches' names (two queries), or None."""
    membership = Membership.objects.for_user(user).candidates().select_related("centre").first()
    if membership is not None:
        membership.coach_names = coach_names(user)
    return membership


def coach_names(user) -> list[str]:
    """The names (else emails) of the candidate's coaches."""
    return [
        assignment.coach.user.get_full_name() or assignment.coach.user.email
        for assignment in Assignment.objects.for_user(user).select_related("coach__user")
    ]
