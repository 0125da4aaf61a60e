"""The centre's parts of pages other apps own (the dashboard, the settings hub),
each pulled in by one {% include %} line, so those views stay as they are."""

from django import template

from goodword.centres import services

register = template.Library()

LOOKS_SHOWN = 10


@register.simple_tag(takes_context=True)
def candidate_nudges(context):
    return services.showing_nudges(context["request"].user)


@register.simple_tag(takes_context=True)
def centre_settings(context):
    """The candidate's centre (with coach names and their latest looks), and the centres they staff."""
    user = context["request"].user
    membership = services.candidate_centre(user)
    from goodword.centres.models import Centre, Membership

    return {
        "membership": membership,
        "looks": list(services.looks_at(user)[:LOOKS_SHOWN]),
        "coaches": Membership.objects.for_user(user).coaches().exists(),
        "administered": list(Centre.objects.administered_by(user)),
    }
