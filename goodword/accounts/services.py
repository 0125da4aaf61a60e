from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from goodword.accounts.models import LoginToken, Profile
from goodword.lib.names import name_problem
from goodword.lib.tokens import hash_token, new_token

LOGIN_LINK_LIFETIME = timedelta(minutes=15)


def local_user():
    """The one person using a local install; created on first use."""
    User = get_user_model()
    user, _ = User.objects.get_or_create(username=settings.GOODWORD_CLI_USER)
    return user


def issue_login_token(user, lifetime=LOGIN_LINK_LIFETIME) -> str:
    token = new_token()
    LoginToken.objects.create(user=user, token_hash=hash_token(token), expires_at=timezone.now() + lifetime)
    return token


def redeem_login_token(token: str):
    """The user the token signs in, once; None for a used, stale or unknown token."""
    now = timezone.now()
    with transaction.atomic():
        # The conditional update makes the token single-use even under a race.
        claimed = LoginToken.objects.filter(
            token_hash=hash_token(token), used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if not claimed:
            return None
        return LoginToken.objects.select_related("user").get(token_hash=hash_token(token)).user


def profile_problem(user) -> str | None:
    """Why drafts cannot be signed for this user yet (a sentence), or None."""
    return name_problem(user.get_full_name())


def candidate_phone(user) -> str:
    profile = Profile.objects.for_user(user).first()
    return profile.phone if profile else ""


@transaction.atomic
def update_profile(user, *, first_name: str, last_name: str, email: str, phone: str | None = None):
    """The name drafts are signed with, and the email and phone documents give.

    The email is also where Goodword's own emails reach you. phone=None keeps the saved one.
    """
    first_name, last_name = " ".join(first_name.split()), " ".join(last_name.split())
    problem = name_problem(f"{first_name} {last_name}")
    if problem:
        raise ValidationError({"first_name": f"{problem} Drafts are signed with it: write it as a letter should end."})
    user.first_name, user.last_name, user.email = first_name, last_name, email.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "email"])
    if phone is not None:
        profile = Profile.objects.for_user(user).first() or Profile(owner=user)
        profile.phone = phone.strip()
        profile.full_clean()
        profile.save()
    return user
