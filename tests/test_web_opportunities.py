"""Opportunity pages: the pipeline, create/edit/delete, stages, interviews and the slate."""

import datetime as dt

import pytest
from django.urls import reverse

from goodword.opportunities.models import Interview, Listing, Opportunity, StageChange
from goodword.timeline.models import Event
from tests.factories.opportunities import make_interview, make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event


def opportunity_form(**overrides):
    data = {
        "company": "Globex",
        "role": "Staff Engineer",
        "stage": "applied",
        "stage_on": "2026-01-12",
        "posting_url": "https://jobs.example.com/globex/staff",
        "references_wanted": "4",
        "checker_name": "Morgan Lee",
        "checker_email": "morgan@globex.example",
    }
    data.update(overrides)
    return data


def slate_names(opportunity):
    return list(Listing.objects.filter(opportunity=opportunity).values_list("reference__name", flat=True))


# Pipeline --------------------------------------------------------------------

def test_the_pipeline_groups_opportunities_by_stage_in_order(alice, alice_client):
    make_opportunity(alice, company="Acme", role="Offer Role", stage="offer")
    make_opportunity(alice, company="Acme", role="Lead Role", stage="lead")
    make_opportunity(alice, company="Acme", role="Rejected Role", stage="rejected")
    html = alice_client.get(reverse("opportunities:list")).content.decode()
    assert html.index('id="stage-lead"') < html.index('id="stage-offer"') < html.index('id="stage-rejected"')
    assert html.index("Lead Role") < html.index("Offer Role") < html.index("Rejected Role")


def test_the_pipeline_filters_by_stage(alice, alice_client):
    make_opportunity(alice, role="Offer Role", stage="offer")
    make_opportunity(alice, role="Lead Role", stage="lead")
    html = alice_client.get(reverse("opportunities:list"), {"stage": "offer"}).content.decode()
    assert "Offer Role" in html
    assert "Lead Role" not in html
    # An unknown stage is ignored rather than an error.
    assert alice_client.get(reverse("opportunities:list"), {"stage": "bogus"}).status_code == 200


# Create, edit, delete --------------------------------------------------------

def test_creating_an_opportunity_records_its_initial_stage(alice, alice_client):
    response = alice_client.post(reverse("opportunities:create"), opportunity_form(), follow=True)
    opportunity = Opportunity.objects.for_user(alice).get()
    assert (opportunity.stage, opportunity.stage_since) == ("applied", dt.date(2026, 1, 12))
    assert opportunity.references_wanted == 4
    assert "Saved Staff Engineer at Globex." in response.content.decode()


def test_an_invalid_url_and_email_are_field_errors(alice_client):
    response = alice_client.post(
        reverse("opportunities:create"),
        opportunity_form(posting_url="javascript:alert(1)", checker_email="morgan@"),
    )
    errors = response.context["form"].errors
    assert errors["posting_url"] == ["Enter a valid URL."]
    assert errors["checker_email"] == ["Enter a valid email address."]
    assert not Opportunity.objects.exists()
    assert not StageChange.objects.exists()


def test_a_missing_company_is_a_field_error_and_nothing_is_saved(alice_client):
    response = alice_client.post(reverse("opportunities:create"), opportunity_form(company=""))
    assert response.context["form"].errors["company"] == ["This field is required."]
    assert not Opportunity.objects.exists()


def test_editing_an_opportunity_keeps_its_stage(alice, alice_client):
    opportunity = make_opportunity(alice, stage="interviewing")
    data = opportunity_form(role="Principal Engineer")
    alice_client.post(reverse("opportunities:edit", args=[opportunity.pk]), data)
    opportunity = Opportunity.objects.for_user(alice).get()
    assert opportunity.role == "Principal Engineer"
    assert opportunity.stage == "interviewing"


