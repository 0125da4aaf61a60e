"""Hosted mode's account pages (allauth's and ours) never answer 500, whatever they are sent.

tests/test_fuzz_web.py runs in local mode, where these pages are not mounted;
this covers them with the same hostile values, anonymous and signed in.
"""

import re
from urllib.parse import quote

from django.test import Client
from django.urls import get_resolver

from tests.factories.hosted import PASSWORD, hosted, make_account  # noqa: F401
from tests.test_fuzz_web import FUZZ_VALUES, url_patterns

FIELDS = ["login", "password", "email", "password1", "password2", "oldpassword", "code", "key", "action",
          "next", "remember", "session", "days", "confirm", "email2", "reauthenticated"]

PLACEHOLDER_VALUES = ["x", "²٣é", "9" * 3000, "a\u2028", "1-set-password"]
FIELD_VALUES = ["empty", "non_ascii", "nul", "line_breaks", "long", "huge", "markup"]


def test_no_account_page_answers_500(hosted):
    make_account("casey@example.org")
    patterns = [(route, name) for route, name in url_patterns(get_resolver("goodword.urls_hosted"))
                if route.startswith("accounts/")]
    assert len(patterns) > 25
    failures, addresses = [], 0
    for who in ("anonymous", "casey"):
        for route, name in patterns:
            fillings = PLACEHOLDER_VALUES if "<" in route else ["x"]
            for value in fillings:
                url = "/" + re.sub(r"<\w+>", quote(value, safe=""), route)
                # A fresh address each time, so sign-in's own rate limit leaves casey signed in.
                addresses += 1
                client = Client(raise_request_exception=False, REMOTE_ADDR=f"10.1.{addresses // 250}.{addresses % 250}")
                if who == "casey":
                    client.post("/accounts/login/", {"login": "casey@example.org", "password": PASSWORD})
                for fuzz_label in FIELD_VALUES:
                    fuzz = FUZZ_VALUES[fuzz_label]
                    for response in (client.get(url, {field: fuzz for field in FIELDS}),
                                     client.post(url, {field: fuzz for field in FIELDS})):
                        if response.status_code >= 500:
                            failures.append(f"{who} {name} {url[:80]} {fuzz_label}: {response.status_code}")
    assert not failures, "\n".join(sorted(set(failures))[:40])
