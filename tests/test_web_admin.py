"""The Django admin lists and edits every model without errors."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from goodword.accounts.models import LoginToken
from goodword.accounts.services import issue_login_token
from goodword.opportunities.models import Interview, Listing, Opportunity, StageChange
from goodword.references.models import Reference
from goodword.timeline.models import Event
from tests.factories.opportunities import make_interview, make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event

MODELS = [Reference, Opportunity, StageChange, Interview, Listing, Event, LoginToken]


@pytest.fixture
def staff_client(client, alice):
    superuser = get_user_model().objects.create_superuser("root", "root@example.com", "a long admin password")
    client.force_login(superuser)
    reference = make_reference(alice, name="Dana Whitfield")
    opportunity = make_opportunity(alice, stage="interviewing")
    make_interview(opportunity)
    make_listing(opportunity, reference)
    make_event(reference, "call", opportunity=opportunity)
    issue_login_token(alice)
    return client


def test_every_model_is_registered():
    for model in MODELS:
        assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_search_and_change_pages_render(staff_client, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert staff_client.get(changelist).status_code == 200
    assert staff_client.get(changelist, {"q": "Dana"}).status_code == 200
    obj = model.objects.first()
    assert staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])).status_code == 200


def test_opportunity_admin_shows_the_stage_and_its_inlines(staff_client):
    html = staff_client.get(reverse("admin:opportunities_opportunity_changelist"), {"stage": "interviewing"}).content
    assert b"Interviewing" in html
    opportunity = Opportunity.objects.get()
    html = staff_client.get(reverse("admin:opportunities_opportunity_change", args=[opportunity.pk])).content.decode()
    for prefix in ["stage_changes", "interviews", "listings"]:
        assert f'id="{prefix}-group"' in html
