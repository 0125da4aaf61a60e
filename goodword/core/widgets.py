"""Widgets that render like Django's, for less."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class QuickSelect(forms.Select):
    """A single <select> rendered in Python rather than through a template per
    <option>: Django's way costs some 0.1 ms an option, and a select of a long
    list of opportunities was most of a reference page's time. Same markup,
    no option groups (none are used here)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join("", '<option value="{}"{}>{}</option>', (
            (option, " selected" if str(option) in chosen else "", label) for option, label in self.choices
        ))
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options)
