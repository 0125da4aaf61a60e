"""Helpers shared by the command modules: naming things, printing, dates.

No Django at import time: `goodword <noun> --help` loads the command modules,
and must stay as cheap as `goodword --help`. The stage and event-kind lists
come from the Django-free vocabulary (goodword/lib/vocabulary.py), as the
models' TextChoices do; the other choice lists repeat the models' and
tests/test_cli_process.py keeps them in step.
"""

from __future__ import annotations

import json
from contextlib import contextmanager

import click

from goodword.lib import vocabulary  # Django-free, cheap to import

RELATIONSHIPS = ["manager", "skip_level", "peer", "direct_report", "client", "mentor", "professor", "hr_verifier", "other"]
STATUSES = ["active", "resting", "retired", "do_not_use"]
CHANNELS = ["email", "phone", "text", "in_person", "video", "linkedin", "portal", "other"]
STAGES = list(vocabulary.STAGE_VALUES)
CLOSED_STAGES = sorted(vocabulary.OUTCOME_STAGES, key=vocabulary.STAGE_VALUES.index)
INTERVIEW_FORMATS = ["phone", "video", "onsite", "panel", "take_home", "other"]
EVENT_KINDS = vocabulary.EVENT_KIND_LABELS


class LookupProblem(click.ClickException):
    """An unknown or ambiguous name: exit status 2, the candidates listed."""

    exit_code = 2


class Word(click.Choice):
    """A choice that also takes hyphens, spaces and capitals: heads-up → heads_up."""

    def convert(self, value, param, ctx):
        if isinstance(value, str):
            value = value.strip().lower().replace("-", "_").replace(" ", "_")
        return super().convert(value, param, ctx)


class ProfileMissing(click.ClickException):
    """Nothing can be signed in the candidate's name yet: exit status 2, and how to fix it."""

    exit_code = 2

    def __init__(self, problem: str):
        super().__init__(
            f"{problem} Drafts are signed with your name: set it with "
            '`goodword me --name "Your Name" --email you@example.com --phone "+1 555 0100"`.'
        )


def boot(*, ask_profile: bool = True):
    """Set Django up (migrating if needed) and return the user the CLI acts for.

    In a terminal, a user with no name is asked for it first (see ask_profile_once);
    scripts and pipes are never held up.
    """
    from goodword.cli import _django

    _django.setup()
    user = _django.current_user()
    if ask_profile and in_terminal():
        ask_profile_once(user)
    return user


def in_terminal() -> bool:
    import sys

    return sys.stdin.isatty()


def ask_profile_once(user) -> None:
    """Ask for the candidate's name, email and phone when drafts could not be signed yet.

    The questions go to stderr, so `goodword due --json | jq` still gets clean
    output. An empty name skips the questions for this run.
    """
    from django.core.exceptions import ValidationError

    from goodword.accounts.services import candidate_phone, profile_problem, update_profile

    if profile_problem(user) is None:
        return
    click.echo("Goodword drafts messages in your name. Tell it who you are (Enter on the name skips this for now).",
               err=True)
    while True:
        name = click.prompt("Your name", default="", show_default=False, err=True).strip()
        if not name:
            click.echo('Skipped. Drafts will wait for your name: goodword me --name "Your Name".', err=True)
            return
        email = click.prompt("Email for your documents", default=user.email or "", show_default=bool(user.email),
                             err=True).strip()
        phone = click.prompt("Phone for your documents (optional)", default=candidate_phone(user) or "",
                             show_default=False, err=True).strip()
        first, _, last = name.partition(" ")
        try:
            update_profile(user, first_name=first, last_name=last, email=email, phone=phone)
        except ValidationError as exc:
            click.echo(" ".join(exc.messages), err=True)
            continue
        click.echo(f"Thank you, {user.first_name}. Change it any time with `goodword me`.", err=True)
        return


@contextmanager
def option_errors(renames: dict[str, str] | None = None):
    """Name the option, not the model field, in a validation error: "--email: …" rather than "emails: …".

    A field maps to --its-name-with-hyphens unless renames says otherwise.
    Other errors pass through to the group's one-line handler.
    """
    from django.core.exceptions import ValidationError

    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        renames = renames or {}
        parts = [
            " ".join(messages) if field == "__all__"
            else f"{renames.get(field, '--' + field.replace('_', '-'))}: {' '.join(messages)}"
            for field, messages in exc.message_dict.items()
        ]
        raise click.ClickException("; ".join(parts)) from None


def echo_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def echo_table(headers: list[str], rows: list[list]) -> None:
    """Plain aligned columns; the last column is left ragged so long text never pads."""
    cells = [[str(value) if value not in (None, "") else "—" for value in row] for row in rows]
    widths = [max(len(str(h)), *(len(row[i]) for row in cells)) for i, h in enumerate(headers)]
    for row in [headers, *cells]:
        click.echo("  ".join(str(value).ljust(width) for value, width in zip(row, widths, strict=True)).rstrip())


def pick(queryset, text: str, noun: str, describe=str, fields=None):
    """One row from queryset named by id or by an unambiguous part of its name.

    fields are the text columns matched (the model's cli_name_fields, else
    "name"); the queryset must already be the user's own.
    """
    text = text.strip()
    if not text:
        raise LookupProblem(f"Name a {noun} by its id or part of its name.")
    if text.isdigit():
        from goodword.lib.ids import parse_id

        row = queryset.filter(pk=parse_id(text) or 0).first()
        if row is None:
            raise LookupProblem(f"No {noun} has the id {text}.")
        return row
    fields = fields or getattr(queryset.model, "cli_name_fields", ("name",))
    return _pick_by_name(queryset, text, noun, describe, fields)


