from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Subquery

from goodword.core.fields import SafeDateField, SafeDateTimeField
from goodword.core.models import OwnedQuerySet
from goodword.core.urlcache import url_for_pk
from goodword.lib import vocabulary


# Generated from the one vocabulary (goodword/lib/vocabulary.py): Stage.LEAD == "lead".
Stage = models.TextChoices("Stage", [(value.upper(), (value, label)) for value, label in vocabulary.STAGES])

PIPELINE = [Stage(value) for value in vocabulary.PIPELINE]
CLOSED_STAGES = vocabulary.OUTCOME_STAGES
REFERENCES_IN_PLAY = vocabulary.REFERENCES_IN_PLAY


def slate_count_text(listed: int, wanted: int) -> str:
    """"2 listed, 3 wanted"; just "2 listed" while the employer has not said (None)."""
    return f"{listed} listed, {wanted} wanted" if wanted else f"{listed} listed"


def validate_requirements(value):
    """The corrected requirement lines: at most 60 short texts (goodword.lib.requirements' limits)."""
    from goodword.lib.requirements import MAX_REQUIREMENT_CHARS, MAX_REQUIREMENTS
    from goodword.references.models import validate_short_list

    validate_short_list(value, item_max=MAX_REQUIREMENT_CHARS, count_max=MAX_REQUIREMENTS)


class InterviewFormat(models.TextChoices):
    PHONE = "phone", "Phone screen"
    VIDEO = "video", "Video"
    ONSITE = "onsite", "On site"
    PANEL = "panel", "Panel"
    TAKE_HOME = "take_home", "Take-home exercise"
    OTHER = "other", "Other"


class OpportunityQuerySet(OwnedQuerySet):
    def with_stage(self):
        """Annotate the current stage: the latest entry of the stage history."""
        latest = StageChange.objects.filter(opportunity=OuterRef("pk")).order_by("-changed_on", "-id")
        return self.annotate(
            stage=Subquery(latest.values("stage")[:1]),
            stage_since=Subquery(latest.values("changed_on")[:1]),
        )

    def for_user(self, user):
        return super().for_user(user).with_stage()

    def for_coach(self, coach, candidate=None):
        return super().for_coach(coach, candidate).with_stage()


