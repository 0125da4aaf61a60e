"""Password reset by email, through a real SMTP server on loopback (aiosmtpd) and the instance's mailer."""

import re

from django.test import Client

from goodword.lib.config import parse_smtp_url
from tests.factories.hosted import hosted, make_account  # noqa: F401
from tests.factories.outreach import SmtpSink

NEW_PASSWORD = "Tq7!another-long-one"


def test_password_reset_link_arrives_by_smtp_and_sets_a_new_password(hosted, client):
    user = make_account("casey@example.org")
    with SmtpSink() as sink:
        hosted.MAILERS = {"default": parse_smtp_url(f"smtp://127.0.0.1:{sink.port}?starttls=false")}
        response = client.post("/accounts/password/reset/", {"email": "casey@example.org"})
        assert response.status_code == 302
        assert sink.handler.wait_for(1)
        run_the_reset(client, user, sink)


def run_the_reset(client, user, sink):
    message = sink.handler.received[0]
    assert message["To"] == "casey@example.org"
    assert sink.handler.envelopes[0][1] == ["casey@example.org"]
    body = message.get_body(("plain",)).get_content()
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", body).group(1)

    page = client.get(link)  # allauth moves the key into the session and out of the address bar
    assert page.status_code == 302
    form_url = page["Location"]
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert Client().post("/accounts/login/", {"login": "casey@example.org", "password": NEW_PASSWORD}).status_code == 302
    # The link is single-use.
    again = client.get(link, follow=True)
    assert "invalid" in again.content.decode().lower()
    # And the account's owner is told that the password changed.
    assert sink.handler.wait_for(2)
    assert "password" in sink.handler.received[1]["Subject"].lower()


def test_a_mail_server_that_is_down_does_not_break_the_reset_page(hosted, client, caplog):
    make_account("casey@example.org")
    with SmtpSink() as sink:
        port = sink.port
    hosted.MAILERS = {"default": parse_smtp_url(f"smtp://127.0.0.1:{port}?starttls=false")}
    response = client.post("/accounts/password/reset/", {"email": "casey@example.org"})
    assert response.status_code == 302
    assert "could not send" in caplog.text and "casey@example.org" not in caplog.text


def test_a_reset_for_an_unknown_address_says_the_same_and_sends_nothing_that_helps_guessing(hosted, client):
    with SmtpSink() as sink:
        hosted.MAILERS = {"default": parse_smtp_url(f"smtp://127.0.0.1:{sink.port}?starttls=false")}
        response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
        assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/done/"
        sink.handler.wait_for(1, timeout=2)
    # allauth tells an unknown address that it has no account (enumeration prevention), never a reset link.
    assert all("/accounts/password/reset/key/" not in m.get_body(("plain",)).get_content()
               for m in sink.handler.received)
