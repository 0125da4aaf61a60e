"""Hosted sign-in: email and password, login by emailed code, rate limits per account and per client
address (a forged X-Forwarded-For changes nothing), TOTP two-factor with recovery codes, sessions."""

import re
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal import auth as totp
from allauth.usersessions.models import UserSession
from django.core import mail
from django.test import Client

from tests.factories.hosted import PASSWORD, hosted, make_account  # noqa: F401


def log_in(client, email, password=PASSWORD, **headers):
    return client.post("/accounts/login/", {"login": email, "password": password}, **headers)


def signed_in(client) -> bool:
    return client.get("/accounts/account/").status_code == 200


def test_email_and_password_sign_in_and_out(hosted, client):
    user = make_account("casey@example.org")
    response = log_in(client, "CASEY@example.org")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").wsgi_request.user == user
    client.post("/accounts/logout/")
    assert not signed_in(client)


def test_a_wrong_password_is_refused_without_saying_whether_the_account_exists(hosted, client):
    make_account("casey@example.org")
    wrong = log_in(client, "casey@example.org", "not it").content.decode()
    unknown = log_in(client, "nobody@example.org", "not it").content.decode()
    assert "not correct" in wrong and "not correct" in unknown
    assert not signed_in(client)


def test_wrong_passwords_lock_the_account_even_against_the_right_one(hosted):
    make_account("casey@example.org")
    for n in range(5):
        # From five addresses: the limit per account holds whoever guesses.
        log_in(Client(REMOTE_ADDR=f"198.51.100.{n}"), "casey@example.org", "guess")
    client = Client(REMOTE_ADDR="198.51.100.77")
    response = log_in(client, "casey@example.org")
    assert "Too many failed login attempts" in response.content.decode()
    assert not signed_in(client)


def test_one_client_address_is_stopped_after_ten_misses_across_accounts(hosted):
    for n in range(11):
        make_account(f"user{n}@example.org")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(10):
        # A forged X-Forwarded-For, new each time, is not the client address.
        log_in(attacker, f"user{n}@example.org", "guess", HTTP_X_FORWARDED_FOR=f"10.0.{n}.1")
    blocked = log_in(attacker, "user10@example.org", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert blocked.status_code == 429 or "Too many failed login attempts" in blocked.content.decode()
    assert not signed_in(attacker)
    # Someone else, from another address, signs in to that account at once.
    other = Client(REMOTE_ADDR="192.0.2.44")
    assert log_in(other, "user10@example.org").status_code == 302
    assert signed_in(other)


def test_login_by_emailed_code(hosted, client):
    user = make_account("casey@example.org")
    response = client.post("/accounts/login/code/", {"email": "casey@example.org"})
    assert response.status_code == 302
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, flags=re.MULTILINE).group(1)
    confirm = client.post(response["Location"], {"code": code})
    assert confirm.status_code == 302
    assert client.get("/").wsgi_request.user == user


def current_code(secret, offset_periods=0):
    counter = int(time.time()) // 30 + offset_periods
    return totp.format_hotp_value(totp.hotp_value(secret, counter))


def enrol_totp(client) -> str:
    # A sensitive change asks for the password again first.
    asked = client.get("/accounts/2fa/totp/activate/")
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    assert client.post(asked["Location"], {"password": PASSWORD})["Location"] == "/accounts/2fa/totp/activate/"
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session[totp.SECRET_SESSION_KEY]
    assert secret in page.content.decode()  # shown for typing into an app, beside the QR code
    assert client.post("/accounts/2fa/totp/activate/", {"code": "000000" if current_code(secret) != "000000"
                                                        else "111111"}).status_code == 200  # a wrong code
    response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    return secret


def test_totp_enrolment_then_sign_in_asks_for_the_code(hosted, client, monkeypatch):
    user = make_account("casey@example.org")
    log_in(client, "casey@example.org")
    secret = enrol_totp(client)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert "on, with an authenticator app" in client.get("/accounts/account/").content.decode()
    client.post("/accounts/logout/")

    response = log_in(client, "casey@example.org")
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not signed_in(client)  # the password alone is not enough
    assert client.post("/accounts/2fa/authenticate/", {"code": "12345"}).status_code == 200
    # Thirty seconds on, the app shows the next code (a code is accepted once).
    later, next_code = time.time() + 30, current_code(secret, 1)
    monkeypatch.setattr(totp.time, "time", lambda: later)
    response = client.post("/accounts/2fa/authenticate/", {"code": next_code})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == user


def test_a_recovery_code_signs_in_once(hosted, client):
    user = make_account("casey@example.org")
    log_in(client, "casey@example.org")
    enrol_totp(client)
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    code = RecoveryCodes(recovery).get_unused_codes()[0]
    for attempt in ("first", "second"):
        fresh = Client(REMOTE_ADDR="192.0.2.10")
        log_in(fresh, "casey@example.org")
        response = fresh.post("/accounts/2fa/authenticate/", {"code": code})
        assert (response.status_code == 302) == (attempt == "first")


def test_sessions_are_listed_and_signing_out_the_others_ends_them(hosted):
    user = make_account("casey@example.org")
    laptop, phone = Client(REMOTE_ADDR="192.0.2.1", HTTP_USER_AGENT="Laptop"), \
        Client(REMOTE_ADDR="192.0.2.2", HTTP_USER_AGENT="Phone")
    log_in(laptop, "casey@example.org")
    log_in(phone, "casey@example.org")
    assert UserSession.objects.filter(user=user).count() == 2
    page = laptop.get("/accounts/sessions/").content.decode()
    assert "192.0.2.1" in page and "192.0.2.2" in page
    response = laptop.post("/accounts/sessions/", {"action": "sign_out_others"})
    assert response.status_code == 302
    assert signed_in(laptop) and not signed_in(phone)
    assert list(UserSession.objects.filter(user=user).values_list("ip", flat=True)) == ["192.0.2.1"]


def test_the_session_list_records_the_socket_peer_not_a_forged_forwarded_header(hosted):
    user = make_account("casey@example.org")
    client = Client(REMOTE_ADDR="192.0.2.5")
    log_in(client, "casey@example.org", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert UserSession.objects.get(user=user).ip == "192.0.2.5"


def test_staff_sign_in_to_the_admin_through_the_rate_limited_form(hosted, client, django_user_model):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    staff = make_account("staff@example.org")
    staff.is_staff = staff.is_superuser = True
    staff.save()
    assert log_in(client, "staff@example.org").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_past_the_limit_per_address_the_sign_in_page_answers_429_with_a_plain_explanation(hosted):
    client = Client(REMOTE_ADDR="203.0.113.50")
    responses = [log_in(client, f"user{n}@example.org", "guess") for n in range(31)]
    assert [r.status_code for r in responses[:10]] == [200] * 10
    page = responses[-1]
    assert page.status_code == 429
    assert "Too many attempts from here" in page.content.decode()
    assert '<a class="skip-link"' in page.content.decode()  # the app's own layout
