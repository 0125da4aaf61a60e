"""Facts are things that happened: the web, the CLI and the API refuse future dates alike."""

import datetime as dt

import pytest
from click.testing import CliRunner
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from goodword.cli import main
from goodword.opportunities import services as opportunity_services
from goodword.opportunities.models import StageChange
from goodword.timeline.models import Event
from tests.factories.opportunities import make_opportunity
from tests.factories.references import make_reference

NEXT_YEAR = timezone.localdate() + dt.timedelta(days=365)


def test_event_in_the_future_is_refused_on_the_web_with_a_field_message(alice, alice_client):
    reference = make_reference(alice)
    response = alice_client.post(reverse("timeline:log", args=[reference.pk]), {
        "kind": "call", "occurred_at": f"{NEXT_YEAR:%Y-%m-%d}T10:00", "note": "not yet",
    }, follow=True)
    assert "is in the future; log what has already happened." in response.content.decode()
    assert not Event.objects.filter(reference=reference).exists()


def test_stage_change_in_the_future_is_refused_everywhere(alice, settings):
    settings.GOODWORD_CLI_USER = "alice"
    opportunity = make_opportunity(alice, company="Northwind Traders", stage="applied")
    with pytest.raises(ValidationError, match="in the future"):
        opportunity_services.change_stage(opportunity, "offer", on=NEXT_YEAR)
    result = CliRunner().invoke(main, ["job", "stage", "Northwind", "offer", "--on", NEXT_YEAR.isoformat()])
    assert result.exit_code != 0 and "in the future" in result.output
    assert StageChange.objects.filter(opportunity=opportunity).count() == 1


def test_new_opportunity_cannot_start_at_a_future_stage_date(alice, alice_client):
    response = alice_client.post(reverse("opportunities:create"), {
        "company": "Globex", "role": "SRE", "stage": "applied", "stage_on": NEXT_YEAR.isoformat(),
        "references_wanted": 3,
    })
    assert "is in the future" in response.content.decode()
    assert not alice.opportunities.exists()


def test_known_since_and_consent_dates_cannot_be_in_the_future(alice):
    with pytest.raises(ValidationError) as refused:
        make_reference(alice, known_since=NEXT_YEAR, consent_given_on=NEXT_YEAR)
    assert set(refused.value.message_dict) == {"known_since", "consent_given_on"}
