"""Portal links: issue, revoke, resolve a token, and record what the reference answered.

Token rules (docs/portal.md): 256 random bits from `secrets`, only the SHA-256
stored, looked up by that hash and compared with hmac.compare_digest; a link
opens one listing; it ends 30 days after the opportunity closes and at most
120 days after it was issued; a candidate can revoke it or issue a new one
(which kills the old one).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from goodword.core.prepared import prepared
from goodword.lib import vocabulary
from goodword.lib.tokens import TOKEN_PATTERN, hash_token, new_token  # noqa: F401  (part of this module's API)
from goodword.opportunities.models import CLOSED_STAGES, Listing
from goodword.portal.models import (
    AnswerKind,
    PortalAnswer,
    PortalLink,
    PortalMiss,
    Share,
)
from goodword.timeline.services import log_event
from goodword.webhooks import events as webhook_events

MAX_LIFETIME = dt.timedelta(days=120)
AFTER_CLOSE = dt.timedelta(days=30)
# The letter draft is shared by default only once a letter was asked for (see default_shared);
# before that a reference would read "Thank you for agreeing to write a letter" out of the blue.
DEFAULT_SHARED = [Share.BRIEFING, Share.RECAP, Share.TALKING_POINTS]

# Brute-force throttle: this many misses from one client within the window → 429.
MISS_LIMIT = 10
MAX_EMAILS = MAX_PHONES = 10  # as validate_email_list and validate_phone_list allow
MISS_WINDOW = dt.timedelta(minutes=15)


# ---------------------------------------------------------------- public URLs


def public_base_url() -> str:
    """Where references reach this instance; links in emails and drafts start with it.
    GOODWORD_PUBLIC_URL (checked at start-up by lib.config) when set; else, hosted, the first
    trusted origin (the address browsers use); else the address `goodword serve` last listened
    on in this home, else the default."""
    from goodword.lib import config

    if settings.GOODWORD_PUBLIC_URL:
        return settings.GOODWORD_PUBLIC_URL.rstrip("/")
    if settings.GOODWORD_MODE == "hosted" and settings.CSRF_TRUSTED_ORIGINS:
        return settings.CSRF_TRUSTED_ORIGINS[0].rstrip("/")
    return config.read_served_url(Path(settings.GOODWORD_HOME)) or config.DEFAULT_PUBLIC_URL


def absolute(path: str, base_url: str | None = None) -> str:
    return (base_url or public_base_url()).rstrip("/") + path


# ---------------------------------------------------------------- issuing


def expires_at(link: PortalLink, opportunity=None) -> dt.datetime:
    """When the link stops working: the hard limit, or 30 days after the opportunity closed if sooner."""
    opportunity = opportunity or link.listing.opportunity
    end = link.expires_at
    if opportunity.stage in CLOSED_STAGES and opportunity.stage_since:
        closed_end = timezone.make_aware(dt.datetime.combine(opportunity.stage_since + AFTER_CLOSE, dt.time.max))
        end = min(end, closed_end)
    return end


def link_status(link: PortalLink | None, now: dt.datetime | None = None) -> str:
    """"none", "live", "revoked" or "expired"."""
    if link is None:
        return "none"
    if link.revoked_at is not None:
        return "revoked"
    if expires_at(link) <= (now or timezone.now()):
        return "expired"
    return "live"


def clean_shared(shared) -> list[str]:
    shared = list(dict.fromkeys(shared or []))
    unknown = [item for item in shared if item not in Share.values]
    if unknown:
        raise ValidationError(f"Cannot share “{unknown[0]}”; choose from: {', '.join(Share.values)}.")
    return shared


def letter_requested(listing: Listing) -> bool:
    """Whether someone asked this reference for a letter for this opportunity."""
    from goodword.timeline.models import Event

    return Event.objects.filter(
        owner=listing.opportunity.owner, reference=listing.reference, opportunity=listing.opportunity,
        kind="letter_requested",
    ).exists()


def default_shared(listing: Listing) -> list[str]:
    """What a new link shares unless the candidate chooses: the letter draft only once one was requested."""
    shared = [share.value for share in DEFAULT_SHARED]
    if letter_requested(listing):
        shared.insert(2, Share.LETTER.value)
    return shared


def consent_answer(listing: Listing):
    """The reference's latest yes or no for this listing (an "agreed"/"declined" event), or None."""
    from goodword.timeline.models import Event

    return (
        Event.objects.filter(owner=listing.opportunity.owner, reference=listing.reference,
                             opportunity=listing.opportunity, kind__in=vocabulary.ANSWER_KINDS)
        .order_by(*vocabulary.NEWEST_FIRST).first()
    )


