"""{% load courtesy %}: the open-debt count for a navigation badge, and filters
that word a debt (title, action, due date)."""

from django import template

from goodword.courtesy import wording
from goodword.courtesy.rules import RULES

register = template.Library()


@register.simple_tag(takes_context=True)
def open_debt_count(context) -> int:
    """How many debts are open (not snoozed or dismissed) for the signed-in user.

    One query while the count kept for the user still holds (courtesy/summary.py),
    the page's own ledger when it built one, else a fresh build; 0 when signed out.
    Usage: {% open_debt_count as owed %}{% if owed %}<span class="badge">{{ owed }}</span>{% endif %}
    """
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    from goodword.courtesy import summary
    from goodword.courtesy.ledger import request_open_count

    return request_open_count(request) if request is not None else summary.open_count(user)


@register.filter
def rule_title(rule_id: str) -> str:
    rule = RULES.get(rule_id)
    return rule.title if rule else rule_id


@register.filter
def action_label(action: str) -> str:
    return wording.action_label(action)


@register.filter
def draft_kind(action: str) -> str:
    """The outreach draft that settles a debt with this action, or ''."""
    from goodword.outreach.models import DRAFT_FOR_EVENT_KIND

    return DRAFT_FOR_EVENT_KIND.get(action, "")


@register.filter
def due_text(due_on, today) -> str:
    return wording.due_text(due_on, today)


@register.simple_tag(takes_context=True)
def csrf_input(context) -> str:
    """The CSRF hidden input, built once: {% csrf_input as csrf_input %}, then
    {{ csrf_input }} in each of a hundred repeated forms (courtesy/ledger.html)."""
    from django.template.backends.utils import csrf_input as build

    request = context.get("request")
    return build(request) if request is not None else ""


@register.simple_tag(takes_context=True)
def debt_item(context, row, single) -> str:
    """{% debt_item row group.single %}: one debt's <li> (courtesy.rows.debt_item_html), with the
    page's CSRF input, form URLs and way back that courtesy/ledger.html#ledger sets up once."""
    from goodword.courtesy.rows import debt_item_html

    return debt_item_html(row, single=bool(single), csrf_input=context.get("csrf_input", ""),
                          settle_url=context.get("settle_url", ""), later_url=context.get("later_url", ""),
                          back_to=context.get("back_to", ""), back_to_quoted=context.get("back_to_quoted", ""))
