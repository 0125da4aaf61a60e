"""Polish: outreach pages, error pages, the htmx focus script, the portal page and CLI wording."""

import datetime as dt
import re
from collections import Counter

import pytest
from click.testing import CliRunner
from django.template import loader
from django.urls import reverse
from django.utils import timezone

from goodword.cli import main
from goodword.portal import services as portal_services
from goodword.portal.models import PortalAnswer
from goodword.references.models import Reference
from tests.factories.opportunities import make_interview, make_listing, make_opportunity
from tests.factories.portal import make_portal_setup, nonce_from, page_url
from tests.factories.references import make_reference
from tests.factories.timeline import make_event

pytestmark = pytest.mark.django_db


def ids_in(html: str) -> Counter:
    return Counter(re.findall(r'\sid="([^"]+)"', html))


@pytest.fixture
def job_with_slate(alice):
    job = make_opportunity(alice, company="Northwind", role="Platform Engineer", checker_name="Priya Raman")
    make_interview(job)
    dana = make_reference(alice, name="Dana Whitfield", emails=["dana.whitfield@larkspur-analytics.example"])
    make_listing(job, dana)
    return job, dana


# ---------------------------------------------------------------- outreach pages


def test_compose_labels_have_no_colon_and_use_the_shared_field_layout(alice_client, job_with_slate):
    job, dana = job_with_slate
    url = reverse("outreach:compose") + f"?kind=heads_up&ref={dana.pk}&job={job.pk}"
    html = alice_client.get(url).content.decode()
    assert 'for="id_subject">Subject</label>' in html and "Subject:" not in html
    assert "To (name):" not in html
    assert html.count('class="field') >= 5
    assert 'class="preview-html"' in html and 'class="preview-text"' not in html  # the preview, once
    assert all(count == 1 for count in ids_in(html).values()), ids_in(html).most_common(3)


def test_slate_controls_have_distinct_accessible_names(alice_client, job_with_slate):
    job, _dana = job_with_slate
    html = alice_client.get(reverse("outreach:slate", args=[job.pk]) + "?kind=outcome").content.decode()
    # Named by visible text plus hidden words, never by an aria-label that hides the visible text.
    assert 'Copy<span class="visually-hidden"> the draft to <bdi>Dana Whitfield</bdi></span>' in html
    assert '<label for="include-%d"><bdi>Dana Whitfield</bdi></label>' % _dana.pk in html
    assert "aria-label" not in html.split("<main", 1)[1]
    assert 'size="80"' not in html and 'cols="80"' not in html


def test_templates_list_links_name_kind_and_tone(alice_client):
    html = alice_client.get(reverse("outreach:templates")).content.decode()
    assert "Customise the friendly heads-up with briefing" in html
    assert "Customise the formal heads-up with briefing" in html
    links = re.findall(r"<a href=\"/outreach/templates/[^\"]+\">([^<]+)</a>", html)
    assert len(links) == len(set(links)) == 16


def test_template_edit_has_a_way_back_a_single_line_subject_and_a_revert_button(alice, alice_client):
    from goodword.outreach import services

    url = reverse("outreach:template_edit", args=["thanks", "friendly"])
    html = alice_client.get(url).content.decode()
    assert 'href="%s"' % reverse("outreach:templates") in html
    assert re.search(r'<input type="text" name="subject"[^>]*id="id_subject"', html)
    assert "Revert to the built-in template" not in html  # nothing to revert yet
    services.save_user_template(alice, "thanks", "friendly", subject="Thanks", body="Thank you, {{ reference.first_name }}.")
    assert "Revert to the built-in template" in alice_client.get(url).content.decode()


def test_a_template_error_is_shown_once(alice_client):
    url = reverse("outreach:template_edit", args=["thanks", "friendly"])
    response = alice_client.post(url, {"subject": "Thanks", "body": "Hi\n{% if %}", "action": "preview"})
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("body, line 2") == 1


def test_smtp_page_uses_the_field_layout(alice_client):
    html = alice_client.get(reverse("outreach:smtp")).content.decode()
    assert 'class="form panel"' in html and html.count('class="field') >= 7
    assert 'for="id_host">Host</label>' in html


def test_smtp_test_error_has_one_full_stop(alice, alice_client):
    """A real server without STARTTLS: its reply ends in a full stop of its own."""
    from tests.factories.outreach import SmtpSink, make_smtp_settings

    with SmtpSink() as sink:
        make_smtp_settings(alice, sink.port, security="starttls")
        response = alice_client.post(reverse("outreach:smtp"), {"action": "test"}, follow=True)
    html = response.content.decode()
    assert "not supported by server. Check the security setting." in html
    assert ".." not in html.replace("...", "")


# ---------------------------------------------------------------- error pages, favicon, focus script


