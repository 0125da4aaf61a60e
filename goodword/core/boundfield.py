"""A form field's label, help text, errors and widget, put together in Python.

Django renders each field group through django/forms/field.html, its label
through label.html and attrs.html, its <input> or <textarea> through two more:
some 0.3 ms a field, a tenth of a reference's or an opportunity's page.
QuickBoundField writes the same markup (tests/test_perf_boundfield.py compares
it byte for byte with Django's) and leaves anything unusual (a fieldset,
another template, a widget with its own render()) to Django.
"""

from __future__ import annotations

from django.forms.boundfield import BoundField
from django.forms.widgets import Widget
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

FIELD_TEMPLATE = "django/forms/field.html"
LABEL_TEMPLATE = "django/forms/label.html"
# The widget templates that are django/forms/widgets/input.html and nothing else.
INPUT_TEMPLATES = {f"django/forms/widgets/{name}.html" for name in (
    "input", "checkbox", "color", "date", "datetime", "email", "file", "hidden", "number", "password", "search",
    "tel", "text", "time", "url")}
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"


def _attrs(attrs: dict) -> str:
    """django/forms/attrs.html."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(value if isinstance(value, str) else str(value))}"')
        for name, value in attrs.items() if value is not False
    )


def _widget_html(widget, name, value, attrs) -> str | None:
    """input.html or textarea.html with their attrs.html, or None for any other widget."""
    template = widget.template_name
    if type(widget).render is not Widget.render or type(widget)._render is not Widget._render or not (
            template in INPUT_TEMPLATES or template == TEXTAREA_TEMPLATE):
        return None
    context = widget.get_context(name, value, attrs)["widget"]
    value = context["value"]
    if template == TEXTAREA_TEMPLATE:
        return (f'<textarea name="{conditional_escape(context["name"])}"{_attrs(context["attrs"])}>\n'
                f'{conditional_escape(value) if value else ""}</textarea>')
    shown = "" if value is None else f' value="{conditional_escape(value if isinstance(value, str) else str(value))}"'
    return f'<input type="{conditional_escape(context["type"])}" name="{conditional_escape(context["name"])}"' \
           f'{shown}{_attrs(context["attrs"])}>'


class QuickBoundField(BoundField):
    def as_widget(self, widget=None, attrs=None, only_initial=False):
        # BoundField.as_widget's own steps, then the widget's markup in Python when it is a plain one.
        widget = widget or self.field.widget
        if self.field.localize:
            widget.is_localized = True
        attrs = self.build_widget_attrs(attrs or {}, widget)
        if self.auto_id and "id" not in widget.attrs:
            attrs.setdefault("id", self.html_initial_id if only_initial else self.auto_id)
        if only_initial and self.html_initial_name in self.form.data:
            value = self.form._widget_data_value(self.field.hidden_widget(), self.html_initial_name)
        else:
            value = self.value()
        name = self.html_initial_name if only_initial else self.html_name
        html = _widget_html(widget, name, value, attrs)
        if html is None:
            return widget.render(name=name, value=value, attrs=attrs, renderer=self.form.renderer)
        return mark_safe(html.strip())  # as Django's renderer strips what it renders

    def label_tag(self, contents=None, attrs=None, label_suffix=None, tag=None):
        if self.form.template_name_label != LABEL_TEMPLATE:
            return super().label_tag(contents, attrs, label_suffix, tag)
        # BoundField.label_tag's own steps, then label.html's markup.
        contents = contents or self.label
        if label_suffix is None:
            label_suffix = self.field.label_suffix if self.field.label_suffix is not None else self.form.label_suffix
        if label_suffix and contents and contents[-1] not in _(":?.!"):
            contents = format_html("{}{}", contents, label_suffix)
        widget = self.field.widget
        id_ = widget.attrs.get("id") or self.auto_id
        if not id_:
            return mark_safe(conditional_escape(contents).strip())  # Django's renderer strips what it renders
        attrs = {**(attrs or {})}
        id_for_label = widget.id_for_label(id_)
        if id_for_label and tag != "legend":
            attrs = {**attrs, "for": id_for_label}
        if self.field.required and hasattr(self.form, "required_css_class"):
            attrs["class"] = f"{attrs['class']} {self.form.required_css_class}" if "class" in attrs \
                else self.form.required_css_class
        tag = tag or "label"
        return mark_safe(f"<{tag}{_attrs(attrs)}>{conditional_escape(contents)}</{tag}>".strip())

    def as_field_group(self) -> SafeString:
        if self.use_fieldset or self.template_name != FIELD_TEMPLATE:
            return super().as_field_group()
        # field.html's markup, its line breaks included, stripped as Django's renderer strips it.
        label = self.label_tag() if self.label else ""
        help_text = ""
        if self.help_text:
            id_ = f' id="{escape(self.auto_id)}_helptext"' if self.auto_id else ""
            help_text = f'<div class="helptext"{id_}>{self.help_text}</div>'
        errors = str(self.errors) if self.errors else ""
        return mark_safe(f"\n  {label}\n\n{help_text}\n{errors}\n{self}\n".strip())
