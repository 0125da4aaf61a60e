"""Calls the candidate didn't list: a reference reports that an employer contacted them."""

from __future__ import annotations

import datetime as dt
import hmac
import re

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from goodword.lib.tokens import TOKEN_PATTERN, hash_token, new_token
from goodword.lib.vocabulary import NEWEST_FIRST, OWED_WORD_ANSWERS
from goodword.opportunities.models import Listing, Opportunity
from goodword.sheets.models import StandingLink
from goodword.timeline.services import log_event


# ---------------------------------------------------------------- the standing link


@transaction.atomic
def issue_standing_link(reference, *, now: dt.datetime | None = None) -> tuple[StandingLink, str]:
    """A reference's standing link (any earlier one stops working); the token exists only in the answer."""
    now = now or timezone.now()
    revoke_standing_link(reference, now=now)
    token = new_token()
    return StandingLink.objects.create(reference=reference, token_hash=hash_token(token), created_at=now), token


def revoke_standing_link(reference, *, now: dt.datetime | None = None) -> int:
    return StandingLink.objects.filter(reference=reference, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now())


def current_standing_link(reference) -> StandingLink | None:
    return StandingLink.objects.filter(reference=reference).first()


def standing_path(token: str) -> str:
    return reverse("standing:page", args=[token])


def resolve_standing(token: str) -> StandingLink | None:
    """The live link a token opens, or None (malformed, unknown or revoked: the caller answers 404 or 410)."""
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        return None
    digest = hash_token(token)
    link = StandingLink.objects.select_related("reference__owner").filter(token_hash=digest).first()
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    return link


# ---------------------------------------------------------------- reports


def _matching_opportunity(owner, employer: str):
    employer = employer.strip().lower()
    for opportunity in Opportunity.objects.for_user(owner).order_by("-created_at"):
        company = opportunity.company.strip().lower()
        if company and (company in employer or employer in company):
            return opportunity
    return None


@transaction.atomic
def report_call(reference, *, employer: str, when: dt.date | None = None, listed: str = "no", asked: str = "",
                listed_for=None, now: dt.datetime | None = None):
    """One event for the report. A call from an employer that has them on its
    slate is "employer_contacted" on that opportunity; any other call is a
    "backdoor_call" (its own debt: thank them and find out what was asked).
    The candidate is notified at once."""
    from goodword.sheets.services import notify

    now = now or timezone.now()
    owner = reference.owner
    moment = min(timezone.make_aware(dt.datetime.combine(when, dt.time(12))), now) if when else now
    employer = " ".join(employer.split())[:200]
    opportunity = _matching_opportunity(owner, employer)
    on_slate = opportunity is not None and Listing.objects.filter(opportunity=opportunity, reference=reference).exists()
    said = f"{employer} contacted them about you (they said: {'listed' if listed == 'yes' else 'not listed'})."
    if asked.strip():
        said += f"\nThey asked about: {asked.strip()}"
    if on_slate:
        event = log_event(owner, reference, "employer_contacted", opportunity=opportunity, channel="portal",
                          occurred_at=moment, note="Told you through the portal. " + said)
        text = f"{reference.name}: {employer} contacted them about you."
    else:
        event = log_event(owner, reference, "backdoor_call", opportunity=opportunity, channel="portal",
                          occurred_at=moment, note=UNLISTED_PREFIX + said)
        text = f"{reference.name}: {employer} called them though you never listed them there. Thank them and ask what was asked."
    notify(owner, text, event=event, now=now)
    return event


UNLISTED_PREFIX = "A call you didn't list them for. "
# The note report_call() writes, read back for the thank-you draft.
_UNLISTED_NOTE = re.compile(re.escape(UNLISTED_PREFIX) + r"(?P<employer>.+?) contacted them about you "
                            r"\(they said: [^)]*\)\.(?:\nThey asked about: (?P<asked>.*))?\Z", re.DOTALL)


def open_unlisted_call(reference) -> dict | None:
    """The latest call from an employer the candidate never listed this reference
    for that no thanks (or keeping in touch) has answered yet, as
    {"employer", "asked"}; None when there is none. The thank-you draft speaks of it."""
    from goodword.timeline.models import Event

    answered = Event.objects.filter(reference=reference, kind__in=OWED_WORD_ANSWERS,
                                    occurred_at__gte=models.OuterRef("occurred_at"))
    call = (Event.objects.filter(reference=reference, kind="backdoor_call").exclude(models.Exists(answered))
            .order_by(*NEWEST_FIRST).values_list("note", "opportunity__company").first())
    if call is None:
        return None
    note, company = call
    found = _UNLISTED_NOTE.match(note or "")
    employer = found.group("employer") if found else (company or "")
    asked = " ".join((found.group("asked") or "").split()) if found else ""
    return {"employer": employer or "an employer", "asked": asked}
