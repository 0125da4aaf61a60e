"""{% load timeline %}: how a long note shows on a timeline, and the timeline's items."""

from django import template

register = template.Library()


@register.simple_tag
def timeline_items(events, logged=None):
    """A timeline's <li> items, rendered in Python (goodword/timeline/rows.py)."""
    from goodword.timeline.rows import timeline_items as render  # it imports note_preview from here

    return render(events, logged)


@register.simple_tag
def recent_events(events):
    """The dashboard's latest events as <li> items, rendered in Python (goodword/timeline/rows.py)."""
    from goodword.timeline.rows import recent_events as render

    return render(events)


@register.simple_tag
def opportunity_events(events):
    """An opportunity's events as <li> items, rendered in Python (goodword/timeline/rows.py)."""
    from goodword.timeline.rows import opportunity_events as render

    return render(events)

PREVIEW_LINES = 2
PREVIEW_CHARS = 200


@register.filter
def note_preview(note: str) -> str:
    """The first lines of a note too long to show whole on a timeline (a
    collapsed <details> shows them as its summary), or "" for a short note."""
    lines = [line.strip() for line in (note or "").strip().splitlines() if line.strip()]
    if len(lines) <= PREVIEW_LINES and sum(map(len, lines)) <= PREVIEW_CHARS:
        return ""
    preview = " / ".join(lines[:PREVIEW_LINES])
    return preview if len(preview) <= PREVIEW_CHARS else preview[: PREVIEW_CHARS - 1].rstrip() + "…"
