"""No request of any shape answers 500: every URL pattern, as owner, other user and anonymous.

Deterministic fuzzing (a seeded random generator, so a failure reproduces):
each URL pattern of the resolver is filled with the owner's own id or token,
another user's, 0, a huge number and non-ASCII text; each is requested with
GET and POST, with every form field and query parameter the app knows
missing, empty, oversized, non-ASCII, with control characters, negative,
huge or malformed, and with malformed htmx headers. Form fields are gathered
by crawling the owner's pages (what a browser would submit), plus the names
the views read from request.GET / request.POST.
"""

from __future__ import annotations

import random
import re
import socket
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

import goodword
from goodword.accounts.services import issue_login_token
from goodword.api import services as api_services
from goodword.outreach import outbox
from goodword.portal import services as portal_services
from goodword.reminders import services as reminder_services
from goodword.webhooks import services as webhook_services
from tests.factories.opportunities import make_interview, make_listing, make_opportunity
from tests.factories.outreach import make_smtp_settings
from tests.factories.references import make_reference
from tests.factories.timeline import make_event

FUZZ_VALUES = {
    "empty": "",
    "oversized": "x" * 100_000,
    "non_ascii": "Zoë ²³ ٣ 日本 \U0001f600",
    "nul": "a\x00b",
    "line_breaks": "a\x0bb\x0cc\x85d\u2028e\r\nf",
    "unicode_digits": "²³",
    "arabic_digits": "٣٤",
    "long": "a" * 290 + "@example.com",
    "negative": "-1",
    "huge": str(10**30),
    "bad_date": "2026-02-30",
    "far_future": "9999-12-31 23:59",
    "ancient": "0001-01-01 00:00",
    "far_future_local": "9999-12-31T23:59",
    "ancient_local": "0001-01-01T00:00",
    "not_a_number": "nan",
    "markup": "<script>{{ x }}{% y %}</script>'\"",
}
ONE_FIELD_VALUES = ["nul", "line_breaks", "oversized", "huge", "far_future_local", "ancient", "unicode_digits", "long"]
OVERSIZED_FIELDS_PER_REQUEST = 20  # 20 x 100 kB stays under Django's 2.5 MB request body limit
RANDOM_POSTS = 4  # per page: plausible form data with a random third of the fields fuzzed

