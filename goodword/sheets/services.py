"""Making and sending the reference sheet, and the employer's private link.

Token rules are the portal's (docs/portal.md): 256 random bits from
goodword.lib.tokens, only the SHA-256 stored, looked up by that hash and
compared in constant time; misses are throttled per client with the portal's
own PortalMiss table (goodword.portal.services.is_throttled / record_miss).
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from goodword.core.prepared import prepared
from goodword.lib.tokens import TOKEN_PATTERN, hash_token, new_token
from goodword.opportunities.models import Listing
from goodword.sheets import content as sheet_content
from goodword.sheets.models import EmployerLink, EmployerNotice, Letter, Sheet
from goodword.timeline.services import log_event
from goodword.webhooks import events as webhook_events

LINK_LIFETIME = dt.timedelta(days=60)
MAX_LINK_DAYS = 120  # the portal's hard limit
# Opening the page and downloading its files a minute later is one visit, not three events.
VISIT_WINDOW = dt.timedelta(minutes=10)


# ---------------------------------------------------------------- the sheet


@transaction.atomic
def save_choices(opportunity, *, location: str = "", headline: str = "", chosen=None, insisted=None,
                 notes=None) -> Sheet:
    sheet = sheet_content.sheet_for(opportunity)
    slate_ids = set(Listing.objects.filter(opportunity=opportunity).values_list("reference_id", flat=True))
    chosen = [int(pk) for pk in (chosen or [])]
    strangers = [pk for pk in chosen + [int(pk) for pk in (insisted or [])] if pk not in slate_ids]
    if strangers:
        raise ValidationError("Only references on this opportunity's slate can go on its sheet.")
    sheet.location, sheet.headline = location.strip(), headline.strip()
    sheet.chosen = list(dict.fromkeys(chosen))
    sheet.insisted = sorted({int(pk) for pk in (insisted or [])})
    sheet.notes = {str(int(pk)): " ".join(str(text).split())[:200] for pk, text in (notes or {}).items()
                   if str(text).strip() and int(pk) in slate_ids}
    sheet.full_clean()
    sheet.save()
    return sheet


@transaction.atomic
def record_sheet(opportunity, how: str, *, now: dt.datetime | None = None) -> sheet_content.SheetContent:
    """Make the sheet and log it: a "sheet_sent" event for each reference on it.

    The sheet is now in an employer's hands, so the references on it are in
    play at once (goodword.lib.vocabulary.IN_EMPLOYER_HANDS): those without a
    heads-up get their critical debt (courtesy rule no_heads_up).
    """
    now = now or timezone.now()
    sheet = sheet_content.build(opportunity)
    for entry in sheet.listed:
        reference = opportunity.owner.references.get(pk=entry.reference_id)
        recent = reference.events.filter(opportunity=opportunity, kind="sheet_sent",
                                          occurred_at__gt=now - VISIT_WINDOW).exists()
        if not recent:
            log_event(opportunity.owner, reference, "sheet_sent", opportunity=opportunity, occurred_at=now,
                      note=f"On the reference sheet for {opportunity.company} ({how}).")
    return sheet


# ---------------------------------------------------------------- the employer link


def employer_path(token: str) -> str:
    return reverse("employer:page", args=[token])


def link_status(link: EmployerLink | None, now: dt.datetime | None = None) -> str:
    if link is None:
        return "none"
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at <= (now or timezone.now()):
        return "expired"
    return "live"


@transaction.atomic
def issue_link(opportunity, *, employer: str = "", days: int = 60, now: dt.datetime | None = None):
    """A new employer link for the opportunity (earlier ones stop working); returns (link, token).

    Issuing it sends the sheet, so it is recorded as record_sheet does."""
    now = now or timezone.now()
    if not 1 <= int(days) <= MAX_LINK_DAYS:
        raise ValidationError(f"A link lasts between 1 and {MAX_LINK_DAYS} days.")
    employer = " ".join((employer or opportunity.company).split())[:200]
    previous = current_link(opportunity)
    revoke(opportunity, now=now)
    token = new_token()
    link = EmployerLink.objects.create(opportunity=opportunity, token_hash=hash_token(token), employer=employer,
                                       created_at=now, expires_at=now + dt.timedelta(days=int(days)))
    if previous is not None:
        link.letters.set(previous.letters.all())
    record_sheet(opportunity, "sent through a private link", now=now)
    return link, token


def revoke(opportunity, *, now: dt.datetime | None = None) -> int:
    return EmployerLink.objects.filter(opportunity=opportunity, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now())


def current_link(opportunity) -> EmployerLink | None:
    return EmployerLink.objects.filter(opportunity=opportunity).first()


@dataclass
class Resolved:
    status: str
    link: EmployerLink


def resolve(token: str, now: dt.datetime | None = None) -> Resolved | None:
    """The link a token opens, or None (malformed or unknown)."""
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        return None
    digest = hash_token(token)
    link = EmployerLink.objects.select_related("opportunity__owner").filter(token_hash=digest).first()
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    return Resolved(link_status(link, now), link)


# ---------------------------------------------------------------- what the employer does


def notify(owner, text: str, *, event=None, now: dt.datetime | None = None) -> EmployerNotice:
    """A dashboard notice now, and an email when the candidate set up their own SMTP."""
    from goodword.outreach import appmail, outbox

    now = now or timezone.now()
    notice = EmployerNotice.objects.create(owner=owner, text=text[:500], event=event, created_at=now)
    if outbox.smtp_settings_for(owner) is not None and owner.email:
        appmail.queue_app_mail(
            owner, kind="employer_notice", to_address=owner.email, subject=text[:150],
            text=f"{text}\n\nOpen Goodword to see what you owe your references now.",
            idempotency_key=f"app.employer.{owner.pk}.{notice.pk}",
        )
    return notice


@transaction.atomic
def record_visit(link: EmployerLink, what: str, *, now: dt.datetime | None = None) -> bool:
    """The employer opened the page or downloaded a file ("what" says which).

    Logs "sheet_opened" for each reference on the sheet (once per visit
    window), notifies the candidate, and so makes every listed reference
    without a heads-up due now (courtesy rule no_heads_up). False when it
    was part of a visit already recorded.
    """
    now = now or timezone.now()
    opportunity = link.opportunity
    owner = opportunity.owner
    sheet = sheet_content.build(opportunity)
    references = {ref.pk: ref for ref in owner.references.filter(pk__in=[e.reference_id for e in sheet.listed])}
    text = f"{link.employer} {what}"
    from goodword.timeline.models import Event

    already = Event.objects.filter(owner=owner, opportunity=opportunity, kind="sheet_opened",
                                   occurred_at__gt=now - VISIT_WINDOW, note__startswith=text).exists()
    if already:
        return False
    first_event = None
    for entry in sheet.listed:
        event = log_event(owner, references[entry.reference_id], "sheet_opened", opportunity=opportunity,
                          occurred_at=now, note=f"{text}. They may call today.")
        first_event = first_event or event
    notify(owner, f"{text} ({opportunity.role}): your references may get a call today.", event=first_event, now=now)
    webhook_events.sheet_opened(link, what, [references[entry.reference_id] for entry in sheet.listed], first_event, now)
    return True


@transaction.atomic
def mark_checked(link: EmployerLink, *, now: dt.datetime | None = None) -> bool:
    """The employer says they finished checking references: each listed reference's
    listing moves on to "references checked" (next: share the outcome, then thanks)."""
    if link.checked_at is not None:
        return False
    now = now or timezone.now()
    link.checked_at = now
    link.save(update_fields=["checked_at"])
    opportunity = link.opportunity
    owner = opportunity.owner
    sheet = sheet_content.build(opportunity)
    event = None
    for reference in owner.references.filter(pk__in=[entry.reference_id for entry in sheet.listed]):
        event = log_event(owner, reference, "references_checked", opportunity=opportunity, occurred_at=now,
                          note=f"{link.employer} marked the references as checked.")
    notify(owner, f"{link.employer} finished checking your references for {opportunity.role}.", event=event, now=now)
    return True


def shared_letters(link: EmployerLink):
    return link.letters.select_related("reference").order_by("reference__name", "-uploaded_at")


def unread_notices(user):
    return EmployerNotice.objects.for_user(user).unread()


@prepared
def _unread_notices_shown(owner_id: int):
    return unread_notices(owner_id)[:20]


def notices_context(user) -> dict:
    return {"employer_notices": _unread_notices_shown(user.pk)}  # on every dashboard: compiled once


def mark_notices_read(user) -> int:
    return unread_notices(user).update(read_at=timezone.now())


def letter_for_link(link: EmployerLink, letter_id: int) -> Letter | None:
    return link.letters.filter(pk=letter_id).first()
