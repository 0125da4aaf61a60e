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
