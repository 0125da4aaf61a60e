"""A career centre from the candidate's side (their centre, whether coaches see contact details, who
looked, the coaches' nudges, leaving) and the one thing a coach writes: a nudge. Through
centres/services.py, as the settings page, the dashboard and the coach's candidate page."""

import datetime as dt

from django.http import Http404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from goodword.api.core import idempotent, page, user_of
from goodword.api.lookups import IdPath, reads, responses
from goodword.api.schemas import Out, PageParams, Text, page_of
from goodword.centres import services as centres
from goodword.centres.models import Nudge

router = Router(tags=["career centre"])


class MyCentreOut(Out):
    centre: str
    organisation: str
    coaches: list[str]
    share_contacts: bool = Field(description="Whether your coaches see your references' email addresses and phones.")


class MyCentrePatch(Schema):
    share_contacts: bool


class LookOut(Out):
    id: int
    coach: str
    centre: str
    what: str
    label: str
    at: dt.datetime


class NudgeOut(Out):
    id: int
    coach: str
    text: str
    created_at: dt.datetime


class NudgeIn(Schema):
    text: Text(280, 1)


class LeftOut(Out):
    left: str


def _person(user) -> str:
    return user.get_full_name() or user.email or user.get_username()


def _mine(user):
    membership = centres.candidate_centre(user)
    if membership is None:
        raise Http404("You are in no career centre.")
    return membership


def centre_item(membership) -> dict:
    return {"centre": membership.centre.name, "organisation": membership.centre.organisation,
            "coaches": membership.coach_names, "share_contacts": membership.share_contacts}


def nudge_item(nudge) -> dict:
    return {"id": nudge.pk, "coach": _person(nudge.coach), "text": nudge.text, "created_at": nudge.created_at}


@router.get("/centre", response=reads(MyCentreOut))
def get_my_centre(request):
    """The career centre you are a candidate of, your coaches and your sharing choice (404: none)."""
    return centre_item(_mine(user_of(request)))


@router.patch("/centre", response=responses({200: MyCentreOut}))
def update_my_centre(request, payload: MyCentrePatch):
    """Show your references' email addresses and phone numbers to your coaches, or stop."""
    user = user_of(request)
    _mine(user)
    centres.set_share_contacts(user, payload.share_contacts)
    return centre_item(_mine(user))


@router.post("/centre/leave", response=responses({200: LeftOut}))
def leave_my_centre(request):
    """Leave the centre: no coach sees anything of yours from now on. Your record of looks stays yours."""
    left = centres.leave(user_of(request))
    if left is None:
        raise Http404("You are in no career centre.")
    return {"left": left.name}


@router.get("/centre/looks", response=reads(page_of(LookOut)))
def list_looks(request, params: Query[PageParams]):
    """Every time a coach opened your data: who, what, when, newest first."""
    rows = centres.looks_at(user_of(request))
    return page(rows, ["-at", "-id"], params.cursor, params.limit, lambda look: {
        "id": look.pk, "coach": _person(look.coach), "centre": look.centre.name, "what": look.what,
        "label": look.label, "at": look.at})


@router.get("/nudges", response=reads(page_of(NudgeOut)))
def list_nudges(request, params: Query[PageParams]):
    """Your coaches' nudges still showing on your dashboard."""
    rows = Nudge.objects.for_user(user_of(request)).showing().select_related("coach")
    return page(rows, ["-created_at", "-id"], params.cursor, params.limit, nudge_item)


@router.post("/nudges/{nudge_id}/dismiss", response=responses({204: None}))
def dismiss_nudge(request, nudge_id: int = IdPath()):
    """Take a nudge off your dashboard."""
    if not centres.dismiss_nudge(user_of(request), nudge_id):
        raise Http404("No such nudge among yours.")
    return Status(204, None)


@router.post("/cohort/{candidate_id}/nudges", response=responses({201: NudgeOut}))
@idempotent(NudgeOut)
def nudge_candidate(request, payload: NudgeIn, candidate_id: int = IdPath()):
    """A coach leaves a short word on an assigned candidate's dashboard (at most three showing from you)."""
    coach = user_of(request)
    return nudge_item(centres.nudge(coach, centres.coach_candidate(coach, candidate_id), payload.text))
