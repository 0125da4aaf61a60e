"""Walkthrough leftover: a second `goodword demo` says whose account has it and how to start over."""

from click.testing import CliRunner

from goodword.cli import main


def test_a_second_demo_names_the_account_where_it_lives_and_how_to_start_over(settings, alice):
    settings.GOODWORD_CLI_USER = "alice"
    first = CliRunner().invoke(main, ["demo"])
    assert first.exit_code == 0, first.output
    assert "into your account “alice”" in first.output
    again = CliRunner().invoke(main, ["demo"])
    assert again.exit_code == 0, again.output
    assert "already loaded for" not in again.output
    assert "already in your account “alice” (Alice Example)" in again.output
    assert "nothing changed" in again.output
    from django.db import connection

    if connection.vendor == "sqlite":
        assert "GOODWORD_HOME=$(mktemp -d) goodword demo" in again.output
        assert "goodword backup, then move" in again.output
    else:
        assert "GOODWORD_USER=demo goodword demo" in again.output
