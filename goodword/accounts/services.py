from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from goodword.accounts.models import Invitation, LoginToken, Profile
from goodword.core.prepared import prepared
from goodword.lib.names import name_problem
from goodword.lib.tokens import hash_token, new_token

LOGIN_LINK_LIFETIME = timedelta(minutes=15)
INVITATION_DAYS = 14
# Where the invitation a visitor opened is remembered until they sign up: its id, never its token.
INVITATION_SESSION_KEY = "goodword_invitation"


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
    phones = _phone_of(user.pk)
    return phones[0] if phones else ""


@prepared
def _phone_of(owner_id: int):
    return Profile.objects.for_user(owner_id).order_by("pk").values_list("phone", flat=True)[:1]


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


class InvitationRefused(Exception):
    """An invitation that cannot be used, with the sentence to show the person holding it."""


def create_invitation(email: str, invited_by=None, days: int = INVITATION_DAYS) -> tuple[Invitation, str]:
    """Invite one address to make an account (hosted mode): (the invitation, the link's path).

    The path (/accounts/invite/<token>/) is the only copy of the token: show it
    once or mail it (send_invitation), then drop it. invited_by is the staff
    member or centre admin who invites, or None (the CLI). Raises
    ValidationError for a malformed address or one that already has an account.
    """
    from django.urls import reverse

    email = invitable_email(email)
    if not 1 <= days <= 365:
        raise ValidationError("An invitation lasts from 1 to 365 days.")
    token = new_token()
    invitation = Invitation.objects.create(
        email=email, token_hash=hash_token(token), invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return invitation, reverse("accounts:invitation", args=[token])


def invitable_email(email: str) -> str:
    """The address, normalised, if it can be invited; ValidationError if malformed or already an account's."""
    from allauth.account.models import EmailAddress
    from django.core.validators import validate_email

    email = get_user_model().objects.normalize_email((email or "").strip())
    validate_email(email)
    if EmailAddress.objects.filter(email__iexact=email).exists() or \
            get_user_model().objects.filter(email__iexact=email).exists():
        raise ValidationError(f"{email} already has an account; they can sign in, or reset their password.")
    return email


def invitation_for_token(token: str) -> Invitation:
    """The invitation a link names, if it can still be used; else InvitationRefused saying why."""
    invitation = Invitation.objects.filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise InvitationRefused("This invitation link is not one we know. Check that the whole link was copied.")
    if invitation.accepted_at is not None:
        raise InvitationRefused("This invitation has already been used to make an account. "
                                "If that was you, sign in; otherwise ask for a new invitation.")
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused(f"This invitation expired on {timezone.localtime(invitation.expires_at):%d %B %Y}. "
                                "Ask whoever invited you for a new one.")
    return invitation


def pending_invitation(request) -> Invitation | None:
    """The still-usable invitation this browser opened, if any."""
    invitation_id = request.session.get(INVITATION_SESSION_KEY)
    if not isinstance(invitation_id, int):
        return None
    return Invitation.objects.usable().filter(pk=invitation_id).first()


def accept_invitation(invitation_id: int, user) -> Invitation:
    """Mark the invitation used by this new account, once; InvitationRefused if it was used or expired."""
    now = timezone.now()
    # The conditional update makes the link single-use even when two sign-ups race.
    claimed = Invitation.objects.usable(now).filter(pk=invitation_id).update(accepted_at=now, accepted_by=user)
    if not claimed:
        raise InvitationRefused("This invitation was used or expired while you were signing up.")
    return Invitation.objects.get(pk=invitation_id)


def send_invitation(invitation: Invitation, url_path: str) -> None:
    """Mail the invitation link through the instance's mailer (the invitee has no account to queue it under)."""
    from goodword.outreach.appmail import send_instance_mail
    from goodword.portal.services import public_base_url

    inviter = invitation.invited_by
    send_instance_mail(to_address=invitation.email, template="accounts/email/invitation", context={
        "link": public_base_url() + url_path, "expires_at": invitation.expires_at,
        "inviter": (inviter.get_full_name() or inviter.email) if inviter else "",
    })


@transaction.atomic
def delete_account(user) -> None:
    """Delete the account and every row it owns; its signed-in sessions end everywhere.

    Rows reach the user by CASCADE foreign keys (tests/test_accounts_deletion.py
    counts every table); uploaded files are not rows, so they are removed here.
    """
    from allauth.usersessions.models import UserSession

    from goodword.sheets.models import Letter

    for session in UserSession.objects.filter(user=user):
        session.end()
    for letter in Letter.objects.for_user(user):
        transaction.on_commit(lambda file=letter.file: file.delete(save=False))
    user.delete()