HTMX_HEADERS = [
    {"HTTP_HX_REQUEST": "true"},
    {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://[::1", "HTTP_HX_TARGET": "\x7f<>garbage"},
    {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "/due/?all=%ff%00\u2028", "HTTP_HX_TARGET": "hidden-debts",
     "HTTP_HX_TRIGGER": "x" * 5000},
    {"HTTP_HX_REQUEST": "garbage", "HTTP_HX_CURRENT_URL": "javascript:alert(1)", "HTTP_HX_BOOSTED": "maybe"},
]

# Names views read straight from the request, beyond their forms.
READ_FROM_REQUEST = re.compile(r"""(?:request\.(?:GET|POST)\.(?:get|getlist)|_param|_int_param|_id_param)\(\s*(?:request,\s*)?["'](\w+)["']""")
EXTRA_NAMES = {"next", "page", "q", "all", "done", "form", "action", "ref", "job", "kind", "tone", "stage", "state"}


class _FormFields(HTMLParser):
    """The name=value pairs a browser would submit for the forms of one page (first value per name)."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.values: dict[str, str] = {}
        self.by_target: dict[str, dict[str, str]] = {}  # the path a form posts to -> its fields
        self._select = self._textarea = None
        self._target = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("hx-post") or attrs.get("action") or ""
            target = urlsplit(urljoin(self.page_url, action))
            self._target = target.path + (f"?{target.query}" if target.query else "")
            self.by_target.setdefault(self._target, {})
        self._handle_field(tag, attrs)
        if self._target and attrs.get("name") in self.values:
            self.by_target[self._target].setdefault(attrs["name"], self.values[attrs["name"]])

    def _handle_field(self, tag, attrs):
        name = attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs or name not in self.values:
                    self.values.setdefault(name, attrs.get("value", "on"))
            else:
                self.values.setdefault(name, attrs.get("value") or "")
        elif tag == "button" and name:
            self.values.setdefault(name, attrs.get("value", ""))  # the first submit button is the one pressed
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            if self._select not in self.values or "selected" in attrs:
                self.values[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.setdefault(name, "")

    def handle_data(self, data):
        if self._textarea and not self.values[self._textarea]:
            self.values[self._textarea] = data

    def handle_endtag(self, tag):
        if tag == "form":
            self._target = None
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def url_patterns(resolver=None, prefix="", namespace=""):
    """(route template with <name> placeholders, full url name) for every pattern."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if isinstance(pattern, RegexPattern):
            route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", pattern._regex).lstrip("^").rstrip("$").replace("\\Z", "")
            route = route.replace("\\", "")
        else:
            route = re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", str(pattern._route))
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            yield from url_patterns(entry, prefix + route, inner)
        elif isinstance(entry, URLPattern):
            yield prefix + route, f"{namespace}:{entry.name}".strip(":")


@pytest.fixture
def world(alice, bob, monkeypatch):
    """Owned objects of every kind for alice and for bob, and the ids and tokens that reach them."""
    # Nothing leaves this machine: a fuzzed SMTP host or address never resolves.
    def no_lookup(*args, **kwargs):
        raise socket.gaierror("no name lookups in the fuzz test")

    monkeypatch.setattr(socket, "getaddrinfo", no_lookup)
    # Past the miss limit the portal answers 429 before reading anything; keep it reading.
    monkeypatch.setattr(portal_services, "MISS_LIMIT", 10**9)
    objects = {}
    for user in (alice, bob):
        reference = make_reference(user, name=f"Dana of {user.username}", emails=[f"dana.{user.username}@example.com"])
        job = make_opportunity(user, company=f"Northwind of {user.username}", role="Platform Engineer",
                               checker_name="Priya Raman", stage="references_requested")
        interview = make_interview(job)
        listing = make_listing(job, reference)
        event = make_event(reference, "note", note="Met for coffee")
        make_smtp_settings(user, 2525)
        message = outbox.queue_message(user, reference, kind="keep_in_touch", subject="Hello", text="Hello\n")
        _link, portal_token = portal_services.issue_link(listing, None)
        webhook, _secret = webhook_services.create_endpoint(user, f"https://hooks.example.org/{user.username}",
                                                            ["debt.critical", "sheet.opened"])
        webhook_services.send_test(user, webhook.pk)
        api_token, _clear = api_services.create_token(user, "fuzz")
        objects[user.username] = {
            "reference": reference.pk, "opportunity": job.pk, "interview": interview.pk, "listing": listing.pk,
            "event": event.pk, "message": message.pk, "portal": portal_token,
            "feed": reminder_services.issue_feed_token(user), "login": issue_login_token(user),
            "kind": "thanks", "tone": "formal", "webhook": webhook.pk, "token": api_token.pk,
            "key": f"no_heads_up:{reference.pk}:{job.pk}",
        }
    return objects


# Which owned object a URL's placeholder names, by url name (default: a reference id).
OBJECT_OF = {
    "opportunities:detail": "opportunity", "opportunities:edit": "opportunity", "opportunities:delete": "opportunity",
    "opportunities:stage": "opportunity", "opportunities:interview_create": "opportunity",
    "opportunities:slate_add": "opportunity", "outreach:slate": "opportunity",
    "opportunities:interview_edit": "interview", "opportunities:interview_delete": "interview",
    "opportunities:slate_remove": "listing", "opportunities:slate_move": "listing", "portal:manage": "listing",
    "timeline:delete": "event", "outreach:message": "message",
    "portal:page": "portal", "reminders:feed": "feed", "accounts:token_login": "login",
    "webhooks:endpoint": "webhook", "webhooks:remove": "webhook", "webhooks:active": "webhook", "webhooks:test": "webhook",
    "api:token_revoke": "token",
}
# The API's routes name their object in the placeholder (/api/v1/listings/<listing_id>/…).
OBJECT_OF_PLACEHOLDER = {
    "reference_id": "reference", "opportunity_id": "opportunity", "interview_id": "interview",
    "listing_id": "listing", "event_id": "event", "message_id": "message", "token_id": "token", "key": "key",
}


def fill(route: str, name: str, owned: dict) -> dict[str, str]:
    """label -> URL: the route filled with an owned value, another user's, and hostile ones."""
    placeholders = re.findall(r"<(\w+)>", route)
    if not placeholders:
        return {"plain": "/" + route}

    def with_value(pick):
        path = route
        for placeholder in placeholders:
            path = path.replace(f"<{placeholder}>", quote(str(pick(placeholder)), safe=""), 1)
        return "/" + path

    def owned_value(who):
        def pick(placeholder):
            if placeholder in ("kind", "tone"):
                return owned[who][placeholder]
            if placeholder in OBJECT_OF_PLACEHOLDER and name not in OBJECT_OF:
                return owned[who][OBJECT_OF_PLACEHOLDER[placeholder]]
            return owned[who][OBJECT_OF.get(name, "reference")]
        return pick

    return {
        "own": with_value(owned_value("alice")),
        "other": with_value(owned_value("bob")),
        "zero": with_value(lambda _: "0"),
        "huge": with_value(lambda _: str(10**30)),
        "non_ascii": with_value(lambda _: "²٣é"),
        "control": with_value(lambda _: "a\x00\u2028"),
        "long": with_value(lambda _: "9" * 3000),
    }


def field_names() -> set[str]:
    names = set(EXTRA_NAMES)
    for source in Path(goodword.__file__).parent.rglob("*.py"):
        names.update(READ_FROM_REQUEST.findall(source.read_text()))
    return names


class Fuzzer:
    def __init__(self, world):
        self.world = world
        self.requests = 0
        self.failures: list[str] = []
        self.clients = {"anonymous": Client(raise_request_exception=False)}
        from django.contrib.auth import get_user_model

        self.users = {username: get_user_model().objects.get(username=username) for username in ("alice", "bob")}
        for username, user in self.users.items():
            client = Client(raise_request_exception=False)
            client.force_login(user)
            self.clients[username] = client
        self._last_exception = None
        got_request_exception.connect(self._record)

    def close(self):
        got_request_exception.disconnect(self._record)

    def _record(self, sender, request=None, **kwargs):
        import sys

        self._last_exception = sys.exc_info()[1]

    def request(self, who, method, url, data=None, **headers):
        self.requests += 1
        self._last_exception = None
        client = self.clients[who]
        if url.startswith("/accounts/"):
            # Sign-in links and sign-out change who the client is: use a throwaway copy.
            fresh = Client(raise_request_exception=False)
            if who != "anonymous":
                fresh.force_login(self.users[who])
            client = fresh
        if method == "GET":
            response = client.get(url, data or {}, **headers)
        else:
            response = client.post(url, data or {}, **headers)
        if response.status_code >= 500:
            error = self._last_exception
            detail = f"{type(error).__name__}: {str(error)[:160]}" if error else ""
            shown = {key: value[:30] for key, value in (data or {}).items()}
            self.failures.append(f"{response.status_code} {who} {method} {url[:120]} {headers} {shown!r:.300} {detail}")
        return response


@pytest.fixture
def fuzzer(world, db):
    import logging

    quiet = logging.getLogger("django.request"), logging.getLogger("django.security")
    levels = [logger.level for logger in quiet]
    for logger in quiet:
        logger.setLevel(logging.CRITICAL + 1)  # thousands of expected 404s and 400s
    fuzzer = Fuzzer(world)
    yield fuzzer
    fuzzer.close()
    for logger, level in zip(quiet, levels):
        logger.setLevel(level)


def crawl_baselines(fuzzer, urls) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    """(url -> the form data its page offers, path -> the fields of a form that posts there), as alice."""
    baselines, targets = {}, {}
    for url in urls:
        response = fuzzer.request("alice", "GET", url)
        parser = _FormFields(url)
        if response.get("Content-Type", "").startswith("text/html"):
            parser.feed(response.content.decode(errors="replace"))
        baselines[url] = parser.values
        for target, fields in parser.by_target.items():
            targets.setdefault(target, {}).update({k: v for k, v in fields.items() if k not in targets.get(target, {})})
    return baselines, targets


def fuzzed_forms(names: list[str], baseline: dict[str, str], seed: str):
    """Form data variants: each fuzz value in every field at once, then random mixes over plausible data."""
    for label, value in FUZZ_VALUES.items():
        if label == "oversized":
            for start in range(0, len(names), OVERSIZED_FIELDS_PER_REQUEST):
                chunk = names[start:start + OVERSIZED_FIELDS_PER_REQUEST]
                yield label, {**baseline, **{name: value for name in chunk}}
        else:
            yield label, {name: value for name in names}
    generator = random.Random(seed)
    small = [value for label, value in FUZZ_VALUES.items() if label != "oversized"]
    for _ in range(RANDOM_POSTS):
        data = dict(baseline)
        for name in names:
            if generator.random() < 0.33:
                data[name] = generator.choice(small)
            elif generator.random() < 0.2:
                data.pop(name, None)  # missing
        yield "mixed", data


def run_fuzz(fuzzer, world):
    patterns = [(route, name) for route, name in url_patterns() if not route.startswith("admin/")]
    admin = [(route, name) for route, name in url_patterns() if route.startswith("admin/")]
    names = sorted(field_names())
    owned_urls = {name: fill(route, name, world) for route, name in patterns}
    own_pages = [urls.get("own") or urls["plain"] for urls in owned_urls.values()]
    # Pages whose forms depend on the query: a draft exists only for a kind that fits the job.
    ref, job = world["alice"]["reference"], world["alice"]["opportunity"]
    own_pages += [f"/outreach/compose/?kind=heads_up&ref={ref}&job={job}", f"/outreach/jobs/{job}/slate/?kind=heads_up",
                  f"/outreach/compose/?kind=thanks&ref={ref}", "/due/?all=1"]
    baselines, targets = crawl_baselines(fuzzer, [url for url in own_pages if "token_login" not in url and "/link/" not in url])
    everything = {}
    for values in baselines.values():
        for key, value in values.items():
            everything.setdefault(key, value)
    all_names = sorted(set(names) | set(everything))
    # The owner on their own pages: each hostile value in one field of a real form at a time...
    for url in own_pages:
        form = targets.get(url, {})
        for name in form:
            for label in ONE_FIELD_VALUES:
                fuzzer.request("alice", "POST", url, {**form, name: FUZZ_VALUES[label]})
    # ...then the full matrix.
    for url in own_pages:
        baseline = {**everything, **baselines.get(url, {}), **targets.get(url, {})}
        for label, data in fuzzed_forms(all_names, baseline, seed=url):
            fuzzer.request("alice", "POST", url, data)
            if label != "oversized":
                fuzzer.request("alice", "GET", url, {name: data[name] for name in names if name in data})
        for headers in HTMX_HEADERS:
            fuzzer.request("alice", "GET", url, **headers)
            fuzzer.request("alice", "POST", url, baseline, **headers)
    # Whatever the fuzzing stored, every page still reads it.
    for url in own_pages:
        for headers in ({}, HTMX_HEADERS[0]):
            fuzzer.request("alice", "GET", url, **headers)
    # Everyone on every filled variant: plain, plausible and hostile requests.
    for name, urls in owned_urls.items():
        for label, url in urls.items():
            for who in ("alice", "bob", "anonymous"):
                if who == "alice" and label in ("own", "plain"):
                    continue
                fuzzer.request(who, "GET", url)
                fuzzer.request(who, "POST", url, {**everything, **baselines.get(urls.get("own", url), {})})
                fuzzer.request(who, "POST", url, {name: "a\x00\u2028" for name in all_names})
                fuzzer.request(who, "GET", url, **HTMX_HEADERS[1])
    # The admin: nobody here is staff, so it must refuse cleanly whatever it is given.
    for route, name in admin:
        for url in fill(route, name, world).values():
            for who in ("alice", "anonymous"):
                fuzzer.request(who, "GET", url, {"q": "a\x00", "o": "-1"})
                fuzzer.request(who, "POST", url, {"username": "\x00", "password": "x" * 1000})


def test_no_request_of_any_shape_answers_500(fuzzer, world):
    run_fuzz(fuzzer, world)
    print(f"\n{fuzzer.requests} fuzzed requests, {len(fuzzer.failures)} answered 500")
    assert fuzzer.requests > 3000
    assert not fuzzer.failures, f"{len(fuzzer.failures)} of {fuzzer.requests} requests answered 500:\n" + "\n".join(
        sorted(set(fuzzer.failures))[:60])


def test_every_pattern_of_the_app_is_covered():
    names = {name for _route, name in url_patterns()}
    assert {"portal:page", "reminders:feed", "outreach:outbox", "courtesy:settle", "portal:notices_read"} <= names
    assert {"api:openapi-json", "api:openapi-view", "api:tokens", "api:list_references", "api:settle_debt"} <= names
