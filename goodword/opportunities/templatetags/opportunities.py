"""{% load opportunities %}: how full a slate is, worded the same everywhere, and rows of opportunities."""

from functools import lru_cache

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from goodword.core.urlcache import url_for_pk
from goodword.opportunities.models import slate_count_text

register = template.Library()


@register.simple_tag
def pk_url(name, pk):
    """{% url name pk %} for a pattern with one <int:pk>, at the cost of a string join
    (goodword/core/urlcache.py): a slate row links to five of them."""
    return url_for_pk(name, pk)


@register.simple_tag
def options(choices, selected):
    """{% for value, label in choices %}<option value="{{ value }}"{% if value == selected %} selected{% endif %}>
    {{ label }}</option>{% endfor %}, built once per list and choice: a slate row has two such menus."""
    return _options(tuple((value, str(label)) for value, label in choices), selected)


@lru_cache(maxsize=256)
def _options(choices: tuple, selected) -> SafeString:
    return mark_safe("".join(
        f'<option value="{conditional_escape(value)}"{" selected" if value == selected else ""}>'
        f"{conditional_escape(label)}</option>"
        for value, label in choices
    ))


@register.simple_tag
def pipeline_rows(opportunities):
    """The pipeline's rows for one stage, rendered in Python (goodword/opportunities/rows.py)."""
    from goodword.opportunities.rows import pipeline_rows as render

    return render(opportunities)


@register.simple_tag
def open_rows(opportunities):
    """The dashboard's open opportunities' rows, rendered in Python (goodword/opportunities/rows.py)."""
    from goodword.opportunities.rows import open_rows as render

    return render(opportunities)


@register.filter
def slate_count(opportunity, listed) -> str:
    """{{ opportunity|slate_count:listed }}: "2 listed, 3 wanted" (or "2 listed")."""
    return slate_count_text(int(listed), opportunity.references_wanted)
