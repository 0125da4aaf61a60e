"""The slate builder on the opportunity page, its service, and the drafts that read the requirements."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from goodword.courtesy.ledger import build_ledger
from goodword.opportunities import suggest
from goodword.opportunities.models import Listing, SkillSynonyms
from goodword.outreach.drafts import build_context
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event

POSTING = """We are hiring.
- Running Kafka in production
- Kubernetes and Terraform
- Leading incident response
- Mentoring junior engineers
"""


@pytest.fixture
def book(alice):
    return {
        "dana": make_reference(alice, name="Dana Whitfield", relationship="manager", organisation="Northwind",
                               vouches_for=["Kafka", "incident response"]),
        "priya": make_reference(alice, name="Priya Raman", relationship="peer", organisation="Acme",
                                vouches_for=["k8s"]),
        "ruth": make_reference(alice, name="Ruth Lee", relationship="client", organisation="Beta",
                               vouches_for=["mentoring"]),
        "zed": make_reference(alice, name="Zed Cole", relationship="peer", organisation="Gamma",
                              vouches_for=["Kafka", "Terraform", "mentoring"], status="do_not_use"),
        "hal": make_reference(alice, name="Hal Moreno", relationship="hr_verifier", organisation="Northwind",
                              vouches_for=[]),
        "ann": make_reference(alice, name="Ann Park", relationship="direct_report", organisation="Delta",
                              vouches_for=["Terraform"], away_until=timezone.localdate() + dt.timedelta(days=20)),
    }


def page(client, opportunity, **params):
    params.setdefault("suggest", 1)  # the suggestion comes after the page unless asked for
    return client.get(reverse("opportunities:detail", args=[opportunity.pk]), params).content.decode()


def test_the_opportunity_page_shows_suggestions_with_reasons_gaps_and_skips(alice, alice_client, book):
    job = make_opportunity(alice, company="Northwind", role="Platform Engineer", posting_text=POSTING)
    html = page(alice_client, job)
    assert "Who to put forward" in html
    assert "Skills and domains it names: <span dir=\"auto\">Kafka, Kubernetes, Terraform</span>." in html
    assert "covers Kafka and incident response; your manager at Northwind" in html
    assert "Kubernetes and Terraform" in html  # uncovered until a synonym joins k8s and Kubernetes
    assert "Zed Cole" not in html  # do-not-use references are never named
    assert "Ann Park</bdi>: away until" in html
    assert "Employment verifier:" in html and "Hal Moreno" in html


def test_synonyms_are_kept_per_user_and_widen_the_match(alice, bob, alice_client, book):
    job = make_opportunity(alice, posting_text=POSTING)
    response = alice_client.post(reverse("opportunities:synonyms"), {"text": "k8s = kubernetes",
                                                                     "next": job.get_absolute_url()})
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert SkillSynonyms.objects.for_user(bob).count() == 0
    result = suggest.suggestion_for(alice, job)
    assert "Kubernetes and Terraform" not in result.uncovered
    assert any(pick.candidate.name == "Priya Raman" and "covers k8s" in pick.reasons for pick in result.picks)


def test_a_synonym_line_with_one_term_is_refused_with_its_line_number(alice_client):
    response = alice_client.post(reverse("opportunities:synonyms"), {"text": "k8s = kubernetes\nlonely"})
    assert response.status_code == 400
    assert "Line 2 (“lonely”) names one term" in response.content.decode()


def test_corrected_requirements_are_kept_and_used_by_the_suggestion_and_the_letter(alice, alice_client, book):
    job = make_opportunity(alice, posting_text=POSTING)
    response = alice_client.post(reverse("opportunities:requirements", args=[job.pk]),
                                 {"requirements": "- Terraform at scale\n\nMentoring junior engineers\n"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.requirements == ["Terraform at scale", "Mentoring junior engineers"]
    result = suggest.suggestion_for(alice, job)
    assert result.requirements == job.requirements
    assert result.uncovered == ["Terraform at scale"]  # Ann can vouch for it, but she is away
    context = build_context(alice, book["dana"], job)
    assert context["job"]["posting_points"] == ["Terraform at scale", "Mentoring junior engineers"]


def test_an_overlong_requirement_line_is_refused_on_the_page(alice, alice_client, book):
    job = make_opportunity(alice, posting_text=POSTING)
    response = alice_client.post(reverse("opportunities:requirements", args=[job.pk]), {"requirements": "x" * 301})
    assert response.status_code == 400
    assert "Line 1 is longer than 300 characters" in response.content.decode()
    job.refresh_from_db()
    assert job.requirements == []


def test_applying_lists_the_ticked_in_order_and_opens_the_permission_step(alice, alice_client, book):
    job = make_opportunity(alice, posting_text=POSTING)
    earlier = make_reference(alice, name="Already There", relationship="mentor", organisation="Omega")
    make_listing(job, earlier)
    agreed = make_reference(alice, name="Yes Sayer", relationship="peer", organisation="Sigma")
    make_listing(job, agreed)
    make_event(agreed, "agreed", opportunity=job)
    response = alice_client.post(reverse("opportunities:apply_suggestion", args=[job.pk]),
                                 {"ref": [book["ruth"].pk, agreed.pk, book["dana"].pk]})
    assert response.status_code == 302
    assert response.url == (reverse("outreach:slate", args=[job.pk]) + "?kind=permission&next="
                            + job.get_absolute_url())
    order = list(Listing.objects.filter(opportunity=job).values_list("reference__name", flat=True))
    assert order == ["Already There", "Ruth Lee", "Yes Sayer", "Dana Whitfield"]


def test_applying_only_agreed_references_goes_back_to_the_slate(alice, alice_client, book):
    job = make_opportunity(alice)
    make_listing(job, book["dana"])
    make_event(book["dana"], "agreed", opportunity=job)
    response = alice_client.post(reverse("opportunities:apply_suggestion", args=[job.pk]), {"ref": [book["dana"].pk]})
    assert response.url.endswith("#slate")


def test_applying_nothing_or_a_do_not_use_reference_says_why(alice, alice_client, book):
    job = make_opportunity(alice)
    url = reverse("opportunities:apply_suggestion", args=[job.pk])
    response = alice_client.post(url, {}, follow=True)
    assert "Tick at least one suggestion to list." in response.content.decode()
    response = alice_client.post(url, {"ref": [book["zed"].pk]}, follow=True)
    assert "marked do-not-use" in response.content.decode()
    assert not Listing.objects.filter(opportunity=job).exists()


def test_another_users_reference_cannot_be_applied(alice, bob, alice_client, book):
    job = make_opportunity(alice)
    stranger = make_reference(bob, name="Bob's Friend")
    response = alice_client.post(reverse("opportunities:apply_suggestion", args=[job.pk]),
                                 {"ref": [stranger.pk]}, follow=True)
    assert "not in your book" in response.content.decode()
    assert not Listing.objects.filter(opportunity=job).exists()


def test_the_employer_count_can_be_overridden_on_the_page(alice, alice_client, book):
    job = make_opportunity(alice, posting_text=POSTING)
    html = page(alice_client, job, n=1)
    assert "The employer wants 1;" in html
    assert html.count('name="ref"') == 2


def test_the_page_and_the_cli_read_the_same_candidates(alice, book):
    job = make_opportunity(alice, posting_text=POSTING)
    other = make_opportunity(alice, company="Elsewhere")
    make_listing(other, book["dana"])
    make_listing(job, book["ruth"])
    make_event(book["priya"], "call", occurred_at=timezone.now() - dt.timedelta(days=3))
    book["priya"].consent_given_on = timezone.localdate() - dt.timedelta(days=10)
    book["priya"].max_calls_a_month = 2
    book["priya"].save()
    facts = build_ledger(alice).facts
    from_db, _, _ = suggest.candidates(alice, job)
    from_facts, _, _ = suggest.candidates_from_facts(alice, job, facts)
    assert from_db == from_facts
    dana = next(c for c in from_db if c.name == "Dana Whitfield")
    assert (dana.listings_in_window, dana.listings_last_month) == (1, 1)
    assert next(c for c in from_db if c.name == "Ruth Lee").on_slate


def test_a_closed_application_shows_no_suggestion(alice, alice_client, book):
    job = make_opportunity(alice, stage="rejected", posting_text=POSTING)
    html = page(alice_client, job)
    assert "What the posting asks for" in html and "List the ticked ones" not in html


def test_the_panel_refetches_itself_alone_when_the_slate_changes(alice, alice_client, book):
    job = make_opportunity(alice, posting_text=POSTING)
    html = page(alice_client, job)
    assert f'hx-get="{reverse("opportunities:builder", args=[job.pk])}"' in html
    panel = alice_client.get(reverse("opportunities:builder", args=[job.pk]), headers={"HX-Request": "true"})
    text = panel.content.decode()
    assert text.lstrip().startswith("<section class=\"panel builder\" id=\"builder\"") and "<html" not in text
    assert alice_client.post(reverse("opportunities:builder", args=[job.pk])).status_code == 405


def test_someone_who_declined_is_listed_but_not_asked_again(alice, book):
    job = make_opportunity(alice)
    make_listing(job, book["priya"])
    make_event(book["priya"], "declined", opportunity=job)
    accepted, to_ask, next_url = suggest.apply_suggestion(alice, job, [book["priya"].pk, book["ruth"].pk])
    assert [ref.name for ref in accepted] == ["Priya Raman", "Ruth Lee"]
    assert [ref.name for ref in to_ask] == ["Ruth Lee"] and next_url


def test_the_opportunity_page_defers_the_suggestion_to_its_panel(alice, alice_client, book):
    job = make_opportunity(alice, company="Northwind", role="Platform Engineer", posting_text=POSTING)
    html = alice_client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="load, ledger-changed from:body"' in html
    assert "?suggest=1#builder" in html  # without JavaScript, on request
    assert "List the ticked ones in this order" not in html
    panel = alice_client.get(reverse("opportunities:builder", args=[job.pk])).content.decode()
    assert "List the ticked ones in this order" in panel
