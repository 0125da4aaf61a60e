"""`goodword job …` against the real database, acting as alice."""

import datetime as dt
import json

from django.utils import timezone

from goodword.opportunities.models import Interview, Opportunity, StageChange
from goodword.timeline.models import Event
from tests.cli import error_lines
from tests.factories.opportunities import make_interview, make_listing, make_opportunity
from tests.factories.references import make_reference
from tests.factories.timeline import make_event


def test_job_add_with_options_records_the_first_stage(run, alice, tmp_path):
    posting = tmp_path / "posting.txt"
    posting.write_text("We need someone who has led migrations.\n", encoding="utf-8")
    result = run(
        "job", "add", "Northwind Traders", "Platform Engineer", "--stage", "applied", "--on", "2026-01-10",
        "--url", "https://northwind.example/jobs/1", "--posting-file", posting, "--wanted", "4",
        "--checker-name", "Sofia Marquez", "--checker-email", "sofia@northwind.example", "--checker-phone", "+1 206 555 0187",
        "--start-date", "2026-03-01", "--notes", "Referred by Priya",
    )
    assert result.exit_code == 0, result.output
    job = Opportunity.objects.for_user(alice).get()
    assert result.output.strip() == f"Added Platform Engineer at Northwind Traders (id {job.pk}), applied."
    assert (job.stage, str(job.stage_since)) == ("applied", "2026-01-10")
    assert job.posting_text == "We need someone who has led migrations."
    assert (job.references_wanted, job.checker_email, str(job.start_date)) == (4, "sofia@northwind.example", "2026-03-01")


def test_job_add_reads_the_posting_from_standard_input(run, alice):
    result = run("job", "add", "Meridian", "Staff Engineer", "--posting-file", "-", input="Text from a pipe")
    assert result.exit_code == 0, result.output
    assert Opportunity.objects.for_user(alice).get().posting_text == "Text from a pipe"


def test_job_list_filters_by_stage_and_open_and_hides_other_users(run, alice, bob):
    make_opportunity(alice, company="Northwind", stage="interviewing")
    make_opportunity(alice, company="Quarry Lane", stage="rejected")
    make_opportunity(bob, company="Bob Industries")
    output = run("job", "list").output
    assert "Northwind" in output and "Quarry Lane" in output and "Bob Industries" not in output
    assert "Quarry Lane" not in run("job", "list", "--open").output
    assert "Northwind" not in run("job", "list", "--stage", "rejected").output


def test_job_list_json_has_the_documented_fields(run, alice):
    job = make_opportunity(alice, company="Northwind")
    make_listing(job, make_reference(alice))
    [row] = json.loads(run("job", "list", "--json").stdout)
    assert set(row) == set(Opportunity.objects.for_user(alice).get().as_dict()) | {"slate_size"}
    assert (row["company"], row["stage"], row["slate_size"]) == ("Northwind", "applied", 1)


def test_job_show_json_nests_history_interviews_slate_and_events(run, alice):
    job = make_opportunity(alice, company="Northwind", stage="applied", stage_on=_days_ago(20), posting_text="Posting")
    services_change(job, "references_requested", _days_ago(2))
    make_interview(job, strong_points="Incident leadership")
    dana = make_reference(alice, name="Dana Whitfield")
    priya = make_reference(alice, name="Priya Venkataraman")
    make_listing(job, dana)
    make_listing(job, priya)
    make_event(dana, "agreed", opportunity=job)
    data = json.loads(run("job", "show", "Northwind", "--json").stdout)
    assert data["id"] == job.pk and data["posting_text"] == "Posting"
    assert [change["stage"] for change in data["stage_history"]] == ["applied", "references_requested"]
    assert data["interviews"][0]["strong_points"] == "Incident leadership"
    assert [(row["position"], row["reference"]["name"], row["state"]) for row in data["slate"]] == [
        (1, "Dana Whitfield", "agreed"), (2, "Priya Venkataraman", "listed")
    ]
    assert [event["kind"] for event in data["events"]] == ["agreed"]


def test_job_show_prints_every_section(run, alice):
    job = make_opportunity(alice, company="Northwind", role="Platform Engineer")
    make_interview(job, with_whom="Priya Raman", weak_points="Kubernetes depth")
    make_listing(job, make_reference(alice, name="Dana Whitfield"))
    output = run("job", "show", job.pk).output
    for text in ("Platform Engineer at Northwind", "Stage history:", "Priya Raman", "Doubts: Kubernetes depth",
                 "1. Dana Whitfield (Manager) — Listed", "Events (0"):
        assert text in output


def test_job_stage_moves_forward_and_nudges_about_heads_ups(run, alice):
    job = make_opportunity(alice, company="Northwind", stage="interviewing")
    make_listing(job, make_reference(alice))
    result = run("job", "stage", "Northwind", "references-requested", "--note", "Three wanted")
    assert result.exit_code == 0, result.output
    assert "is now references requested" in result.output and "heads-up" in result.output
    job = Opportunity.objects.for_user(alice).get()
    assert job.stage == "references_requested"
    assert StageChange.objects.for_user(alice).latest("id").note == "Three wanted"


