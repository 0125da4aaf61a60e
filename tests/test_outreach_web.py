"""Compose, slate, outbox, SMTP settings and template pages."""

import re

import pytest
from django.urls import reverse

from goodword.outreach import crypto, outbox
from goodword.outreach.models import (
    MessageState,
    MessageTemplate,
    OutboxMessage,
    SmtpSettings,
)
from goodword.timeline.models import Event
from tests.factories.opportunities import make_interview, make_listing, make_opportunity
from tests.factories.outreach import SmtpSink, make_smtp_settings
from tests.factories.references import make_reference

COMPOSE = reverse("outreach:compose")


@pytest.fixture
def facts(alice):
    reference = make_reference(alice, name="Dana Whitfield", emails=["dana@example.com"])
    job = make_opportunity(alice, company="Northwind", role="Platform Engineer", checker_name="Priya Raman")
    make_interview(job)
    return reference, job


def compose_url(**params):
    return COMPOSE + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def test_compose_page_shows_an_editable_draft_with_text_and_html_preview(alice_client, facts):
    reference, job = facts
    response = alice_client.get(compose_url(kind="heads_up", ref=reference.pk, job=job.pk, tone="formal"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dear Dana Whitfield" in html
    assert 'name="subject"' in html and "<textarea" in html
    assert 'class="preview-html"' in html and "<li>Kubernetes depth</li>" in html
    assert "mailto:dana@example.com?subject=" in html


@pytest.mark.parametrize("param", ["ref", "job"])
def test_another_users_reference_or_job_is_not_found(alice_client, bob, facts, param):
    reference, job = facts
    theirs = {"ref": make_reference(bob).pk, "job": make_opportunity(bob).pk}
    params = {"kind": "heads_up", "ref": reference.pk, "job": job.pk} | {param: theirs[param]}
    assert alice_client.get(compose_url(**params)).status_code == 404
    assert alice_client.post(compose_url(**params), {"action": "mark_sent"}).status_code == 404


def test_compose_without_a_job_for_a_job_kind_explains(alice_client, facts):
    reference, _ = facts
    response = alice_client.get(compose_url(kind="letter", ref=reference.pk))
    assert "choose the job too" in response.content.decode()


def form_data(**overrides):
    data = {"to_name": "Dana Whitfield", "to_address": "dana@example.com", "subject": "Heads-up",
            "body": "Hi Dana,\n\nThey may call.\n", "key": "k" * 32, "channel": "email", "action": "send"}
    return data | overrides


def test_sending_from_compose_queues_once_and_shows_status(alice, alice_client, facts):
    reference, job = facts
    make_smtp_settings(alice, 2525)
    url = compose_url(kind="heads_up", ref=reference.pk, job=job.pk)
    first = alice_client.post(url, form_data(body="Edited by me.\n"))
    again = alice_client.post(url, form_data(body="Edited by me.\n"))  # double submit
    message = OutboxMessage.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == message.get_absolute_url()
    assert (message.kind, message.event_kind, message.body_text) == ("heads_up", "heads_up", "Edited by me.\n")
    page = alice_client.get(message.get_absolute_url()).content.decode()
    assert "Queued" in page


def test_edited_subject_with_a_line_break_is_refused_with_a_message(alice, alice_client, facts):
    reference, job = facts
    make_smtp_settings(alice, 2525)
    response = alice_client.post(compose_url(kind="heads_up", ref=reference.pk, job=job.pk),
                                 form_data(subject="Hi\r\nBcc: x@example.com"))
    assert response.status_code == 400
    assert "subject contains a line break" in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_marking_a_hand_sent_draft_logs_the_event(alice_client, facts):
    reference, job = facts
    response = alice_client.post(compose_url(kind="talking_points", ref=reference.pk, job=job.pk),
                                 form_data(action="mark_sent"))
    assert response.status_code == 302
    event = Event.objects.get(reference=reference)
    assert (event.kind, event.opportunity_id, event.channel) == ("briefing", job.pk, "email")
    assert "They may call." in event.note


def test_download_gives_an_eml_draft(alice_client, facts):
    reference, job = facts
    response = alice_client.post(compose_url(kind="letter", ref=reference.pk, job=job.pk), form_data(action="download"))
    assert response["Content-Type"] == "message/rfc822"
    body = response.content.decode()
    assert "X-Goodword-Kind: letter" in body and f"X-Goodword-Reference: {reference.pk}" in body
    assert "To: Dana Whitfield <dana@example.com>" in body


def test_compose_page_has_no_inline_script_or_handlers(alice_client, facts):
    reference, job = facts
    html = alice_client.get(compose_url(kind="heads_up", ref=reference.pk, job=job.pk)).content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag
    assert "outreach/copy.js" in html
    assert not re.search(r"\son[a-z]+=", html)
    assert "style=" not in html


def test_slate_sends_one_personalised_message_each(alice, alice_client, facts):
    reference, job = facts
    other = make_reference(alice, name="Lee Chen", emails=["lee@example.com"])
    make_listing(job, reference)
    make_listing(job, other)
    make_smtp_settings(alice, 2525)
    url = reverse("outreach:slate", args=[job.pk]) + "?kind=outcome&tone=friendly"
    page = alice_client.get(url).content.decode()
    assert "Hi Dana" in page and "Hi Lee" in page
    data = {"kind": "outcome", "tone": "friendly", "key": "slate" + "x" * 20, "action": "send"}
    for ref in (reference, other):
        data |= {f"include-{ref.pk}": "1", f"subject-{ref.pk}": f"News for {ref.name}", f"body-{ref.pk}": f"Hi {ref.name}\n"}
    assert alice_client.post(url, data).status_code == 302
    sent = dict(OutboxMessage.objects.values_list("to_address", "subject"))
    assert sent == {"dana@example.com": "News for Dana Whitfield", "lee@example.com": "News for Lee Chen"}


def test_slate_of_another_user_is_not_found(alice_client, bob):
    assert alice_client.get(reverse("outreach:slate", args=[make_opportunity(bob).pk])).status_code == 404


def test_message_page_of_another_user_is_not_found(alice_client, bob):
    make_smtp_settings(bob, 2525)
    theirs = outbox.queue_message(bob, make_reference(bob), kind="keep_in_touch", subject="Hi", text="Hi\n")
    assert alice_client.get(reverse("outreach:message", args=[theirs.pk])).status_code == 404
    assert alice_client.post(reverse("outreach:message", args=[theirs.pk]), {"action": "confirm"}).status_code == 404


def test_uncertain_message_offers_the_choice_and_marking_it_sent_logs_it(alice, alice_client, facts):
    reference, job = facts
    make_smtp_settings(alice, 2525)
    message = outbox.queue_message(alice, reference, kind="heads_up", opportunity=job, subject="Hi", text="Hi\n")
    OutboxMessage.objects.filter(pk=message.pk).update(state=MessageState.UNCERTAIN, last_error="no answer")
    page = alice_client.get(message.get_absolute_url()).content.decode()
    assert "Send it again" in page and "mark as sent" in page
    alice_client.post(message.get_absolute_url(), {"action": "confirm"})
    message.refresh_from_db()
    assert message.state == MessageState.SENT
    assert Event.objects.filter(reference=reference, kind="heads_up").count() == 1


def test_smtp_password_is_encrypted_at_rest_and_never_shown(alice, alice_client):
    url = reverse("outreach:smtp")
    response = alice_client.post(url, {
        "host": "smtp.example.com", "port": 587, "security": "starttls", "username": "sam",
        "password": "hunter2-secret", "from_name": "Sam", "from_address": "sam@example.com", "action": "save",
    })
    assert response.status_code == 302
    row = SmtpSettings.objects.get(owner=alice)
    assert "hunter2-secret" not in row.password_encrypted
    assert crypto.decrypt(row.password_encrypted) == "hunter2-secret"
    page = alice_client.get(url).content.decode()
    assert "hunter2-secret" not in page and row.password_encrypted not in page
    assert "saved (encrypted)" in page
    # Saving again without a password keeps the stored one.
    alice_client.post(url, {"host": "smtp.example.com", "port": 465, "security": "ssl", "username": "sam",
                            "password": "", "from_name": "Sam", "from_address": "sam@example.com"})
    row.refresh_from_db()
    assert (row.port, crypto.decrypt(row.password_encrypted)) == (465, "hunter2-secret")


def test_send_test_message_button_reports_success(alice, alice_client):
    with SmtpSink() as sink:
        make_smtp_settings(alice, sink.port)
        response = alice_client.post(reverse("outreach:smtp"), {"action": "test"}, follow=True)
    assert "Sent a test message to sam@example.com" in response.content.decode()
    assert len(sink.handler.received) == 1


def test_template_page_lists_variables_and_refuses_a_hostile_template(alice, alice_client):
    url = reverse("outreach:template_edit", args=["thanks", "friendly"])
    page = alice_client.get(url).content.decode()
    assert "reference.vouches_for" in page and "sentence_list" in page
    response = alice_client.post(url, {"subject": "Hi", "body": "ok\n{{ ''.__class__.__mro__ }}", "action": "save"})
    assert response.status_code == 400
    assert "body, line 2: not allowed" in response.content.decode()
    assert not MessageTemplate.objects.exists()
    alice_client.post(url, {"subject": "Thanks {{ reference.first_name }}", "body": "Cheers", "action": "save"})
    assert MessageTemplate.objects.get(owner=alice).subject == "Thanks {{ reference.first_name }}"


def test_template_preview_renders_with_sample_facts(alice_client):
    url = reverse("outreach:template_edit", args=["thanks", "formal"])
    response = alice_client.post(url, {"subject": "For {{ reference.name }}", "body": "{{ gift.idea }}", "action": "preview"})
    assert "For Dana Whitfield" in response.content.decode()


def test_outbox_lists_only_my_messages(alice, bob, alice_client):
    make_smtp_settings(bob, 2525)
    outbox.queue_message(bob, make_reference(bob), kind="keep_in_touch", subject="Bob's secret", text="x\n")
    assert "Bob&#x27;s secret" not in alice_client.get(reverse("outreach:outbox")).content.decode()
    assert "Bob's secret" not in alice_client.get(reverse("outreach:outbox")).content.decode()


def test_outbox_dates_read_like_the_rest_of_the_app(alice, alice_client):
    import datetime as dt

    from django.utils import timezone

    make_smtp_settings(alice, 2525)
    message = outbox.queue_message(alice, make_reference(alice), kind="keep_in_touch", subject="Hello", text="x\n")
    type(message).objects.filter(pk=message.pk).update(
        created_at=timezone.make_aware(dt.datetime(2026, 3, 9, 14, 5)))
    page = alice_client.get(reverse("outreach:outbox")).content.decode()
    assert ">9 Mar 2026, 14:05</time>" in page and "2026-03-09 14:05" not in page


def test_templates_page_marks_which_templates_are_mine(alice, alice_client):
    from goodword.outreach import services

    services.save_user_template(alice, "apology", "formal", subject="Sorry", body="Sorry, {{ reference.first_name }}.")
    page = alice_client.get(reverse("outreach:templates")).content.decode()
    assert page.count("Edit your formal apology after an unannounced call") == 1
    assert page.count(">Customise the ") == 15 and "Customise the friendly heads-up with briefing" in page


def test_compose_url_names_kind_reference_job_and_tone(alice_client, facts):
    from goodword.outreach.services import compose_url

    reference, job = facts
    url = compose_url("outcome", reference, job, "formal")
    assert url == f"/outreach/compose/?kind=outcome&ref={reference.pk}&job={job.pk}&tone=formal"
    assert "Dear Dana Whitfield" in alice_client.get(url).content.decode()


def test_message_status_fragment_shows_states_for_a_reference(alice, facts):
    from django.template.loader import render_to_string

    from goodword.outreach.services import recent_messages

    reference, job = facts
    make_smtp_settings(alice, 2525)
    message = outbox.queue_message(alice, reference, kind="heads_up", opportunity=job, subject="Heads-up", text="x\n")
    OutboxMessage.objects.filter(pk=message.pk).update(state=MessageState.UNCERTAIN)
    html = render_to_string("outreach/includes/messages.html", {"outbox_messages": recent_messages(reference)})
    assert "Uncertain: may have been sent" in html and "needs your decision" in html
    assert message.get_absolute_url() in html


def test_status_of_a_queued_message_refreshes_itself(alice, alice_client, facts):
    reference, job = facts
    make_smtp_settings(alice, 2525)
    message = outbox.queue_message(alice, reference, kind="heads_up", opportunity=job, subject="Hi", text="Hi\n")
    page = alice_client.get(message.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page
    fragment = alice_client.get(message.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert fragment.strip().startswith('<span id="message-state"') and "Queued" in fragment  # inside its <dd>
    OutboxMessage.objects.filter(pk=message.pk).update(state=MessageState.FAILED, last_error="550 no such user")
    fragment = alice_client.get(message.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment and "550 no such user" in fragment


def test_a_reference_without_email_can_still_be_written_to_and_logged_by_phone(alice, alice_client):
    reference = make_reference(alice, name="Ola Berg", emails=[], preferred_channel="phone")
    url = compose_url(kind="keep_in_touch", ref=reference.pk)
    page = alice_client.get(url).content.decode()
    assert "Hi Ola" in page and '<option value="phone" selected>' in page
    make_smtp_settings(alice, 2525)
    refused = alice_client.post(url, form_data(to_address="", action="send"))
    assert "recipient address is empty" in refused.content.decode()
    alice_client.post(url, form_data(to_address="", action="mark_sent", channel="phone"))
    assert Event.objects.get(reference=reference).channel == "phone"


def test_thank_you_compose_shows_the_gift_idea_beside_the_draft(alice_client, facts):
    reference, job = facts
    reference.likes = "Good wine"
    reference.save()
    page = alice_client.get(compose_url(kind="thanks", ref=reference.pk, job=job.pk)).content.decode()
    assert "Just for you, not sent:" in page and "bottle of wine" in page


def test_unedited_draft_is_sent_with_its_html_template_and_an_edited_one_with_html_from_the_edit(alice, alice_client, facts):
    reference, job = facts
    url = compose_url(kind="heads_up", ref=reference.pk, job=job.pk)
    with SmtpSink() as sink:
        make_smtp_settings(alice, sink.port)
        initial = alice_client.get(url).context["form"].initial
        alice_client.post(url, form_data(subject=initial["subject"], body=initial["body"].replace("\n", "\r\n"), key="a" * 20))
        alice_client.post(url, form_data(subject=initial["subject"], body="Hi Dana,\n\nJust a short note.\n", key="b" * 20))
        outbox.drain()
    unedited, edited = (message.get_body(("html",)).get_content() for message in sink.handler.received)
    assert "<strong>Where they had doubts" in unedited
    assert "<p>Just a short note.</p>" in edited and "<strong>" not in edited
