"""The 500s and crashes an outside attack run found (issue 10, items 5 to 11), each pinned down."""

import datetime as dt

import pytest
from click.testing import CliRunner
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goodword.cli import main
from goodword.opportunities.models import Interview
from goodword.outreach import emails, outbox
from goodword.outreach.models import OutboxMessage
from goodword.reminders import services as reminder_services
from goodword.timeline.models import Event
from tests.factories.courtesy import courtesy_settings
from tests.factories.opportunities import make_interview, make_opportunity
from tests.factories.outreach import make_smtp_settings
from tests.factories.portal import make_portal_setup, nonce_from, page_url
from tests.factories.references import make_reference
from tests.factories.timeline import make_event


def unraised(user=None):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


# ---------------------------------------------------------------- 5. the portal's contact form


@pytest.mark.parametrize("email", ["a" * 288 + "@example.com", "b" * 250 + "@example.com"])
def test_portal_contact_form_with_an_overlong_email_answers_with_a_message(alice, email):
    _listing, token = make_portal_setup(alice)
    client = unraised()
    page = client.get(page_url(token))
    response = client.post(page_url(token), {"form": "contact", "nonce": nonce_from(page, "contact"), "email": email})
    assert response.status_code == 400
    assert "email" in response.content.decode().lower()


def test_portal_contact_form_with_a_reference_holding_ten_emails_keeps_the_new_one_first(alice):
    reference = make_reference(alice, emails=[f"old{number}@example.com" for number in range(10)])
    _listing, token = make_portal_setup(alice, reference=reference)
    client = unraised()
    page = client.get(page_url(token))
    response = client.post(page_url(token), {"form": "contact", "nonce": nonce_from(page, "contact"),
                                             "email": "new@example.com"})
    assert response.status_code == 302
    reference.refresh_from_db()
    assert reference.emails[0] == "new@example.com" and len(reference.emails) == 10


# ---------------------------------------------------------------- 6. every `next`


@pytest.mark.parametrize(("target", "followed"), [
    ("x", False), ("-1", False), ("courtesy:ledger", False), ("//evil.example/", False), ("https://evil.example/", False),
    ("/ok\x1b", False), ("0001-01-01 00:00", False), ("Zoë", False), ("/due/\u2028", False),
    ("/jobs/?stage=applied", True),
])
@pytest.mark.parametrize("url", ["portal:notices_read", "courtesy:dismiss", "courtesy:settle", "courtesy:snooze"])
def test_next_is_followed_only_when_it_is_a_local_path(alice, url, target, followed):
    # No key: the form is invalid, and the view goes straight back to `next` with the message.
    response = unraised(alice).post(reverse(url), {"next": target})
    assert response.status_code == 302
    fallback = "/" if url == "portal:notices_read" else reverse("courtesy:ledger")
    assert response["Location"] == (target if followed else fallback)


# ---------------------------------------------------------------- 7. HX-Current-URL


@pytest.mark.parametrize("current", ["http://[::1", "http://testserver/due/?all=1\x00", "http://[", "javascript:x"])
@pytest.mark.parametrize("url", ["courtesy:ledger", "courtesy:hidden"])
def test_a_malformed_hx_current_url_answers_as_the_ledger_would(alice, url, current):
    response = unraised(alice).get(reverse(url), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=current)
    assert response.status_code == 200