@transaction.atomic
def issue_link(listing: Listing, shared=None, *, now: dt.datetime | None = None) -> tuple[PortalLink, str]:
    """A fresh link for the listing; any earlier link of this listing stops working.

    Returns the link and its token: the only time the token exists outside
    the reference's inbox. shared=None keeps the previous link's choices.
    """
    now = now or timezone.now()
    previous = PortalLink.objects.filter(listing=listing).order_by("-created_at", "-id").first()
    if shared is None:
        shared = previous.shared if previous is not None else default_shared(listing)
    shared = clean_shared(shared)
    revoke(listing, now=now)
    token = new_token()
    link = PortalLink.objects.create(
        listing=listing, token_hash=hash_token(token), shared=shared, created_at=now, expires_at=now + MAX_LIFETIME,
    )
    return link, token


def revoke(listing: Listing, *, now: dt.datetime | None = None) -> int:
    return PortalLink.objects.filter(listing=listing, revoked_at__isnull=True).update(revoked_at=now or timezone.now())


@transaction.atomic
def set_shared(link: PortalLink, shared) -> PortalLink:
    link.shared = clean_shared(shared)
    link.save(update_fields=["shared"])
    return link


def current_link(listing: Listing) -> PortalLink | None:
    return PortalLink.objects.filter(listing=listing).order_by("-created_at", "-id").first()


def portal_path(token: str) -> str:
    return reverse("portal:page", args=[token])


def portal_url_for(listing: Listing, *, shared=None, base_url: str | None = None) -> str:
    """An absolute portal URL for a draft or an email to the reference.

    Only token hashes are stored, so an existing link cannot be shown again:
    this issues a new link (keeping the current choices of what is shared)
    and the previous one stops working. Call it once, when the message that
    carries the link is made.
    """
    _link, token = issue_link(listing, shared)
    return absolute(portal_path(token), base_url)


# ---------------------------------------------------------------- resolving


@dataclass
class Resolved:
    status: str  # "live", "revoked", "expired"
    link: PortalLink


def resolve(token: str, now: dt.datetime | None = None) -> Resolved | None:
    """The link a token opens, or None (malformed or unknown: the caller answers 404)."""
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        return None
    digest = hash_token(token)
    link = (
        PortalLink.objects.select_related("listing__reference", "listing__opportunity__owner")
        .filter(token_hash=digest).first()
    )
    # The lookup is by hash (an index cannot leak the token by timing); the
    # constant-time comparison guards against a collation or prefix match.
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    return Resolved(link_status(link, now), link)


def client_key(request) -> str:
    """Who a miss is counted against: the client's address (goodword.core.client_address, which
    reads X-Forwarded-For only from a trusted proxy; IPv6 by /64), hashed with the secret key.

    Misses are counted per client and never in total: a client that guesses is locked out,
    and nobody else (the candidate's references, other calendar feeds) notices.
    """
    from goodword.core.client_address import client_address, throttle_key

    address = throttle_key(client_address(request))
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def is_throttled(client: str, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return PortalMiss.objects.filter(client=client, at__gt=now - MISS_WINDOW).count() >= MISS_LIMIT


def record_miss(client: str, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    PortalMiss.objects.create(client=client, at=now)
    PortalMiss.objects.filter(at__lt=now - MISS_WINDOW).delete()


# ---------------------------------------------------------------- the page


def page_content(link: PortalLink) -> dict:
    """What the reference sees: the fixed header and only the sections the candidate shared."""
    from goodword.outreach import drafts

    listing = link.listing
    opportunity = listing.opportunity
    owner = opportunity.owner
    job = drafts.job_context(opportunity)
    content = {
        "candidate": drafts.candidate_context(owner)["name"],
        "reference": listing.reference.name,
        "role": opportunity.role,
        "company": opportunity.company,
        "checker": job["checker"]["name"],
        "call_when": job["call_when"],
        "briefing": None, "recap": None, "letter": None, "talking_points": None,
        "letter_requested": letter_requested(listing), "consent": consent_answer(listing),
    }
    if link.shares(Share.BRIEFING):
        content["briefing"] = {
            "confirm": job["recap"]["strong_points"], "doubts": job["recap"]["weak_points"],
            "posting_points": job["posting_points"],
        }
    if link.shares(Share.RECAP):
        content["recap"] = job["interviews"]
    for share, kind in ((Share.LETTER, "letter"), (Share.TALKING_POINTS, "talking_points")):
        if link.shares(share):
            content[share] = _draft_text(owner, kind, listing)
    return content


def _draft_text(owner, kind: str, listing: Listing) -> str:
    from goodword.outreach import drafts

    try:
        return drafts.make_draft(owner, kind, listing.reference, listing.opportunity).body
    except drafts.MissingProfile:
        return ""  # nothing signed with a placeholder; the candidate is asked for their name
    except drafts.DraftProblem:
        # The candidate's own template is broken: the built-in one still gives the reference something.
        return drafts.make_draft(owner, kind, listing.reference, listing.opportunity, builtin_only=True).body


# ---------------------------------------------------------------- answers


def _midday(day: dt.date, now: dt.datetime) -> dt.datetime:
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))
    return min(moment, now)


