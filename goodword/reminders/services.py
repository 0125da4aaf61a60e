"""Reminders: the private calendar feed, the daily digest, and emails about portal answers.

Everything here is derived from the ledger and the facts at the moment it is
built; nothing is copied. `run_reminders(now)` is what a worker loop calls.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import uuid
from dataclasses import dataclass

import icalendar
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from goodword.courtesy.ledger import build_ledger, load_settings
from goodword.lib import vocabulary
from goodword.lib.tokens import TOKEN_PATTERN, hash_token, new_token
from goodword.opportunities.models import Interview, Opportunity
from goodword.portal import services as portal
from goodword.reminders.models import (
    DigestDay,
    DigestState,
    FeedToken,
    ReminderSettings,
)

log = logging.getLogger(__name__)

INTERVIEW_LENGTH = dt.timedelta(hours=1)
INTERVIEWS_SINCE = dt.timedelta(days=90)  # past interviews kept in the feed for context


# ---------------------------------------------------------------- feed tokens


@transaction.atomic
def issue_feed_token(user) -> str:
    """A new private feed URL's token; the previous one stops working."""
    FeedToken.objects.for_user(user).live().update(revoked_at=timezone.now())
    token = new_token()
    FeedToken.objects.create(owner=user, token_hash=hash_token(token))
    return token


def revoke_feed(user) -> int:
    return FeedToken.objects.for_user(user).live().update(revoked_at=timezone.now())


def has_live_feed(user) -> bool:
    return FeedToken.objects.for_user(user).live().exists()


def resolve_feed(token: str) -> tuple[str, object] | None:
    """("live" | "revoked", user) for a token, or None when it matches nothing.

    Feed URLs do not expire by date: a calendar app that starts failing
    quietly would hide every reminder. The user revokes them instead.
    """
    if not isinstance(token, str) or not TOKEN_PATTERN.fullmatch(token):
        return None
    digest = hash_token(token)
    row = FeedToken.objects.select_related("owner").filter(token_hash=digest).first()
    if row is None or not hmac.compare_digest(row.token_hash, digest):
        return None
    if row.revoked_at is not None or not row.owner.is_active:
        return "revoked", row.owner
    return "live", row.owner


def feed_path(token: str) -> str:
    return reverse("reminders:feed", args=[token])


# ---------------------------------------------------------------- the calendar


def _uid(salt: str, key: str) -> str:
    """Stable for the same thing across refreshes; says nothing about ids to anyone else."""
    return hashlib.sha256(f"{salt}:{key}".encode()).hexdigest()[:32] + "@goodword"


def build_calendar(user, now: dt.datetime | None = None, base_url: str | None = None) -> bytes:
    """The user's iCalendar: open debts on their due dates, interviews, start dates."""
    now = now or timezone.now()
    salt = ReminderSettings.for_user(user).uid_salt
    ledger = build_ledger(user, now)
    tz = ledger.settings.tz
    ledger_url = portal.absolute(reverse("courtesy:ledger"), base_url)

    cal = icalendar.Calendar()
    cal.add("prodid", "-//Goodword//Reference reminders//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Goodword: references")
    cal.add("x-wr-timezone", ledger.settings.time_zone)
    cal.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")

    def event(key, summary, start, end, description="", url=""):
        item = icalendar.Event()
        item.add("uid", _uid(salt, key))
        item.add("dtstamp", now)
        item.add("summary", summary)
        item.add("dtstart", start)
        item.add("dtend", end)
        if description:
            item.add("description", description)
        if url:
            item.add("url", url)
        cal.add_component(item)

    for debt in ledger.open:
        event(
            f"debt:{debt.key}", f"{debt.severity.label.capitalize()}: {debt.why}",
            debt.due_on, debt.due_on + dt.timedelta(days=1),
            f"{debt.who}\n{debt.why}\nSettle it in Goodword: {ledger_url}#{debt.dom_id}", ledger_url,
        )
    interviews = (
        Interview.objects.for_user(user).filter(when__gte=now - INTERVIEWS_SINCE)
        .select_related("opportunity").order_by("when", "id")
    )
    for interview in interviews:
        start = interview.when.astimezone(tz)
        job = interview.opportunity
        details = [f"{interview.get_format_display()} interview for {job.role} at {job.company}"]
        if interview.with_whom:
            details.append(f"With {interview.with_whom}")
        event(f"interview:{interview.pk}", f"Interview: {job.role} at {job.company}", start, start + INTERVIEW_LENGTH,
              "\n".join(details), portal.absolute(job.get_absolute_url(), base_url))
    starts = Opportunity.objects.for_user(user).filter(start_date__isnull=False).exclude(stage__in=vocabulary.LOST_STAGES)
    for job in starts:
        event(f"start:{job.pk}", f"First day: {job.role} at {job.company}", job.start_date,
              job.start_date + dt.timedelta(days=1), f"You start as {job.role} at {job.company}.",
              portal.absolute(job.get_absolute_url(), base_url))
    cal.add_missing_timezones()
    return cal.to_ical()


