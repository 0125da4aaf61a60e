"""{% load opportunities %}: how full a slate is, worded the same everywhere, and rows of opportunities."""

from django import template

from goodword.opportunities.models import slate_count_text

register = template.Library()


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
