"""Helpers shared by the command modules: naming things, printing, dates."""

from __future__ import annotations

import json

import click


class LookupProblem(click.ClickException):
    """An unknown or ambiguous name: exit status 2, the candidates listed."""

    exit_code = 2


def echo_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def pick(queryset, text: str, noun: str, describe=str):
    """One row from queryset named by id or by an unambiguous part of its name."""
    text = text.strip()
    if text.isdigit():
        row = queryset.filter(pk=int(text)).first()
        if row is None:
            raise LookupProblem(f"No {noun} has the id {text}.")
        return row
    return _pick_by_name(queryset, text, noun, describe)


def _pick_by_name(queryset, text, noun, describe):
    from django.db.models import Q

    model = queryset.model
    fields = getattr(model, "cli_name_fields", ("name",))
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
    raise LookupProblem(f"{text!r} matches several {noun}s; use the id or more of the name:\n{listed}")


def parse_date(value: str | None, option: str):
    """Dates as YYYY-MM-DD, or today/yesterday/tomorrow."""
    if value is None:
        return None
    import datetime as dt

    from django.utils import timezone

    today = timezone.localdate()
    words = {"today": today, "yesterday": today - dt.timedelta(days=1), "tomorrow": today + dt.timedelta(days=1)}
    if value.lower() in words:
        return words[value.lower()]
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD, today or yesterday.", param_hint=option) from None


def parse_when(value: str | None, option: str = "--when"):
    """A moment: an ISO date or date-time (local zone), now, today, yesterday, or 'N days ago'."""
    import datetime as dt

    from django.utils import timezone

    if value is None or value.lower() == "now":
        return timezone.now()
    text = value.strip().lower()
    if text.endswith(" ago"):
        amount, _, unit = text[:-4].partition(" ")
        units = {"minute": "minutes", "hour": "hours", "day": "days", "week": "weeks"}
        unit = units.get(unit.rstrip("s"), None)
        if amount.isdigit() and unit:
            return timezone.now() - dt.timedelta(**{unit: int(amount)})
    if text in ("today", "yesterday"):
        day = parse_date(text, option)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a time; use YYYY-MM-DD, 'YYYY-MM-DD HH:MM', now, yesterday or '3 days ago'.",
            param_hint=option,
        ) from None
    if len(value.strip()) == 10:
        moment = moment.replace(hour=12)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
