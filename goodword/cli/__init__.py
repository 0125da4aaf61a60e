"""The `goodword` command. Imports no Django until a command needs the database.

Each noun is a group in its own module, loaded only when it runs, so that
`goodword --help` and `goodword --version` start in a few milliseconds.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from goodword import __version__

# name -> (module, attribute, one-line help shown by `goodword --help`)
COMMANDS = {
    "serve": ("goodword.cli.serve", "serve", "Open Goodword in your browser."),
    "demo": ("goodword.cli.demo", "demo", "Load a realistic sample so every feature has something to show."),
    "me": ("goodword.cli.me", "me", "Who you are on drafts and documents: name, email, phone."),
    "ref": ("goodword.cli.refs", "ref", "Your reference book: add, list, show, edit, rm."),
    "job": ("goodword.cli.jobs", "job", "Opportunities: add, list, show, stage, interview."),
    "slate": ("goodword.cli.slate", "slate", "Which references you gave to which opportunity."),
    "log": ("goodword.cli.log", "log", "Log something that happened with a reference."),
    "draft": ("goodword.cli.draft", "draft", "Draft a message to a reference: heads-up, letter, thanks…"),
    "send": ("goodword.cli.send", "send", "Send a draft file through the outbox, once."),
    "invite": ("goodword.cli.invite", "invite", "Invite someone to make an account (hosted mode)."),
    "worker": ("goodword.cli.worker", "worker", "Send queued email and webhooks (hosted setups)."),
    "check": ("goodword.cli.check", "check", "Check the configuration (--deploy: for a hosted instance)."),
    "migrate": ("goodword.cli.check", "migrate", "Apply pending database migrations, then exit (hosted upgrades)."),
    "due": ("goodword.cli.due", "due", "What you owe your references, worst first."),
    "sheet": ("goodword.cli.sheet", "sheet", "The reference sheet for an opportunity: PDF, .docx or HTML."),
    "portal": ("goodword.cli.portal", "portal", "A reference's private portal link: make, re-issue, revoke."),
    "digest": ("goodword.cli.digest", "digest", "Today's digest of what you owe: print or send."),
    "export": ("goodword.cli.export", "export", "Export your data: json (everything), vcard, csv, ics (calendar)."),
    "import": ("goodword.cli.transfer", "import_", "Import people from vCard, LinkedIn or CSV, or a Goodword export."),
    "backup": ("goodword.cli.transfer", "backup", "Back up the database (safe while Goodword runs)."),
    "restore": ("goodword.cli.transfer", "restore", "Restore the database from a backup file."),
    "webhook": ("goodword.cli.webhook", "webhook", "Signed requests to your own systems: add, list, test, remove."),
    "centre": ("goodword.cli.centre", "centre", "Career centres: create, invite, add, assign a coach, leave."),
    "token": ("goodword.cli.token", "token", "Personal access tokens for the HTTP API: create, list, revoke."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return list(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[name]
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx, formatter):
        rows = [(name, help_text) for name, (_, _, help_text) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def parse_args(self, ctx, args):
        # A shell cannot pass one, but a program calling us can; paths and the database refuse it with a crash.
        if any("\x00" in arg for arg in args):
            raise click.UsageError("An argument contains a NUL character (\\x00); remove it.", ctx)
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # `goodword ref list | head` closed our output: stop quietly, as Unix tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(0)
        except Exception as exc:  # noqa: BLE001  (the one place that turns errors into one line)
            if ctx.obj and ctx.obj.get("debug"):
                raise
            raise click.ClickException(describe(exc)) from None


def describe(exc: Exception) -> str:
    """One clear line for an error, without a traceback."""
    from goodword.lib.config import ConfigError

    if isinstance(exc, ConfigError):
        return str(exc)
    if type(exc).__name__ == "ValidationError" and hasattr(exc, "messages"):
        if hasattr(exc, "message_dict"):
            return "; ".join(
                f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
                for field, messages in exc.message_dict.items()
            )
        return " ".join(exc.messages)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"{text} (run with --debug for details)"


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="""\b
Examples:
  goodword demo && goodword serve     try it with sample data
  goodword ref add "Morgan Ellis" --email morgan@example.com --relationship manager
  goodword job add "Fabrikam" "Platform Engineer" --stage applied
  goodword slate add Fabrikam Morgan
  goodword log heads_up --ref Morgan --job Fabrikam --channel phone
""",
)
@click.version_option(__version__, "-V", "--version", prog_name="goodword")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.pass_context
def main(ctx, debug):
    """Goodword keeps your job references informed, briefed, updated and thanked.

    Your data lives in one SQLite file in your data folder (GOODWORD_HOME), or
    in PostgreSQL when GOODWORD_DATABASE_URL is set.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
