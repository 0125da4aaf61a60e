"""Request and response shapes. Responses mirror the CLI's --json (the models' as_dict), so a
script can move between `goodword … --json` and the API without relearning field names."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field

from ninja import Schema

from goodword.lib import vocabulary
from goodword.lib.ids import MAX_ID


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL characters (\\x00) are not accepted.")
    return value


def _sane_day(value):
    # Dates beyond these years are typing slips, and some would overflow time-zone arithmetic.
    if value is not None and not 1900 <= value.year <= 2200:
        raise ValueError("Give a date between the years 1900 and 2200.")
    return value


def Text(max_length: int, min_length: int = 0):  # noqa: N802  (reads as a type in the schemas)
    return Annotated[str, Field(min_length=min_length, max_length=max_length), AfterValidator(_no_nul)]


class Out(BaseModel):
    """A response shape. Plain pydantic rather than ninja's Schema: routes hand it dicts, and
    pydantic-core validates those directly (ninja's attribute getter per field tripled the
    time of a page of 100 events)."""


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Day = Annotated[dt.date, AfterValidator(_sane_day)]
Moment = Annotated[AwareDatetime, AfterValidator(_sane_day)]

Relationship = Literal["manager", "skip_level", "peer", "direct_report", "client", "mentor", "professor",
                       "hr_verifier", "other"]
RefStatus = Literal["active", "resting", "retired", "do_not_use"]
Channel = Literal["email", "phone", "text", "in_person", "video", "linkedin", "portal", "other"]
StageName = Literal[tuple(vocabulary.STAGE_VALUES)]
EventKind = Literal[tuple(value for value, _label in vocabulary.EVENT_KINDS)]
InterviewFormat = Literal["phone", "video", "onsite", "panel", "take_home", "other"]
DraftKind = Literal["permission", "heads_up", "letter", "talking_points", "outcome", "thanks", "keep_in_touch", "apology"]
Tone = Literal["friendly", "formal"]
SeverityName = Literal["low", "medium", "high", "critical"]
ShareName = Literal["briefing", "recap", "letter", "talking_points"]


# ---------------------------------------------------------------- references


class ReferenceOut(Out):
    id: int
    name: str
    emails: list[str]
    phones: list[str]
    title: str
    organisation: str
    relationship: str
    known_since: dt.date | None
    how_we_met: str
    vouches_for: list[str]
    likes: str
    preferred_channel: str | None
    preferred_hours: str
    consent_given_on: dt.date | None
    consent_scope: str
    status: str
    away_until: dt.date | None
    max_calls_a_month: int | None
    notes: str


class ReferenceFields(Schema):
    emails: list[Text(254)] = Field(None, max_length=10)
    phones: list[Text(40)] = Field(None, max_length=10)
    title: Text(200) = None
    organisation: Text(200) = None
    relationship: Relationship = None
    known_since: Day | None = None
    how_we_met: Text(2000) = None
    vouches_for: list[Text(300)] = Field(None, max_length=50)
    likes: Text(2000) = None
    preferred_channel: Channel | Literal[""] = None
    preferred_hours: Text(200) = None
    consent_given_on: Day | None = None
    consent_scope: Text(500) = None
    status: RefStatus = None
    away_until: Day | None = None
    max_calls_a_month: Annotated[int, Field(ge=1, le=30)] | None = None
    notes: Text(20000) = None


class ReferenceIn(ReferenceFields):
    name: Text(200, 1)


class ReferencePatch(ReferenceFields):
    name: Text(200, 1) = None


# ---------------------------------------------------------------- opportunities


class Checker(Out):
    name: str
    email: str
    phone: str


class OpportunityOut(Out):
    id: int
    company: str
    role: str
    stage: str | None
    stage_since: dt.date | None
    posting_url: str
    requirements: list[str]
    references_wanted: int | None = Field(description="null: the employer has not said.")
    checker: Checker
    start_date: dt.date | None
    announced_on: dt.date | None
    notes: str


class OpportunityFields(Schema):
    posting_url: Text(1000) = None
    posting_text: Text(50000) = None
    requirements: list[Text(300)] = Field(None, max_length=60)
    references_wanted: Annotated[int, Field(ge=1, le=50)] | None = None
    checker_name: Text(200) = None
    checker_email: Text(254) = None
    checker_phone: Text(40) = None
    start_date: Day | None = None
    announced_on: Day | None = None
    notes: Text(20000) = None


class OpportunityIn(OpportunityFields):
    company: Text(200, 1)
    role: Text(200, 1)
    stage: StageName = "lead"
    stage_on: Day | None = None


class OpportunityPatch(OpportunityFields):
    company: Text(200, 1) = None
    role: Text(200, 1) = None


class StageChangeOut(Out):
    id: int
    stage: str
    changed_on: dt.date
    note: str


class StageChangeIn(Schema):
    stage: StageName
    changed_on: Day | None = None
    note: Text(500) = ""


class InterviewOut(Out):
    id: int
    opportunity_id: int
    when: dt.datetime
    with_whom: str
    format: str
    questions: str
    strong_points: str
    weak_points: str
    notes: str


class InterviewFields(Schema):
    with_whom: Text(300) = None
    format: InterviewFormat = None
    questions: Text(10000) = None
    strong_points: Text(5000) = None
    weak_points: Text(5000) = None
    notes: Text(10000) = None


class InterviewIn(InterviewFields):
    when: Moment


class InterviewPatch(InterviewFields):
    when: Moment = None


# ---------------------------------------------------------------- slates and portal links


class ListingOut(Out):
    id: int
    opportunity_id: int
    reference_id: int
    reference_name: str
    position: int
    state: str
    state_label: str


class ListingIn(Schema):
    reference_id: Id
    in_scope: bool = Field(False, description="The application lies within their standing consent (logs it).")


class MoveIn(Schema):
    offset: Literal[-1, 1] = Field(description="-1 moves it up the slate, 1 down.")


class PortalLinkOut(Out):
    listing_id: int
    status: Literal["none", "live", "revoked", "expired"]
    shared: list[str]
    created_at: dt.datetime | None
    expires_at: dt.datetime | None
    url: str | None = Field(None, description="Only in the answer that issues the link: it is never shown again.")


class PortalLinkIn(Schema):
    shared: list[ShareName] | None = Field(None, max_length=4,
                                           description="What the reference sees; omitted: as the previous link.")


# ---------------------------------------------------------------- events


class EventOut(Out):
    id: int
    reference_id: int
    opportunity_id: int | None
    kind: str
    channel: str | None
    occurred_at: dt.datetime
    note: str


class EventIn(Schema):
    reference_id: Id
    kind: EventKind
    opportunity_id: Id | None = None
    channel: Channel | Literal[""] = ""
    occurred_at: Moment | None = None
    note: Text(20000) = ""


# ---------------------------------------------------------------- the ledger


class Named(Out):
    id: int
    name: str


class Labelled(Out):
    id: int
    label: str


class DebtOut(Out):
    key: str
    rule: str
    severity: SeverityName
    reference: Named | None
    opportunity: Labelled | None
    due_on: dt.date
    why: str
    action: str
    hidden: Literal["snooze", "dismiss"] | None = None
    hidden_until: dt.date | None = None
    hidden_reason: str = ""


class LedgerOut(Out):
    today: dt.date
    counts: dict[str, int]
    open: int
    hidden: int
    hold_announcement: list[dict]


class SettleIn(Schema):
    channel: Channel | Literal[""] = ""
    note: Text(20000) = ""
    reference_id: Id | None = Field(None, description="Who agreed, for a debt about the whole slate.")


class SettledOut(Out):
    key: str
    event: EventOut | None
    reference: ReferenceOut | None


class SnoozeIn(Schema):
    until: Day


class DismissIn(Schema):
    reason: Text(1000, 1)


class DecisionOut(Out):
    key: str
    kind: Literal["snooze", "dismiss"]
    until: dt.date | None
    reason: str


# ---------------------------------------------------------------- drafts and the outbox


class DraftOut(Out):
    kind: str
    tone: str
    event_kind: str
    to_name: str
    to_address: str
    subject: str
    body: str
    source: str
    notes: list[str]


class DraftIn(Schema):
    kind: DraftKind
    tone: Tone = "friendly"


class DebtDraftIn(Schema):
    tone: Tone = "friendly"


class MessageOut(Out):
    id: int
    reference_id: int | None
    opportunity_id: int | None
    kind: str
    state: str
    to_name: str
    to_address: str
    subject: str
    body_text: str
    attempts: int
    last_error: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    event_id: int | None


class MessageIn(Schema):
    reference_id: Id
    opportunity_id: Id | None = None
    kind: DraftKind
    subject: Text(500, 1)
    text: Text(100000, 1)
    to_address: Text(254) | None = None


# ---------------------------------------------------------------- tokens


class TokenOut(Out):
    id: int
    name: str
    prefix: str
    scope: Literal["read", "read_write"]
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


def page_of(item):
    """The shape of every list: a page of items and the cursor of the next (null on the last)."""
    return type(f"{item.__name__.removesuffix('Out')}Page", (Out,), {
        "__annotations__": {"items": list[item], "next_cursor": str | None},
    })


class FieldError(Out):
    field: str
    message: str


class ProblemOut(Out):
    """RFC 9457 problem details (application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] = Field(default_factory=list, description="One entry per refused field.")


