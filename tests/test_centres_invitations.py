"""A centre's invitation end to end (hosted mode): the admin invites, the mail carries a single-use
sign-up link, and the account made through it (or an account that signs in with the address
verified) takes its seat."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError

from goodword.accounts.models import Invitation
from goodword.centres import services
from goodword.centres.models import Membership, Seat
from goodword.lib.config import parse_smtp_url
from tests.factories.centres import make_centre
from tests.factories.outreach import SmtpSink
from tests.factories.hosted import PASSWORD, hosted, make_account  # noqa: F401

NEW_PASSWORD = "Zq8!long-passphrase"


@pytest.fixture
def centre(hosted):
    return make_centre()


def test_an_invited_coach_signs_up_from_the_mailed_link_and_holds_the_seat(centre, client):
    admin = make_account("ada@example.org")
    services.add_member(centre, admin, "admin")
    services.invite(centre, "Dana@Example.org", "coach", admin)

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["dana@example.org"]
    path = re.search(r"https?://[^/\s]+(/accounts/invite/[\w-]+/)", mail.outbox[0].body).group(1)
    assert client.get(path)["Location"] == "/accounts/signup/"
    client.post("/accounts/signup/", {"email": "dana@example.org", "password1": NEW_PASSWORD,
                                      "password2": NEW_PASSWORD})

    dana = get_user_model().objects.get(email="dana@example.org")
    assert Membership.objects.filter(centre=centre, user=dana, role="coach").exists()
    assert not Seat.objects.filter(centre=centre).exists()
    assert Invitation.objects.get(email="dana@example.org").accepted_by == dana


def test_a_seat_waiting_for_an_existing_account_is_taken_when_it_signs_in(centre, client):
    casey = make_account("casey@example.org")
    Seat.objects.create(centre=centre, email="casey@example.org", role="candidate")
    response = client.post("/accounts/login/", {"login": "casey@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert Membership.objects.filter(centre=centre, user=casey, role="candidate").exists()


def test_an_invitation_that_cannot_be_mailed_keeps_nothing(centre, hosted):
    with SmtpSink() as sink:
        port = sink.port  # closed again: nothing listens there now
    hosted.MAILERS = {"default": parse_smtp_url(f"smtp://127.0.0.1:{port}?starttls=false")}
    with pytest.raises(ValidationError, match="could not be mailed"):
        services.invite(centre, "dana@example.org", "candidate", None)
    assert not Seat.objects.exists() and not Invitation.objects.exists()


def test_the_mailed_link_starts_with_the_instance_address_browsers_use(centre, hosted):
    hosted.GOODWORD_PUBLIC_URL = None
    hosted.CSRF_TRUSTED_ORIGINS = ["https://refs.example.org"]
    services.invite(centre, "dana@example.org", "candidate", None)
    assert "https://refs.example.org/accounts/invite/" in mail.outbox[0].body
