"""`goodword due`: worst first, filters, JSON, --fail-on, fixed query count."""

import json

import pytest
from click.testing import CliRunner
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goodword.cli import main
from tests.factories.courtesy import log, populate
from tests.factories.opportunities import make_listing, make_opportunity
from tests.factories.references import make_reference

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cli_user(settings, alice):
    settings.GOODWORD_CLI_USER = "alice"
    return alice


def due(*args):
    return CliRunner().invoke(main, ["due", *args], catch_exceptions=False)


@pytest.fixture
def owed(alice):
    """A critical debt (no heads-up at Northwind) and a high one (a letter without a draft at Contoso)."""
    dana = make_reference(alice, name="Dana Whitfield", relationship="manager")
    sam = make_reference(alice, name="Sam Ortiz", relationship="manager")
    northwind = make_opportunity(alice, company="Northwind", stage="references_requested", references_wanted=1)
    contoso = make_opportunity(alice, company="Contoso", role="Data Lead", stage="interviewing")
    make_listing(northwind, dana)
    log(dana, "agreed", northwind)
    make_listing(contoso, sam)
    log(sam, "agreed", contoso)
    log(sam, "letter_requested", contoso)
    return dana, sam, northwind, contoso


def test_due_lists_each_debt_on_one_line_worst_first(owed):
    dana, sam, northwind, contoso = owed
    result = due()
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    critical, high = lines
    assert critical.startswith("CRITICAL") and high.startswith("HIGH")
    assert "Dana Whitfield · Platform Engineer at Northwind — No heads-up: Northwind asked for references" in critical
    assert "[due today," in critical
    assert critical.endswith(f"→ goodword log heads_up --ref {dana.pk} --job {northwind.pk}")
    assert f"goodword log draft_provided --ref {sam.pk} --job {contoso.pk}" in high


def test_due_filters_by_severity_reference_and_opportunity(owed):
    assert len(due("--severity", "critical").output.strip().splitlines()) == 1
    assert len(due("--severity", "high").output.strip().splitlines()) == 2
    by_ref = due("--ref", "Sam").output
    assert "Sam Ortiz" in by_ref and "Dana" not in by_ref
    by_job = due("--job", "Northwind").output
    assert "Northwind" in by_job and "Contoso" not in by_job


def test_due_json_is_stable_for_scripts(owed):
    dana, _sam, northwind, _contoso = owed
    data = json.loads(due("--json").output)
    assert set(data) == {"today", "debts", "hold_announcement", "archived_applications", "archive_after_days"}
    assert (data["archived_applications"], data["archive_after_days"]) == (0, 180)
    first = data["debts"][0]
    assert first["key"] == f"no_heads_up:{dana.pk}:{northwind.pk}"
    assert (first["severity"], first["rule"], first["action"]) == ("critical", "no_heads_up", "heads_up")
    assert first["reference"] == {"id": dana.pk, "name": "Dana Whitfield"}
    assert first["opportunity"]["id"] == northwind.pk and first["due_on"] == data["today"]
    assert first["command"] == f"goodword log heads_up --ref {dana.pk} --job {northwind.pk}"


def test_fail_on_exits_1_only_when_a_debt_at_that_level_is_open(owed):
    assert due("--fail-on", "critical").exit_code == 1
    assert due("--fail-on", "critical", "--job", "Contoso").exit_code == 0
    assert due("--fail-on", "high", "--job", "Contoso").exit_code == 1


def test_a_clear_ledger_says_so_and_passes(alice):
    result = due("--fail-on", "low")
    assert result.exit_code == 0
    assert result.output.strip() == "You owe nobody anything right now."


def test_snoozed_debts_are_left_out(owed, alice):
    import datetime as dt

    from django.utils import timezone

    from goodword.courtesy import services

    dana, _sam, northwind, _contoso = owed
    services.snooze(alice, f"no_heads_up:{dana.pk}:{northwind.pk}", timezone.localdate() + dt.timedelta(days=2))
    assert due("--fail-on", "critical").exit_code == 0


def test_an_unknown_reference_is_a_clear_error_with_status_2(owed):
    result = CliRunner().invoke(main, ["due", "--ref", "Nobody"])
    assert result.exit_code == 2
    assert "No reference matches 'Nobody'" in result.output


def test_another_users_references_cannot_be_named(owed, bob):
    bobs = make_reference(bob, name="Bobs Contact")
    result = CliRunner().invoke(main, ["due", "--ref", str(bobs.pk)])
    assert result.exit_code == 2 and f"No reference has the id {bobs.pk}" in result.output


def test_the_hold_banner_leads_the_output(alice):
    dana = make_reference(alice, name="Dana Whitfield")
    job = make_opportunity(alice, company="Northwind", stage="landed")
    make_listing(job, dana)
    log(dana, "agreed", job)
    output = due().output
    assert output.startswith("HOLD THE ANNOUNCEMENT: Platform Engineer at Northwind: tell Dana Whitfield first.")
    assert json.loads(due("--json").output)["hold_announcement"][0]["untold"] == ["Dana Whitfield"]


DUE_QUERIES = 10  # the user, the ledger's 9 (Django is already set up)


def test_due_costs_the_same_number_of_queries_for_small_and_larger_accounts(alice, django_assert_max_num_queries):
    populate(alice, 3)
    due()  # the first run in a process also sets Django up
    with django_assert_max_num_queries(DUE_QUERIES), CaptureQueriesContext(connection) as small:
        due()
    populate(alice, 40)
    with django_assert_max_num_queries(DUE_QUERIES), CaptureQueriesContext(connection) as large:
        result = due("--json")
    assert len(json.loads(result.output)["debts"]) > 40
    assert len(small.captured_queries) == len(large.captured_queries)


def test_help_shows_examples():
    output = CliRunner().invoke(main, ["due", "--help"]).output
    assert "Examples:" in output and "goodword due --fail-on critical" in output
    assert "due" in CliRunner().invoke(main, ["--help"]).output


def test_due_says_when_ended_applications_are_archived(alice):
    import datetime as dt

    from django.utils import timezone

    from tests.factories.courtesy import move_stage

    dana = make_reference(alice, name="Dana Whitfield", relationship="manager")
    long_ago = timezone.localdate() - dt.timedelta(days=400)
    job = make_opportunity(alice, company="Northwind", stage="references_requested", stage_on=long_ago)
    make_listing(job, dana)
    log(dana, "agreed", job, at=timezone.now() - dt.timedelta(days=399))
    move_stage(job, "rejected", on=long_ago + dt.timedelta(days=5))
    output = due().output
    assert "Northwind" not in output
    assert "(1 application that ended more than 180 days ago is archived and no longer checked" in output
    assert json.loads(due("--json").output)["archived_applications"] == 1