# ---------------------------------------------------------------- mail


def queue_to_user(user, *, kind: str, key: str, to: str, subject: str, text: str, html: str | None = None):
    """Mail to the candidate themselves, queued in the outbox (same retries and states as
    outreach): through their own SMTP server when they set one up, else the instance's mailer."""
    from goodword.outreach import appmail

    return appmail.queue_app_mail(user, kind=kind, idempotency_key=key, to_address=to, subject=subject, text=text, html=html)


# ---------------------------------------------------------------- the digest


@dataclass
class Digest:
    subject: str
    text: str
    html: str
    count: int


def build_digest(user, now: dt.datetime | None = None, base_url: str | None = None) -> Digest | None:
    """Today's digest for the user, or None when nothing is due."""
    ledger = build_ledger(user, now)
    if not ledger.open:
        return None
    from goodword.courtesy.wording import due_text

    ledger_url = portal.absolute(reverse("courtesy:ledger"), base_url)
    items = [
        {"debt": debt, "due": due_text(debt.due_on, ledger.today), "url": f"{ledger_url}#{debt.dom_id}"}
        for debt in ledger.open  # already worst first, then by due date
    ]
    counts = [(label, n) for label, n in reversed(list(ledger.counts().items())) if n]
    context = {"items": items, "today": ledger.today, "ledger_url": ledger_url, "counts": counts,
               "settings_url": portal.absolute(reverse("reminders:settings"), base_url), "total": len(items)}
    subject = " ".join(render_to_string("reminders/digest_subject.txt", context).split())
    return Digest(subject, render_to_string("reminders/digest.txt", context),
                  render_to_string("reminders/digest.html", context), len(items))


def local_now(user, now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()).astimezone(load_settings(user).tz)


def send_digest(user, now: dt.datetime | None = None, *, any_hour: bool = False) -> str:
    """Queue today's digest once: "sent", "nothing_due", "already", "not_yet", "off", "no_address" or "failed".

    The day's row and the outbox message are written in one transaction; the
    unique constraint makes a second worker (or this one after a restart)
    stop there. "sent" means handed to the outbox, which delivers it with
    retries (the message's state is the record of delivery), so a digest
    that fails once is sent again, and is never sent twice.
    """
    now = now or timezone.now()
    settings_row = ReminderSettings.for_user(user)
    if not any_hour and not settings_row.digest_enabled:
        return "off"
    address = settings_row.address()
    if not address:
        return "no_address"
    local = local_now(user, now)
    if not any_hour and local.hour < settings_row.digest_hour:
        return "not_yet"
    if DigestDay.objects.filter(owner=user, day=local.date()).exists():
        return "already"
    digest = build_digest(user, now)
    try:
        with transaction.atomic():
            day = DigestDay.objects.create(owner=user, day=local.date(), claimed_at=now)
            if digest is not None:
                queue_to_user(user, kind="digest", key=digest_key(user, local.date()), to=address,
                              subject=digest.subject, text=digest.text, html=digest.html)
    except IntegrityError:
        return "already"
    except ValidationError as error:
        # A digest that cannot be built into an email (a bad address) is recorded, not retried.
        log.warning("digest for user %s failed: %s", user.pk, " ".join(error.messages))
        DigestDay.objects.create(owner=user, day=local.date(), claimed_at=now, state=DigestState.FAILED,
                                 error=" ".join(error.messages)[:2000], finished_at=timezone.now(),
                                 debt_count=digest.count if digest else 0)
        return "failed"
    if digest is None:
        DigestDay.objects.filter(pk=day.pk).update(state=DigestState.NOTHING_DUE, finished_at=timezone.now())
        return "nothing_due"
    DigestDay.objects.filter(pk=day.pk).update(state=DigestState.SENT, finished_at=timezone.now(),
                                               debt_count=digest.count)
    return "sent"


