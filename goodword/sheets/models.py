"""The employer side of an opportunity: its reference sheet, the employer's
private link, the letters references upload, and the standing links a
reference reports an employer's call through (goodword/sheets/backdoor.py).

Tokens follow the portal's rules (goodword/lib/tokens.py): only a SHA-256 of
each is stored. Letter files live in Django's storage under a random name and
are served only through a view that checks who asks (never a storage URL).
"""

import datetime as dt
import secrets

from django.conf import settings
from django.db import models

from goodword.core.models import OwnedQuerySet


class SheetQuerySet(OwnedQuerySet):
    owner_path = "opportunity__owner"


class Sheet(models.Model):
    """The candidate's choices for one opportunity's sheet; the rest comes from
    the reference book and the slate (goodword/sheets/content.py)."""

    opportunity = models.OneToOneField("opportunities.Opportunity", on_delete=models.CASCADE, related_name="sheet")
    location = models.CharField(max_length=200, blank=True)
    headline = models.CharField("a line of your choosing", max_length=300, blank=True)
    # Reference ids in the candidate's order; empty: the slate in its order, without HR verifiers.
    chosen = models.JSONField(default=list, blank=True)
    # Reference ids the candidate keeps on the sheet despite a flag.
    insisted = models.JSONField(default=list, blank=True)
    # str(reference id) -> a one-line note to the employer.
    notes = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SheetQuerySet.as_manager()

    def __str__(self):
        return f"Reference sheet for {self.opportunity_id}"


class EmployerLinkQuerySet(OwnedQuerySet):
    owner_path = "opportunity__owner"


class EmployerLink(models.Model):
    opportunity = models.ForeignKey("opportunities.Opportunity", on_delete=models.CASCADE,
                                    related_name="employer_links")
    token_hash = models.CharField(max_length=64, unique=True)
    # Who the link is for, as events and notices name them ("Acme opened your reference sheet").
    employer = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    letters = models.ManyToManyField("sheets.Letter", blank=True, related_name="employer_links")

    objects = EmployerLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Employer link for {self.opportunity_id} ({'revoked' if self.revoked_at else 'live'})"


def letter_path(instance, filename):
    # Random, not guessable, and never the uploader's file name (it could say anything).
    return f"letters/{instance.owner_id}/{secrets.token_hex(16)}.pdf"


class LetterQuerySet(OwnedQuerySet):
    pass


class Letter(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="letters")
    reference = models.ForeignKey("references.Reference", on_delete=models.CASCADE, related_name="letters")
    # The application it was written for (kept when the opportunity goes, as events are).
    opportunity = models.ForeignKey("opportunities.Opportunity", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="letters")
    file = models.FileField(upload_to=letter_path, max_length=200)
    size = models.PositiveIntegerField()
    pages = models.PositiveSmallIntegerField()
    confidential = models.BooleanField(default=False)
    reusable = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField()

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"Letter from {self.reference} ({'confidential' if self.confidential else 'open'})"


class StandingLinkQuerySet(OwnedQuerySet):
    owner_path = "reference__owner"


class StandingLink(models.Model):
    """A reference's own link, tied to no application, to report an employer's call
    (the portal's token rules; it lasts until revoked or replaced)."""

    reference = models.ForeignKey("references.Reference", on_delete=models.CASCADE, related_name="standing_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = StandingLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Standing link for {self.reference_id} ({'revoked' if self.revoked_at else 'live'})"


class NoticeQuerySet(OwnedQuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class EmployerNotice(models.Model):
    """A dashboard notice about the employer side: a sheet opened, a file downloaded,
    references checked, an unlisted call reported, a letter uploaded."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_notices")
    text = models.CharField(max_length=500)
    event = models.ForeignKey("timeline.Event", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "read_at"])]

    def __str__(self):
        return self.text

    @property
    def ago(self) -> str:
        from django.utils import timezone
        from django.utils.timesince import timesince

        now = timezone.now()
        if now - self.created_at < dt.timedelta(minutes=1):
            return "just now"
        return f"{timesince(self.created_at, now)} ago"
