from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_email
from django.db import models
from django.utils import timezone

from goodword.core.fields import SafeDateField
from goodword.core.models import OwnedQuerySet
from goodword.core.urlcache import url_for_pk
from goodword.lib import vocabulary


class Relationship(models.TextChoices):
    MANAGER = "manager", "Manager"
    SKIP_LEVEL = "skip_level", "Skip-level manager"
    PEER = "peer", "Peer"
    DIRECT_REPORT = "direct_report", "Direct report"
    CLIENT = "client", "Client"
    MENTOR = "mentor", "Mentor"
    PROFESSOR = "professor", "Professor"
    HR_VERIFIER = "hr_verifier", "HR verifier"
    OTHER = "other", "Other"


MANAGER_KINDS = {Relationship.MANAGER, Relationship.SKIP_LEVEL}


class Status(models.TextChoices):
    ACTIVE = "active", "Active"
    RESTING = "resting", "Resting"
    RETIRED = "retired", "Retired"
    DO_NOT_USE = "do_not_use", "Do not use"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    TEXT = "text", "Text message"
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video call"
    LINKEDIN = "linkedin", "LinkedIn"
    PORTAL = "portal", "Reference portal"
    OTHER = "other", "Other"


def validate_short_list(value, item_max=300, count_max=50):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("Give a list of short texts.")
    if len(value) > count_max:
        raise ValidationError(f"Keep it to {count_max} items or fewer.")
    for item in value:
        if len(item) > item_max:
            raise ValidationError(f"“{item[:40]}…” is longer than {item_max} characters.")


def validate_email_list(value):
    validate_short_list(value, item_max=254, count_max=10)
    for item in value:
        try:
            validate_email(item)
        except ValidationError:
            raise ValidationError(f"“{item}” is not a valid email address.") from None


def validate_phone_list(value):
    validate_short_list(value, item_max=40, count_max=10)
    allowed = set("0123456789+-(). /x")
    for item in value:
        if not any(ch.isdigit() for ch in item) or set(item) - allowed:
            raise ValidationError(
                f"“{item}” is not a phone number; use digits, spaces and + - ( ) . only."
            )


class ReferenceQuerySet(OwnedQuerySet):
    def usable(self):
        return self.exclude(status=Status.DO_NOT_USE)


class Reference(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="references")
    name = models.CharField(max_length=200)
    emails = models.JSONField(default=list, blank=True, validators=[validate_email_list])
    phones = models.JSONField(default=list, blank=True, validators=[validate_phone_list])
    title = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    relationship = models.CharField(max_length=20, choices=Relationship, default=Relationship.OTHER)
    known_since = SafeDateField(null=True, blank=True)
    how_we_met = models.TextField(max_length=2000, blank=True)
    vouches_for = models.JSONField(
        default=list, blank=True, validators=[validate_short_list],
        help_text="Skills, projects and achievements they can speak to.",
    )
    likes = models.TextField(max_length=2000, blank=True, help_text="Things they like; gift preferences.")
    preferred_channel = models.CharField(max_length=20, choices=Channel, blank=True)
    preferred_hours = models.CharField(max_length=200, blank=True)
    consent_given_on = SafeDateField(null=True, blank=True)
    consent_scope = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.ACTIVE)
    # Their availability, set by them on their portal page or recorded by the candidate.
    away_until = models.DateField(
        "away until", null=True, blank=True, help_text="Not to be put forward before the day after this one.",
    )
    max_calls_a_month = models.PositiveSmallIntegerField(
        "at most … calls a month", null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="How many employers may call them in 30 days; blank: no limit of their own.",
    )
    notes = models.TextField(max_length=20000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["owner", "name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return url_for_pk("references:detail", self.pk)  # listed by the hundred: no reverse() each

    def clean(self):
        today = timezone.localdate()
        problems = {}
        if self.known_since and self.known_since > today:
            problems["known_since"] = "That date is in the future; when did you first meet?"
        if self.consent_given_on and self.consent_given_on > today:
            problems["consent_given_on"] = "That date is in the future; record consent once they have given it."
        if problems:
            raise ValidationError(problems)

    def standing_consent(self, months: int = vocabulary.CONSENT_MONTHS_DEFAULT):
        """Their standing consent to be listed, with the last day it counts (or None)."""
        return vocabulary.standing_consent(self.consent_given_on, self.consent_scope, months)

    def availability_text(self, today=None) -> str:
        """"Away until 3 May 2027; at most 2 calls a month", or "" when they set no limits."""
        today = today or timezone.localdate()
        parts = []
        if self.away_until and self.away_until >= today:
            parts.append(f"Away until {self.away_until.day} {self.away_until:%B %Y}")
        if self.max_calls_a_month:
            parts.append(f"at most {self.max_calls_a_month} call{'' if self.max_calls_a_month == 1 else 's'} a month")
        text = "; ".join(parts)
        return text[:1].upper() + text[1:]

    @property
    def primary_email(self):
        return self.emails[0] if self.emails else ""

    @property
    def primary_phone(self):
        return self.phones[0] if self.phones else ""

    @property
    def is_hr_verifier(self):
        return self.relationship == Relationship.HR_VERIFIER

    def as_dict(self):
        """The stable JSON shape (docs/cli.md), shared by the CLI and the API."""
        return {
            "id": self.pk,
            "name": self.name,
            "emails": list(self.emails),
            "phones": list(self.phones),
            "title": self.title,
            "organisation": self.organisation,
            "relationship": self.relationship,
            "known_since": self.known_since.isoformat() if self.known_since else None,
            "how_we_met": self.how_we_met,
            "vouches_for": list(self.vouches_for),
            "likes": self.likes,
            "preferred_channel": self.preferred_channel or None,
            "preferred_hours": self.preferred_hours,
            "consent_given_on": self.consent_given_on.isoformat() if self.consent_given_on else None,
            "consent_scope": self.consent_scope,
            "status": self.status,
            "away_until": self.away_until.isoformat() if self.away_until else None,
            "max_calls_a_month": self.max_calls_a_month,
            "notes": self.notes,
        }
