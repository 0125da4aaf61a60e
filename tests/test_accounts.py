import datetime as dt
import http.cookiejar
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from goodword.accounts.models import LoginToken
from goodword.accounts.services import issue_login_token, local_user
from tests.factories.accounts import give_name

GOODWORD = Path(sys.executable).with_name("goodword")


@pytest.mark.django_db
def test_login_link_signs_the_browser_in_once(client):
    token = issue_login_token(give_name(local_user()))
    first = client.get(reverse("accounts:token_login", args=[token]))
    assert first.status_code == 302 and first.url == reverse("core:home")
    assert client.get(reverse("core:home")).status_code == 200

    client.logout()
    again = client.get(reverse("accounts:token_login", args=[token]))
    assert again.status_code == 410
    assert b"goodword serve" in again.content


@pytest.mark.django_db
def test_stale_login_link_no_longer_works(client):
    token = issue_login_token(local_user())
    LoginToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(reverse("accounts:token_login", args=[token])).status_code == 410
    assert client.get(reverse("core:home")).status_code == 302


@pytest.mark.django_db
def test_only_the_hash_of_a_login_token_is_stored():
    token = issue_login_token(local_user())
    assert not LoginToken.objects.filter(token_hash=token).exists()
    assert LoginToken.objects.count() == 1


@pytest.mark.django_db
def test_forged_login_link_is_refused(client):
    issue_login_token(local_user())
    assert client.get(reverse("accounts:token_login", args=["not-a-real-token"])).status_code == 410


@pytest.mark.django_db
def test_pages_need_a_signed_in_user(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_serve_prints_a_one_time_link_that_signs_a_browser_in(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOODWORD_", "DJANGO_"))}
    env["GOODWORD_HOME"] = str(tmp_path)
    server = subprocess.Popen(
        [str(GOODWORD), "serve", "--no-browser", "--port", "0"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        link = None
        for line in server.stdout:
            found = re.search(r"(http://127\.0\.0\.1:\d+/accounts/link/\S+/)", line)
            if found:
                link = found.group(1)
                break
        assert link, "serve printed no sign-in link"
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with browser.open(link, timeout=10) as page:
            assert page.status == 200
            # A fresh account is asked who it is first, then goes on to the dashboard.
            assert page.url.endswith("/accounts/profile/?next=%2F")
            assert page.headers["Server"] == "goodword"  # waitress with our ident, not runserver
            content = page.read()
            assert b"Sign out" in content and b"Tell us who you are" in content
        with pytest.raises(urllib.error.HTTPError) as used:
            urllib.request.urlopen(link, timeout=10)
        assert used.value.code == 410
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert (tmp_path / "goodword.sqlite3").exists()
