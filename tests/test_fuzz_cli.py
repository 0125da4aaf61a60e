"""No command line of any shape ends in a traceback (or in "run with --debug", an unexpected error).

The click command tree of `goodword` is walked; each command runs once with
plausible required values, then once per option and argument with each
malformed value in its place (and each flag on its own). Nothing leaves the
machine: name lookups fail, the web server and the worker loop do not start.
"""

from __future__ import annotations

import socket

import click
import pytest
from click.testing import CliRunner

from goodword.cli import main
from goodword.outreach import emails
from tests.factories.opportunities import make_interview, make_listing, make_opportunity
from tests.factories.references import make_reference

MALFORMED = [
    "", "x" * 20_000, "Zoë ²³ ٣ 日本", "a\x00b", "a\x0bb\u2028c\x85", "-1", "0", str(10**30), "nan", "inf",
    "9999-12-31 23:59", "0001-01-01", "2026-02-30", "99999999999 days ago", "-",
]

# Plausible values for required parameters, by parameter name.
PLAUSIBLE = {
    "name": "Dana Whitfield", "reference": "Dana", "ref": "Dana", "refs": "Dana", "ref_text": "Dana",
    "opportunity": "Northwind", "job": "Northwind", "job_text": "Northwind", "company": "Northwind", "role": "Engineer",
    "when": "2026-01-05 10:00", "file": "out.ics", "path": "draft.eml",
}


def commands(command=main, path=()):
    ctx = click.Context(main)
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            yield from commands(command.get_command(ctx, name), (*path, name))
    else:
        yield path, command


def argv(path, command, overrides: dict):
    """The command line: plausible required values, with overrides (param name -> value, or True for a flag)."""
    options, arguments = [], []
    for param in command.params:
        value = overrides.get(param.name)
        if isinstance(param, click.Argument):
            if value is None and param.required:
                choices = getattr(param.type, "choices", None)
                value = PLAUSIBLE.get(param.name) or (choices[-1] if choices else "Dana")
            if value is not None:
                arguments.append(value)
        elif value is True:
            options.append(param.opts[0])
        elif value is not None or param.required:
            if value is None:
                choices = getattr(param.type, "choices", None)
                value = PLAUSIBLE.get(param.name) or (choices[0] if choices else "Dana")
            options += [param.opts[0], value]
    return [*path, *options, "--", *arguments]


def variants(command):
    yield {}
    for param in command.params:
        if getattr(param, "is_flag", False):
            yield {param.name: True}
            continue
        for value in MALFORMED:
            yield {param.name: value}


@pytest.fixture
def quiet_machine(monkeypatch):
    def no_lookup(*args, **kwargs):
        raise socket.gaierror("no name lookups in the fuzz test")

    monkeypatch.setattr(socket, "getaddrinfo", no_lookup)

    class NoServer:
        effective_port = 8000

        def run(self):
            return None

        def close(self):
            return None

    import gc
    import webbrowser

    import waitress

    from goodword.outreach import outbox

    monkeypatch.setattr(waitress, "create_server", lambda *args, **kwargs: NoServer())
    monkeypatch.setattr(webbrowser, "open", lambda *args, **kwargs: None)
    monkeypatch.setattr(gc, "freeze", lambda: None)
    monkeypatch.setattr(outbox, "start_local_worker", lambda *args, **kwargs: None)
    monkeypatch.setattr(outbox, "run_worker", lambda *args, **kwargs: None)


def test_no_command_line_of_any_shape_ends_in_a_traceback(alice, settings, quiet_machine, tmp_path, monkeypatch):
    settings.GOODWORD_CLI_USER = "alice"
    reference = make_reference(alice, name="Dana Whitfield", emails=["dana@example.com"])
    job = make_opportunity(alice, company="Northwind", role="Platform Engineer", checker_name="Priya Raman")
    make_interview(job)
    make_listing(job, reference)
    draft = emails.draft_file(to_name="Dana", to_address="dana@example.com", subject="Hello", text="Hi\n",
                              kind="thanks", tone="friendly", reference_id=reference.pk)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner(env={"EDITOR": "true", "VISUAL": "true"})
    invocations, failures = 0, []
    for path, command in commands():
        for overrides in variants(command):
            (tmp_path / "draft.eml").write_bytes(draft)
            args = argv(path, command, overrides)
            result = runner.invoke(main, args, input="")
            invocations += 1
            crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
            if crashed or "Traceback" in result.output or "--debug for details" in result.output:
                shown = [arg[:40] for arg in args]
                failures.append(f"{shown!r}: {type(result.exception).__name__}: {result.output.strip()[-200:]}")
    print(f"\n{invocations} fuzzed command lines, {len(failures)} ended in a traceback or an unexpected error")
    assert invocations > 1000
    assert not failures, "\n".join(failures[:60])
