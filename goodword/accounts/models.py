from django.conf import settings
from django.db import models

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
