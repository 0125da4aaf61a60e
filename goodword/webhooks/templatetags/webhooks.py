"""{% load webhooks %}: what the webhooks section of the settings shows, for any page that includes it."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def webhook_overview(context, deliveries: int = 5) -> dict:
    """The signed-in user's endpoints, their latest deliveries and the add form (the page's, with its errors,
    when it has one). One query without endpoints, two with. Usage: {% webhook_overview as hooks %}"""
    from goodword.webhooks import services
    from goodword.webhooks.forms import EndpointForm

    request = context["request"]
    endpoints = list(services.list_endpoints(request.user))
    return {
        "endpoints": endpoints,
        # Deliveries go with their endpoint (deleted with it): without one there are none to read.
        "deliveries": services.recent_deliveries(request.user, limit=deliveries) if endpoints else [],
        "form": context.get("webhook_form") or EndpointForm(),
        "back": request.path,
    }
