"""Form defaults seen in the first hour: the event form on a reference page and
the stage form of a closed opportunity."""

import html
import re

import pytest
from django.urls import reverse

from goodword.opportunities.forms import StageForm
from goodword.opportunities.services import change_stage
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference


def shown_option(page, name):
    """The option a browser shows in a select: the selected one, else the first."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    found = re.search(r'<option value="([^"]*)"[^>]*selected', select) or re.search(r'<option value="([^"]*)"', select)
    return found.group(1)


@pytest.fixture
def dana(alice):
    return make_reference(alice, name="Dana Whitfield")


def test_the_event_form_defaults_to_the_references_one_open_opportunity(alice, alice_client, dana):
    acme = make_opportunity(alice, company="Acme", role="Data Engineer", stage="references_requested")
    ended = make_opportunity(alice, company="Globex", role="Analyst", stage="rejected")
    make_listing(acme, dana)
    make_listing(ended, dana)

    page = alice_client.get(reverse("references:detail", args=[dana.pk]) + "?log=1").content.decode()
    assert shown_option(page, "opportunity") == str(acme.pk)

    # With two open applications there is no telling which one: no choice is made.
    make_listing(make_opportunity(alice, company="Initech", stage="interviewing"), dana)
    page = alice_client.get(reverse("references:detail", args=[dana.pk]) + "?log=1").content.decode()
    assert shown_option(page, "opportunity") == ""


def test_logging_a_courtesy_step_about_no_opportunity_says_it_settles_nothing(alice, alice_client, dana):
    url = reverse("timeline:log", args=[dana.pk])
    response = alice_client.post(url, {"kind": "heads_up", "opportunity": ""}, HTTP_HX_REQUEST="true")
    assert "It names no opportunity, so it settles nothing on the ledger." in response.content.decode()

    response = alice_client.post(url, {"kind": "keep_in_touch", "opportunity": ""}, HTTP_HX_REQUEST="true")
    assert "settles nothing" not in response.content.decode()


def test_a_step_about_an_opportunity_they_are_not_listed_for_says_it_settles_nothing(alice, alice_client, dana):
    acme = make_opportunity(alice, company="Acme", stage="references_requested")
    response = alice_client.post(reverse("timeline:log", args=[dana.pk]), {"kind": "agreed", "opportunity": acme.pk},
                                 follow=True)
    assert "not on that opportunity's slate, so it settles nothing" in html.unescape(response.content.decode())


@pytest.mark.parametrize("ending", ["landed", "rejected", "withdrawn", "declined"])
def test_a_closed_opportunitys_stage_form_does_not_default_to_lead(alice, alice_client, ending):
    job = make_opportunity(alice, stage="offer" if ending in ("landed", "declined") else "interviewing")
    change_stage(job, ending)
    job.forget_stage()

    page = alice_client.get(reverse("opportunities:detail", args=[job.pk])).content.decode()
    assert shown_option(page, "stage") == ""
    response = alice_client.post(reverse("opportunities:stage", args=[job.pk]), {"stage": "", "changed_on": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    # An open application still suggests its usual next stage.
    assert StageForm(opportunity=make_opportunity(alice, stage="interviewing"))["stage"].value() == "references_requested"