class PageParams(Schema):
    cursor: str | None = Field(None, max_length=400, description="The next_cursor of the previous page.")
    limit: int = Field(50, ge=1, le=100, description="Items per page.")


class ReferenceFilters(PageParams):
    q: str | None = Field(None, max_length=200, description="Part of the name.")
    status: RefStatus | None = None


class OpportunityFilters(PageParams):
    stage: StageName | None = Field(None, description="Only opportunities at this stage (as `goodword job list --stage`).")
    q: str | None = Field(None, max_length=200, description="Part of the company or role.")


class EventFilters(PageParams):
    ref: str | None = Field(None, max_length=200, description="A reference: id or part of the name (as the CLI's --ref).")
    job: str | None = Field(None, max_length=200, description="An opportunity: id, or part of company or role.")
    kind: EventKind | None = None


class DebtFilters(PageParams):
    severity: SeverityName | None = Field(None, description="Only debts at this level or worse (as `goodword due --severity`).")
    ref: str | None = Field(None, max_length=200, description="Only debts about this reference (id or part of the name).")
    job: str | None = Field(None, max_length=200, description="Only debts about this opportunity.")
    hidden: bool = Field(False, description="List the snoozed and dismissed debts instead of the open ones.")


class OutboxFilters(PageParams):
    state: Literal["queued", "sending", "sent", "failed", "uncertain"] | None = None


# ---------------------------------------------------------------- settings and templates


class CourtesySettingsOut(Out):
    time_zone: str
    thank_within_days: int
    fatigue_listings: int
    fatigue_days: int
    keep_warm_days: int
    references_wanted: int
    archive_after_days: int
    consent_months: int


class CourtesySettingsPatch(Schema):
    time_zone: Text(64, 1) = None
    thank_within_days: Annotated[int, Field(ge=1, le=90)] = None
    fatigue_listings: Annotated[int, Field(ge=1, le=50)] = None
    fatigue_days: Annotated[int, Field(ge=1, le=365)] = None
    keep_warm_days: Annotated[int, Field(ge=7, le=3650)] = None
    references_wanted: Annotated[int, Field(ge=1, le=20)] = None
    archive_after_days: Annotated[int, Field(ge=0, le=3650)] = None
    consent_months: Annotated[int, Field(ge=1, le=36)] = None


class TemplateOut(Out):
    kind: str
    tone: str
    subject: str
    body: str
    source: Literal["yours", "built-in"]


class TemplateIn(Schema):
    subject: Text(2000, 1)
    body: Text(50000, 1)
