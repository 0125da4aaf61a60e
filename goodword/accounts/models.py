from django.conf import settings
from django.db import models
from django.utils import timezone

from goodword.core.models import OwnedQuerySet
from goodword.references.models import validate_phone_list


class LoginToken(models.Model):
    """A one-time sign-in link, as printed by `goodword serve`. Only the hash is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Login link for {self.user} (expires {self.expires_at:%Y-%m-%d %H:%M})"


def validate_phone(value):
    # One number, checked as a reference's phone numbers are.
    validate_phone_list([value])


class Profile(models.Model):
    """What documents say about the candidate beyond the account's own name and
    email (User.first_name, last_name and email): the phone number to print."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    phone = models.CharField(max_length=40, blank=True, validators=[validate_phone])
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    def __str__(self):
        return f"Profile of {self.owner}"


class InvitationQuerySet(models.QuerySet):
    def usable(self, now=None):
        """Invitations that can still be accepted: not used, not expired."""
        return self.filter(accepted_at__isnull=True, expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """A single-use, expiring link to make an account in hosted mode (goodword invite, the admin, a centre).

    Only the token's hash is kept: the link is shown once, to whoever made it, and mailed to the invitee.
    """

    email = models.EmailField(max_length=254)
    token_hash = models.CharField(max_length=64, unique=True)
    # Whoever invited may leave; the invitation stays valid without them.
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="invitations_sent")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    # The record of how someone joined goes with their account when they delete it.
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="invitation_accepted")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email} (expires {self.expires_at:%Y-%m-%d})"
