"""A career centre's admin pages (/centre/admin/<slug>/…) as routes: the members and seats, invite,
withdraw an invitation, assign and unassign a coach, remove a member, the audit log of coaches' looks.
Every route first asks centres.services.administered_centre, as the web views do: a centre you do not
administer (or that does not exist) is 404, whatever else you are in it."""

import datetime as dt
from typing import Literal

from django.http import Http404
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from goodword.api.core import idempotent, page, user_of
from goodword.api.lookups import IdPath, reads, responses
from goodword.api.schemas import Id, Out, PageParams, Text, page_of
from goodword.centres import services as centres
from goodword.centres.models import Assignment, Centre, Membership, Seat

router = Router(tags=["career centre admin"])

RoleName = Literal["candidate", "coach", "admin"]


def SlugPath():  # noqa: N802  (used as a default, as IdPath)
    # slugify's alphabet: anything else names no centre, and is refused before the database sees it.
    return Path(..., min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$",
                description="The centre's slug, as in /centre/admin/<slug>/.")


class AdministeredOut(Out):
    slug: str
    name: str
    organisation: str


class AssignmentOut(Out):
    id: int
    candidate_id: int
    coach_id: int


class MemberOut(Out):
    id: int = Field(description="The membership's id (a candidate's is their `candidate_id` for coaches).")
    name: str
    email: str
    role: RoleName
    coaches: list[AssignmentOut] = Field(description="A candidate's assignments to coaches; empty for others.")


class SeatOut(Out):
    id: int
    email: str
    role: RoleName
    created_at: dt.datetime


class CentreAdminOut(AdministeredOut):
    members: list[MemberOut]
    seats: list[SeatOut] = Field(description="Invitations not yet taken up.")


class InviteIn(Schema):
    email: Text(254, 3)
    role: RoleName = "candidate"


class AssignIn(Schema):
    candidate_id: Id
    coach_id: Id


class AuditOut(Out):
    id: int
    coach: str
    candidate: str
    what: str
    label: str
    at: dt.datetime


def _person(user) -> str:
    return user.get_full_name() or user.email or user.get_username()


def _centre(request, slug: str) -> Centre:
    return centres.administered_centre(user_of(request), slug)


def _seat_item(seat: Seat) -> dict:
    return {"id": seat.pk, "email": seat.email, "role": seat.role, "created_at": seat.created_at}


def _assignment_item(assignment: Assignment) -> dict:
    return {"id": assignment.pk, "candidate_id": assignment.candidate_id, "coach_id": assignment.coach_id}


def _centre_item(centre: Centre) -> dict:
    # The admin page's own query (centres/views.py _admin_context): members with their assignments.
    members = (Membership.objects.filter(centre=centre).select_related("user")
               .prefetch_related("assignments"))
    return {
        "slug": centre.slug, "name": centre.name, "organisation": centre.organisation,
        "members": [{"id": m.pk, "name": _person(m.user), "email": m.user.email or "", "role": m.role,
                     "coaches": [_assignment_item(a) for a in m.assignments.all()]} for m in members],
        "seats": [_seat_item(seat) for seat in Seat.objects.filter(centre=centre)],
    }


@router.get("/centres", response=reads(list[AdministeredOut]))
def list_administered_centres(request):
    """The career centres you administer (empty if none)."""
    return [{"slug": c.slug, "name": c.name, "organisation": c.organisation}
            for c in Centre.objects.administered_by(user_of(request)).order_by("name", "id")]


@router.get("/centres/{slug}", response=reads(CentreAdminOut))
def get_administered_centre(request, slug: str = SlugPath()):
    """A centre's admin page: its members (candidates with their coaches) and open invitations."""
    return _centre_item(_centre(request, slug))


@router.post("/centres/{slug}/seats", response=responses({201: SeatOut}))
@idempotent(SeatOut)
def invite_to_centre(request, payload: InviteIn, slug: str = SlugPath()):
    """Invite an email address as candidate, coach or admin: a seat is kept and the invitation mailed
    (hosted mode); an account that verified that address takes the seat at once (then the answer
    describes the seat it took)."""
    centre = _centre(request, slug)
    seat = centres.invite(centre, payload.email, payload.role, user_of(request))
    return _seat_item(seat)


@router.delete("/centres/{slug}/seats/{seat_id}", response=responses({204: None}))
def cancel_centre_seat(request, slug: str = SlugPath(), seat_id: int = IdPath()):
    """Withdraw an invitation not yet taken up."""
    centre = _centre(request, slug)
    if not Seat.objects.filter(centre=centre, pk=seat_id).exists():
        raise Http404("No such invitation in this centre.")
    centres.cancel_seat(user_of(request), centre, seat_id)
    return Status(204, None)


@router.post("/centres/{slug}/assignments", response=responses({201: AssignmentOut}))
@idempotent(AssignmentOut)
def assign_coach(request, payload: AssignIn, slug: str = SlugPath()):
    """Assign a candidate of this centre to a coach of this centre (both by membership id)."""
    centre = _centre(request, slug)
    return _assignment_item(centres.assign_in_centre(user_of(request), centre, payload.candidate_id,
                                                     payload.coach_id))


@router.delete("/centres/{slug}/assignments/{assignment_id}", response=responses({204: None}))
def unassign_coach(request, slug: str = SlugPath(), assignment_id: int = IdPath()):
    """End an assignment: that coach no longer sees that candidate."""
    centre = _centre(request, slug)
    if not centres.unassign(user_of(request), centre, assignment_id):
        raise Http404("No such assignment in this centre.")
    return Status(204, None)


@router.delete("/centres/{slug}/members/{membership_id}", response=responses({204: None}))
def remove_centre_member(request, slug: str = SlugPath(), membership_id: int = IdPath()):
    """Take someone out of the centre (their assignments go too). The last admin cannot be removed (422)."""
    centre = _centre(request, slug)
    if not centres.remove_member(user_of(request), centre, membership_id):
        raise Http404("No such member of this centre.")
    return Status(204, None)


@router.get("/centres/{slug}/audit", response=reads(page_of(AuditOut)))
def centre_audit_log(request, params: Query[PageParams], slug: str = SlugPath()):
    """Every look by this centre's coaches at a candidate's data, newest first (the audit page)."""
    rows = centres.audit_log(user_of(request), _centre(request, slug))
    return page(rows, ["-at", "-id"], params.cursor, params.limit, lambda look: {
        "id": look.pk, "coach": _person(look.coach), "candidate": _person(look.candidate), "what": look.what,
        "label": look.label, "at": look.at})
