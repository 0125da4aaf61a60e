"""A coach's read-only view of their cohort (docs/centres.md), through the very functions the
coach's web pages call: services.coach_candidate() (the assigned candidate or 404) and
centres/reads.py (which leaves out private text and, unless shared, contact details). Every
look at a candidate is recorded with services.record_access(), as the web records it; the
cohort list is counts only and, as on the web, is not recorded.

Nothing here writes a candidate's data, and nothing reaches their tokens, drafts, outbox or SMTP
settings: those routes are the owner's (owner-scoped querysets), so a coach's token gets 404 there.
"""

import datetime as dt

from django.http import Http404
from ninja import Query, Router

from goodword.api.core import page_of_list, user_of
from goodword.api.lookups import IdPath, reads
from goodword.api.schemas import Out, PageParams, page_of
from goodword.centres import reads as coach_reads
from goodword.centres import services as centres
from goodword.centres.models import Access, Membership

router = Router(tags=["coaches (read-only)"])


class StageCount(Out):
    stage: str
    count: int


class CohortRowOut(Out):
    candidate_id: int
    name: str
    open_debts: dict[str, int]
    open_total: int
    counted_on: dt.date | None
    fresh: bool
    last_logged: dt.datetime | None
    applications_by_stage: list[StageCount]


class CoachDebtOut(Out):
    severity: str
    title: str
    who: str
    why: str
    due_on: dt.date
    due_text: str
    overdue: bool
    reference_id: int | None
    opportunity_id: int | None


class CoachDebtGroupOut(Out):
    title: str
    summary: str
    severity: str
    reference_id: int | None
    opportunity_id: int | None
    debts: list[CoachDebtOut]


class CoachReferenceRow(Out):
    id: int
    name: str
    title: str
    organisation: str
    relationship: str
    status: str
    listed: int


class CoachOpportunityRow(Out):
    id: int
    company: str
    role: str
    stage: str | None
    stage_label: str
    slate_size: int
    references_wanted: int | None


class CandidateOut(Out):
    candidate_id: int
    name: str
    today: dt.date
    open_count: int
    ledger: list[CoachDebtGroupOut]
    references: list[CoachReferenceRow]
    opportunities: list[CoachOpportunityRow]


class CoachListing(Out):
    opportunity_id: int
    company: str
    role: str
    state: str


class CoachEvent(Out):
    kind: str
    channel: str | None
    occurred_at: dt.datetime
    opportunity_id: int | None


class CoachReferenceOut(Out):
    id: int
    name: str
    title: str
    organisation: str
    relationship: str
    status: str
    preferred_channel: str | None
    vouches_for: list[str]
    shares_contacts: bool
    emails: list[str]
    phones: list[str]
    listings: list[CoachListing]
    events: list[CoachEvent]


class CoachSlateRow(Out):
    reference_id: int
    reference_name: str
    state: str


class CoachStage(Out):
    stage: str
    changed_on: dt.date


class CoachInterview(Out):
    when: dt.datetime
    format: str
    with_whom: str


class CoachOpportunityOut(Out):
    id: int
    company: str
    role: str
    stage: str | None
    stage_label: str
    references_wanted: int | None
    slate: list[CoachSlateRow]
    stages: list[CoachStage]
    interviews: list[CoachInterview]


def _name(membership) -> str:
    return membership.user.get_full_name() or membership.user.email or membership.user.get_username()


def _candidate(request, candidate_id: int):
    """The assigned candidate, or 404 (an unassigned one, another centre's, or no such id)."""
    return centres.coach_candidate(user_of(request), candidate_id)


@router.get("/cohort", response=reads(page_of(CohortRowOut)))
def list_cohort(request, params: Query[PageParams]):
    """The candidates assigned to you, worst off first: open debts by severity, the last thing they
    logged, their applications by stage (as the cohort page). 404 if you coach nobody."""
    coach = user_of(request)
    if not Membership.objects.for_user(coach).coaches().exists():
        raise Http404("You coach nobody here.")
    rows = [
        {"candidate_id": row.membership.pk, "name": _name(row.membership), "open_debts": row.counts,
         "open_total": row.open_total, "counted_on": row.counted_on, "fresh": row.fresh,
         "last_logged": row.last_logged,
         "applications_by_stage": [{"stage": label, "count": count} for label, count in row.stages]}
        for row in centres.cohort(coach)
    ]
    return page_of_list(rows, lambda row: row["candidate_id"], params.cursor, params.limit)