def _event_for(kind: str, reference, data: dict, now: dt.datetime) -> tuple[str, dt.datetime, str]:
    """(event kind, moment, note) for one answer; contact updates also change the reference."""
    note = (data.get("note") or "").strip()
    if kind == AnswerKind.EMPLOYER_CONTACTED:
        when = _midday(data["when"], now) if data.get("when") else now
        asked = (data.get("asked") or "").strip()
        return "employer_contacted", when, "Told you through the portal." + (f"\nThey asked about: {asked}" if asked else "")
    if kind == AnswerKind.AVAILABILITY_UPDATED:
        return "note", now, f"Set their availability through the portal: {_update_availability(reference, data)}."
    if kind == AnswerKind.CONTACT_UPDATED:
        changes = _update_contact(reference, data)
        return "note", now, "Updated their contact details through the portal: " + ("; ".join(changes) or "no change") + "."
    said = {
        AnswerKind.AGREED: "Said yes, they will be a reference, through the portal.",
        AnswerKind.DECLINED: "Said not this time, through the portal.",
        AnswerKind.LETTER_SENT: "Said they sent the letter, through the portal.",
    }[kind]
    return kind, now, said + (f"\n{note}" if note else "")


def _update_availability(reference, data: dict) -> str:
    reference.away_until = data.get("away_until") or None
    reference.max_calls_a_month = data.get("max_calls_a_month") or None
    reference.full_clean()
    reference.save(update_fields=["away_until", "max_calls_a_month", "updated_at"])
    text = reference.availability_text()
    return text[:1].lower() + text[1:] if text else "no limits"


def _update_contact(reference, data: dict) -> list[str]:
    changes = []
    email = (data.get("email") or "").strip()
    phone = (data.get("phone") or "").strip()
    hours = (data.get("hours") or "").strip()
    if email and (not reference.emails or reference.emails[0] != email):
        # The newest first; the oldest falls off past the list's limit.
        reference.emails = ([email] + [item for item in reference.emails if item != email])[:MAX_EMAILS]
        changes.append(f"email {email}")
    if phone and (not reference.phones or reference.phones[0] != phone):
        reference.phones = ([phone] + [item for item in reference.phones if item != phone])[:MAX_PHONES]
        changes.append(f"phone {phone}")
    if hours and hours != reference.preferred_hours:
        reference.preferred_hours = hours
        changes.append(f"hours to call: {hours}")
    if changes:
        reference.full_clean()
        reference.save()
    return changes


def record_answer(link: PortalLink, kind: str, nonce: str, data: dict | None = None,
                  now: dt.datetime | None = None) -> tuple[PortalAnswer, bool]:
    """One answer from the portal: one event (channel "portal"), once per form.

    The nonce comes from the rendered form; submitting the same form again
    (a double click, a resent POST) returns the first answer and records
    nothing. Returns (answer, created).
    """
    if kind not in AnswerKind.values:
        raise ValidationError(f"“{kind}” is not an answer.")
    if not nonce or len(nonce) > 64:
        raise ValidationError("This form is incomplete; reload the page and try again.")
    now = now or timezone.now()
    existing = PortalAnswer.objects.filter(link=link, nonce=nonce).first()
    if existing is not None:
        return existing, False
    listing = link.listing
    owner = listing.opportunity.owner
    try:
        with transaction.atomic():
            event_kind, when, note = _event_for(kind, listing.reference, data or {}, now)
            event = log_event(owner, listing.reference, event_kind, opportunity=listing.opportunity,
                              channel="portal", occurred_at=when, note=note)
            # A yes here is for this listing only: it never becomes standing consent.
            answer = PortalAnswer.objects.create(owner=owner, link=link, event=event, kind=kind, nonce=nonce)
            webhook_events.portal_answered(answer, now)
    except IntegrityError:
        # Two submissions of the same form raced; the other one recorded it.
        return PortalAnswer.objects.get(link=link, nonce=nonce), False
    return answer, True


def unread_portal_answers(user):
    """The candidate's portal answers not yet seen, newest first (for the dashboard notice)."""
    return (
        PortalAnswer.objects.for_user(user).unread()
        .select_related("event__reference", "event__opportunity")
    )


def mark_read(user, ids=None, now: dt.datetime | None = None) -> int:
    rows = PortalAnswer.objects.for_user(user).unread()
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=now or timezone.now())


@prepared
def _unread_answers_shown(owner_id: int):
    return unread_portal_answers(owner_id)[:20]


def notices_context(user) -> dict:
    """For {% include "portal/_notices.html" %}: context.update(notices_context(request.user))."""
    return {"portal_notices": _unread_answers_shown(user.pk)}  # on every dashboard: compiled once
