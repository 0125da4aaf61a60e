"""How allauth fits Goodword's hosted mode (settings.ACCOUNT_ADAPTER): who may sign up, and the client address."""

from __future__ import annotations

import logging
import smtplib

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from goodword.accounts.services import (
    INVITATION_SESSION_KEY,
    InvitationRefused,
    accept_invitation,
    pending_invitation,
)
from goodword.core.client_address import client_address

# A request with no peer address (an in-process sign-in, e.g. Django's test client
# login, or a server on a Unix socket without a trusted proxy configured) is
# counted under this one address rather than refused.
UNKNOWN_ADDRESS = "0.0.0.0"

logger = logging.getLogger(__name__)


def user_display(user) -> str:
    # Email is the login; the username allauth makes up is never shown.
    return user.get_full_name() or user.email


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """Hosted mode only; then anyone when GOODWORD_OPEN_SIGNUP, else whoever opened a valid invitation."""
        if settings.GOODWORD_MODE != "hosted":
            return False
        return settings.GOODWORD_OPEN_SIGNUP or pending_invitation(request) is not None

    def get_client_ip(self, request) -> str:
        # One function decides the client address for rate limits, the session list and logs.
        return client_address(request) or UNKNOWN_ADDRESS

    def save_user(self, request, user, form, commit=True):
        invitation = pending_invitation(request)
        with transaction.atomic():
            user = super().save_user(request, user, form, commit=commit)
            if invitation is not None and commit:
                try:
                    accept_invitation(invitation.pk, user)
                except InvitationRefused as refused:
                    raise PermissionDenied(str(refused)) from None  # rolls the new account back
        request.session.pop(INVITATION_SESSION_KEY, None)
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # A mail server that is down must not turn a reset or sign-up page into an error page:
        # the person is told to check their inbox either way, and the operator reads this log line.
        try:
            super().send_mail(template_prefix, email, context)
        except (OSError, smtplib.SMTPException) as error:
            logger.warning("Account mail %s could not send: %s", template_prefix.rsplit("/", 1)[-1],
                           type(error).__name__)