@router.get("/cohort/{candidate_id}", response=reads(CandidateOut))
def get_candidate(request, candidate_id: int = IdPath()):
    """One candidate: their ledger grouped as on their own (what, who, why, when due), their references
    and applications. Recorded in their list of looks."""
    coach = user_of(request)
    membership = _candidate(request, candidate_id)
    seen = coach_reads.overview(coach, membership)
    ledger = []
    for item in seen["groups"]:
        group = item["group"]
        ledger.append({
            "title": group.title, "summary": group.summary, "severity": group.severity.label,
            "reference_id": group.reference_id, "opportunity_id": group.opportunity_id,
            "debts": [
                {"severity": line.severity, "title": line.title, "who": line.who, "why": line.why,
                 "due_on": line.due_iso, "due_text": line.due_text, "overdue": line.overdue,
                 "reference_id": debt.reference_id, "opportunity_id": debt.opportunity_id}
                for line, debt in zip(item["lines"], group.debts, strict=True)
            ],
        })
    answer = {
        "candidate_id": membership.pk, "name": _name(membership), "today": seen["today"],
        "open_count": seen["open_count"], "ledger": ledger,
        "references": [
            {"id": r.pk, "name": r.name, "title": r.title, "organisation": r.organisation,
             "relationship": r.relationship, "status": r.status, "listed": r.listed}
            for r in (row["reference"] for row in seen["references"])
        ],
        "opportunities": [
            {"id": o.pk, "company": o.company, "role": o.role, "stage": o.stage or None, "stage_label": o.stage_label,
             "slate_size": o.slate_size, "references_wanted": o.references_wanted}
            for o in (row["opportunity"] for row in seen["opportunities"])
        ],
    }
    centres.record_access(coach, membership, Access.What.OVERVIEW)
    return answer


@router.get("/cohort/{candidate_id}/references/{reference_id}", response=reads(CoachReferenceOut))
def get_candidate_reference(request, candidate_id: int = IdPath(), reference_id: int = IdPath()):
    """One of the candidate's references: who, where they stand on each slate, the timeline's kinds and
    dates (never its notes); email addresses and phones only if the candidate shares them. Recorded."""
    coach = user_of(request)
    membership = _candidate(request, candidate_id)
    seen = coach_reads.reference(coach, membership, reference_id)
    found = seen["reference"]
    answer = {
        "id": found.pk, "name": found.name, "title": found.title, "organisation": found.organisation,
        "relationship": found.relationship, "status": found.status,
        "preferred_channel": found.preferred_channel or None, "vouches_for": list(found.vouches_for),
        "shares_contacts": seen["shares_contacts"], "emails": seen["emails"], "phones": seen["phones"],
        "listings": [{"opportunity_id": row["opportunity"].pk, "company": row["opportunity"].company,
                      "role": row["opportunity"].role, "state": row["state"]} for row in seen["listings"]],
        "events": [{"kind": event.kind, "channel": event.channel or None, "occurred_at": event.occurred_at,
                    "opportunity_id": event.opportunity_id} for event in seen["events"]],
    }
    centres.record_access(coach, membership, Access.What.REFERENCE, found.name)
    return answer


@router.get("/cohort/{candidate_id}/opportunities/{opportunity_id}", response=reads(CoachOpportunityOut))
def get_candidate_opportunity(request, candidate_id: int = IdPath(), opportunity_id: int = IdPath()):
    """One application: its stages, its slate with where each reference stands, its interviews'
    dates, formats and interviewers (never questions, notes or posting text). Recorded."""
    coach = user_of(request)
    membership = _candidate(request, candidate_id)
    seen = coach_reads.opportunity(coach, membership, opportunity_id)
    found = seen["opportunity"]
    answer = {
        "id": found.pk, "company": found.company, "role": found.role, "stage": found.stage or None,
        "stage_label": found.stage_label, "references_wanted": found.references_wanted,
        "slate": [{"reference_id": row["reference"].pk, "reference_name": row["reference"].name,
                   "state": row["state"]} for row in seen["slate"]],
        "stages": [{"stage": label, "changed_on": day} for label, day in seen["stages"]],
        "interviews": [{"when": i.when, "format": i.format, "with_whom": i.with_whom} for i in seen["interviews"]],
    }
    centres.record_access(coach, membership, Access.What.OPPORTUNITY, f"{found.role} at {found.company}")
    return answer
