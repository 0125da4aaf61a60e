"""A debt as the ledger's list shows it, worded once in Python.

The ledger page lists up to a hundred debts or so. Through template filters
each one cost a rule-title lookup, a due-date wording, two date formats, three
reversed URLs and a nine-option channel <select> built tag by tag: most of the
page's time went there (docs/ledger.md, "Pages"). Here each label is computed
once per debt, each URL pattern is reversed once per page, and the channel
options are built once per preselected channel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from goodword.courtesy import wording
from goodword.courtesy.facts import Debt
from goodword.courtesy.groups import DebtGroup
from goodword.courtesy.rules import RULES
from goodword.outreach.models import DRAFT_FOR_EVENT_KIND
from goodword.references.models import Channel

_PLACEHOLDER = 9_999_999_999  # an id no row has, replaced by the real one


class UrlPattern:
    """reverse(name, args=[pk]) for many pks, at the cost of one reverse()."""

    def __init__(self, name: str):
        self.before, _, self.after = reverse(name, args=[_PLACEHOLDER]).partition(str(_PLACEHOLDER))

    def __call__(self, pk: int) -> str:
        return f"{self.before}{pk}{self.after}"


@lru_cache(maxsize=32)
def channel_options(selected: str) -> SafeString:
    """The settle form's <option>s ("—" then every channel), `selected` preselected."""
    choices = [("", "—"), *((value, str(label)) for value, label in Channel.choices)]
    return mark_safe("".join(
        f'<option value="{escape(value)}"{" selected" if value and value == selected else ""}>{escape(label)}</option>'
        for value, label in choices
    ))


@dataclass(frozen=True, slots=True)
class DebtRow:
    debt: Debt
    key: str
    dom_id: str
    title: str  # the rule's title: "No heads-up"
    who: str
    reference_url: str
    opportunity_url: str
    draft_url: str  # "" when no draft settles it
    due_iso: str
    due_text: str  # "overdue by 3 days"
    due_long: str  # "Fri 21 Feb 2025"
    overdue: bool
    settle_label: str
    channel_options: SafeString


class RowMaker:
    """DebtRows for one page: the URL patterns reversed once."""

    def __init__(self, today: dt.date):
        self.today = today
        self.reference_url = UrlPattern("references:detail")
        self.opportunity_url = UrlPattern("opportunities:detail")
        self.compose_url = reverse("outreach:compose")

    def row(self, debt: Debt) -> DebtRow:
        key = debt.key
        rule = RULES.get(debt.rule)
        kind = DRAFT_FOR_EVENT_KIND.get(debt.action, "")
        draft_url = ""
        if kind and debt.reference_id:
            draft_url = f"{self.compose_url}?kind={kind}&ref={debt.reference_id}"
            if debt.opportunity_id:
                draft_url += f"&job={debt.opportunity_id}"
        action = wording.action_label(debt.action)
        due = debt.due_on
        return DebtRow(
            debt=debt, key=key, dom_id="debt-" + key.replace(":", "-"),
            title=rule.title if rule else debt.rule, who=debt.who,
            reference_url=self.reference_url(debt.reference_id) if debt.reference_id else "",
            opportunity_url=self.opportunity_url(debt.opportunity_id) if debt.opportunity_id else "",
            draft_url=draft_url, due_iso=due.isoformat(), due_text=wording.due_text(due, self.today),
            due_long=f"{due:%a} {due.day} {due:%b %Y}", overdue=due <= self.today,
            settle_label=action if debt.action == "rest" else f"Log: {action.lower()}",
            channel_options=channel_options(debt.channel),
        )

    def rows(self, debts: Iterable[Debt]) -> list[DebtRow]:
        return [self.row(debt) for debt in debts]


def group_rows(groups: Iterable[DebtGroup], today: dt.date) -> list[tuple[DebtGroup, list[DebtRow]]]:
    """Each group with its debts as rows, for courtesy/ledger.html#ledger."""
    maker = RowMaker(today)
    return [(group, maker.rows(group.debts)) for group in groups]


