"""Hosted sign-up: by invitation by default (single-use, expiring), open sign-up as a setting, local mode closed."""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from goodword.accounts.models import Invitation
from goodword.accounts.services import create_invitation
from goodword.lib.tokens import hash_token
from tests.factories.hosted import PASSWORD, hosted, make_account  # noqa: F401

NEW_PASSWORD = "Zq8!long-passphrase"


def sign_up(client, email, password=NEW_PASSWORD):
    return client.post("/accounts/signup/", {"email": email, "password1": password, "password2": password})


def test_an_invitation_keeps_only_the_hash_of_its_token(hosted):
    invitation, path = create_invitation("Dana@Example.org", days=3)
    token = re.fullmatch(r"/accounts/invite/([A-Za-z0-9_-]{43})/", path).group(1)
    assert invitation.token_hash == hash_token(token)
    assert token not in str(Invitation.objects.values().get())
    assert invitation.email == "Dana@example.org"
    assert dt.timedelta(days=2, hours=23) < invitation.expires_at - timezone.now() <= dt.timedelta(days=3)


def test_an_address_that_already_has_an_account_is_not_invited(hosted):
    make_account("casey@example.org")
    with pytest.raises(ValidationError, match="already has an account"):
        create_invitation("CASEY@example.org")


def test_the_invitation_link_opens_sign_up_with_the_email_locked_and_signs_in_without_a_second_check(hosted, client):
    invitation, path = create_invitation("dana@example.org")
    response = client.get(path)
    assert response["Location"] == "/accounts/signup/"
    page = client.get("/accounts/signup/").content.decode()
    assert re.search(r'<input type="email" name="email" value="dana@example.org"[^>]*readonly', page)
    response = sign_up(client, "dana@example.org")
    assert response.status_code == 302 and response["Location"] == "/"
    user = get_user_model().objects.get(email="dana@example.org")
    assert EmailAddress.objects.get(user=user).verified
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    assert mail.outbox == []  # the invitation proved the address
    assert client.get("/").wsgi_request.user == user


def test_the_invited_email_cannot_be_swapped_for_another(hosted, client):
    _invitation, path = create_invitation("dana@example.org")
    client.get(path)
    response = sign_up(client, "mallory@example.org")
    assert response.status_code == 200
    assert "This invitation is for dana@example.org" in response.content.decode()
    assert not get_user_model().objects.filter(email="mallory@example.org").exists()


def test_a_used_invitation_is_refused_with_a_clear_page(hosted, client, django_user_model):
    _invitation, path = create_invitation("dana@example.org")
    client.get(path)
    sign_up(client, "dana@example.org")
    client.logout()
    response = client.get(path)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    # Without a usable invitation in the browser, sign-up is closed.
    assert "Sign-up is by invitation" in client.get("/accounts/signup/").content.decode()
    sign_up(client, "eve@example.org")
    assert not django_user_model.objects.filter(email="eve@example.org").exists()


def test_an_expired_invitation_is_refused_with_its_date(hosted, client):
    invitation, path = create_invitation("dana@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.get(path)
    assert response.status_code == 410
    assert "expired on" in response.content.decode()


def test_an_unknown_or_mangled_link_is_refused_not_an_error(hosted, client):
    for path in ("/accounts/invite/" + "x" * 43 + "/", "/accounts/invite/%C3%A9%00/"):
        response = client.get(path)
        assert response.status_code in (404, 410), path


def test_sign_up_is_closed_without_an_invitation_by_default(hosted, client, django_user_model):
    response = sign_up(client, "walkin@example.org")
    assert not django_user_model.objects.filter(email="walkin@example.org").exists()
    assert "Sign-up is by invitation" in response.content.decode()


def test_open_sign_up_sends_a_verification_email_and_the_link_verifies(hosted, client, django_user_model):
    hosted.GOODWORD_OPEN_SIGNUP = True
    response = sign_up(client, "walkin@example.org")
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    user = django_user_model.objects.get(email="walkin@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body).group(1)
    # Unverified, signing in only sends another verification email.
    login = client.post("/accounts/login/", {"login": "walkin@example.org", "password": NEW_PASSWORD})
    assert login["Location"] == "/accounts/confirm-email/"
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(user=user).verified


def test_local_mode_has_no_sign_up_and_no_invitations(client, db):
    _invitation, path = create_invitation("dana@example.org")
    assert client.get(path).status_code == 404
    assert client.get("/accounts/signup/").status_code in (302, 404)  # no such page: sign-in by link only


def test_cli_invite_prints_the_link_once_and_mails_it(hosted, run):
    result = run("invite", "dana@example.org", "--days", "3")
    assert result.exit_code == 0, result.output
    link = re.search(r"(http://127\.0\.0\.1:8000/accounts/invite/[A-Za-z0-9_-]{43}/)", result.output).group(1)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dana@example.org"]
    assert link in mail.outbox[0].body
    assert link in mail.outbox[0].alternatives[0].content
    assert Invitation.objects.get().token_hash == hash_token(link.rstrip("/").rsplit("/", 1)[1])


def test_cli_invite_refuses_in_local_mode_and_for_a_bad_address(run, hosted):
    hosted.GOODWORD_MODE = "local"
    assert "hosted mode" in run("invite", "dana@example.org").output
    hosted.GOODWORD_MODE = "hosted"
    result = run("invite", "not-an-address")
    assert result.exit_code != 0 and "valid email" in result.output.lower()


def test_staff_invite_from_the_admin_and_see_the_link_once(hosted, client, django_user_model):
    staff = django_user_model.objects.create_superuser("staff", "staff@example.org", PASSWORD)
    client.force_login(staff)
    response = client.post("/admin/accounts/invitation/add/", {"email": "dana@example.org", "days": "7"}, follow=True)
    assert response.status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.invited_by == staff
    assert "/accounts/invite/" in response.content.decode()
    assert len(mail.outbox) == 1 and "Staff" not in mail.outbox[0].subject
    again = client.post("/admin/accounts/invitation/add/", {"email": "staff@example.org", "days": "7"})
    assert again.status_code == 200 and "already has an account" in again.content.decode()


def test_the_sign_in_page_offers_sign_up_only_when_it_is_open(hosted, client):
    page = client.get("/accounts/login/").content.decode()
    assert "made from an invitation link" in page and 'href="/accounts/signup/"' not in page
    hosted.GOODWORD_OPEN_SIGNUP = True
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/signup/"' in page