def test_job_stage_before_the_previous_change_is_one_line_and_saves_nothing(run, alice):
    make_opportunity(alice, company="Northwind", stage="interviewing", stage_on=timezone.localdate())
    result = run("job", "stage", "Northwind", "offer", "--on", "2001-01-01")
    assert result.exit_code == 1
    [line] = error_lines(result)
    assert line.startswith("Error: --on: 01 Jan 2001 is before the previous change")
    assert StageChange.objects.for_user(alice).count() == 1


def test_job_interview_records_points_to_confirm_and_reinforce(run, alice):
    make_opportunity(alice, company="Northwind")
    result = run("job", "interview", "Northwind", "--when", "2026-01-15 14:30", "--with", "Priya (panel)",
                 "--format", "panel", "--questions", "A migration you led", "--confirm", "Incident leadership",
                 "--reinforce", "Kubernetes depth", "--notes", "Went well")
    assert result.exit_code == 0, result.output
    interview = Interview.objects.for_user(alice).get()
    assert (interview.with_whom, interview.format, interview.strong_points, interview.weak_points) == (
        "Priya (panel)", "panel", "Incident leadership", "Kubernetes depth"
    )
    assert f"{timezone.localtime(interview.when):%Y-%m-%d %H:%M}" == "2026-01-15 14:30"


def test_job_interview_with_a_bad_when_is_one_line(run, alice):
    make_opportunity(alice, company="Northwind")
    result = run("job", "interview", "Northwind", "--when", "next tuesday-ish")
    assert result.exit_code == 2
    [line] = error_lines(result)
    assert "'next tuesday-ish' is not a time" in line
    assert not Interview.objects.for_user(alice).exists()


def test_job_edit_changes_details_and_clears_dates(run, alice):
    job = make_opportunity(alice, company="Northwind", start_date=timezone.localdate())
    result = run("job", "edit", "Northwind", "--wanted", "5", "--role", "Staff Engineer", "--start-date", "",
                 "--announced-on", "2026-02-01")
    assert result.exit_code == 0, result.output
    job.refresh_from_db()
    assert (job.references_wanted, job.role, job.start_date, str(job.announced_on)) == (5, "Staff Engineer", None, "2026-02-01")


def test_job_edit_with_a_bad_email_is_one_line_and_saves_nothing(run, alice):
    job = make_opportunity(alice, company="Northwind")
    result = run("job", "edit", "Northwind", "--checker-email", "sofia-at-northwind", "--wanted", "9")
    assert result.exit_code == 1
    [line] = error_lines(result)
    assert line == "Error: --checker-email: Enter a valid email address."
    job.refresh_from_db()
    assert job.references_wanted == 3


def test_job_rm_keeps_the_events_on_the_timeline(run, alice):
    job = make_opportunity(alice, company="Northwind")
    dana = make_reference(alice)
    make_listing(job, dana)
    make_event(dana, "heads_up", opportunity=job)
    refused = run("job", "rm", "Northwind", input="n\n")
    assert refused.exit_code == 1 and "stay on the timelines" in refused.output
    assert run("job", "rm", "Northwind", "--yes").exit_code == 0
    assert not Opportunity.objects.for_user(alice).exists()
    assert Event.objects.for_user(alice).get().opportunity_id is None


def test_opportunities_are_named_by_company_or_role_and_ambiguity_lists_candidates(run, alice):
    first = make_opportunity(alice, company="Northwind Traders", role="Platform Engineer")
    second = make_opportunity(alice, company="Northwest Bank", role="Backend Engineer")
    assert json.loads(run("job", "show", "Backend", "--json").stdout)["id"] == second.pk
    result = run("job", "show", "North")
    assert result.exit_code == 2
    assert f"{first.pk}: Platform Engineer at Northwind Traders" in result.output
    assert f"{second.pk}: Backend Engineer at Northwest Bank" in result.output


def test_another_users_opportunity_is_invisible(run, alice, bob):
    theirs = make_opportunity(bob, company="Bob Industries")
    for args in (["job", "show", theirs.pk], ["job", "show", "Bob"], ["job", "stage", theirs.pk, "offer"],
                 ["job", "rm", theirs.pk, "--yes"], ["job", "interview", theirs.pk, "--when", "yesterday"]):
        assert run(*args).exit_code == 2, args
    assert Opportunity.objects.for_user(bob).get().stage == "applied"
    assert not Interview.objects.exists()


def services_change(job, stage, on):
    from goodword.opportunities.services import change_stage

    change_stage(job, stage, on=on)


def _days_ago(days):
    return timezone.localdate() - dt.timedelta(days=days)
