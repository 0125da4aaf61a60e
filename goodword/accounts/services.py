from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from goodword.accounts.models import LoginToken
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


def update_profile(user, *, first_name: str, last_name: str, email: str):
    """The name drafts are signed with, and the address Goodword writes to."""
    user.first_name, user.last_name, user.email = first_name.strip(), last_name.strip(), email.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "email"])
    return user