def digest_key(user, day: dt.date) -> str:
    return f"app.digest.{user.pk}.{day:%Y%m%d}"


def todays_digest_message(user, now: dt.datetime | None = None):
    """The outbox message carrying today's digest (its state says whether it arrived), or None."""
    from goodword.outreach.models import OutboxMessage

    key = digest_key(user, local_now(user, now).date())
    return OutboxMessage.objects.for_user(user).filter(idempotency_key=key).first()


def send_due_digests(now: dt.datetime | None = None) -> dict[str, int]:
    """For a worker loop: every user whose digest hour has come and who has not had today's."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    rows = ReminderSettings.objects.filter(digest_enabled=True, user__is_active=True).select_related("user")
    for row in rows:
        try:
            result = send_digest(row.user, now)
        except Exception:
            log.exception("digest for user %s failed", row.user_id)
            result = "failed"
        counts[result] = counts.get(result, 0) + 1
    return counts


# ---------------------------------------------------------------- portal answers by email


def send_portal_notices(now: dt.datetime | None = None) -> int:
    """Queue one email for each candidate with SMTP set up about new portal answers (once each).

    The answers are claimed and the notice queued in one transaction, so an
    answer is announced exactly once: by a message the outbox retries until
    it is delivered (or visibly failed), never marked done by a failed send.
    """
    from goodword.outreach.models import SmtpSettings
    from goodword.portal.models import PortalAnswer

    now = now or timezone.now()
    queued = 0
    owners = SmtpSettings.objects.filter(
        owner__portal_answers__emailed_at__isnull=True, owner__is_active=True,
    ).select_related("owner").distinct()
    for smtp_row in owners:
        user = smtp_row.owner
        try:
            with transaction.atomic():
                ids = list(PortalAnswer.objects.for_user(user).filter(emailed_at__isnull=True).values_list("pk", flat=True))
                claimed = PortalAnswer.objects.filter(pk__in=ids, emailed_at__isnull=True).update(emailed_at=now)
                if not claimed:
                    continue
                answers = list(PortalAnswer.objects.filter(pk__in=ids).select_related("event__reference", "event__opportunity"))
                context = {"answers": answers, "home_url": portal.absolute("/"),
                           "ledger_url": portal.absolute(reverse("courtesy:ledger"))}
                queue_to_user(
                    user, kind="portal_notice", key=f"app.notice.{user.pk}.{uuid.uuid4().hex[:12]}",
                    to=smtp_row.from_address,
                    subject=render_to_string("reminders/notice_subject.txt", context),
                    text=render_to_string("reminders/notice.txt", context),
                )
            queued += 1
        except ValidationError as error:
            log.warning("portal notice email for user %s could not be queued: %s", user.pk, " ".join(error.messages))
    return queued


def run_reminders(now: dt.datetime | None = None) -> dict[str, int]:
    """One pass for a worker loop: portal-answer emails, then due digests."""
    counts = send_due_digests(now)
    counts["portal_notices"] = send_portal_notices(now)
    return counts