def test_deleting_an_opportunity_asks_first_and_keeps_the_references_timeline(alice, alice_client):
    opportunity = make_opportunity(alice)
    reference = make_reference(alice)
    make_listing(opportunity, reference)
    make_interview(opportunity)
    event = make_event(reference, "heads_up", opportunity=opportunity)
    url = reverse("opportunities:delete", args=[opportunity.pk])
    html = alice_client.get(url).content.decode()
    assert "1 interview" in html and "1 reference" in html and "stay on your references" in html

    alice_client.post(url)
    assert not Opportunity.objects.exists()
    assert not Listing.objects.exists()
    assert not Interview.objects.exists()
    event.refresh_from_db()
    assert event.opportunity is None


# Stage -----------------------------------------------------------------------

def test_changing_the_stage_with_htmx_returns_the_stage_fragment(alice, alice_client):
    opportunity = make_opportunity(alice, stage="applied", stage_on=dt.date(2026, 1, 5))
    response = alice_client.post(
        reverse("opportunities:stage", args=[opportunity.pk]),
        {"stage": "interviewing", "changed_on": "2026-01-20", "note": "First call booked"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="stage"' in html
    assert "First call booked" in html
    assert Opportunity.objects.for_user(alice).get().stage == "interviewing"


def test_changing_the_stage_without_htmx_redirects(alice, alice_client):
    opportunity = make_opportunity(alice, stage="applied", stage_on=dt.date(2026, 1, 5))
    response = alice_client.post(
        reverse("opportunities:stage", args=[opportunity.pk]), {"stage": "offer", "changed_on": "2026-02-01"}
    )
    assert response["Location"] == opportunity.get_absolute_url() + "#stage"
    assert Opportunity.objects.for_user(alice).get().stage == "offer"


@pytest.mark.parametrize("htmx", [False, True])
def test_a_stage_date_before_the_previous_change_is_a_field_error(alice, alice_client, htmx):
    opportunity = make_opportunity(alice, stage="applied", stage_on=dt.date(2026, 3, 1))
    response = alice_client.post(
        reverse("opportunities:stage", args=[opportunity.pk]),
        {"stage": "interviewing", "changed_on": "2026-02-01"},
        headers={"HX-Request": "true"} if htmx else {},
    )
    assert response.status_code == 200
    errors = response.context["stage_form"].errors
    assert "is before the previous change" in errors["changed_on"][0]
    assert "stage dates must move forward" in response.content.decode()
    assert StageChange.objects.filter(opportunity=opportunity).count() == 1


def test_the_same_stage_again_is_a_field_error(alice, alice_client):
    opportunity = make_opportunity(alice, stage="applied")
    response = alice_client.post(
        reverse("opportunities:stage", args=[opportunity.pk]),
        {"stage": "applied", "changed_on": dt.date.today().isoformat()},
    )
    assert "already at" in response.context["stage_form"].errors["stage"][0]


def test_the_detail_page_shows_stage_history_and_suggests_the_next_stage(alice, alice_client):
    opportunity = make_opportunity(alice, stage="applied", stage_on=dt.date(2026, 1, 5))
    html = alice_client.get(opportunity.get_absolute_url()).content.decode()
    assert "5 Jan 2026" in html
    assert '<option value="interviewing" selected>' in html


# Interviews ------------------------------------------------------------------

def test_adding_editing_and_deleting_an_interview(alice, alice_client):
    opportunity = make_opportunity(alice)
    response = alice_client.post(
        reverse("opportunities:interview_create", args=[opportunity.pk]),
        {"when": "2026-02-10T14:00", "format": "panel", "with_whom": "Priya Raman",
         "questions": "Walk us through an outage", "strong_points": "Calm under pressure",
         "weak_points": "Little Go experience", "notes": "Ask Dana to mention the Go rewrite"},
    )
    assert response["Location"] == opportunity.get_absolute_url() + "#interviews"
    interview = Interview.objects.get(opportunity=opportunity)
    html = alice_client.get(opportunity.get_absolute_url()).content.decode()
    for text in ["Priya Raman", "Walk us through an outage", "Calm under pressure", "Little Go experience"]:
        assert text in html

    alice_client.post(
        reverse("opportunities:interview_edit", args=[interview.pk]),
        {"when": "2026-02-10T15:00", "format": "video", "with_whom": "Priya Raman and Tom"},
    )
    interview.refresh_from_db()
    assert (interview.format, interview.with_whom) == ("video", "Priya Raman and Tom")

    assert "Delete this interview?" in alice_client.get(
        reverse("opportunities:interview_delete", args=[interview.pk])
    ).content.decode()
    alice_client.post(reverse("opportunities:interview_delete", args=[interview.pk]))
    assert not Interview.objects.exists()


def test_an_interview_without_a_date_is_a_field_error(alice, alice_client):
    opportunity = make_opportunity(alice)
    response = alice_client.post(
        reverse("opportunities:interview_create", args=[opportunity.pk]), {"when": "", "format": "panel"}
    )
    assert "when" in response.context["form"].errors
    assert not Interview.objects.exists()


# Slate -----------------------------------------------------------------------

def test_adding_to_the_slate_with_htmx_returns_the_slate_fragment(alice, alice_client):
    opportunity = make_opportunity(alice)
    reference = make_reference(alice, name="Dana Whitfield")
    response = alice_client.post(
        reverse("opportunities:slate_add", args=[opportunity.pk]),
        {"reference": reference.pk},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="slate"' in html
    assert "Added Dana Whitfield to the slate." in html
    assert "state-listed" in html
    assert slate_names(opportunity) == ["Dana Whitfield"]


def test_adding_to_the_slate_without_htmx_redirects(alice, alice_client):
    opportunity = make_opportunity(alice)
    reference = make_reference(alice, name="Dana Whitfield")
    response = alice_client.post(
        reverse("opportunities:slate_add", args=[opportunity.pk]), {"reference": reference.pk}, follow=True
    )
    assert response.redirect_chain[-1][0] == opportunity.get_absolute_url() + "#slate"
    assert "Added Dana Whitfield to the slate." in response.content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_duplicate_listing_gives_a_clear_message_and_no_second_row(alice, alice_client, htmx):
    opportunity = make_opportunity(alice, company="Globex", role="Staff Engineer")
    reference = make_reference(alice, name="Dana Whitfield")
    make_listing(opportunity, reference)
    response = alice_client.post(
        reverse("opportunities:slate_add", args=[opportunity.pk]),
        {"reference": reference.pk},
        headers={"HX-Request": "true"} if htmx else {},
    )
    assert response.status_code == 200
    assert "Dana Whitfield is already on the slate for Staff Engineer at Globex." in response.content.decode()
    assert Listing.objects.filter(opportunity=opportunity).count() == 1


def test_a_do_not_use_reference_is_refused_with_a_reason(alice, alice_client):
    opportunity = make_opportunity(alice)
    reference = make_reference(alice, name="Burnt Bridge", status="do_not_use")
    response = alice_client.post(reverse("opportunities:slate_add", args=[opportunity.pk]), {"reference": reference.pk})
    assert "marked do-not-use" in response.content.decode()
    assert not Listing.objects.exists()


def test_moving_and_removing_slate_rows(alice, alice_client):
    opportunity = make_opportunity(alice)
    first, second, third = (make_reference(alice, name=name) for name in ["Ann", "Ben", "Cat"])
    listings = [make_listing(opportunity, ref) for ref in (first, second, third)]

    response = alice_client.post(
        reverse("opportunities:slate_move", args=[listings[2].pk]), {"direction": "up"}, headers={"HX-Request": "true"}
    )
    assert 'id="slate"' in response.content.decode()
    assert slate_names(opportunity) == ["Ann", "Cat", "Ben"]

    response = alice_client.post(reverse("opportunities:slate_move", args=[listings[0].pk]), {"direction": "down"})
    assert response["Location"] == opportunity.get_absolute_url() + "#slate"
    assert slate_names(opportunity) == ["Cat", "Ann", "Ben"]

    alice_client.post(reverse("opportunities:slate_remove", args=[listings[0].pk]), headers={"HX-Request": "true"})
    assert slate_names(opportunity) == ["Cat", "Ben"]


def test_the_slate_shows_each_listings_derived_state(alice, alice_client):
    opportunity = make_opportunity(alice)
    reference = make_reference(alice, name="Dana Whitfield")
    make_listing(opportunity, reference)
    make_event(reference, "heads_up", opportunity=opportunity, note="Heads-up about the panel")
    html = alice_client.get(opportunity.get_absolute_url()).content.decode()
    assert 'class="state state-heads_up">Heads-up sent<' in html
    # ...and the event itself is listed under the opportunity.
    assert "Heads-up about the panel" in html


def test_slate_actions_answer_405_to_a_get(alice, alice_client):
    opportunity = make_opportunity(alice)
    listing = make_listing(opportunity, make_reference(alice))
    assert alice_client.get(reverse("opportunities:slate_move", args=[listing.pk])).status_code == 405
    assert Listing.objects.count() == 1
    assert Event.objects.count() == 0


def test_the_pipeline_shows_the_latest_of_each_stage_and_pages_through_one_stage(alice, alice_client):
    from goodword.opportunities.views import CLOSED_SHOWN, PAGE_SIZE

    GROUP_SHOWN = CLOSED_SHOWN  # rejected is a closed stage  # noqa: N806
    start = dt.date(2026, 1, 1)
    for n in range(PAGE_SIZE + 5):  # Rejecter 54 is the latest
        make_opportunity(alice, company=f"Rejecter {n:02d}", stage="rejected", stage_on=start + dt.timedelta(days=n))
    make_opportunity(alice, company="Still Open", stage="applied")
    html = alice_client.get(reverse("opportunities:list")).content.decode()
    assert html.count("Rejecter ") == GROUP_SHOWN and "Still Open" in html
    shown = [f"Rejecter {n:02d}" for n in range(PAGE_SIZE + 4, PAGE_SIZE + 4 - GROUP_SHOWN, -1)]
    assert [html.index(name) for name in shown] == sorted(html.index(name) for name in shown)  # newest first
    assert "Rejecter 00" not in html and "0 listed" in html
    assert f'<span class="count">{PAGE_SIZE + 5}</span>' in html
    assert f'The latest {GROUP_SHOWN} shown. <a href="?stage=rejected">All {PAGE_SIZE + 5} rejected</a>' in html

    first = alice_client.get(reverse("opportunities:list"), {"stage": "rejected"}).content.decode()
    assert first.count("Rejecter ") == PAGE_SIZE and "Still Open" not in first
    assert "Page 1 of 2" in first and 'href="?stage=rejected&amp;page=2"' in first
    second = alice_client.get(reverse("opportunities:list"), {"stage": "rejected", "page": 2}).content.decode()
    assert second.count("Rejecter ") == 5 and "Rejecter 00" in second and "Rejecter 05" not in second


def test_the_pipeline_costs_the_same_queries_for_few_and_many_opportunities(
        alice, alice_client, django_assert_max_num_queries):
    make_opportunity(alice, company="Only One", stage="applied")
    # 4 for the page; the badge's ledger (9) with its stamp (2 on a first view) and its count kept (1);
    # the first page after sign-in moves the session's idle timer (3)
    with django_assert_max_num_queries(19) as few:
        alice_client.get(reverse("opportunities:list"))
    for n in range(30):
        make_opportunity(alice, company=f"Many {n}", stage="rejected")
    with django_assert_max_num_queries(len(few.captured_queries)):
        alice_client.get(reverse("opportunities:list"))


def test_a_listing_across_two_reference_books_is_refused_by_the_model(alice, bob):
    from django.core.exceptions import ValidationError

    listing = Listing(opportunity=make_opportunity(alice), reference=make_reference(bob, name="Bob's Friend"))
    with pytest.raises(ValidationError, match="someone else's reference book"):
        listing.full_clean()


def test_an_unknown_stage_in_the_address_says_so_and_shows_every_stage(alice, alice_client):
    make_opportunity(alice, company="Globex", stage="applied")
    html = alice_client.get(reverse("opportunities:list"), {"stage": "<b>bogus</b>"}).content.decode()
    assert "There is no stage “&lt;b&gt;bogus&lt;/b&gt;”: showing every stage." in html and "Globex" in html
