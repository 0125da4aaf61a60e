"""Outreach operations the views and the CLI call: SMTP settings, templates, slate drafts.

Queueing and sending live in outbox.py; building drafts in drafts.py.
"""

from __future__ import annotations

import smtplib
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from goodword.core.prepared import prepared
from goodword.lib import vocabulary
from goodword.outreach import crypto, drafts, emails, outbox, sandbox, transport
from goodword.outreach.models import (
    DRAFT_FOR_EVENT_KIND,
    EVENT_KIND_FOR_DRAFT,
    DraftKind,
    MessageTemplate,
    OutboxMessage,
    SmtpSettings,
)


def save_smtp_settings(owner, *, host, port, security, username, from_name, from_address, password=None) -> SmtpSettings:
    """Create or update the account's SMTP settings; password None (or "") keeps the stored one."""
    emails.check_header(host, "host")
    emails.check_header(username, "user name")
    from_name = emails.check_header(from_name, "sender name")
    from_address = emails.check_address(from_address, "sender address")
    problem = transport.public_host_problem(host.strip(), port)
    if problem:
        raise ValidationError({"host": problem})
    row = SmtpSettings.objects.filter(owner=owner).first() or SmtpSettings(owner=owner)
    row.host, row.port, row.security, row.username = host.strip(), port, security, username.strip()
    row.from_name, row.from_address = from_name, from_address
    if password:
        row.password_encrypted = crypto.encrypt(password)
    row.full_clean()
    row.save()
    return row


def forget_smtp_password(owner) -> None:
    SmtpSettings.objects.filter(owner=owner).update(password_encrypted="")


def send_test_message(owner) -> str:
    """Send one message to the account's own sender address, now (not through the outbox).

    Returns a line saying where it went; raises ValidationError with the
    server's reason when it fails.
    """
    row = SmtpSettings.objects.filter(owner=owner).first()
    if row is None:
        raise ValidationError("Save your SMTP settings first.")
    key = f"test-{uuid.uuid4().hex}"
    message = emails.build_message(
        from_name=row.from_name, from_address=row.from_address, to_name=row.from_name, to_address=row.from_address,
        subject="Goodword test message", message_id=emails.make_message_id(key, row.from_address),
        text=f"This is a test from Goodword, sent {timezone.localtime():%Y-%m-%d %H:%M}.\n\n"
             "If you can read it, Goodword can send your messages.\n",
    )
    try:
        smtp = transport.open_smtp(transport.SmtpConfig.for_owner(owner))
        try:
            transport.transmit(smtp, row.from_address, row.from_address, message.as_bytes(), lambda: None)
        finally:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):  # the answer that matters came before QUIT
                smtp.close()
    except (transport.TemporaryFailure, transport.PermanentFailure, transport.Uncertain) as error:
        raise ValidationError(f"The test message was not sent: {error}") from None
    return f"Sent a test message to {row.from_address} through {row.host}:{row.port}."


def check_user_template(subject: str, body: str) -> None:
    """Refuse a template that does not compile, or fails on the sample facts, before saving it."""
    try:
        sandbox.render_untrusted({"subject": subject, "body": body}, drafts.sample_context())
    except sandbox.TemplateProblem as problem:
        raise ValidationError(str(problem)) from None


def save_user_template(owner, kind: str, tone: str, *, subject: str, body: str) -> MessageTemplate:
    drafts.validate_kind_and_tone(kind, tone)
    check_user_template(subject, body)
    row, _ = MessageTemplate.objects.update_or_create(
        owner=owner, kind=kind, tone=tone, defaults={"subject": subject, "body": body}
    )
    return row


def slate_drafts(owner, opportunity, kind: str, tone: str) -> list[tuple[object, drafts.Draft | None, str]]:
    """One personalised draft per reference on the opportunity's slate: (reference, draft or None, problem)."""
    rows = []
    for listing in opportunity.listings.select_related("reference").order_by("position", "id"):
        try:
            rows.append((listing.reference, drafts.make_draft(owner, kind, listing.reference, opportunity, tone), ""))
        except drafts.DraftProblem as problem:
            rows.append((listing.reference, None, str(problem)))
    return rows


