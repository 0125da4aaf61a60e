"""The slate builder for one opportunity: its requirements, the suggestion, and applying it.

Reads the database into the plain data goodword.lib.slate_builder works on
(a fixed number of queries for the whole book) and writes the results back
through the ordinary slate operations. Views and the CLI call these.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from goodword.lib import posting_fetch, slate_builder, vocabulary
from goodword.lib.requirements import MAX_REQUIREMENT_CHARS, MAX_REQUIREMENTS, parse_synonyms, requirement_lines
from goodword.opportunities.models import Listing, Opportunity, SkillSynonyms
from goodword.references.models import Reference


def posting_requirements(opportunity: Opportunity) -> list[str]:
    """What the posting asks for: the user's corrected list once saved, else extracted from the text."""
    return list(opportunity.requirements) or requirement_lines(opportunity.posting_text)


def requirements_are_checked(opportunity: Opportunity) -> bool:
    return bool(opportunity.requirements)


def save_requirements(opportunity: Opportunity, text: str) -> list[str]:
    """Keep the corrected requirement lines (one a line; bullets and blank lines dropped)."""
    lines = []
    for number, line in enumerate((text or "").splitlines(), 1):
        line = line.strip().lstrip("-*•·").strip()
        if not line:
            continue
        if len(line) > MAX_REQUIREMENT_CHARS:
            raise ValidationError({"requirements": f"Line {number} is longer than {MAX_REQUIREMENT_CHARS} "
                                                   "characters; split it or shorten it."})
        if line.casefold() not in {known.casefold() for known in lines}:
            lines.append(line)
    if len(lines) > MAX_REQUIREMENTS:
        raise ValidationError({"requirements": f"Keep it to {MAX_REQUIREMENTS} lines or fewer "
                                               f"(you gave {len(lines)})."})
    opportunity.requirements = lines
    opportunity.save(update_fields=["requirements", "updated_at"])
    return lines


def fetch_posting_text(opportunity: Opportunity) -> str:
    """Fetch the posting from its URL into posting_text (hosted mode: public servers only).

    The extracted requirements are shown again for checking: a stored
    correction is cleared, as it was made for the old text.
    """
    if not opportunity.posting_url:
        raise ValidationError({"posting_url": "Give the posting's web address first (edit the opportunity)."})
    try:
        text = posting_fetch.fetch_posting(opportunity.posting_url, allow_private=settings.GOODWORD_MODE != "hosted")
    except posting_fetch.FetchProblem as problem:
        raise ValidationError({"posting_url": str(problem)}) from None
    if not text.strip():
        raise ValidationError({"posting_url": "That page has no text to read; paste the posting text instead."})
    opportunity.posting_text = text
    opportunity.requirements = []
    opportunity.save(update_fields=["posting_text", "requirements", "updated_at"])
    return text


def synonyms_text(user) -> str:
    row = SkillSynonyms.objects.for_user(user).first()
    return row.text if row else ""


def save_synonyms(user, text: str) -> SkillSynonyms:
    row = SkillSynonyms.objects.for_user(user).first() or SkillSynonyms(owner=user)
    row.text = (text or "").replace("\r\n", "\n")
    row.full_clean(exclude=["owner"])
    row.save()
    return row


def candidates(user, opportunity: Opportunity, *, now: dt.datetime | None = None, user_settings=None):
    """Every reference in the book as a slate_builder.Candidate (four queries)."""
    from goodword.courtesy.models import CourtesySettings
    from goodword.timeline.models import Event

    user_settings = user_settings or CourtesySettings.for_user(user).as_plain()
    now = now or timezone.now()
    today = timezone.localdate(now, user_settings.tz)
    # Counted by day, as the fatigue rule counts them: the last N days, today included.
    def days_back(days):
        return dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time.min, tzinfo=user_settings.tz)

    window_start, month_start = days_back(user_settings.fatigue_days), days_back(slate_builder.MONTH_DAYS)
    in_window: dict[int, int] = {}
    last_month: dict[int, int] = {}
    for reference_id, created_at in (Listing.objects.filter(reference__owner=user, created_at__gte=min(window_start, month_start))
                                     .exclude(opportunity=opportunity).values_list("reference_id", "created_at")):
        if created_at >= window_start:
            in_window[reference_id] = in_window.get(reference_id, 0) + 1
        if created_at >= month_start:
            last_month[reference_id] = last_month.get(reference_id, 0) + 1
    last_event = dict(Event.objects.filter(owner=user, reference__isnull=False).values("reference_id")
                      .annotate(last=Max("occurred_at")).values_list("reference_id", "last"))
    on_slate = set(opportunity.listings.values_list("reference_id", flat=True))
    found = []
    # Plain rows, not model instances: a book of thousands is read in one pass.
    for pk, name, relationship, organisation, status, vouches, consent_on, scope, away_until, max_calls in (
            Reference.objects.for_user(user).order_by("name", "id").values_list(
                "id", "name", "relationship", "organisation", "status", "vouches_for", "consent_given_on",
                "consent_scope", "away_until", "max_calls_a_month")):
        standing = vocabulary.standing_consent(consent_on, scope, user_settings.consent_months)
        touched = last_event.get(pk)
        found.append(slate_builder.Candidate(
            id=pk, name=name, relationship=relationship, organisation=organisation, status=status,
            vouches=tuple(vouches), listings_in_window=in_window.get(pk, 0), listings_last_month=last_month.get(pk, 0),
            last_in_touch=timezone.localdate(touched, user_settings.tz) if touched else None,
            consent_until=standing.until if standing and standing.fresh_on(today) else None,
            away_until=away_until, max_calls_a_month=max_calls, on_slate=pk in on_slate,
        ))
    return found, today, user_settings


