"""`goodword portal`, `goodword digest` and `goodword export ics`."""


import icalendar
import pytest
from click.testing import CliRunner

from goodword.cli import main
from goodword.cli.portal import SHARES
from goodword.portal import services as portal
from goodword.portal.models import PortalLink, Share
from goodword.reminders.models import DigestDay, ReminderSettings
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cli_user(settings, alice):
    settings.GOODWORD_CLI_USER = "alice"
    return alice


@pytest.fixture
def slate(alice):
    job = make_opportunity(alice, company="Northwind Traders", role="Platform Engineer", stage="references_requested")
    dana = make_reference(alice, name="Dana Whitfield")
    return make_listing(job, dana)


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_cli_share_choices_mirror_the_model():
    assert SHARES == Share.values


def test_portal_prints_a_working_link_with_the_chosen_shares(slate, client):
    result = run("portal", "Northwind", "Dana", "--share", "letter")
    assert result.exit_code == 0, result.output
    url = result.stdout.strip().splitlines()[0]
    token = url.rstrip("/").rsplit("/", 1)[1]
    found = portal.resolve(token)
    assert found.status == "live" and found.link.listing == slate and found.link.shared == ["letter"]


def test_portal_revoke_stops_the_link(slate):
    url = run("portal", "Northwind", "Dana").stdout.strip().splitlines()[0]
    result = run("portal", "Northwind", "Dana", "--revoke")
    assert result.exit_code == 0 and "Revoked" in result.output
    assert portal.resolve(url.rstrip("/").rsplit("/", 1)[1]).status == "revoked"
    assert not PortalLink.objects.filter(revoked_at__isnull=True).exists()


def test_portal_for_a_reference_not_on_the_slate_is_a_clear_error(slate, alice):
    make_reference(alice, name="Omar Other")
    result = run("portal", "Northwind", "Omar")
    assert result.exit_code == 1 and "not on the slate" in result.output


def test_portal_cannot_name_another_users_listing(slate, bob):
    bobs_job = make_opportunity(bob, company="Bob Industries")
    result = run("portal", str(bobs_job.pk), "Dana")
    assert result.exit_code == 2 and "No opportunity has the id" in result.output


def test_digest_print_shows_what_is_due_and_sends_nothing(slate):
    result = run("digest")
    assert result.exit_code == 0
    assert "Dana Whitfield" in result.output and "[CRITICAL]" in result.output
    assert not DigestDay.objects.exists()


def test_digest_print_says_when_nothing_is_due(alice):
    assert "Nothing is due" in run("digest", "--print").output


def test_digest_send_sends_once_a_day(slate, alice, mailoutbox):
    ReminderSettings.objects.create(user=alice, digest_address="alice.digest@example.com")
    assert "Sent" in run("digest", "--send").output
    assert "already" in run("digest", "--send").output
    assert len(mailoutbox) == 1


def test_export_ics_writes_a_calendar_file(slate, tmp_path):
    target = tmp_path / "goodword.ics"
    result = run("export", "ics", str(target))
    assert result.exit_code == 0, result.output
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    assert any("Dana Whitfield" in str(e["description"]) for e in calendar.walk("VEVENT"))


def test_export_is_a_group_with_help():
    result = run("export", "--help")
    assert result.exit_code == 0 and "ics" in result.output
