"""{% load timeline %}: how a long note shows on a timeline."""

from django import template

register = template.Library()

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
