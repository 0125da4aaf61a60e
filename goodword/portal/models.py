"""Private links a reference opens without an account, and what they answered.

Only a SHA-256 hash of each token is stored: a database dump or a backup
cannot be turned back into working links. The answers themselves are
timeline events (the one source of truth); PortalAnswer only remembers which
form submission produced which event (so a double submit records one) and
whether the candidate has seen it yet.
"""

import datetime as dt

from django.conf import settings
from django.db import models

from goodword.core.models import OwnedQuerySet


class Share(models.TextChoices):
    BRIEFING = "briefing", "Briefing: points to confirm and the doubts they had"
    RECAP = "recap", "Interview recap"
    LETTER = "letter", "Recommendation-letter draft"
    TALKING_POINTS = "talking_points", "Talking points"


class AnswerKind(models.TextChoices):
    AGREED = "agreed", "Agreed to be a reference"
    DECLINED = "declined", "Declined this time"
    EMPLOYER_CONTACTED = "employer_contacted", "The employer contacted them"
    LETTER_SENT = "letter_sent", "Sent the letter"
    CONTACT_UPDATED = "contact_updated", "Updated their contact details"
    AVAILABILITY_UPDATED = "availability_updated", "Updated their availability"


class PortalLinkQuerySet(OwnedQuerySet):
    owner_path = "listing__opportunity__owner"

    def live(self):
        return self.filter(revoked_at__isnull=True)


class PortalLink(models.Model):
    listing = models.ForeignKey("opportunities.Listing", on_delete=models.CASCADE, related_name="portal_links")
    token_hash = models.CharField(max_length=64, unique=True)
    shared = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField()
    # The hard limit (120 days from issue); closing the opportunity can end it sooner (services.expires_at).
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PortalLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Portal link for {self.listing_id} ({'revoked' if self.revoked_at else 'live'})"

    def shares(self, what: str) -> bool:
        return what in self.shared


class PortalAnswerQuerySet(OwnedQuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class PortalAnswer(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_answers")
    link = models.ForeignKey(PortalLink, on_delete=models.CASCADE, related_name="answers")
    event = models.OneToOneField("timeline.Event", on_delete=models.CASCADE, related_name="portal_answer")
    kind = models.CharField(max_length=30, choices=AnswerKind)
    # One per rendered form: a second submission of the same form finds this row.
    nonce = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = PortalAnswerQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["link", "nonce"], name="one_answer_per_portal_form")]
        indexes = [models.Index(fields=["owner", "read_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"

    @property
    def ago(self) -> str:
        """"just now" under a minute (timesince would say "0 minutes"), else "3 hours ago"."""
        from django.utils import timezone
        from django.utils.timesince import timesince

        now = timezone.now()
        if now - self.created_at < dt.timedelta(minutes=1):
            return "just now"
        return f"{timesince(self.created_at, now)} ago"


class PortalMiss(models.Model):
    """One request with a token that matched nothing, by a hashed client address.

    Kept in the database, not a process-local cache, so the throttle holds
    across every app process of a hosted instance.
    """

    client = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        # (client, at) counts one client's misses; (at) lets the clean-up skip a full scan.
        indexes = [models.Index(fields=["client", "at"]), models.Index(fields=["at"])]