def candidates_from_facts(user, opportunity: Opportunity, facts):
    """candidates(), from the courtesy ledger's facts where a page has them
    already (the navigation badge computes them): one query for what the facts
    lack, the organisations and the vouches."""
    user_settings, today = facts.settings, facts.today
    in_window: dict[int, int] = {}
    last_month: dict[int, int] = {}
    on_slate = set()
    for listing in facts.listings:
        if listing.opportunity_id == opportunity.pk:
            on_slate.add(listing.reference_id)
            continue
        age = (today - facts.day(listing.listed_at)).days
        if 0 <= age < user_settings.fatigue_days:
            in_window[listing.reference_id] = in_window.get(listing.reference_id, 0) + 1
        if 0 <= age < slate_builder.MONTH_DAYS:
            last_month[listing.reference_id] = last_month.get(listing.reference_id, 0) + 1
    found = []
    for pk, organisation, vouches in Reference.objects.for_user(user).order_by("name", "id").values_list(
            "id", "organisation", "vouches_for"):
        ref = facts.references.get(pk)
        if ref is None:
            continue
        standing = ref.standing_consent(user_settings.consent_months)
        found.append(slate_builder.Candidate(
            id=pk, name=ref.name, relationship=ref.relationship, organisation=organisation, status=ref.status,
            vouches=tuple(vouches), listings_in_window=in_window.get(pk, 0), listings_last_month=last_month.get(pk, 0),
            last_in_touch=facts.day(ref.last_event_at) if ref.last_event_at else None,
            consent_until=standing.until if standing and standing.fresh_on(today) else None,
            away_until=ref.away_until, max_calls_a_month=ref.max_calls_a_month, on_slate=pk in on_slate,
        ))
    return found, today, user_settings


def suggestion_for(user, opportunity: Opportunity, *, wanted: int | None = None, now=None,
                   facts=None) -> slate_builder.Suggestion:
    """The builder's suggestion for this opportunity (wanted: override the employer's count).

    facts: the courtesy ledger's facts for this user, when the caller has them.
    """
    if facts is not None:
        book, today, user_settings = candidates_from_facts(user, opportunity, facts)
    else:
        book, today, user_settings = candidates(user, opportunity, now=now)
    if wanted is None:
        wanted = slate_builder.wanted_count(opportunity.references_wanted, opportunity.role, opportunity.posting_text)
    return slate_builder.suggest(
        posting_requirements(opportunity), book, wanted=wanted, today=today,
        rules=slate_builder.Rules(user_settings.fatigue_listings, user_settings.fatigue_days),
        synonyms=parse_synonyms(synonyms_text(user)),
    )


@transaction.atomic
def apply_suggestion(user, opportunity: Opportunity, reference_ids: list[int]):
    """List the accepted references on the slate in the order given (after
    anyone already on it who was not suggested). Returns them, those of them
    who have not agreed, and where the permission step opens: the slate-wide
    compose for a permission ask ("" when all of them have agreed already)."""
    from goodword.opportunities.services import add_to_slate, slate_with_states

    if not reference_ids:
        raise ValidationError("Tick at least one suggestion to list.")
    references = Reference.objects.for_user(user).in_bulk(reference_ids)
    missing = [ref_id for ref_id in reference_ids if ref_id not in references]
    if missing:
        raise ValidationError("One of the ticked references is not in your book any more; suggest again.")
    listed = {row.reference_id: row for row in opportunity.listings.select_for_update()}
    accepted = [references[ref_id] for ref_id in dict.fromkeys(reference_ids)]
    for reference in accepted:
        if reference.pk not in listed:
            listed[reference.pk] = add_to_slate(opportunity, reference)
    # The suggested order for the accepted; those listed before keep their places ahead of them.
    others = [row for row in sorted(listed.values(), key=lambda row: (row.position, row.pk))
              if row.reference_id not in {ref.pk for ref in accepted}]
    for position, row in enumerate(others + [listed[ref.pk] for ref in accepted]):
        if row.position != position:
            Listing.objects.filter(pk=row.pk).update(position=position)
    states = {listing.reference_id: state for listing, state in slate_with_states(opportunity)}
    # Not agreed yet: before the standing-consent step in the courtesy sequence (a "no" is not asked again).
    consent_rank = vocabulary.STEP_RANK[vocabulary.IN_SCOPE]
    to_ask = [ref for ref in accepted if vocabulary.STEP_RANK.get(states.get(ref.pk, ""), consent_rank) < consent_rank]
    next_url = ""
    if to_ask:
        next_url = (reverse("outreach:slate", args=[opportunity.pk]) + "?kind=permission&next="
                    + opportunity.get_absolute_url())
    return accepted, to_ask, next_url
