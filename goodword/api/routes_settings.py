"""Your courtesy thresholds and your own message templates, through courtesy/ and outreach/ services."""

from ninja import Query, Router, Status

from goodword.api.core import check_if_match, honours_if_match, page_of_list, user_of
from goodword.api.lookups import reads, responses
from goodword.api.problems import Problem
from goodword.api.schemas import (
    CourtesySettingsOut,
    CourtesySettingsPatch,
    DraftKind,
    PageParams,
    TemplateIn,
    TemplateOut,
    Tone,
    page_of,
)
from goodword.courtesy import services as courtesy
from goodword.courtesy.models import CourtesySettings
from goodword.outreach import drafts
from goodword.outreach import services as outreach
from goodword.outreach.models import DraftKind as DraftKinds
from goodword.outreach.models import MessageTemplate
from goodword.outreach.models import Tone as Tones

router = Router(tags=["settings and templates"])
SETTINGS_FIELDS = ("time_zone", "thank_within_days", "fatigue_listings", "fatigue_days", "keep_warm_days",
                   "references_wanted", "archive_after_days", "consent_months")


def settings_item(row) -> dict:
    return {name: getattr(row, name) for name in SETTINGS_FIELDS}


@router.get("/settings/courtesy", response=reads(CourtesySettingsOut))
def get_courtesy_settings(request):
    """Your time zone and the thresholds behind the ledger (defaults until you change one)."""
    return settings_item(CourtesySettings.for_user(user_of(request)))


@router.patch("/settings/courtesy", response=responses({200: CourtesySettingsOut}))
@honours_if_match
def update_courtesy_settings(request, payload: CourtesySettingsPatch):
    """Change some thresholds, checked together as the settings page checks them."""
    user = user_of(request)
    check_if_match(request, CourtesySettingsOut, settings_item(CourtesySettings.for_user(user)))
    fields = {name: value for name, value in payload.dict(exclude_unset=True).items() if value is not None}
    return settings_item(courtesy.save_settings(user, **fields))


def template_item(user, kind: str, tone: str) -> dict:
    row = MessageTemplate.objects.for_user(user).filter(kind=kind, tone=tone).first()
    if row is not None:
        return {"kind": kind, "tone": tone, "subject": row.subject, "body": row.body, "source": "yours"}
    builtin = drafts.builtin_sources(kind, tone)
    return {"kind": kind, "tone": tone, "subject": builtin["subject"], "body": builtin["body"], "source": "built-in"}


@router.get("/templates", response=reads(page_of(TemplateOut)))
def list_templates(request, params: Query[PageParams]):
    """Every kind of draft in both tones: yours where you wrote one, else the built-in one."""
    user = user_of(request)
    rows = [template_item(user, kind, tone) for kind in DraftKinds.values for tone in Tones.values]
    return page_of_list(rows, lambda row: f"{row['kind']}/{row['tone']}", params.cursor, params.limit)


@router.get("/templates/{kind}/{tone}", response=reads(TemplateOut))
def get_template(request, kind: DraftKind, tone: Tone):
    return template_item(user_of(request), kind, tone)


@router.put("/templates/{kind}/{tone}", response=responses({200: TemplateOut}))
@honours_if_match
def save_template(request, kind: DraftKind, tone: Tone, payload: TemplateIn):
    """Your own wording for one kind and tone; refused (422) if it does not render on the sample facts."""
    user = user_of(request)
    check_if_match(request, TemplateOut, template_item(user, kind, tone))
    try:
        outreach.save_user_template(user, kind, tone, subject=payload.subject, body=payload.body)
    except drafts.DraftProblem as problem:
        raise Problem(422, str(problem)) from None
    return template_item(user, kind, tone)


@router.delete("/templates/{kind}/{tone}", response=responses({204: None}))
def revert_template(request, kind: DraftKind, tone: Tone):
    """Back to the built-in template."""
    MessageTemplate.objects.for_user(user_of(request)).filter(kind=kind, tone=tone).delete()
    return Status(204, None)
