"""The slate builder (opportunities/suggest.py): your skill synonyms, a posting's requirement lines,
fetching the posting, the suggestion and listing it, as the opportunity page and Settings do."""

from ninja import Query, Router, Schema
from pydantic import Field

from goodword.api.core import check_if_match, honours_if_match, user_of
from goodword.api.lookups import IdPath, owned, reads, responses
from goodword.api.problems import Problem
from goodword.api.schemas import Id, Out, Text
from goodword.lib.requirements import MAX_REQUIREMENT_CHARS, MAX_REQUIREMENTS
from goodword.opportunities import suggest
from goodword.opportunities.models import Opportunity

router = Router(tags=["slate builder"])


class SynonymsOut(Out):
    text: str = Field(description="One group a line: “k8s = kubernetes” or “postgres, postgresql”; # comments.")


class SynonymsIn(Schema):
    text: Text(20000)


@router.get("/settings/synonyms", response=reads(SynonymsOut))
def get_synonyms(request):
    """The skill synonyms the suggestions use to match requirements with what references vouch for."""
    return {"text": suggest.synonyms_text(user_of(request))}


@router.put("/settings/synonyms", response=responses({200: SynonymsOut}))
@honours_if_match
def save_synonyms(request, payload: SynonymsIn):
    user = user_of(request)
    check_if_match(request, SynonymsOut, {"text": suggest.synonyms_text(user)})
    suggest.save_synonyms(user, payload.text)
    return {"text": suggest.synonyms_text(user)}


class RequirementsOut(Out):
    opportunity_id: int
    requirements: list[str]
    checked: bool = Field(description="false: extracted from the posting text and not yet corrected by you.")


class RequirementsIn(Schema):
    requirements: list[Text(MAX_REQUIREMENT_CHARS)] = Field(max_length=MAX_REQUIREMENTS * 2)


def requirements_item(opportunity) -> dict:
    return {"opportunity_id": opportunity.pk, "requirements": suggest.posting_requirements(opportunity),
            "checked": suggest.requirements_are_checked(opportunity)}


@router.get("/opportunities/{opportunity_id}/requirements", response=reads(RequirementsOut))
def get_requirements(request, opportunity_id: int = IdPath()):
    """What the posting asks for: your corrected lines once saved, else those extracted from its text."""
    return requirements_item(owned(Opportunity.objects, user_of(request), opportunity_id))


@router.put("/opportunities/{opportunity_id}/requirements", response=responses({200: RequirementsOut}))
@honours_if_match
def save_requirements(request, payload: RequirementsIn, opportunity_id: int = IdPath()):
    """Keep your corrected lines (blank ones and repeats dropped) for the suggestion and the drafts."""
    opportunity = owned(Opportunity.objects, user_of(request), opportunity_id)
    check_if_match(request, RequirementsOut, requirements_item(opportunity))
    lines = [" ".join(line.split()) for line in payload.requirements]
    suggest.save_requirements(opportunity, "\n".join(lines))
    return requirements_item(opportunity)


@router.post("/opportunities/{opportunity_id}/posting/fetch", response=responses({200: RequirementsOut}))
def fetch_posting(request, opportunity_id: int = IdPath()):
    """Read the posting from its posting_url (hosted mode: public servers only) into its text; the
    requirement lines are extracted again for you to check."""
    opportunity = owned(Opportunity.objects, user_of(request), opportunity_id)
    suggest.fetch_posting_text(opportunity)
    return requirements_item(opportunity)


class SuggestedReference(Out):
    reference_id: int
    name: str
    covers: list[str]
    vouches: list[str]
    reasons: list[str]
    extra: bool


class SkippedReference(Out):
    reference_id: int
    name: str
    reason: str


class NamedReference(Out):
    reference_id: int
    name: str


class SuggestionOut(Out):
    opportunity_id: int
    wanted: int
    offered: int
    picks: list[SuggestedReference]
    skipped: list[SkippedReference]
    requirements: list[str]
    uncovered: list[str]
    skills: list[str]
    covered_share: float
    verifier: NamedReference | None
    notes: list[str]


class SuggestionParams(Schema):
    wanted: int = Field(None, ge=1, le=10, description="How many to suggest (default: what the employer asked "
                                                       "for, else a guess from the role).")


class ApplyIn(Schema):
    reference_ids: list[Id] = Field(min_length=1, max_length=20, description="The picks you accept, in order.")


class AppliedOut(Out):
    listed: list[NamedReference]
    to_ask: list[NamedReference] = Field(description="Listed but not agreed yet: ask them for permission next "
                                                     "(POST /listings/{listing_id}/draft with kind permission).")


def _open(request, opportunity_id):
    opportunity = owned(Opportunity.objects, user_of(request), opportunity_id)
    if opportunity.is_closed:
        raise Problem(409, "This application is closed: the builder suggests only for open ones.")
    return opportunity


@router.get("/opportunities/{opportunity_id}/suggestion", response=reads(SuggestionOut))
def get_suggestion(request, params: Query[SuggestionParams], opportunity_id: int = IdPath()):
    """Who in your book best covers the requirements without tiring anyone, and why the others are not
    suggested (as the opportunity page's builder)."""
    opportunity = _open(request, opportunity_id)
    found = suggest.suggestion_for(user_of(request), opportunity, wanted=params.wanted)
    return {
        "opportunity_id": opportunity.pk, "wanted": found.wanted, "offered": found.offered,
        "picks": [{"reference_id": p.candidate.id, "name": p.candidate.name, "covers": list(p.covers),
                   "vouches": list(p.vouches), "reasons": list(p.reasons), "extra": p.extra} for p in found.picks],
        "skipped": [{"reference_id": c.id, "name": c.name, "reason": reason} for c, reason in found.skipped],
        "requirements": list(found.requirements), "uncovered": list(found.uncovered), "skills": list(found.skills),
        "covered_share": found.covered_share, "notes": list(found.notes),
        "verifier": {"reference_id": found.verifier.id, "name": found.verifier.name} if found.verifier else None,
    }


@router.post("/opportunities/{opportunity_id}/suggestion/apply", response=responses({200: AppliedOut}))
def apply_suggestion(request, payload: ApplyIn, opportunity_id: int = IdPath()):
    """List the accepted references on the slate in the order given, after anyone already on it.
    Safe to retry: a reference already listed is not listed twice."""
    opportunity = _open(request, opportunity_id)
    accepted, to_ask, _next = suggest.apply_suggestion(user_of(request), opportunity, payload.reference_ids)
    return {"listed": [{"reference_id": r.pk, "name": r.name} for r in accepted],
            "to_ask": [{"reference_id": r.pk, "name": r.name} for r in to_ask]}
