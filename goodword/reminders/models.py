"""Reminder settings, calendar-feed tokens and the record of digests sent.

DigestDay is the once-a-day guarantee: a row per (user, local date), unique,
inserted before the email goes out. A second worker, or the same worker after
a restart, fails to insert it and sends nothing.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from goodword.core.models import OwnedQuerySet


def new_salt():
    return secrets.token_hex(16)


class ReminderSettings(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_settings")
    digest_enabled = models.BooleanField("send me a daily digest", default=False)
    digest_hour = models.PositiveSmallIntegerField(
        "at (hour, your time)", default=8, validators=[MaxValueValidator(23)],
        help_text="0–23, in the time zone of your ledger settings.",
    )
    digest_address = models.EmailField(
        "to this address", blank=True, help_text="Empty: your account's email address.",
    )
    # Mixed into calendar UIDs: stable for one user, unlinkable between users.
    uid_salt = models.CharField(max_length=32, default=new_salt, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "reminder settings"

    def __str__(self):
        return f"Reminder settings of {self.user}"

    @classmethod
    def for_user(cls, user) -> "ReminderSettings":
        row, _ = cls.objects.get_or_create(user=user)
        return row

    def address(self) -> str:
        return self.digest_address or self.user.email


class FeedTokenQuerySet(OwnedQuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True)


class FeedToken(models.Model):
    """A private calendar-feed URL. Only the token's SHA-256 is kept."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = FeedTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Calendar feed of {self.owner} ({'revoked' if self.revoked_at else 'live'})"


class DigestState(models.TextChoices):
    CLAIMED = "claimed", "Being sent"
    SENT = "sent", "Sent"
    NOTHING_DUE = "nothing_due", "Nothing was due"
    FAILED = "failed", "Failed"


class DigestDay(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_days")
    day = models.DateField()
    state = models.CharField(max_length=20, choices=DigestState, default=DigestState.CLAIMED)
    debt_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    claimed_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["owner", "day"], name="one_digest_per_user_and_day")]

    def __str__(self):
        return f"Digest of {self.owner} for {self.day}: {self.state}"