# What the whole slate most likely needs at each stage: to be asked before
# references are in play, a heads-up while the employer checks, the outcome once decided.
SLATE_KIND_FOR_STAGE = {
    "references_requested": DraftKind.HEADS_UP,
    "offer": DraftKind.HEADS_UP,
    "landed": DraftKind.OUTCOME,
    "rejected": DraftKind.OUTCOME,
    "withdrawn": DraftKind.OUTCOME,
    "declined": DraftKind.OUTCOME,
}


def slate_kind_for_stage(stage: str) -> str:
    return SLATE_KIND_FOR_STAGE.get(stage, DraftKind.PERMISSION)


@dataclass
class SlateRow:
    """One reference in the slate-wide compose: their draft, where they stand, whether they are ticked."""

    reference: object
    draft: drafts.Draft | None
    problem: str
    state: str
    state_label: str
    owed: list  # open debts about this reference and opportunity that this kind of message settles
    ticked: bool
    subject: str = ""  # as shown: the draft's, or the user's edit when the form comes back
    body: str = ""


def slate_rows(owner, opportunity, kind: str, tone: str, open_debts) -> list[SlateRow]:
    """The slate-wide compose, row by row. Ticked: those whose open debts this
    kind settles; when no debt asks for it (written ahead of the rules, say at
    an offer), those who have not had this kind of message yet and have not
    declined. Those already done stay unticked, but listed."""
    from goodword.opportunities.services import slate_with_states
    from goodword.timeline.models import Event

    states = {listing.reference_id: state for listing, state in slate_with_states(opportunity)}
    owed: dict[int, list] = {}
    for debt in open_debts:
        if debt.opportunity_id == opportunity.pk and debt.reference_id and DRAFT_FOR_EVENT_KIND.get(debt.action) == kind:
            owed.setdefault(debt.reference_id, []).append(debt)
    event_kind = EVENT_KIND_FOR_DRAFT.get(kind)
    done = set(Event.objects.filter(owner=owner, opportunity=opportunity, kind=event_kind)
               .values_list("reference_id", flat=True)) if event_kind else set()
    rows = []
    for reference, draft, problem in slate_drafts(owner, opportunity, kind, tone):
        state = states.get(reference.pk, "listed")
        if owed:
            ticked = reference.pk in owed
        else:
            ticked = reference.pk not in done and state != vocabulary.DECLINED
        rows.append(SlateRow(reference, draft, problem, state, vocabulary.state_label(state), owed.get(reference.pk, []),
                             ticked and draft is not None, draft.subject if draft else "", draft.body if draft else ""))
    return rows


@transaction.atomic
def queue_many(owner, items: list[dict]) -> list:
    """Queue several messages all-or-nothing (the same update to a whole slate)."""
    return [outbox.queue_message(owner, **item) for item in items]


def compose_url(kind: str, reference, opportunity=None, tone: str | None = None) -> str:
    """The compose page for one draft, for links from the ledger, reference and job pages."""
    from urllib.parse import urlencode

    from django.urls import reverse

    params = {"kind": kind, "ref": getattr(reference, "pk", reference)}
    if opportunity is not None:
        params["job"] = getattr(opportunity, "pk", opportunity)
    if tone:
        params["tone"] = tone
    return reverse("outreach:compose") + "?" + urlencode(params)


RECENT_MESSAGES = 10


@prepared
def _recent_messages(reference_id: int):
    return OutboxMessage.objects.filter(reference_id=reference_id).order_by("-created_at", "-id")[:RECENT_MESSAGES]


def recent_messages(reference):
    """A reference's latest outbox messages with their states, for its page (compiled once)."""
    return _recent_messages(reference.pk)
