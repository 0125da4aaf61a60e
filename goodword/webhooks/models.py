"""Webhook endpoints a user registered, the deliveries queued for them, and the
critical debts already announced.

A delivery row is the one record of an event's way to one endpoint: queued
in the transaction that recorded the fact, claimed and sent by the worker
(delivery.py), retried with the outbox's backoff.
"""

from django.conf import settings
from django.db import models

from goodword.core.models import OwnedQuerySet
from goodword.lib import webhook_wire

KIND_CHOICES = list(webhook_wire.KINDS.items())


class Endpoint(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.CharField(max_length=webhook_wire.MAX_URL_LENGTH)
    kinds = models.JSONField(default=list)  # keys of webhook_wire.KINDS
    # Fernet token (outreach/crypto.py encrypt_for): we must sign with the
    # secret, so it cannot be hashed; the clear secret is shown once, at creation.
    secret_encrypted = models.TextField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_delivery_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=300, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Webhook {self.pk} → {self.url}"

    def kind_labels(self) -> list[str]:
        return [webhook_wire.KINDS.get(kind, kind) for kind in self.kinds]


class DeliveryState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_deliveries")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=30)
    # The fact this reports ("portal.answered:12"): one delivery per fact and endpoint, however often it is queued.
    event_key = models.CharField(max_length=200)
    # Goodword-Delivery: the same on every attempt, so a receiver can drop a repeat.
    delivery_id = models.CharField(max_length=40, unique=True)
    # The JSON exactly as sent: every attempt sends these bytes (signed afresh with a new timestamp).
    body = models.TextField()
    state = models.CharField(max_length=10, choices=DeliveryState, default=DeliveryState.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=200, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "event_key"], name="one_delivery_per_fact")]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["owner", "created_at"]),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.kind} → endpoint {self.endpoint_id} ({self.state})"

    @property
    def kind_label(self) -> str:
        return webhook_wire.KINDS.get(self.kind, "Test event" if self.kind == webhook_wire.TEST_KIND else self.kind)


class CriticalDebtSeen(models.Model):
    """A critical debt already announced (critical.py): its key, until it stops being critical."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="critical_debts_seen")
    key = models.CharField(max_length=200)
    seen_at = models.DateTimeField()

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="one_notice_per_critical_debt")]

    def __str__(self):
        return f"{self.key} (seen {self.seen_at:%Y-%m-%d})"
