"""{% load opportunities %}: how full a slate is, worded the same everywhere."""

from django import template

from goodword.opportunities.models import slate_count_text

register = template.Library()


@register.filter
def slate_count(opportunity, listed) -> str:
    """{{ opportunity|slate_count:listed }}: "2 listed, 3 wanted" (or "2 listed")."""
    return slate_count_text(int(listed), opportunity.references_wanted)
