"""`goodword centre`: create, invite, assign, leave, and their help."""

import subprocess
import sys

import pytest

from goodword.centres.models import Assignment, Centre, Membership, Seat
from goodword.centres.models import Role
from goodword.cli import centre as centre_cli
from tests.factories.accounts import make_user
from tests.factories.centres import make_centre, make_member

pytestmark = pytest.mark.django_db


def test_create_prints_the_slug_and_refuses_a_taken_one(run):
    result = run("centre", "create", "Northfield Careers", "--organisation", "Northfield University")
    assert result.exit_code == 0 and result.stdout.strip() == "northfield-careers"
    assert Centre.objects.get(slug="northfield-careers").organisation == "Northfield University"
    again = run("centre", "create", "Northfield Careers")
    assert again.exit_code == 1 and "exists already" in again.output


def test_invite_keeps_a_seat_or_seats_an_existing_account_at_once(run, monkeypatch):
    from goodword.centres import services

    sent = []
    monkeypatch.setattr(services, "_send_invitation", lambda *args: sent.append(args[1]))
    make_centre()
    result = run("centre", "invite", "Fresh@Example.com", "--role", "candidate", "--centre", "northfield-careers")
    assert result.exit_code == 0 and "Invited fresh@example.com" in result.output
    assert Seat.objects.get().email == "fresh@example.com" and sent == ["fresh@example.com"]
    make_user("carol")
    result = run("centre", "invite", "carol@example.com", "--role", "coach", "--centre", "northfield-careers")
    assert "Invited carol@example.com" in result.output  # her email is not verified: she takes it on sign-in
    assert not Membership.objects.filter(user__username="carol").exists()


def test_add_puts_an_existing_account_in_the_centre(run):
    make_centre()
    make_user("carol")
    result = run("centre", "add", "carol", "--role", "coach", "--centre", "northfield-careers")
    assert result.exit_code == 0 and "carol is now a coach of Northfield Careers" in result.output
    assert Membership.objects.get(user__username="carol").role == "coach"
    assert "No account is nobody" in run("centre", "add", "nobody", "--role", "coach", "--centre",
                                          "northfield-careers").output


def test_invite_says_what_is_wrong(run):
    make_centre()
    assert "No centre has the slug" in run("centre", "invite", "x@example.com", "--role", "coach",
                                           "--centre", "nowhere").output
    assert "not an email" in run("centre", "invite", "nope", "--role", "coach", "--centre",
                                 "northfield-careers").output
    assert run("centre", "invite", "x@example.com", "--role", "owner", "--centre", "x").exit_code == 2


def test_assign_and_unassign_by_email(run):
    centre = make_centre()
    candidate = make_member(centre, "sam", "candidate")
    coach = make_member(centre, "carol", "coach")
    result = run("centre", "assign", "sam@example.com", "--coach", "carol@example.com")
    assert result.exit_code == 0, result.output
    assert Assignment.objects.filter(candidate=candidate, coach=coach).exists()
    result = run("centre", "assign", "sam@example.com", "--coach", "carol@example.com", "--unassign")
    assert "Unassigned" in result.output and not Assignment.objects.exists()


def test_assign_names_who_is_missing(run):
    centre = make_centre()
    make_member(centre, "sam", "candidate")
    make_member(make_centre("Elsewhere"), "carol", "coach")
    result = run("centre", "assign", "sam@example.com", "--coach", "carol@example.com")
    assert result.exit_code == 1 and "No coach of northfield-careers has the email carol@example.com" in result.output
    result = run("centre", "assign", "nobody@example.com", "--coach", "carol@example.com")
    assert "No candidate has the email nobody@example.com" in result.output


def test_leave_as_the_cli_user(run, alice):
    make_member(make_centre(), "alice", "candidate")
    result = run("centre", "leave", "--yes")
    assert result.exit_code == 0 and "You left Northfield Careers" in result.output
    assert not Membership.objects.for_user(alice).exists()
    assert "in no career centre" in run("centre", "leave", "--yes").output


def test_the_cli_roles_are_the_models():
    assert set(centre_cli.ROLES) == set(Role.values)


def test_help_has_examples_and_imports_no_django():
    code = ("import sys; from goodword.cli import main\n"
            "try:\n    main(['centre', '--help'])\nexcept SystemExit:\n    pass\n"
            "assert 'django' not in sys.modules, 'django imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Examples:" in result.stdout and "goodword centre assign" in result.stdout
    for command in ("create", "invite", "add", "assign", "leave"):
        assert "Examples:" in centre_cli.centre.commands[command].epilog