def test_a_malformed_hx_current_url_on_a_form_post_still_answers(alice):
    # Without a reason the form is refused, and the refreshed ledger is answered with the message.
    response = unraised(alice).post(reverse("courtesy:dismiss"), {"key": "nothing:1:1"},
                                    HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://[::1")
    assert response.status_code == 200


# ---------------------------------------------------------------- 8. ids in filters


@pytest.mark.parametrize("value", ["²", "٣", "１２", "1" * 30, "-1", "1.0", " 1", "0x1", "1\x1b"])
@pytest.mark.parametrize("name", ["ref", "job"])
@pytest.mark.parametrize("url", ["outreach:outbox", "outreach:compose"])
def test_an_id_filter_that_is_not_an_ascii_id_is_not_found(alice, url, name, value):
    response = unraised(alice).get(reverse(url), {name: value, "kind": "thanks"})
    assert response.status_code in (200, 404)


def test_parse_id_accepts_only_ascii_digits_in_range():
    from goodword.lib.ids import MAX_ID, parse_id

    assert parse_id("12") == 12
    assert [parse_id(text) for text in ("²", "٣", "0", "", "-1", str(MAX_ID + 1), "1e3")] == [None] * 7
    assert parse_id(str(MAX_ID)) == MAX_ID


# ---------------------------------------------------------------- 9. line breaks in subjects

LINE_BREAKS = ["\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"]


@pytest.fixture
def facts(alice):
    reference = make_reference(alice, name="Dana Whitfield", emails=["dana@example.com"])
    job = make_opportunity(alice, company="Northwind", role="Platform Engineer", checker_name="Priya Raman")
    make_interview(job)
    return reference, job


@pytest.mark.parametrize("char", LINE_BREAKS)
@pytest.mark.parametrize("action", ["send", "download", "mark_sent"])
def test_compose_refuses_any_line_break_in_the_subject_with_a_field_error(alice, facts, char, action):
    reference, job = facts
    make_smtp_settings(alice, 2525)
    url = reverse("outreach:compose") + f"?kind=heads_up&ref={reference.pk}&job={job.pk}"
    response = unraised(alice).post(url, {
        "to_name": "Dana", "to_address": "dana@example.com", "subject": f"Hello{char}Bcc: x@example.com",
        "body": "Hi", "key": "k1", "channel": "email", "action": action,
    })
    assert response.status_code == 400
    assert 'id="id_subject_error"' in response.content.decode() and "line break" in response.content.decode()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("char", LINE_BREAKS)
def test_a_stored_subject_with_a_line_break_is_folded_when_the_message_is_built(char):
    message = emails.build_message(
        from_name=f"Al{char}ice", from_address="alice@example.com", to_name="Dana", to_address="dana@example.com",
        subject=f"Hello{char}there", text="Hi\n", message_id="<1@example.com>",
    )
    assert message["Subject"] == "Hello there" and str(message["From"]).startswith("Al ice")
    draft = emails.draft_file(to_name="Dana", to_address="dana@example.com", subject=f"Hello{char}there", text="Hi\n",
                              kind="thanks", tone="friendly", reference_id=1)
    assert emails.read_draft_file(draft)["subject"] == "Hello there"


@pytest.mark.parametrize("char", LINE_BREAKS)
def test_queueing_a_subject_with_a_line_break_is_refused(alice, facts, char):
    from django.core.exceptions import ValidationError

    reference, job = facts
    make_smtp_settings(alice, 2525)
    with pytest.raises(ValidationError, match="line break"):
        outbox.queue_message(alice, reference, kind="thanks", subject=f"Hi{char}there", text="x\n")


@pytest.mark.parametrize("char", LINE_BREAKS)
def test_a_stored_reference_name_with_a_line_break_is_folded_when_queued(alice, facts, char):
    reference, _job = facts
    type(reference).objects.filter(pk=reference.pk).update(name=f"Dana{char}Whitfield")
    reference.refresh_from_db()
    make_smtp_settings(alice, 2525)
    message = outbox.queue_message(alice, reference, kind="thanks", subject="Hi", text="x\n")
    assert message.to_name == "Dana Whitfield"


def test_compose_refuses_a_line_break_in_the_recipient_name_with_a_field_error(alice, facts):
    reference, job = facts
    url = reverse("outreach:compose") + f"?kind=heads_up&ref={reference.pk}&job={job.pk}"
    response = unraised(alice).post(url, {
        "to_name": "Dana\u2028Bcc: x@example.com", "to_address": "dana@example.com", "subject": "Hello",
        "body": "Hi", "key": "k1", "channel": "email", "action": "download",
    })
    assert response.status_code == 400 and 'id="id_to_name_error"' in response.content.decode()


def test_cli_draft_file_with_a_bad_reference_header_says_so(alice, tmp_path, settings):
    settings.GOODWORD_CLI_USER = "alice"
    draft = emails.draft_file(to_name="Dana", to_address="dana@example.com", subject="Hi", text="Hi\n",
                              kind="thanks", tone="friendly", reference_id="²")
    path = tmp_path / "draft.eml"
    path.write_bytes(draft)
    result = CliRunner().invoke(main, ["send", str(path)])
    assert result.exit_code == 1 and "X-Goodword-Reference" in result.output and "--debug" not in result.output


# ---------------------------------------------------------------- 10. dates outside the window

FAR_FUTURE = dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC)
ANCIENT = dt.datetime(1, 1, 1, 0, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("when", ["9999-12-31T23:59", "0001-01-01T00:00", "1899-12-31T10:00"])
def test_interview_form_refuses_a_date_outside_the_window(alice, facts, when):
    _reference, job = facts
    response = unraised(alice).post(reverse("opportunities:interview_create", args=[job.pk]),
                                    {"when": when, "format": "panel"})
    assert response.status_code in (200, 400)
    assert "outside the dates Goodword accepts" in response.content.decode()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_other_date_fields_refuse_dates_outside_the_window(alice, facts, day):
    reference, job = facts
    client = unraised(alice)
    for url, data in [
        (reverse("opportunities:stage", args=[job.pk]), {"stage": "offer", "changed_on": day}),
        (reverse("references:edit", args=[reference.pk]), {"name": "Dana", "relationship": "manager",
                                                            "status": "active", "known_since": day}),
        (reverse("timeline:log", args=[reference.pk]), {"kind": "call", "occurred_at": f"{day}T10:00"}),
    ]:
        response = client.post(url, data, follow=True)
        assert response.status_code in (200, 400), url
        assert "outside the dates Goodword accepts" in response.content.decode(), url


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1850-06-01"])
def test_cli_date_options_refuse_dates_outside_the_window(run, facts, day):
    for args in (["job", "stage", "Northwind", "offer", "--on", day],
                 ["job", "interview", "Northwind", "--when", f"{day} 10:00"],
                 ["log", "call", "--ref", "Dana", "--when", day]):
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert "outside the dates Goodword accepts" in result.output, (args, result.output)


def test_cli_relative_dates_too_far_back_are_refused(run, facts):
    result = run("log", "call", "--ref", "Dana", "--when", "99999999999 days ago")
    assert result.exit_code == 2 and "--debug" not in result.output


@pytest.fixture
def stored_extremes(alice, facts):
    """Values written before the window existed (as a raw update would)."""
    reference, job = facts
    far = make_interview(job)
    Interview.objects.filter(pk=far.pk).update(when=FAR_FUTURE)
    early = make_interview(job)
    Interview.objects.filter(pk=early.pk).update(when=ANCIENT)
    event = make_event(reference, "call", opportunity=job, note="long ago")
    Event.objects.filter(pk=event.pk).update(occurred_at=ANCIENT)
    later = make_event(reference, "note", opportunity=job, note="far ahead")
    Event.objects.filter(pk=later.pk).update(occurred_at=FAR_FUTURE)
    type(job).objects.filter(pk=job.pk).update(start_date=dt.date(9999, 12, 31), announced_on=dt.date(1, 1, 1))
    type(reference).objects.filter(pk=reference.pk).update(known_since=dt.date(1, 1, 1),
                                                          consent_given_on=dt.date(9999, 12, 31))
    return reference, job


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Pacific/Kiritimati", "UTC"])
def test_every_reader_survives_extreme_dates_already_stored(alice, stored_extremes, zone, settings, tmp_path):
    reference, job = stored_extremes
    courtesy_settings(alice, time_zone=zone)
    client = unraised(alice)
    for url in ["/", reverse("opportunities:detail", args=[job.pk]), reverse("references:detail", args=[reference.pk]),
                reverse("courtesy:ledger"), reverse("courtesy:hidden"), reverse("opportunities:list"),
                reverse("references:list"), reverse("outreach:compose") + f"?kind=thanks&ref={reference.pk}&job={job.pk}"]:
        assert client.get(url).status_code == 200, url
    token = reminder_services.issue_feed_token(alice)
    feed = unraised().get(reminder_services.feed_path(token))
    assert feed.status_code == 200
    reminder_services.build_digest(alice, now=timezone.now())  # the digest reads the same dates
    settings.GOODWORD_CLI_USER = "alice"
    out = tmp_path / "out.ics"
    for args in (["export", "ics", str(out)], ["due"], ["job", "show", "Northwind"], ["ref", "show", "Dana"],
                 ["digest"], ["due", "--json"]):
        result = CliRunner().invoke(main, args)
        assert "Traceback" not in result.output and "--debug" not in result.output, (args, result.output)
        assert result.exit_code == 0, (args, result.output)


def test_export_ics_counts_the_events_the_file_holds(alice, facts, settings, tmp_path):
    import icalendar

    _reference, job = facts
    type(job).objects.filter(pk=job.pk).update(role="BEGIN:VEVENT BEGIN:VEVENT", start_date=timezone.localdate())
    settings.GOODWORD_CLI_USER = "alice"
    out = tmp_path / "out.ics"
    result = CliRunner().invoke(main, ["export", "ics", str(out)])
    held = len(icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT"))
    assert f"Wrote {held} events" in result.output


# ---------------------------------------------------------------- 11. numeric CLI options


@pytest.mark.parametrize("poll", ["nan", "inf", "-inf", "-1", "0", "1e309", "abc"])
def test_worker_poll_must_be_a_finite_positive_number(run, poll, monkeypatch):
    from goodword.outreach import outbox

    def started(*args, poll_seconds, **kwargs):
        raise AssertionError(f"the worker loop started with poll_seconds={poll_seconds}")

    monkeypatch.setattr(outbox, "run_worker", started)  # with nan it would spin forever
    result = run("worker", "--poll", poll)
    assert result.exit_code == 2
    assert "--poll" in result.output


# ---------------------------------------------------------------- NUL characters (PostgreSQL refuses them in text)


@pytest.mark.parametrize("action", ["send", "mark_sent"])
def test_slate_text_with_a_nul_character_is_refused_not_a_500(alice, facts, action):
    from tests.factories.opportunities import make_listing

    reference, job = facts
    make_listing(job, reference)
    make_smtp_settings(alice, 2525)
    url = reverse("outreach:slate", args=[job.pk]) + "?kind=heads_up"
    response = unraised(alice).post(url, {
        f"include-{reference.pk}": "on", f"subject-{reference.pk}": "Hello", f"body-{reference.pk}": "Hi\x00there",
        "key": "k\x00", "action": action,
    })
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()
    assert not OutboxMessage.objects.exists() and not Event.objects.filter(note__contains="there").exists()
