from django.conf import settings
from django.db import models

from goodword.core.fields import SafeDateTimeField
from goodword.core.models import OwnedQuerySet
from goodword.lib import vocabulary
from goodword.references.models import Channel


# Generated from the one vocabulary (goodword/lib/vocabulary.py): EventKind.AGREED == "agreed".
EventKind = models.TextChoices("EventKind", [(value.upper(), (value, label)) for value, label in vocabulary.EVENT_KINDS])


class EventQuerySet(OwnedQuerySet):
    pass


class Event(models.Model):
    """One fact on a reference's timeline. Listing states are derived from these."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="events")
    reference = models.ForeignKey("references.Reference", on_delete=models.CASCADE, related_name="events")
    # Deleting an opportunity keeps the reference's history of what was said.
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(max_length=30, choices=EventKind)
    channel = models.CharField(max_length=20, choices=Channel, blank=True)
    occurred_at = SafeDateTimeField()
    note = models.TextField(max_length=20000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = list(vocabulary.NEWEST_FIRST)  # the one order of events, newest first
        indexes = [
            models.Index(fields=["owner", "reference", "occurred_at"]),
            models.Index(fields=["owner", "opportunity", "occurred_at"]),
            # Covers the ledger's per-listing aggregates (goodword/courtesy/ledger.py); the id
            # orders events of the same moment (SQLite has it in every index, PostgreSQL needs it named).
            models.Index(fields=["owner", "opportunity", "reference", "kind", "occurred_at", "id"],
                         name="timeline_ledger_cover"),
            models.Index(fields=["owner", "occurred_at"]),
            # One kind in a time window: the dashboard chart's employer contacts of the last 90 days.
            models.Index(fields=["owner", "kind", "occurred_at"], name="timeline_kind_window"),
            # One kind per opportunity: the ledger's first employer contact per opportunity.
            models.Index(fields=["owner", "kind", "opportunity", "occurred_at"], name="timeline_kind_opportunity"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.reference} ({self.occurred_at:%Y-%m-%d})"

    def as_dict(self):
        return {
            "id": self.pk,
            "reference_id": self.reference_id,
            "opportunity_id": self.opportunity_id,
            "kind": self.kind,
            "channel": self.channel or None,
            "occurred_at": self.occurred_at.isoformat(),
            "note": self.note,
        }
