"""Date fields that read back what is stored inside the range the app can compute with.

The forms and the CLI accept dates in a window only (goodword.lib.dates), but
rows written before that check, or by hand, may hold 0001-01-01 or 9999-12-31,
which overflow as soon as they are shown in a time zone west (or east) of UTC
or have a day added. Reading them clamped keeps every page, feed and export
working; the next save stores the clamped value.

They deconstruct as Django's own fields: same column, no migration.
"""

from __future__ import annotations

from django.db import models

from goodword.lib.dates import clamp_day, clamp_moment


class SafeDateTimeField(models.DateTimeField):
    def from_db_value(self, value, expression, connection):
        return clamp_moment(value)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs


class SafeDateField(models.DateField):
    def from_db_value(self, value, expression, connection):
        return clamp_day(value)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateField", args, kwargs
