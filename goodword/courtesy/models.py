"""What the ledger stores: per-user thresholds, and snooze/dismiss decisions.

Debts themselves are never stored; they are computed from events (ledger.py).
"""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from goodword.core.fields import SafeDateField
from goodword.core.models import OwnedQuerySet
from goodword.core.prepared import prepared
from goodword.courtesy.facts import Decision, Severity, UserSettings
from goodword.lib.vocabulary import CONSENT_MONTHS_DEFAULT


def default_time_zone():
    return settings.TIME_ZONE


def validate_time_zone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"“{value}” is not a time zone; use a name such as Europe/Paris or America/Chicago.") from None


def archive_days_validator(value):
    if value and not 90 <= value <= 3650:
        raise ValidationError("Use 0 (never archive) or a number of days from 90 to 3650.")


# A missed thank-you stays on the ledger at least this long before its
# application is archived.
THANKS_SHOWN_DAYS = 30


def _days(low, high):
    return [MinValueValidator(low), MaxValueValidator(high)]


class CourtesySettings(models.Model):
    """One user's ledger thresholds. A user without a row gets the defaults."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="courtesy_settings")
    time_zone = models.CharField(
        max_length=64, default=default_time_zone, validators=[validate_time_zone],
        help_text="Your time zone: it decides what “today” and “due” mean.",
    )
    thank_within_days = models.PositiveSmallIntegerField(
        "thank within (days)", default=7, validators=_days(1, 90),
        help_text="Days after an outcome before a missing thank-you becomes a debt.",
    )
    fatigue_listings = models.PositiveSmallIntegerField(
        "listings before fatigue", default=3, validators=_days(1, 50),
        help_text="A reference listed more often than this within the fatigue window needs a rest.",
    )
    fatigue_days = models.PositiveSmallIntegerField(
        "fatigue window (days)", default=30, validators=_days(1, 365),
        help_text="The days over which “listings before fatigue” are counted.",
    )
    keep_warm_days = models.PositiveSmallIntegerField(
        "keep warm (days)", default=180, validators=_days(7, 3650),
        help_text="Days of silence before an active reference is owed a hello.",
    )
    references_wanted = models.PositiveSmallIntegerField(
        "references wanted", default=3, validators=_days(1, 20),
        help_text="How many references a slate needs when the employer has not said.",
    )
    archive_after_days = models.PositiveSmallIntegerField(
        "archive after (days)", default=180, validators=[archive_days_validator],
        help_text="Days after an application ended before its loose ends leave the ledger: 0 for never, "
                  "else at least 90, at least “thank within” + 30 and at least the fatigue window. "
                  "From then on the keep-warm rule looks after the relationship.",
    )

    consent_months = models.PositiveSmallIntegerField(
        "standing consent counts for (months)", default=CONSENT_MONTHS_DEFAULT, validators=_days(1, 36),
        help_text="How long a reference’s standing consent to be listed counts before you ask again.",
    )

    class Meta:
        verbose_name = "courtesy settings"
        verbose_name_plural = "courtesy settings"

    def __str__(self):
        return f"Courtesy settings of {self.user}"

    def clean(self):
        super().clean()
        days = self.archive_after_days
        if not days or days < 90 or self.thank_within_days is None or self.fatigue_days is None:
            return  # 0 is never; below 90 the field's own validator speaks
        # Archiving sooner would hide a thank-you debt before (or just as) it falls
        # due, and would drop listings that rule 9 still counts.
        shortest = max(90, self.thank_within_days + THANKS_SHOWN_DAYS, self.fatigue_days)
        if days < shortest:
            raise ValidationError({"archive_after_days": (
                f"Archive after at least {shortest} days with these thresholds: {THANKS_SHOWN_DAYS} days more "
                f"than “thank within”, and no less than the fatigue window. Or 0 to never archive."
            )})

    @classmethod
    def for_user(cls, user) -> "CourtesySettings":
        """The user's row, or an unsaved one holding the defaults (one query, no write)."""
        found = _settings_of(user.pk)
        return found[0] if found else cls(user=user)

    def as_plain(self) -> UserSettings:
        return UserSettings(
            time_zone=self.time_zone or settings.TIME_ZONE,
            thank_within_days=self.thank_within_days,
            fatigue_listings=self.fatigue_listings,
            fatigue_days=self.fatigue_days,
            keep_warm_days=self.keep_warm_days,
            references_wanted=self.references_wanted,
            archive_after_days=self.archive_after_days,
            consent_months=self.consent_months,
        )


class DecisionKind(models.TextChoices):
    SNOOZE = "snooze", "Snoozed"
    DISMISS = "dismiss", "Dismissed"


class DebtDecisionQuerySet(OwnedQuerySet):
    pass


class DebtDecision(models.Model):
    """A snooze or a dismissal, remembered under the debt's stable key
    (rule id + reference id + opportunity id)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="debt_decisions")
    key = models.CharField(max_length=100)
    rule = models.CharField(max_length=40)
    reference = models.ForeignKey(
        "references.Reference", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=DecisionKind)
    until = SafeDateField("snoozed until", null=True, blank=True)
    reason = models.TextField(max_length=1000, blank=True)
    # The occurrence the decision was made for: a worse or later debt shows again.
    severity = models.PositiveSmallIntegerField(choices=[(s.value, s.label) for s in Severity])
    due_on = SafeDateField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DebtDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="one_decision_per_debt")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key}"

    def as_plain(self) -> Decision:
        return Decision(
            key=self.key, kind=self.kind, severity=Severity(self.severity), due_on=self.due_on,
            until=self.until, reason=self.reason,
        )


class LedgerSummary(models.Model):
    """The open debts (and their count, for the navigation badge), kept between
    requests for the pages that show them without the whole ledger (see summary.py).

    `version` is bumped by database triggers (summary.install_triggers) in the same
    transaction as any write to a table the ledger reads, whoever writes
    (web, CLI, worker, admin, a queryset update). The count is trusted only
    while `built_version` equals `version` and `valid_until` has not passed.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="ledger_summary"
    )
    version = models.BigIntegerField(default=0)
    built_version = models.BigIntegerField(null=True)
    valid_until = models.DateTimeField(null=True)
    open_count = models.PositiveIntegerField(default=0)
    today = models.DateField(null=True)  # the user's day the debts were computed for
    open_debts = models.JSONField(default=list)  # summary.debt_as_json() of each, worst first
    # The rest of what the ledger pages show (summary.KeptLedger): the announcement
    # holds, the hidden and archived counts, the latest calls without warning.
    extras = models.JSONField(default=dict)
    # summary.severity_counts() of the open debts, so that a coach's cohort page reads four
    # numbers a candidate rather than decoding every debt to count them. Null: kept before
    # this column, when the counts come from open_debts instead (Stamp.counts()).
    severity_counts = models.JSONField(null=True)

    def __str__(self):
        return f"ledger summary of user {self.user_id}"


@prepared
def _settings_of(user_id: int):
    # Read by every reference page and every ledger build: compiled once (core/prepared.py).
    return CourtesySettings.objects.filter(user_id=user_id)
