"""A reference's timeline items, and an opportunity's events, rendered in Python.

A reference's page shows twenty events; through the template each cost two
display lookups, two date filters, a reversed URL and an included note
template, some 0.15 ms an item and a fifth of the page's time. Here the same
markup, byte for byte (tests/test_perf_timeline_rows.py renders the template this replaced and
compares), for a fraction of that. An opportunity's page lists its events the
same way, each naming its reference rather than the opportunity, and the
dashboard its latest events, each naming both.
"""

from __future__ import annotations

from django.template.defaultfilters import linebreaksbr, truncatechars
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from goodword.core.dayformat import time_element
from goodword.core.urlcache import url_for_pk
from goodword.references.models import Channel
from goodword.timeline.models import EventKind
from goodword.timeline.templatetags.timeline import note_preview


# Model.get_FOO_display() flattens and hashes the field's whole list of choices on every call:
# a tenth of an opportunity's page with a hundred events. The labels, once:
_KIND_LABELS = dict(EventKind.choices)
_CHANNEL_LABELS = dict(Channel.choices)


def _kind_label(event) -> str:
    return str(_KIND_LABELS.get(event.kind, event.kind))


def _channel_label(event) -> str:
    return str(_CHANNEL_LABELS.get(event.channel, event.channel))


def _note(note: str) -> str:
    preview = note_preview(note)
    text = linebreaksbr(note, autoescape=True)
    if preview:
        return ('\n<details class="note note-long"><summary><span dir="auto">' + escape(preview)
                + '</span> <span class="more">(whole note)</span></summary>\n  <div dir="auto">' + text
                + "</div></details>\n\n")
    return '<div class="note" dir="auto">' + text + "</div>\n"


def timeline_items(events, logged=None) -> SafeString:
    """references/detail.html's timeline items for `events` (`logged` marked as new)."""
    parts = []
    for event in events:
        opportunity = event.opportunity if event.opportunity_id else None
        parts.append(
            '\n    <li class="timeline-item' + (" timeline-new" if logged is not None and event == logged else "")
            + '">\n      <p class="timeline-head">\n        <span class="event-kind">'
            + escape(_kind_label(event)) + "</span>\n        "
            + ('<span class="muted">· ' + escape(_channel_label(event)) + "</span>" if event.channel else "")
            + "\n        "
            + ('· <a href="' + escape(opportunity.get_absolute_url()) + '"><bdi>' + escape(str(opportunity))
               + "</bdi></a>" if opportunity else "")
            + "\n        " + _when(event) + "\n        "
            + '<a class="small-link" href="' + url_for_pk("timeline:delete", event.pk)
            + '">Delete<span class="visually-hidden"> this event</span></a>\n      </p>\n      '
            + (_note(event.note) if event.note else "") + "\n    </li>"
        )
    return mark_safe("".join(parts))


def _when(event) -> str:
    return time_element(event.occurred_at)


def opportunity_events(events) -> SafeString:
    """opportunities/detail.html's items for the events about an opportunity (each with its reference)."""
    parts = []
    for event in events:
        reference = event.reference
        parts.append(
            '\n    <li class="timeline-item">\n      <p class="timeline-head">\n        <span class="event-kind">'
            + escape(_kind_label(event)) + '</span>\n        · <a href="' + escape(reference.get_absolute_url())
            + '"><bdi>' + escape(reference.name) + "</bdi></a>\n        "
            + ('<span class="muted">· ' + escape(_channel_label(event)) + "</span>" if event.channel else "")
            + "\n        " + _when(event) + "\n      </p>\n      "
            + (_note(event.note) if event.note else "") + "\n    </li>\n    "
        )
    return mark_safe("".join(parts))


def recent_events(events) -> SafeString:
    """core/home.html's items for the latest events (each with its reference and opportunity)."""
    parts = []
    for event in events:
        reference, opportunity = event.reference, event.opportunity if event.opportunity_id else None
        parts.append(
            '\n      <li class="timeline-item">\n        <p class="timeline-head">\n          <span class="event-kind">'
            + escape(_kind_label(event)) + '</span>\n          · <a href="'
            + escape(reference.get_absolute_url()) + '"><bdi>' + escape(reference.name) + "</bdi></a>\n          "
            + ('· <a href="' + escape(opportunity.get_absolute_url()) + '"><bdi>' + escape(str(opportunity))
               + "</bdi></a>" if opportunity else "")
            + "\n          " + _when(event) + "\n        </p>\n        "
            + ('<p class="note" dir="auto">' + escape(truncatechars(event.note, 200)) + "</p>" if event.note else "")
            + "\n      </li>\n      "
        )
    return mark_safe("".join(parts))
