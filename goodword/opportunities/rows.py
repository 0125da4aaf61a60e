"""The pipeline's and the dashboard's opportunity rows, rendered in Python.

The pipeline lists some eighty opportunities; through the template each row
cost a reversed URL, a date filter and a filter for its slate, some 0.08 ms a
row and half of the page's time. The same markup, byte for byte
(tests/test_perf_opportunity_rows.py renders the templates this replaced and
compares), for a fraction of that.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from goodword.core.dayformat import day_text
from goodword.opportunities.models import slate_count_text


def _since(opportunity) -> str:
    """{{ opportunity.stage_since|date:"j M Y" }}: a date, or nothing. Each date is
    formatted once (date_format() was a third of a row's time)."""
    since = opportunity.stage_since
    return day_text(since) if since not in (None, "") else ""


def _slate(opportunity) -> str:
    return escape(slate_count_text(int(opportunity.slate_size), opportunity.references_wanted))


def pipeline_rows(opportunities) -> SafeString:
    """opportunities/list.html's table rows for one stage."""
    return mark_safe("".join(
        '\n      <tr>\n        <th scope="row"><a href="' + escape(opportunity.get_absolute_url()) + '" dir="auto">'
        + escape(opportunity.role) + '</a></th>\n        <td dir="auto">' + escape(opportunity.company)
        + "</td>\n        <td>" + _since(opportunity) + "</td>\n        <td>" + _slate(opportunity)
        + "</td>\n      </tr>\n    "
        for opportunity in opportunities
    ))


def open_rows(opportunities) -> SafeString:
    """core/home.html's table rows for the open opportunities."""
    return mark_safe("".join(
        '\n        <tr>\n          <th scope="row"><a href="' + escape(opportunity.get_absolute_url()) + '" dir="auto">'
        + escape(opportunity.role) + '</a>\n            <span class="muted" dir="auto">' + escape(opportunity.company)
        + '</span></th>\n          <td><span class="stage stage-' + escape(str(opportunity.stage)) + '">'
        + escape(opportunity.stage_label) + "</span>\n            "
        + ('<span class="muted">since ' + _since(opportunity) + "</span>" if opportunity.stage_since else "")
        + "</td>\n          <td>" + _slate(opportunity) + "</td>\n        </tr>\n      "
        for opportunity in opportunities
    ))
