"""Reminders (the daily digest and the calendar feed: reminders/) and your SMTP server (outreach/),
as their settings pages. The SMTP password is write-only: it is stored encrypted and never returned."""

from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from ninja import Router, Schema, Status
from pydantic import Field

from goodword.api.core import check_if_match, honours_if_match, user_of
from goodword.api.lookups import reads, responses
from goodword.api.schemas import Out, Text
from goodword.outreach import services as outreach
from goodword.outreach.models import SmtpSettings
from goodword.portal import services as portal
from goodword.reminders import services as reminders
from goodword.reminders.forms import DigestForm
from goodword.reminders.models import ReminderSettings

router = Router(tags=["reminders and SMTP settings"])


class RemindersOut(Out):
    digest_enabled: bool
    digest_hour: int
    digest_address: str = Field(description="Empty: your account's email address.")
    calendar_feed: bool = Field(description="Whether a private calendar address works (never the address).")


class RemindersPatch(Schema):
    digest_enabled: bool = None
    digest_hour: int = Field(None, ge=0, le=23, description="0–23, in your ledger's time zone.")
    digest_address: Text(254) = None


class FeedOut(Out):
    url: str = Field(description="Shown in this answer only; the previous address stops working.")


def reminders_item(user) -> dict:
    row = ReminderSettings.for_user(user)
    return {"digest_enabled": row.digest_enabled, "digest_hour": row.digest_hour,
            "digest_address": row.digest_address, "calendar_feed": reminders.has_live_feed(user)}


@router.get("/settings/reminders", response=reads(RemindersOut))
def get_reminders(request):
    """The daily digest and whether your calendar feed works."""
    return reminders_item(user_of(request))


@router.patch("/settings/reminders", response=responses({200: RemindersOut}))
@honours_if_match
def update_reminders(request, payload: RemindersPatch):
    """Change the digest, checked by the settings page's own form."""
    user = user_of(request)
    check_if_match(request, RemindersOut, reminders_item(user))
    row = ReminderSettings.for_user(user)
    data = {"digest_enabled": row.digest_enabled, "digest_hour": row.digest_hour, "digest_address": row.digest_address}
    data |= {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    if not data["digest_enabled"]:
        data.pop("digest_enabled")  # an unchecked box is an absent field to a form
    form = DigestForm(data, instance=row)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    form.save()
    return reminders_item(user)


@router.post("/settings/reminders/calendar-feed", response=responses({201: FeedOut}))
def issue_calendar_feed(request, response: HttpResponse):
    """A private calendar (iCalendar) address of your due dates; the previous one stops working.
    Only its hash is kept, so it is in this answer only (no-store)."""
    token = reminders.issue_feed_token(user_of(request))
    response["Cache-Control"] = "no-store"
    return Status(201, {"url": portal.absolute(reminders.feed_path(token))})


@router.delete("/settings/reminders/calendar-feed", response=responses({200: RemindersOut}))
def revoke_calendar_feed(request):
    """Stop the calendar address from working."""
    reminders.revoke_feed(user_of(request))
    return reminders_item(user_of(request))


# ---------------------------------------------------------------- SMTP

Security = Literal["starttls", "ssl", "none"]


class SmtpOut(Out):
    configured: bool
    host: str
    port: int | None
    security: str
    username: str
    has_password: bool = Field(description="The password itself is never returned.")
    from_name: str
    from_address: str


class SmtpIn(Schema):
    host: Text(255, 1)
    port: int = Field(587, ge=1, le=65535)
    security: Security = "starttls"
    username: Text(255) = ""
    password: Text(500) = Field(None, description="Write-only; omit it (or send \"\") to keep the stored one.")
    from_name: Text(200) = ""
    from_address: Text(254, 1)


class SentOut(Out):
    detail: str


def smtp_item(user) -> dict:
    row = SmtpSettings.objects.filter(owner=user).first()
    if row is None:
        return {"configured": False, "host": "", "port": None, "security": "starttls", "username": "",
                "has_password": False, "from_name": "", "from_address": ""}
    return {"configured": True, "host": row.host, "port": row.port, "security": row.security,
            "username": row.username, "has_password": row.has_password, "from_name": row.from_name,
            "from_address": row.from_address}


@router.get("/settings/smtp", response=reads(SmtpOut))
def get_smtp(request):
    """Your SMTP server for the outbox (the password is never shown, only whether one is stored)."""
    return smtp_item(user_of(request))


@router.put("/settings/smtp", response=responses({200: SmtpOut}))
@honours_if_match
def save_smtp(request, payload: SmtpIn):
    """Save them, checked as the settings page checks them (hosted mode: public hosts only)."""
    user = user_of(request)
    check_if_match(request, SmtpOut, smtp_item(user))
    outreach.save_smtp_settings(user, **payload.dict())
    return smtp_item(user)


@router.delete("/settings/smtp/password", response=responses({200: SmtpOut}))
def forget_smtp_password(request):
    """Delete the stored password."""
    outreach.forget_smtp_password(user_of(request))
    return smtp_item(user_of(request))


@router.post("/settings/smtp/test", response=responses({200: SentOut}))
def send_smtp_test(request):
    """Send one message to your own sender address now; 422 with the server's reason when it fails."""
    return {"detail": outreach.send_test_message(user_of(request))}
