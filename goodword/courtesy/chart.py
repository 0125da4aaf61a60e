"""How much each reference has been asked lately, as numbers for an SVG bar chart.

Two aggregate queries: listings per reference, and employer contacts per
reference, both within the window. The geometry is computed here so that the
template only places shapes (no JavaScript, no inline styles).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from goodword.core.urlcache import url_for_pk
from goodword.opportunities.models import Listing
from goodword.timeline.models import Event

WINDOW_DAYS = 90
MAX_BARS = 12
# The table under the chart: a heavy account asks hundreds of references in 90
# days, and a dashboard table of all of them was 90 kB and 30 ms of rendering.
MAX_TABLE_ROWS = 50
LABEL_WIDTH = 170
BAR_AREA = 330
ROW_HEIGHT = 26
BAR_HEIGHT = 16
TOP = 8


@dataclass(frozen=True, slots=True)
class AskedRow:
    reference_id: int
    name: str
    listings: int
    contacts: int
    # geometry, in SVG user units
    y: int = 0
    listings_width: float = 0
    contacts_x: float = 0
    contacts_width: float = 0
    total_x: float = 0

    @property
    def url(self) -> str:
        return url_for_pk("references:detail", self.reference_id)

    @property
    def total(self) -> int:
        return self.listings + self.contacts

    @property
    def short_name(self) -> str:
        return self.name if len(self.name) <= 22 else self.name[:21] + "…"

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 3


def asked_rows(user, now: dt.datetime | None = None, days: int = WINDOW_DAYS) -> list[AskedRow]:
    """Every reference listed or contacted by an employer in the window, most asked first."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    counts: dict[int, list] = {}
    for reference_id, name, count in (
        Listing.objects.filter(opportunity__owner=user, reference__owner=user, created_at__gte=since)
        .order_by().values("reference_id", "reference__name").annotate(n=Count("id"))
        .values_list("reference_id", "reference__name", "n")
    ):
        counts[reference_id] = [name, count, 0]
    for reference_id, name, count in (
        Event.objects.filter(owner=user, kind="employer_contacted", occurred_at__gte=since, occurred_at__lte=now)
        .order_by().values("reference_id", "reference__name").annotate(n=Count("id"))
        .values_list("reference_id", "reference__name", "n")
    ):
        counts.setdefault(reference_id, [name, 0, 0])[2] = count
    rows = [AskedRow(pk, name, listings, contacts) for pk, (name, listings, contacts) in counts.items()]
    rows.sort(key=lambda row: (-row.total, -row.listings, row.name.lower()))
    return rows


def asked_chart_context(user, now: dt.datetime | None = None, days: int = WINDOW_DAYS) -> dict:
    """What the "asked_chart" partial needs (courtesy/chart.html#asked_chart)."""
    rows = asked_rows(user, now, days)
    shown = rows[:MAX_BARS]
    top = max((row.total for row in shown), default=0) or 1
    scale = BAR_AREA / top
    placed = []
    for index, row in enumerate(shown):
        listings_width = round(row.listings * scale, 1)
        contacts_width = round(row.contacts * scale, 1)
        placed.append(AskedRow(
            row.reference_id, row.name, row.listings, row.contacts,
            y=TOP + index * ROW_HEIGHT,
            listings_width=listings_width,
            contacts_x=LABEL_WIDTH + listings_width,
            contacts_width=contacts_width,
            total_x=LABEL_WIDTH + listings_width + contacts_width + 6,
        ))
    summary = "; ".join(
        f"{row.name}: {row.listings} listed, {row.contacts} employer contact{'s' if row.contacts != 1 else ''}"
        for row in shown[:5]
    )
    return {
        "asked_rows": rows[:MAX_TABLE_ROWS],
        "asked_rows_hidden": max(0, len(rows) - MAX_TABLE_ROWS),
        "asked_bars": placed,
        "asked_days": days,
        "asked_hidden": max(0, len(rows) - len(shown)),
        "asked_summary": summary,
        "chart_width": LABEL_WIDTH + BAR_AREA + 40,
        "chart_height": TOP * 2 + max(1, len(placed)) * ROW_HEIGHT,
        "label_width": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "bar_height": BAR_HEIGHT,
    }