def debt_item_html(row: DebtRow, *, single: bool, csrf_input: str, settle_url: str, later_url: str, back_to: str,
                   back_to_quoted: str) -> SafeString:
    """One debt's <li>, the markup courtesy/ledger.html's "debt" partial had, built
    in Python: through the template its thirty-odd lookups were most of the
    dashboard's time once the ledger itself was kept (summary.KeptLedger)."""
    debt, e = row.debt, escape
    severity, dom_id, title, who = e(debt.severity.label), e(row.dom_id), e(row.title), e(row.who)
    heading = "h3" if single else "h4"
    named = f' <a href="{e(row.reference_url)}"><bdi>{e(debt.reference_name)}</bdi></a>' if row.reference_url else ""
    if row.opportunity_url and (single or not row.reference_url):
        named += (" ·" if row.reference_url else "") + (
            f' <a href="{e(row.opportunity_url)}"><bdi>{e(debt.opportunity_label)}</bdi></a>')
    also = f": {title}, {who}"
    parts = [
        f'\n<li class="debt debt-{severity}" id="{dom_id}">\n'
        f'<{heading} class="debt-title" id="{dom_id}-title"><span class="severity-tag">{severity}</span> '
        f"{title}:{named}</{heading}>\n"
        f'<p class="why">{e(debt.why)}</p>\n',
        (f'<p class="draft-link"><a class="button button-small button-quiet" href="{e(row.draft_url)}">Draft it'
         f'<span class="visually-hidden">{also}</span></a></p>' if row.draft_url else ""),
        f'\n<p class="due"><time datetime="{e(row.due_iso)}"{" class=\"overdue\"" if row.overdue else ""}>'
        f'{e(row.due_text)}</time> <span class="muted">({e(row.due_long)})</span></p>\n',
    ]
    if debt.rule == "short_slate" and not debt.candidates:
        parts.append(f'<p class="muted">Nobody to suggest: add someone to the <a href="{e(row.opportunity_url)}">'
                     "opportunity's slate</a> and ask them.</p>\n")
    else:
        key = e(row.key)
        parts.append(
            f'<form class="settle form-inline" method="post" action="{e(settle_url)}" hx-post="{e(settle_url)}" '
            f'aria-label="Settle{also}">{csrf_input}<input type="hidden" name="key" value="{key}">'
            f'<input type="hidden" name="next" value="{e(back_to)}">\n')
        if debt.candidates:
            options = "".join(f'<option value="{e(pk)}">{e(name)}</option>' for pk, name in debt.candidates)
            parts.append(f'<div class="field"><label for="{dom_id}-reference">Who agreed</label> '
                         f'<select name="reference" id="{dom_id}-reference">{options}</select></div>')
        parts.append("\n")
        if debt.action != "rest":
            parts.append(
                f'<div class="field"><label for="{dom_id}-channel">How</label> <select name="channel" '
                f'id="{dom_id}-channel">{row.channel_options}</select></div>\n<div class="field"><label '
                f'for="{dom_id}-note">Note</label> <input type="text" name="note" id="{dom_id}-note" '
                'maxlength="2000" placeholder="optional"></div>')
        parts.append(f'\n<div class="actions"><button type="submit" class="button-small">{e(row.settle_label)}'
                     "</button></div></form>\n")
    later = f"{e(later_url)}?key={e(row.key)}&amp;next={e(back_to_quoted)}"
    parts.append(
        f'<details class="later" hx-get="{later}" hx-trigger="toggle once" hx-target="find .later-forms" '
        f'hx-swap="innerHTML"><summary>Snooze or dismiss<span class="visually-hidden">{also}</span></summary>\n'
        f'<div class="later-forms"><a href="{later}">Snooze or dismiss it<span class="visually-hidden">{also}</span>'
        "</a></div></details>\n</li>\n")
    return mark_safe("".join(parts))
