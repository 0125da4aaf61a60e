"""`goodword slate …` and `goodword log …` against the real database, acting as alice."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from django.utils import timezone

from goodword.cli import main
from goodword.opportunities.models import Listing
from goodword.timeline.models import Event
from tests.cli import error_lines
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference


@pytest.fixture
def northwind(alice):
    return make_opportunity(alice, company="Northwind Traders", role="Platform Engineer", stage="references_requested")


def slate_names(job):
    return [row.reference.name for row in Listing.objects.filter(opportunity=job).select_related("reference")]


def test_slate_add_lists_references_in_order_and_asks_for_permission_first(run, alice, northwind):
    make_reference(alice, name="Dana Whitfield")
    make_reference(alice, name="Priya Venkataraman")
    result = run("slate", "add", "Northwind", "Dana", "Priya")
    assert result.exit_code == 0, result.output
    assert "Added Dana Whitfield, Priya Venkataraman to the slate" in result.output
    assert "goodword log permission_asked" in result.output
    assert slate_names(northwind) == ["Dana Whitfield", "Priya Venkataraman"]


def test_slate_show_json_is_ordered_with_derived_states(run, alice, northwind):
    dana = make_reference(alice, name="Dana Whitfield")
    make_listing(northwind, dana)
    make_listing(northwind, make_reference(alice, name="Priya Venkataraman", relationship="peer"))
    run("log", "heads-up", "--ref", "Dana", "--job", "Northwind")
    data = json.loads(run("slate", "show", "Northwind", "--json").stdout)
    assert data["opportunity"]["id"] == northwind.pk and data["opportunity"]["stage"] == "references_requested"
    first, second = data["slate"]
    assert set(first) == {"id", "position", "reference", "state", "state_label", "listed_at"}
    assert set(first["reference"]) == {"id", "name", "relationship", "status", "title", "organisation"}
    assert (first["position"], first["reference"]["id"], first["state"]) == (1, dana.pk, "heads_up")
    assert (second["position"], second["reference"]["relationship"], second["state_label"]) == (2, "peer", "Listed")


def test_slate_show_prints_each_listing_with_its_state(run, alice, northwind):
    make_listing(northwind, make_reference(alice, name="Dana Whitfield"))
    output = run("slate", "show", "Northwind").output
    assert "1 listed, 3 wanted" in output and "1. Dana Whitfield" in output and "— Listed" in output


def test_slate_move_and_rm(run, alice, northwind):
    for name in ("Ann", "Ben", "Cleo"):
        make_listing(northwind, make_reference(alice, name=name))
    assert run("slate", "move", "Northwind", "Cleo", "--up").exit_code == 0
    assert slate_names(northwind) == ["Ann", "Cleo", "Ben"]
    assert run("slate", "move", "Northwind", "Ann", "--down").exit_code == 0
    assert slate_names(northwind) == ["Cleo", "Ann", "Ben"]
    assert "Ben is already last on the slate." in run("slate", "move", "Northwind", "Ben", "--down").output
    assert slate_names(northwind) == ["Cleo", "Ann", "Ben"]
    assert run("slate", "move", "Northwind", "Ann").exit_code == 2
    result = run("slate", "rm", "Northwind", "Ann")
    assert result.exit_code == 0 and "Took Ann off the slate" in result.output
    assert slate_names(northwind) == ["Cleo", "Ben"]
    positions = [row["position"] for row in json.loads(run("slate", "show", "Northwind", "--json").stdout)["slate"]]
    assert positions == [1, 2]
    assert run("slate", "rm", "Northwind", "Ann").exit_code == 2


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("duplicate", "Dana Whitfield is already on the slate"),
        ("do_not_use", "Greg Pellman is marked do-not-use; change their status first."),
    ],
)
def test_slate_add_refusals_are_one_line_and_add_nobody(run, alice, northwind, setup, message):
    dana = make_reference(alice, name="Dana Whitfield")
    make_reference(alice, name="Greg Pellman", status="do_not_use")
    if setup == "duplicate":
        make_listing(northwind, dana)
        result = run("slate", "add", "Northwind", "Dana")
    else:
        # Priya comes first and would be added, but the whole command is all or nothing.
        make_reference(alice, name="Priya Venkataraman")
        result = run("slate", "add", "Northwind", "Priya", "Greg")
    assert result.exit_code == 1
    [line] = error_lines(result)
    assert message in line
    assert slate_names(northwind) == (["Dana Whitfield"] if setup == "duplicate" else [])


def test_slate_ignores_other_users_jobs_and_references(run, alice, bob, northwind):
    theirs = make_opportunity(bob, company="Bob Industries")
    bobs_ref = make_reference(bob, name="Barbara Bobson")
    make_listing(theirs, bobs_ref)
    assert run("slate", "show", theirs.pk).exit_code == 2
    result = run("slate", "add", "Northwind", "Barbara")
    assert result.exit_code == 2 and "No reference matches 'Barbara'" in result.output
    assert run("slate", "add", "Northwind", bobs_ref.pk).exit_code == 2
    assert run("slate", "rm", theirs.pk, bobs_ref.pk).exit_code == 2
    assert slate_names(northwind) == [] and slate_names(theirs) == ["Barbara Bobson"]


def test_log_records_an_event_and_reports_the_listing_state(run, alice, northwind):
    dana = make_reference(alice, name="Dana Whitfield")
    make_listing(northwind, dana)
    result = run("log", "heads-up", "--ref", "Dana", "--job", "Northwind", "--channel", "phone",
                 "--when", "2 days ago", "--note", "Sofia will call")
    assert result.exit_code == 0, result.output
    assert "Logged “Heads-up sent” for Dana Whitfield about Platform Engineer at Northwind Traders" in result.output
    assert "now at: Heads-up sent" in result.output
    event = Event.objects.for_user(alice).get()
    assert (event.kind, event.channel, event.note, event.opportunity_id) == ("heads_up", "phone", "Sofia will call", northwind.pk)
    assert abs(event.occurred_at - (timezone.now() - dt.timedelta(days=2))) < dt.timedelta(minutes=1)


def test_log_without_a_job_and_with_a_date(run, alice):
    make_reference(alice, name="Hiroshi Tanaka")
    result = run("log", "keep_in_touch", "--ref", "Hiroshi", "--when", "2026-01-10", "--channel", "in-person")
    assert result.exit_code == 0, result.output
    event = Event.objects.for_user(alice).get()
    assert (event.kind, event.channel, event.opportunity_id) == ("keep_in_touch", "in_person", None)
    assert f"{timezone.localtime(event.occurred_at):%Y-%m-%d %H:%M}" == "2026-01-10 12:00"


def test_log_today_never_lands_in_the_future(run, alice):
    make_reference(alice, name="Dana Whitfield")
    assert run("log", "call", "--ref", "Dana", "--when", "today").exit_code == 0
    assert Event.objects.for_user(alice).get().occurred_at <= timezone.now()


def test_log_help_lists_the_kinds():
    result = CliRunner().invoke(main, ["log", "--help"])
    assert result.exit_code == 0
    for kind in ("permission-asked", "heads-up", "draft-provided", "keep-in-touch", "Letter draft provided"):
        assert kind in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pigeon", "--ref", "Dana"], "'pigeon' is not one of"),
        (["call", "--ref", "Dana", "--channel", "carrier-pigeon"], "'carrier_pigeon' is not one of"),
        (["call", "--ref", "Dana", "--when", "whenever"], "'whenever' is not a time"),
        (["call", "--ref", "Dana", "--when", "2099-01-01"], "is in the future"),
        (["call", "--ref", "Dana", "--when", "2999-01-01"], "outside the dates Goodword accepts"),
        (["call", "--ref", "Nobody"], "No reference matches 'Nobody'."),
        (["call", "--ref", "Dana", "--job", "Nowhere"], "No opportunity matches 'Nowhere'."),
    ],
)
def test_log_bad_input_is_one_line_and_logs_nothing(run, alice, args, message):
    make_reference(alice, name="Dana Whitfield")
    result = run("log", *args)
    assert result.exit_code == 2
    [line] = error_lines(result)
    assert message in line
    assert not Event.objects.exists()


def test_log_never_reaches_another_users_reference(run, alice, bob):
    theirs = make_reference(bob, name="Dana Smith")
    assert run("log", "call", "--ref", theirs.pk).exit_code == 2
    assert run("log", "call", "--ref", "Dana").exit_code == 2
    assert not Event.objects.exists()
