"""Click parameter types shared by the commands."""

from __future__ import annotations

import math

import click


class FiniteFloatRange(click.FloatRange):
    """A float in a range; nan and inf are refused (nan compares false with every bound, so FloatRange lets it through)."""

    name = "finite float range"

    def convert(self, value, param, ctx):
        number = click.FLOAT.convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return super().convert(number, param, ctx)


def positive_seconds(minimum: float, maximum: float) -> FiniteFloatRange:
    return FiniteFloatRange(minimum, maximum)


NOT_SAID_WORDS = ("not-said", "not said", "none", "0")


class WantedCount(click.ParamType):
    """How many references the employer wants: 1 to 50, or "not-said" (0 works too),
    converted to 0; the command stores 0 as "not said" (None)."""

    name = "count|not-said"

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            number = value
        elif str(value).strip().lower() in NOT_SAID_WORDS:
            return 0
        else:
            try:
                number = int(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not a number from 1 to 50, nor 'not-said'.", param, ctx)
        if not 0 <= number <= 50:
            self.fail(f"{value!r} is not a number from 1 to 50, nor 'not-said'.", param, ctx)
        return number
