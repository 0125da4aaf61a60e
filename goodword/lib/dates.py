"""The window of dates Goodword accepts: 1900-01-01 to 100 years ahead.

Python's dates run from year 1 to 9999, but a moment at either end cannot be
moved to another time zone or have a day added without overflowing, and no
job search spans them. Input outside the window is refused with this message;
what was stored before the check is clamped by the readers (see clamp_moment).
"""

from __future__ import annotations

import datetime as dt

EARLIEST = dt.date(1900, 1, 1)
YEARS_AHEAD = 100


def latest(today: dt.date) -> dt.date:
    return today.replace(year=today.year + YEARS_AHEAD, day=28 if (today.month, today.day) == (2, 29) else today.day)


def window_problem(value: dt.date | dt.datetime | None, today: dt.date) -> str | None:
    """Why the date is refused, or None when it is in the window (or absent)."""
    if value is None:
        return None
    day = value.date() if isinstance(value, dt.datetime) else value
    if day < EARLIEST or day > latest(today):
        return (f"{day.isoformat()} is outside the dates Goodword accepts: "
                f"give a date from {EARLIEST.isoformat()} to {latest(today).isoformat()}.")
    return None


# Stored moments are read through these bounds: far enough in to convert to
# any time zone (±1 day) and to add the few days a reminder or feed needs.
SAFE_MIN = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
SAFE_MAX = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)


def clamp_moment(value: dt.datetime | None) -> dt.datetime | None:
    """An aware moment moved into SAFE_MIN..SAFE_MAX (None stays None)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return min(max(value, SAFE_MIN), SAFE_MAX)


def clamp_day(value: dt.date | None) -> dt.date | None:
    if value is None:
        return None
    return min(max(value, SAFE_MIN.date()), SAFE_MAX.date())
