"""A private link goes out live in the message, and no copy Goodword keeps holds its token.

After each way of issuing and sending a link (web compose and slate, mark as
sent or the outbox over SMTP, the CLI), every column of every table is read
back and searched for the token.
"""

import datetime as dt
import email
import email.policy
import html
import re
from urllib.parse import unquote, urlsplit

import pytest
from django.db import connection
from django.urls import reverse

from goodword.lib.redact import LINK_MARKER
from goodword.outreach import crypto, outbox
from goodword.outreach.emails import read_draft_file
from goodword.outreach.models import MessageState, OutboxMessage
from goodword.timeline.models import Event
from tests.factories.opportunities import make_interview, make_listing, make_opportunity
from tests.factories.outreach import SmtpSink, make_smtp_settings
from tests.factories.references import make_reference

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://[^\s\"'<>]+/r/([A-Za-z0-9_-]{43})/")


def stored_values():
    """(table, column, value) for every non-null value in the database."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is not None:
                        yield table, column, value


def assert_token_not_stored(token):
    assert len(token) == 43
    looked_at = 0
    for table, column, value in stored_values():
        looked_at += 1
        if isinstance(value, memoryview | bytes | bytearray):
            text = readable(bytes(value))
        else:
            text = str(value)
        assert token not in text and token[:30] not in text, f"{table}.{column} holds the token: {text[:400]}"
    assert looked_at > 50  # the search did read the database


def readable(data: bytes) -> str:
    """Bytes as text, and if they are an email, its decoded parts too (quoted-printable or base64 hide a token)."""
    text = data.decode("latin-1")
    if b"Message-ID:" in data:
        message = email.message_from_bytes(data, policy=email.policy.default)
        text += "".join(part.get_content() for part in message.walk() if part.get_content_maintype() == "text")
    return text


def opens_the_portal(client, url):
    response = client.get(urlsplit(url).path)
    return response.status_code == 200 and "Northwind" in response.content.decode()


@pytest.fixture
def facts(alice, monkeypatch):
    monkeypatch.setattr(outbox, "RETRY_BASE", dt.timedelta(0))
    reference = make_reference(alice, name="Dana Whitfield", emails=["dana@example.com"])
    job = make_opportunity(alice, company="Northwind", role="Platform Engineer", checker_name="Priya Raman",
                           stage="references_requested")
    make_interview(job)
    make_listing(job, reference)
    return reference, job


@pytest.fixture
def sink(alice):
    with SmtpSink() as running:
        make_smtp_settings(alice, running.port)
        yield running.handler


def compose_url(reference, job):
    return reverse("outreach:compose") + f"?kind=heads_up&ref={reference.pk}&job={job.pk}"


def compose_with_link(client, reference, job, key):
    """Press "Add a private portal link": the page's draft now carries a live link."""
    data = {"action": "portal_link", "to_name": "Dana Whitfield", "to_address": "dana@example.com",
            "subject": "Heads-up: Northwind may call", "body": "Hi Dana,\nNorthwind may call you this week.",
            "key": key, "channel": "email"}
    page = client.post(compose_url(reference, job), data).content.decode()
    data["body"] = html.unescape(re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    url = LINK.search(data["body"]).group(0)
    assert url in unquote(page.split('href="mailto:', 1)[1].split('"', 1)[0])  # the mail program gets it
    return data, url


def test_web_compose_marked_as_sent_keeps_only_a_marker(alice_client, facts):
    reference, job = facts
    data, url = compose_with_link(alice_client, reference, job, "k" * 32)
    response = alice_client.post(compose_url(reference, job), data | {"action": "mark_sent"})
    assert response.status_code == 302
    note = Event.objects.get(kind="heads_up").note
    assert LINK_MARKER in note and "Northwind may call you this week." in note
    assert_token_not_stored(LINK.search(url).group(1))
    assert opens_the_portal(alice_client, url)  # what the reference got still works


def test_web_compose_sent_through_the_outbox_delivers_the_live_link_and_stores_none(alice, alice_client, facts, sink):
    reference, job = facts
    data, url = compose_with_link(alice_client, reference, job, "s" * 32)
    token = LINK.search(url).group(1)
    sink.plan = ["451 4.3.0 try again later"]  # the first attempt fails: the link must survive to the retry
    response = alice_client.post(compose_url(reference, job), data | {"action": "send"})
    assert response.status_code == 302
    message = OutboxMessage.objects.get()
    assert LINK_MARKER in message.body_text and LINK_MARKER in message.body_html
    assert crypto.is_sealed(message.mime)
    assert outbox.drain(limit=1) == {"queued": 1}
    assert_token_not_stored(token)  # queued, between attempts
    assert outbox.Worker().drain() == {"sent": 1}  # a new worker, as after a restart
    [delivered] = sink.received
    assert url in delivered.get_body(("plain",)).get_content()
    assert url in delivered.get_body(("html",)).get_content()
    assert opens_the_portal(alice_client, url)
    message.refresh_from_db()
    assert message.state == MessageState.SENT and not crypto.is_sealed(message.mime)
    kept = email.message_from_bytes(bytes(message.mime), policy=email.policy.default)  # what was sent, link redacted
    assert kept["Message-ID"] == delivered["Message-ID"]
    assert LINK_MARKER in kept.get_body(("plain",)).get_content()
    assert LINK_MARKER in message.event.note
    assert_token_not_stored(token)


def test_an_uncertain_message_confirmed_by_hand_is_scrubbed_too(alice, alice_client, facts, sink):
    reference, job = facts
    data, url = compose_with_link(alice_client, reference, job, "u" * 32)
    sink.plan = ["drop"]
    alice_client.post(compose_url(reference, job), data | {"action": "send"})
    assert outbox.drain() == {"uncertain": 1}
    message = OutboxMessage.objects.get()
    assert crypto.is_sealed(message.mime)  # it may be resent, so the link is still kept, sealed
    assert_token_not_stored(LINK.search(url).group(1))
    alice_client.post(message.get_absolute_url(), {"action": "confirm"})
    message.refresh_from_db()
    assert message.state == MessageState.SENT and not crypto.is_sealed(message.mime)
    assert_token_not_stored(LINK.search(url).group(1))
    assert url in sink.received[0].get_body(("plain",)).get_content()


def test_slate_messages_with_links_sent_or_marked_sent_store_none(alice, alice_client, facts, sink):
    from goodword.portal.services import portal_url_for

    reference, job = facts
    other = make_reference(alice, name="Lee Chen", emails=["lee@example.com"])
    listings = {reference.pk: job.listings.get(reference=reference), other.pk: make_listing(job, other)}
    page = reverse("outreach:slate", args=[job.pk]) + "?kind=outcome&tone=friendly"
    urls = {}
    for action in ("mark_sent", "send"):
        for ref in (reference, other):
            urls[(action, ref.pk)] = portal_url_for(listings[ref.pk], base_url="http://testserver/")
        data = {"kind": "outcome", "tone": "friendly", "key": f"slate-{action}-xxxxxxxx", "action": action}
        for ref in (reference, other):
            data |= {f"include-{ref.pk}": "1", f"subject-{ref.pk}": "News",
                     f"body-{ref.pk}": f"Hi {ref.name}, your page: {urls[(action, ref.pk)]}\n"}
        assert alice_client.post(page, data).status_code == 302
    assert outbox.drain() == {"sent": 2}
    delivered = {str(message["To"].addresses[0].addr_spec): message.get_body(("plain",)).get_content()
                 for message in sink.received}
    assert urls[("send", reference.pk)] in delivered["dana@example.com"]
    assert urls[("send", other.pk)] in delivered["lee@example.com"]
    assert opens_the_portal(alice_client, urls[("send", other.pk)])
    for url in urls.values():
        assert_token_not_stored(LINK.search(url).group(1))


def test_cli_portal_link_in_a_draft_file_sent_or_marked_sent_stores_none(alice, client, facts, sink, run, tmp_path):
    for how in ("send", "mark-sent"):
        issued = run("portal", "Northwind", "Dana")
        assert issued.exit_code == 0, issued.output
        url = LINK.search(issued.output).group(0)
        folder = tmp_path / how
        folder.mkdir()
        (folder / "subject.txt").write_text("Heads-up: Northwind may call")
        (folder / "body.txt").write_text(f"Hi {{{{ reference.first_name }}}},\nYour page: {url}\n")
        path = folder / "dana.eml"
        drafted = run("draft", "heads-up", "--ref", "Dana", "--job", "Northwind", "--template", folder, "--out", path)
        assert drafted.exit_code == 0, drafted.output
        assert url in read_draft_file(path.read_bytes())["text"]  # the file the user sends or opens carries the link
        sent = run("send", path) if how == "send" else run("send", path, "--mark-sent")
        assert sent.exit_code == 0, sent.output
        assert_token_not_stored(LINK.search(url).group(1))
        assert opens_the_portal(client, url)
    [delivered] = sink.received
    assert "/r/" in delivered.get_body(("plain",)).get_content()
    assert Event.objects.filter(kind="heads_up").count() == 2
    assert all(LINK_MARKER in event.note for event in Event.objects.filter(kind="heads_up"))


def test_a_sealed_message_whose_secret_key_changed_fails_with_a_clear_reason(alice, facts, sink, settings):
    reference, job = facts
    from goodword.portal.services import portal_url_for

    url = portal_url_for(job.listings.get(), base_url="http://testserver/")
    outbox.queue_message(alice, reference, kind="heads_up", opportunity=job, subject="Hi", text=f"Page: {url}\n")
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert outbox.drain() == {"failed": 1}
    assert "secret key that has changed" in OutboxMessage.objects.get().last_error
    assert sink.received == []


def test_stored_copies_keep_everything_but_the_link():
    from goodword.lib.redact import redact_links

    token = "T" * 43
    text = (f"Page: https://refs.example.org/goodword/r/{token}/ (works on a phone).\n"
            f'<a href="http://127.0.0.1:8000/r/{token}/">http://127.0.0.1:8000/r/{token}/</a>\n'
            f"Calendar: https://refs.example.org/reminders/feed/{token}.ics, and "
            "https://www.reddit.com/r/cscareerquestions/ stays.")
    assert redact_links(text) == (
        f"Page: {LINK_MARKER} (works on a phone).\n"
        f'<a href="{LINK_MARKER}">{LINK_MARKER}</a>\n'
        f"Calendar: {LINK_MARKER}, and https://www.reddit.com/r/cscareerquestions/ stays."
    )
    long_line = "x" * 200_000
    assert redact_links(long_line) == long_line


def test_links_stored_in_clear_by_earlier_versions_are_redacted_by_the_migration(alice, facts, sink):
    import importlib

    from django.apps import apps

    from goodword.portal.services import portal_url_for
    from goodword.timeline.services import log_event

    migration = importlib.import_module("goodword.outreach.migrations.0002_redact_stored_private_links")
    reference, job = facts
    url = portal_url_for(job.listings.get(), base_url="http://testserver/")
    token = LINK.search(url).group(1)
    event = log_event(alice, reference, "note", opportunity=job)
    Event.objects.filter(pk=event.pk).update(note=f"Sent: {url}")
    queued, sent = (outbox.queue_message(alice, reference, kind="heads_up", opportunity=job, subject="Hi",
                                         text=f"Page: {url}\n", idempotency_key=key) for key in ("old-queued", "old-sent"))
    for row, state in ((queued, MessageState.QUEUED), (sent, MessageState.SENT)):
        wire = crypto.unseal(row.mime)
        OutboxMessage.objects.filter(pk=row.pk).update(
            state=state, body_text=f"Page: {url}\n", body_html=f'<a href="{url}">{url}</a>', mime=wire,
            last_error=f"550 blocked {url}",
        )
    migration.redact_stored_links(apps, None)
    assert_token_not_stored(token)
    assert Event.objects.get(pk=event.pk).note == f"Sent: {LINK_MARKER}"
    assert outbox.drain() == {"sent": 1}  # the queued one still goes out, with the live link
    assert url in sink.received[0].get_body(("plain",)).get_content()
    assert_token_not_stored(token)