class Opportunity(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opportunities")
    company = models.CharField(max_length=200)
    role = models.CharField(max_length=200)
    posting_url = models.URLField(max_length=1000, blank=True)
    posting_text = models.TextField(max_length=50000, blank=True)
    # What the posting asks for, as the user corrected it (goodword/opportunities/suggest.py);
    # empty until they save it, and then read instead of extracting from posting_text.
    requirements = models.JSONField(default=list, blank=True, validators=[validate_requirements])
    # None: the employer has not said (the slate builder then guesses from the role).
    references_wanted = models.PositiveSmallIntegerField(
        null=True, blank=True, default=None, validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="Leave empty if they haven't said.")
    checker_name = models.CharField("reference checker", max_length=200, blank=True)
    checker_email = models.EmailField("checker's email", blank=True)
    checker_phone = models.CharField("checker's phone", max_length=40, blank=True)
    start_date = SafeDateField(null=True, blank=True)
    announced_on = SafeDateField(
        "announced publicly on", null=True, blank=True,
        help_text="When you shared the result in public (LinkedIn, social media).",
    )
    notes = models.TextField(max_length=20000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "opportunities"
        indexes = [models.Index(fields=["owner", "company"])]

    def __str__(self):
        return f"{self.role} at {self.company}"

    def get_absolute_url(self):
        return url_for_pk("opportunities:detail", self.pk)  # listed by the hundred: no reverse() each

    # The stage is derived from the history; for_user() annotates it, and
    # this fallback serves an instance fetched some other way.
    @property
    def stage(self):
        if "_stage" not in self.__dict__:
            latest = self.stage_changes.order_by("-changed_on", "-id").first()
            self.__dict__["_stage"] = latest.stage if latest else None
            self.__dict__["_stage_since"] = latest.changed_on if latest else None
        return self.__dict__["_stage"]

    @stage.setter
    def stage(self, value):
        self.__dict__["_stage"] = value

    @property
    def stage_since(self):
        self.stage  # noqa: B018  (fills the cache)
        return self.__dict__.get("_stage_since")

    @stage_since.setter
    def stage_since(self, value):
        self.__dict__["_stage_since"] = value

    def forget_stage(self):
        self.__dict__.pop("_stage", None)
        self.__dict__.pop("_stage_since", None)

    @property
    def stage_label(self):
        return Stage(self.stage).label if self.stage else "—"

    @property
    def is_closed(self):
        return self.stage in CLOSED_STAGES

    def as_dict(self):
        return {
            "id": self.pk,
            "company": self.company,
            "role": self.role,
            "stage": self.stage,
            "stage_since": self.stage_since.isoformat() if self.stage_since else None,
            "posting_url": self.posting_url,
            "requirements": list(self.requirements),
            "references_wanted": self.references_wanted,
            "checker": {"name": self.checker_name, "email": self.checker_email, "phone": self.checker_phone},
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "announced_on": self.announced_on.isoformat() if self.announced_on else None,
            "notes": self.notes,
        }


class StageChangeQuerySet(OwnedQuerySet):
    owner_path = "opportunity__owner"


class StageChange(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="stage_changes")
    stage = models.CharField(max_length=30, choices=Stage)
    changed_on = SafeDateField()
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        ordering = ["changed_on", "id"]
        indexes = [models.Index(fields=["opportunity", "changed_on", "id"])]

    def __str__(self):
        return f"{self.get_stage_display()} on {self.changed_on}"

    def as_dict(self):
        return {"stage": self.stage, "changed_on": self.changed_on.isoformat(), "note": self.note}


class InterviewQuerySet(OwnedQuerySet):
    owner_path = "opportunity__owner"


class Interview(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="interviews")
    when = SafeDateTimeField()
    with_whom = models.CharField("with whom", max_length=300, blank=True)
    format = models.CharField(max_length=20, choices=InterviewFormat, default=InterviewFormat.VIDEO)
    questions = models.TextField("questions asked", max_length=10000, blank=True)
    strong_points = models.TextField("strong points to confirm", max_length=5000, blank=True)
    weak_points = models.TextField("doubts they had", max_length=5000, blank=True)
    notes = models.TextField(max_length=10000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["when", "id"]

    def __str__(self):
        return f"{self.get_format_display()} interview on {self.when:%Y-%m-%d}"

    def as_dict(self):
        return {
            "id": self.pk,
            "when": self.when.isoformat(),
            "with_whom": self.with_whom,
            "format": self.format,
            "questions": self.questions,
            "strong_points": self.strong_points,
            "weak_points": self.weak_points,
            "notes": self.notes,
        }


class ListingQuerySet(OwnedQuerySet):
    owner_path = "opportunity__owner"


class Listing(models.Model):
    """A reference given to an opportunity: one row on its slate."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="listings")
    reference = models.ForeignKey("references.Reference", on_delete=models.CASCADE, related_name="listings")
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "reference"], name="one_listing_per_reference_and_opportunity")
        ]
        indexes = [models.Index(fields=["reference", "created_at"])]

    def __str__(self):
        return f"{self.reference} for {self.opportunity}"

    def clean(self):
        # services.add_to_slate checks this too; here it also guards the admin,
        # where a reference is picked by raw id.
        if self.reference_id and self.opportunity_id and self.reference.owner_id != self.opportunity.owner_id:
            raise ValidationError("That reference belongs to someone else's reference book.")


class SkillSynonyms(models.Model):
    """One user's synonym list for matching postings to vouches: "k8s = kubernetes", one group a line."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_synonyms")
    text = models.TextField("synonyms", max_length=20000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "skill synonyms"

    def __str__(self):
        return f"Synonyms of {self.owner}"

    def clean(self):
        from goodword.lib.requirements import synonym_problems

        if problems := synonym_problems(self.text):
            raise ValidationError({"text": problems})