def _pick_by_name(queryset, text, noun, describe, fields):
    from django.db.models import Q

    matches = Q()
    for field in fields:
        matches |= Q(**{f"{field}__icontains": text})
    found = list(queryset.filter(matches)[:21])
    exact = [row for row in found if any(str(getattr(row, f)).lower() == text.lower() for f in fields)]
    if len(exact) == 1:
        return exact[0]
    if len(found) == 1:
        return found[0]
    if not found:
        raise LookupProblem(f"No {noun} matches {text!r}.")
    listed = "\n".join(f"  {row.pk}: {describe(row)}" for row in found[:20])
    more = "\n  …and more" if len(found) > 20 else ""
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    raise LookupProblem(f"{text!r} matches several {plural}; use the id or more of the name:\n{listed}{more}")


def pick_reference(user, text):
    from goodword.references.models import Reference

    return pick(
        Reference.objects.for_user(user), text, "reference",
        describe=lambda r: f"{r.name} ({r.get_relationship_display()}{', ' + r.organisation if r.organisation else ''})",
    )


def pick_opportunity(user, text):
    from goodword.opportunities.models import Opportunity

    return pick(
        Opportunity.objects.for_user(user), text, "opportunity",
        describe=lambda o: f"{o.role} at {o.company} ({o.stage_label})", fields=("company", "role"),
    )


def parse_date(value: str | None, option: str):
    """Dates as YYYY-MM-DD, or today/yesterday/tomorrow."""
    if value is None:
        return None
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    words = {"today": today, "yesterday": today - dt.timedelta(days=1), "tomorrow": today + dt.timedelta(days=1)}
    if value.strip().lower() in words:
        return words[value.strip().lower()]
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, today or yesterday.", param_hint=option) from None
    return _in_window(day, option)


def _in_window(value, option: str):
    """The date or moment, if Goodword accepts it (goodword.lib.dates), else a usage error."""
    from django.utils import timezone

    from goodword.lib.dates import window_problem

    problem = window_problem(value, timezone.localdate())
    if problem:
        raise click.BadParameter(problem, param_hint=option)
    return value


def parse_date_or_clear(value: str, option: str):
    """For edits: an empty value (or 'none') clears the date."""
    if value.strip().lower() in ("", "none"):
        return None
    return parse_date(value, option)


def parse_when(value: str | None, option: str = "--when"):
    """A moment: an ISO date or date-time (local zone), now, today, yesterday, or 'N days ago'."""
    import datetime as dt

    from django.utils import timezone

    if value is None or value.strip().lower() == "now":
        return timezone.now()
    text = value.strip().lower()
    if text.endswith(" ago"):
        amount, _, unit = text[:-4].partition(" ")
        units = {"minute": "minutes", "hour": "hours", "day": "days", "week": "weeks"}
        unit = units.get(unit.rstrip("s"), None)
        if amount.isascii() and amount.isdigit() and len(amount) <= 9 and unit:
            return _in_window(timezone.now() - dt.timedelta(**{unit: int(amount)}), option)
    if text in ("today", "yesterday"):
        day = parse_date(text, option)
        return _midday(day)
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a time; use YYYY-MM-DD, 'YYYY-MM-DD HH:MM', now, yesterday or '3 days ago'.",
            param_hint=option,
        ) from None
    _in_window(moment, option)  # before any time zone arithmetic, which overflows at the ends of the calendar
    if len(value.strip()) == 10:
        return _midday(moment.date())
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _midday(day):
    """A bare date means midday, but never later than now: 'today' logged at 9 am stays in the past."""
    import datetime as dt

    from django.utils import timezone

    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))
    now = timezone.now()
    return now if day == timezone.localdate() and moment > now else moment


def when_text(moment) -> str:
    from django.utils import timezone

    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "—"


def listing_dict(listing, state: str, *, side: str, position: int | None = None) -> dict:
    """A listing as JSON; side names the end to nest: "reference" (on a slate) or "opportunity" (a reference's).

    position is the 1-based place on the slate, counted rather than read,
    because removing a listing leaves gaps in the stored numbers.
    """
    from goodword.lib.vocabulary import state_label

    data = {"id": listing.pk}
    if position is not None:
        data["position"] = position
    if side == "reference":
        ref = listing.reference
        data["reference"] = {
            "id": ref.pk, "name": ref.name, "relationship": ref.relationship, "status": ref.status,
            "title": ref.title, "organisation": ref.organisation,
        }
    else:
        job = listing.opportunity
        data["opportunity"] = {"id": job.pk, "company": job.company, "role": job.role, "stage": job.stage}
    data.update(state=state, state_label=state_label(state), listed_at=listing.created_at.isoformat())
    return data


def event_dict(event) -> dict:
    return event.as_dict() | {"kind_label": event.get_kind_display()}


def echo_event(event, *, show_reference=False, show_opportunity=True) -> None:
    parts = [when_text(event.occurred_at), event.get_kind_display()]
    if event.channel:
        parts.append(f"[{event.get_channel_display().lower()}]")
    if show_reference:
        parts.append(f"— {event.reference.name}")
    if show_opportunity and event.opportunity_id:
        parts.append(f"— {event.opportunity.role} at {event.opportunity.company}")
    click.echo("  " + "  ".join(parts))
    if event.note:
        click.echo(f"      {event.note}")