def test_404_page_extends_the_app_layout_with_a_way_home(alice_client):
    response = alice_client.get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "We couldn't find that page" in html
    assert 'aria-label="Main"' in html and "Go to the home page" in html


def test_500_page_renders_without_a_request_or_context_processors():
    html = loader.get_template("500.html").render({})
    assert "Something went wrong" in html and "goodword/goodword.css" in html
    assert "{%" not in html and "csrf" not in html


def test_base_links_a_favicon_and_loads_the_focus_script_with_the_nonce(alice_client):
    html = alice_client.get(reverse("core:home")).content.decode()
    assert re.search(r'<link rel="icon" href="[^"]*goodword/favicon\.svg"', html)
    assert re.search(r'<script src="[^"]*goodword/focus\.js" nonce="[^"]+"', html)


# ---------------------------------------------------------------- portal


def test_portal_page_ids_are_unique_and_labels_find_their_fields(client, alice):
    _listing, token = make_portal_setup(alice)
    html = client.get(page_url(token)).content.decode()
    duplicated = [name for name, count in ids_in(html).items() if count > 1]
    assert duplicated == []
    for target in re.findall(r'<label for="([^"]+)"', html):
        assert f'id="{target}"' in html


def test_portal_shows_the_answer_already_given_for_this_listing_only(client, alice):
    listing, token = make_portal_setup(alice)
    assert listing.reference.consent_given_on is None
    page = client.get(page_url(token))
    assert "Will you be a reference for this role?" in page.content.decode()
    client.post(page_url(token), {"form": "consent", "answer": "agreed", "nonce": nonce_from(page, "consent")})
    html = client.get(page_url(token)).content.decode()
    assert "Will you be a reference for this role?" not in html
    today = timezone.localdate()
    assert f"You said yes on {today.day} {today:%b}" in html and "thank you" in html
    assert "Change your answer" in html
    # A yes for one listing is not standing consent (docs/ledger.md).
    assert Reference.objects.get(pk=listing.reference.pk).consent_given_on is None


def test_portal_yes_keeps_an_earlier_consent_date(client, alice):
    earlier = timezone.localdate() - dt.timedelta(days=40)
    dana = make_reference(alice, name="Dana Whitfield", consent_given_on=earlier)
    _listing, token = make_portal_setup(alice, reference=dana)
    page = client.get(page_url(token))
    client.post(page_url(token), {"form": "consent", "answer": "agreed", "nonce": nonce_from(page, "consent")})
    assert Reference.objects.get(pk=dana.pk).consent_given_on == earlier


def test_letter_draft_is_not_shown_unless_requested_or_chosen(client, alice):
    listing, token = make_portal_setup(alice)  # the default choices
    html = client.get(page_url(token)).content.decode()
    assert "Recommendation-letter draft" not in html and "agreeing to write a letter" not in html
    assert "letter" not in portal_services.current_link(listing).shared

    make_event(listing.reference, "letter_requested", opportunity=listing.opportunity)
    assert "letter" in portal_services.default_shared(listing)
    _link, token = portal_services.issue_link(listing, portal_services.default_shared(listing))
    html = client.get(page_url(token)).content.decode()
    assert "Recommendation-letter draft" in html and "Sent the letter?" in html


def test_notice_says_just_now_under_a_minute(client, alice, alice_client):
    _listing, token = make_portal_setup(alice)
    page = client.get(page_url(token))
    client.post(page_url(token), {"form": "consent", "answer": "agreed", "nonce": nonce_from(page, "consent")})
    html = alice_client.get(reverse("core:home")).content.decode()
    assert "just now" in html and "0\xa0minutes" not in html and "0 minutes" not in html
    answer = PortalAnswer.objects.get()
    PortalAnswer.objects.filter(pk=answer.pk).update(created_at=timezone.now() - dt.timedelta(hours=3))
    answer.refresh_from_db()
    assert answer.ago.endswith(" ago") and "3" in answer.ago


# ---------------------------------------------------------------- CLI wording


def test_draft_help_uses_a_kind_metavar_and_bad_kinds_list_the_choices():
    help_text = CliRunner().invoke(main, ["draft", "--help"]).output
    assert "draft [OPTIONS] KIND\n" in help_text and "out/come" not in help_text
    result = CliRunner().invoke(main, ["draft", "xyz", "--ref", "Dana"])
    assert result.exit_code == 2
    assert "Unknown draft kind 'xyz'; choose one of: permission, heads-up," in result.output


def test_digest_help_agrees_with_the_worker():
    help_text = CliRunner().invoke(main, ["digest", "--help"]).output
    assert "run_reminders" not in help_text and "goodword.reminders" not in help_text
    assert "goodword worker" in help_text and "portal notices" in help_text
