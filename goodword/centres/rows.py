"""A coach's cohort rows, rendered in Python.

A cohort is a hundred candidates or so; through the template each row cost a
reversed URL, three date filters, a name with its fallback, four localized
numbers and a loop over the stages, and the rows were half of the page's time
on PostgreSQL. The same markup, byte for byte (tests/test_perf_cohort_rows.py
renders the template fragment this replaced and compares), for a fraction of
that: the page's accessibility is tested on this very markup (test_centres_axe).
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from goodword.core.dayformat import day_month_text, day_text
from goodword.core.urlcache import url_for_pk


def _name(user) -> str:
    """{{ user.get_full_name|default:user.email }}"""
    return escape(user.get_full_name() or user.email)


def _counted(row) -> str:
    if row.fresh:
        return ""
    return ('<span class="muted">' + ("counted on " + day_month_text(row.counted_on) if row.counted_on
                                      else "not counted yet") + "</span>")


def _last_logged(moment) -> str:
    """<time datetime="{{ moment|date:'c' }}">{{ moment|date:"j M Y" }}</time>, in the time zone the template
    shows (|date converts an aware moment to it first; 'c' is isoformat())."""
    if not moment:
        return "—"
    local = template_localtime(moment)
    return f'<time datetime="{escape(local.isoformat())}">{day_text(local.date())}</time>'


def _stages(stages) -> str:
    # {{ count }} of an int is str(): the project does not group thousands (USE_THOUSAND_SEPARATOR).
    return ", ".join(f"{count} {escape(label.lower())}" for label, count in stages) or "none"


def cohort_rows(rows) -> SafeString:
    """centres/cohort.html's table rows for services.cohort()'s rows."""
    parts = []
    for row in rows:
        counts, membership = row.counts, row.membership
        parts.append(
            '\n    <tr>\n      <th scope="row"><a href="' + url_for_pk("centres:candidate", membership.pk)
            + '"><bdi>' + _name(membership.user) + "</bdi></a>\n        " + _counted(row) + "</th>\n      <td>"
            + "</td><td>".join(str(counts.get(label, "")) for label in ("critical", "high", "medium", "low"))
            + "</td>\n      <td>" + _last_logged(row.last_logged) + "</td>\n      <td>" + _stages(row.stages)
            + "</td>\n    </tr>\n  "
        )
    return mark_safe("".join(parts))
