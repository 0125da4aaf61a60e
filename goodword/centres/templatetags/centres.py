"""The centre's parts of pages other apps own (the dashboard, the settings hub),
each pulled in by one {% include %} line, so those views stay as they are; and
the cohort page's rows."""

from django import template

from goodword.centres import services
from goodword.centres.rows import cohort_rows as render_cohort_rows
from goodword.core.prepared import prepared

register = template.Library()

LOOKS_SHOWN = 10


@register.simple_tag(takes_context=True)
def candidate_nudges(context):
    return services.showing_nudges(context["request"].user)


@register.simple_tag(takes_context=True)
def centre_settings(context):
    """The candidate's centre (with coach names and their latest looks), and the centres they staff:
    two queries for someone in no centre (most people), three for a candidate with coaches."""
    from goodword.centres.models import Role

    user = context["request"].user
    memberships = _memberships_of(user.pk)
    membership = next((row for row in memberships if row.role == Role.CANDIDATE), None)
    if membership is not None:
        membership.coach_names = services.coach_names(user)
    return {
        "membership": membership,
        "looks": _latest_looks(user.pk),  # kept after leaving a centre: the record stays the candidate's
        "coaches": any(row.role == Role.COACH for row in memberships),
        "administered": sorted({row.centre for row in memberships if row.role == Role.ADMIN},
                               key=lambda centre: (centre.name, centre.pk)),  # Centre's own order
    }


@prepared
def _memberships_of(user_id: int):
    from goodword.centres.models import Membership

    return Membership.objects.for_user(user_id).select_related("centre").order_by("pk")


@prepared
def _latest_looks(user_id: int):
    return services.looks_at(user_id)[:LOOKS_SHOWN]


@register.simple_tag
def cohort_rows(rows):
    """A coach's cohort rows, rendered in Python (goodword/centres/rows.py)."""
    return render_cohort_rows(rows)
