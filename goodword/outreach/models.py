"""Outreach facts: per-user SMTP settings, user message templates and the outbox.

The outbox row is the one record of a message's delivery. Its timeline event
is written in the same transaction that records the message as sent (see
outbox.py), so the timeline never claims a message went when it did not.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from goodword.core.models import OwnedQuerySet


class DraftKind(models.TextChoices):
    PERMISSION = "permission", "Permission request"
    HEADS_UP = "heads_up", "Heads-up with briefing"
    LETTER = "letter", "Recommendation-letter draft"
    TALKING_POINTS = "talking_points", "Talking points"
    OUTCOME = "outcome", "Outcome update"
    THANKS = "thanks", "Thank-you note"
    KEEP_IN_TOUCH = "keep_in_touch", "Keep-in-touch note"
    APOLOGY = "apology", "Apology after an unannounced call"


# The timeline event each draft records once it has gone out.
EVENT_KIND_FOR_DRAFT = {
    DraftKind.PERMISSION: "permission_asked",
    DraftKind.HEADS_UP: "heads_up",
    DraftKind.LETTER: "draft_provided",
    DraftKind.TALKING_POINTS: "briefing",
    DraftKind.OUTCOME: "outcome_shared",
    DraftKind.THANKS: "thanked",
    DraftKind.KEEP_IN_TOUCH: "keep_in_touch",
    DraftKind.APOLOGY: "apology",
}
# The draft that settles a debt whose action is this event kind.
DRAFT_FOR_EVENT_KIND = {event: str(draft) for draft, event in EVENT_KIND_FOR_DRAFT.items()} | {"agreed": "permission"}


class Tone(models.TextChoices):
    FRIENDLY = "friendly", "Friendly"
    FORMAL = "formal", "Formal"


class Security(models.TextChoices):
    STARTTLS = "starttls", "STARTTLS (usually port 587)"
    SSL = "ssl", "SSL/TLS (usually port 465)"
    NONE = "none", "None (local relays only)"


class SmtpSettings(models.Model):
    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="smtp_settings")
    host = models.CharField(max_length=255)
    port = models.PositiveIntegerField(default=587)
    security = models.CharField(max_length=10, choices=Security, default=Security.STARTTLS)
    username = models.CharField(max_length=255, blank=True)
    # Fernet token (crypto.py); the clear password is never stored nor shown back.
    password_encrypted = models.TextField(blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    from_address = models.EmailField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name = "SMTP settings"
        verbose_name_plural = "SMTP settings"

    def __str__(self):
        return f"{self.host}:{self.port} for {self.owner}"

    @property
    def has_password(self):
        return bool(self.password_encrypted)


class MessageTemplate(models.Model):
    """A user's own template for one draft kind and tone, rendered in the sandbox."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="message_templates")
    kind = models.CharField(max_length=20, choices=DraftKind)
    tone = models.CharField(max_length=10, choices=Tone)
    subject = models.TextField(max_length=2000)
    body = models.TextField(max_length=50000)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "tone"]
        constraints = [models.UniqueConstraint(fields=["owner", "kind", "tone"], name="one_template_per_kind_and_tone")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_tone_display()})"


class AppMailKind(models.TextChoices):
    """Mail Goodword writes to the candidate themselves (no reference, no timeline event)."""

    DIGEST = "digest", "Daily digest"
    PORTAL_NOTICE = "portal_notice", "Portal answers notice"
    EMPLOYER_NOTICE = "employer_notice", "Employer-side notice"


MESSAGE_KINDS = DraftKind.choices + AppMailKind.choices


class MessageState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    UNCERTAIN = "uncertain", "Uncertain: may have been sent"


class OutboxMessage(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outbox_messages")
    # Empty for app mail (AppMailKind): it goes to the candidate, not to a reference.
    reference = models.ForeignKey(
        "references.Reference", on_delete=models.CASCADE, null=True, blank=True, related_name="outbox_messages"
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.SET_NULL, null=True, blank=True, related_name="outbox_messages"
    )
    kind = models.CharField(max_length=20, choices=MESSAGE_KINDS)
    event_kind = models.CharField(max_length=30, blank=True)  # empty: no timeline event when sent
    # App mail for a candidate without SMTP settings goes through the
    # instance's own mailer (GOODWORD_SMTP_URL) instead of the account's server.
    via_instance = models.BooleanField(default=False)
    from_name = models.CharField(max_length=200, blank=True)
    from_address = models.EmailField()
    to_name = models.CharField(max_length=200, blank=True)
    to_address = models.EmailField()
    subject = models.CharField(max_length=500)
    body_text = models.TextField(max_length=100000)
    body_html = models.TextField(max_length=300000)
    # The message exactly as it goes on the wire, built once at queue time:
    # every attempt sends the same bytes (same Date, same Message-ID).
    mime = models.BinaryField()
    # Both are fixed at queue time: a retry carries the same Message-ID, and a
    # double-submitted form (same idempotency key) queues one message, not two.
    message_id = models.CharField(max_length=300, unique=True)
    idempotency_key = models.CharField(max_length=100, unique=True)
    state = models.CharField(max_length=10, choices=MessageState, default=MessageState.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    claimed_by = models.CharField(max_length=200, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    # Committed just before the final "." goes to the server: a crash after it
    # leaves a message that may have been delivered (uncertain); before it, a
    # retry is safe because the server never accepted the data.
    data_committed = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    event = models.OneToOneField(
        "timeline.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="outbox_message"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["owner", "created_at"]),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to_address} ({self.state})"

    def get_absolute_url(self):
        return reverse("outreach:message", args=[self.pk])

    @property
    def needs_decision(self):
        return self.state == MessageState.UNCERTAIN
