"""`goodword draft`, `goodword send` and `goodword worker`."""

import pytest
from click.testing import CliRunner

from goodword.cli import main
from goodword.outreach.models import MessageState, OutboxMessage
from goodword.timeline.models import Event
from tests.factories.accounts import make_user
from tests.factories.opportunities import make_interview, make_opportunity
from tests.factories.outreach import SmtpSink, make_smtp_settings
from tests.factories.references import make_reference


@pytest.fixture
def me(db, settings):
    return make_user(settings.GOODWORD_CLI_USER)


@pytest.fixture
def facts(me):
    reference = make_reference(me, name="Dana Whitfield", emails=["dana@example.com"])
    job = make_opportunity(me, company="Northwind", role="Platform Engineer", checker_name="Priya Raman")
    make_interview(job)
    return reference, job


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_draft_prints_a_heads_up_for_the_named_reference_and_job(facts):
    result = run("draft", "heads-up", "--ref", "Dana", "--job", "Northwind")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("To: Dana Whitfield <dana@example.com>\nSubject: Heads-up: Northwind may call you about me\n")
    assert "Priya Raman" in result.output and "- Kubernetes depth" in result.output


def test_draft_of_a_job_kind_without_a_job_explains(facts):
    result = run("draft", "letter", "--ref", "Dana")
    assert result.exit_code == 1
    assert "choose the job too" in result.output


def test_draft_cannot_name_another_users_reference(facts):
    other = make_user("bob")
    make_reference(other, name="Zed Secret")
    result = run("draft", "keep-in-touch", "--ref", "Zed")
    assert result.exit_code == 2 and "No reference matches 'Zed'" in result.output


def test_draft_edit_opens_the_editor_and_keeps_the_changes(facts, monkeypatch, tmp_path):
    def fake_edit(text, **kwargs):
        assert "----- message -----" in text
        return "Subject: My own subject\n----- message -----\nMy own words.\n"

    monkeypatch.setattr("click.edit", fake_edit)
    result = run("draft", "thanks", "--ref", "Dana", "--edit")
    assert "Subject: My own subject" in result.output and "My own words." in result.output


def test_draft_file_sent_twice_is_sent_once_and_logged(me, facts, tmp_path):
    path = tmp_path / "dana.eml"
    with SmtpSink() as sink:
        make_smtp_settings(me, sink.port)
        assert run("draft", "letter", "--ref", "Dana", "--job", "Northwind", "--out", str(path)).exit_code == 0
        first = run("send", str(path))
        second = run("send", str(path))
    assert "Sent to dana@example.com" in first.output
    assert second.exit_code == 0
    assert "Already sent to dana@example.com on " in second.output and "not sending it again" in second.output
    assert "Sent to" not in second.output
    assert len(sink.handler.received) == 1
    assert sink.handler.received[0]["Subject"].startswith("A draft letter for Northwind")
    event = Event.objects.get()
    assert (event.kind, event.opportunity.company) == ("draft_provided", "Northwind")


def test_send_without_smtp_suggests_marking_it_sent(facts, tmp_path):
    path = tmp_path / "d.eml"
    run("draft", "outcome", "--ref", "Dana", "--job", "Northwind", "--out", str(path))
    result = CliRunner().invoke(main, ["send", str(path)])
    assert result.exit_code == 1 and "--mark-sent" in result.output
    assert run("send", str(path), "--mark-sent").exit_code == 0
    assert Event.objects.get().kind == "outcome_shared"


def test_send_refuses_a_file_that_is_not_a_goodword_draft(facts, tmp_path):
    path = tmp_path / "x.eml"
    path.write_text("To: a@example.com\nSubject: hi\n\nbody\n")
    result = CliRunner().invoke(main, ["send", str(path)])
    assert result.exit_code == 1 and "X-Goodword-Kind" in result.output


def test_send_refuses_a_draft_for_someone_elses_reference(facts, tmp_path):
    theirs = make_reference(make_user("bob"))
    path = tmp_path / "x.eml"
    run("draft", "keep-in-touch", "--ref", "Dana", "--out", str(path))
    path.write_text(path.read_text().replace("X-Goodword-Reference: ", f"X-Goodword-Reference: {theirs.pk}\nX-Old: "))
    result = CliRunner().invoke(main, ["send", str(path)])
    assert result.exit_code == 1 and "not in your book" in result.output


def test_worker_once_sends_what_is_queued(me, facts, tmp_path):
    path = tmp_path / "d.eml"
    with SmtpSink() as sink:
        make_smtp_settings(me, sink.port)
        run("draft", "keep-in-touch", "--ref", "Dana", "--out", str(path))
        assert "Queued message" in run("send", str(path), "--queue-only").output
        assert run("worker", "--once").output.strip() == "1 sent"
    assert OutboxMessage.objects.get().state == MessageState.SENT
    assert len(sink.handler.received) == 1


def test_draft_from_a_template_folder_renders_in_the_sandbox(facts, tmp_path):
    (tmp_path / "subject.txt").write_text("For {{ reference.first_name }}")
    (tmp_path / "body.txt").write_text("Line one\n{{ ''.__class__ }}\n")
    result = run("draft", "thanks", "--ref", "Dana", "--template", str(tmp_path))
    assert result.exit_code == 1
    assert "body, line 2: not allowed" in result.output
    (tmp_path / "body.txt").write_text("{{ gift.idea }}\n")
    result = run("draft", "thanks", "--ref", "Dana", "--template", str(tmp_path))
    assert "Subject: For Dana" in result.output and "handwritten card" in result.output


def test_draft_json_has_the_parts_and_the_event_it_records(facts):
    import json

    reference, job = facts
    data = json.loads(run("draft", "outcome", "--ref", "Dana", "--job", "Northwind", "--json").output)
    assert (data["event_kind"], data["reference_id"], data["opportunity_id"]) == ("outcome_shared", reference.pk, job.pk)
    assert data["to"] == {"name": "Dana Whitfield", "email": "dana@example.com"}
    assert data["text"].startswith("Hi Dana") and "<p>Hi Dana,</p>" in data["html"]


def test_command_modules_import_no_django():
    import subprocess
    import sys

    code = "import sys, goodword.cli.draft, goodword.cli.send, goodword.cli.worker; print('django' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
