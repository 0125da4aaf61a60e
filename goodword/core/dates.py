"""The date window (goodword.lib.dates) as a Django form validator, added to every date field of a form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from goodword.lib.dates import window_problem


def validate_date_window(value) -> None:
    problem = window_problem(value, timezone.localdate())
    if problem:
        raise ValidationError(problem, code="date_window")


def guard_date_fields(form: forms.BaseForm) -> None:
    """Refuse out-of-window values in each date and date-time field of this form instance."""
    for field in form.fields.values():
        if isinstance(field, (forms.DateField, forms.DateTimeField)) and validate_date_window not in field.validators:
            field.validators.append(validate_date_window)
