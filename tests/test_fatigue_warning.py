"""The fatigue warning shows at the moment a tired reference is listed again, on the web and in the CLI."""

from click.testing import CliRunner
from django.urls import reverse

from goodword.cli import main
from goodword.opportunities.models import Listing
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference


def tired_reference(owner):
    reference = make_reference(owner, name="Dana Whitfield")
    for company in ("Acme", "Globex", "Initech"):
        make_listing(make_opportunity(owner, company=company), reference)
    return reference


def test_listing_a_tired_reference_on_the_web_warns_and_still_lists(alice, alice_client):
    reference = tired_reference(alice)
    fourth = make_opportunity(alice, company="Northwind Traders")
    response = alice_client.post(
        reverse("opportunities:slate_add", args=[fourth.pk]), {"reference": reference.pk}, follow=True
    )
    html = response.content.decode()
    assert "Added Dana Whitfield to the slate." in html
    assert "one more makes 4" in html and "a rest" in html
    assert Listing.objects.filter(opportunity=fourth, reference=reference).exists()


def test_listing_a_rested_reference_on_the_web_gives_no_warning(alice, alice_client):
    reference = make_reference(alice, name="Sam Okafor")
    opportunity = make_opportunity(alice)
    response = alice_client.post(
        reverse("opportunities:slate_add", args=[opportunity.pk]), {"reference": reference.pk}, follow=True
    )
    assert "a rest" not in response.content.decode()


def test_listing_a_tired_reference_in_the_cli_warns_on_stderr(alice, settings):
    settings.GOODWORD_CLI_USER = "alice"
    tired_reference(alice)
    make_opportunity(alice, company="Northwind Traders")
    result = CliRunner().invoke(main, ["slate", "add", "Northwind", "Dana"])
    assert result.exit_code == 0, result.output
    assert "Warning: Dana Whitfield has been put forward 3 times" in result.stderr
    assert "Added Dana Whitfield" in result.stdout
