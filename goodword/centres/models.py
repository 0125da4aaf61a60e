"""A career centre, its people and what its coaches may see (docs/centres.md).

Who may reach whom is decided here, in querysets: a coach reaches a candidate
only through an Assignment (`Membership.objects.candidates_of(coach)`), an
admin only the members of the centres they administer. Views never filter by
hand.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from goodword.core.models import OwnedQuerySet


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    COACH = "coach", "Coach"
    CANDIDATE = "candidate", "Candidate"


STAFF_ROLES = (Role.ADMIN, Role.COACH)


class CentreQuerySet(models.QuerySet):
    def administered_by(self, user):
        return self.filter(memberships__user=user, memberships__role=Role.ADMIN).distinct()

    def coached_by(self, user):
        return self.filter(memberships__user=user, memberships__role=Role.COACH).distinct()


class Centre(models.Model):
    organisation = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CentreQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class MembershipQuerySet(OwnedQuerySet):
    owner_path = "user"

    def candidates(self):
        return self.filter(role=Role.CANDIDATE)

    def coaches(self):
        return self.filter(role=Role.COACH)

    def candidates_of(self, coach):
        """The candidate memberships assigned to `coach` (a user): all a coach may ever open."""
        return self.filter(role=Role.CANDIDATE, assignments__coach__user=coach,
                           assignments__coach__role=Role.COACH).distinct()

    def in_centres_of_admin(self, admin):
        """Every membership of the centres `admin` (a user) administers."""
        return self.filter(centre__in=Centre.objects.administered_by(admin))


class Membership(models.Model):
    """One person's role in one centre. A candidate is in at most one centre (a
    constraint, not a check in code); staff may hold both roles."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="centre_memberships")
    role = models.CharField(max_length=20, choices=Role)
    # The candidate's choice: may coaches see their references' email, phone and address?
    share_contacts = models.BooleanField(
        "show my references' contact details to my coach", default=False,
        help_text="Off: coaches see who your references are and where they stand, never how to reach them.",
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["centre", "role", "user__last_name", "user__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(role="candidate"), name="one_centre_per_candidate"),
            models.UniqueConstraint(fields=["centre", "user", "role"], name="one_membership_per_role"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.centre})"


class AssignmentQuerySet(OwnedQuerySet):
    owner_path = "candidate__user"

    def for_coach(self, coach):
        return self.filter(coach__user=coach, coach__role=Role.COACH)


class Assignment(models.Model):
    """A coach may open this candidate's data. Both memberships are of one centre (services.assign)."""

    coach = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="coached")
    candidate = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["coach", "candidate"], name="one_assignment_per_pair")]

    def __str__(self):
        return f"{self.candidate.user} coached by {self.coach.user}"

    def clean(self):
        # services.assign checks this too; here it also guards the Django admin, where both are picked by id.
        if self.coach_id and self.candidate_id:
            if self.coach.role != Role.COACH or self.candidate.role != Role.CANDIDATE:
                raise ValidationError("Assign a candidate membership to a coach membership.")
            if self.coach.centre_id != self.candidate.centre_id:
                raise ValidationError("The candidate and the coach are in different centres.")


class Seat(models.Model):
    """A place kept for an invited email with no account yet; claimed on sign-up
    or first sign-in by whoever verifies that address (services.claim_seats)."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="seats")
    email = models.EmailField()  # kept lower-cased (services.invite)
    role = models.CharField(max_length=20, choices=Role)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["centre", "email", "role"], name="one_seat_per_email_and_role")]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()}, {self.centre})"


class AccessQuerySet(OwnedQuerySet):
    owner_path = "candidate"


class Access(models.Model):
    """One look by a coach at a candidate's data: kept for the candidate (settings
    page) and the centre's admins (audit log). Never edited."""

    class What(models.TextChoices):
        OVERVIEW = "overview", "Overview and ledger"
        REFERENCE = "reference", "A reference"
        OPPORTUNITY = "opportunity", "An opportunity"

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="accesses")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="centre_accesses")
    what = models.CharField(max_length=20, choices=What)
    # The reference's or opportunity's name as it was then: the row may be deleted later.
    label = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["candidate", "at"]), models.Index(fields=["centre", "at"])]

    def __str__(self):
        return f"{self.coach} opened {self.get_what_display().lower()} of {self.candidate}"


class NudgeQuerySet(OwnedQuerySet):
    owner_path = "candidate"

    def showing(self):
        return self.filter(dismissed_at__isnull=True)


class Nudge(models.Model):
    """A short word from a coach on the candidate's dashboard, until dismissed:
    the one thing a coach writes."""

    centre = models.ForeignKey(Centre, on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="nudges")
    text = models.CharField(max_length=280)
    created_at = models.DateTimeField(auto_now_add=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    objects = NudgeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["candidate", "dismissed_at"])]

    def __str__(self):
        return f"Nudge from {self.coach} to {self.candidate}"
