"""The ledger page, its forms (settle, snooze, dismiss, undo) and the thresholds.

Every form works without JavaScript (POST, then redirect back). With htmx the
response is the re-rendered "ledger" (or "hidden_list") partial, so a settled
debt disappears without a full reload and the counts stay right.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from goodword.core.request_input import htmx_current_path, id_param, safe_next
from goodword.courtesy import services
from goodword.courtesy.chart import asked_chart_context
from goodword.courtesy.forms import (
    DismissForm,
    KeyForm,
    SettingsForm,
    SettleForm,
    SnoozeForm,
)
from goodword.courtesy.groups import group_debts
from goodword.courtesy.ledger import (
    Ledger,
    build_ledger,
    ledger_for_request,
    request_ledger_view,
    request_open_debts,
)
from goodword.courtesy.pages import own_debts_context
from goodword.courtesy.rows import RowMaker, group_rows
from goodword.courtesy.summary import KEPT_HISTORY, KeptLedger
from goodword.courtesy.refresh import badge_out_of_band, changes_ledger, mark_ledger_included
from goodword.courtesy.models import CourtesySettings
from goodword.courtesy.wording import action_label, short_name
from goodword.opportunities.models import Opportunity
from goodword.outreach.models import DRAFT_FOR_EVENT_KIND
from goodword.references.models import Reference

HISTORY_SHOWN = KEPT_HISTORY
# On the ledger page (?all=1 shows every group): the worst twenty groups keep
# the page under a second of reading and 100 KB for a realistic account.
SHOWN_GROUPS = 20
# On pages that embed the ledger (the dashboard), read at a glance: the worst
# groups, each whole (a group never hides some of its debts). The rest is one
# click away ("Show them all" on the ledger page).
EMBEDDED_GROUPS = 8


def ledger_context(user, now: dt.datetime | None = None, *, limit: int | None = EMBEDDED_GROUPS,
                   ledger: Ledger | KeptLedger | None = None, with_history: bool = False) -> dict:
    """What the "ledger" partial (courtesy/ledger.html#ledger) needs, for any page.

    Usage from another view: context.update(ledger_context(request.user,
    ledger=ledger_for_request(request))), then
    {% include "courtesy/ledger.html#ledger" %}. A fixed number of queries.
    Groups the debts by opportunity (courtesy.groups) and shows the worst
    EMBEDDED_GROUPS groups unless told otherwise (the ledger page itself asks
    for SHOWN_GROUPS, or all of them), every debt of a shown group, and
    the history of calls without warning only when asked (the ledger page).
    """
    ledger = ledger if ledger is not None else build_ledger(user, now)
    groups = group_debts(ledger.open, DRAFT_FOR_EVENT_KIND)
    shown = groups[:limit] if limit else groups
    # Not the Ledger itself: a template context is a reference cycle (Context <->
    # ContextDict) that lives until the cyclic collector runs, and the ledger's
    # facts would wait with it.
    return {
        "groups": shown,
        "group_rows": group_rows(shown, ledger.today),
        "more_groups": max(0, len(groups) - limit) if limit else 0,
        "holds": ledger.holds,
        "history": ledger.history[:HISTORY_SHOWN] if with_history else [],
        "open_count": len(ledger.open),
        "hidden_count": ledger.hidden_count,
        "archived_count": ledger.archived_count,
        "archive_after_days": ledger.archive_after_days,
        # Only a built ledger has them (the hidden page builds one); a kept one has their count.
        "hidden_debts": getattr(ledger, "hidden", []),
        "today": ledger.today,
    }


def _page_context(request, *, built: bool = False, **extra) -> dict:
    """The ledger partial as the page showing it needs it: this page, or for an
    htmx form the page it was posted from (the dashboard embeds a shorter ledger
    without the history; the ledger page shows 50 per severity, or all). From
    the kept ledger while nothing changed, unless `built` (the hidden debts)."""
    ledger = ledger_for_request(request) if built else request_ledger_view(request)
    if request.htmx:
        return_to = htmx_current_path(request, fallback=reverse("courtesy:ledger"))
    else:
        return_to = request.get_full_path()
    shown_on = urlsplit(return_to)
    if shown_on.path == reverse("courtesy:ledger"):
        limit = None if parse_qs(shown_on.query).get("all") else SHOWN_GROUPS
        context = ledger_context(request.user, ledger=ledger, limit=limit, with_history=True)
    else:
        context = ledger_context(request.user, ledger=ledger)
    context["return_to"] = return_to
    context.update(extra)
    return context


def ledger(request):
    context = _page_context(request)
    if request.htmx:
        # The ledger section of the page asking (this one or the dashboard) fetching itself
        # again after a change made elsewhere on it (courtesy.refresh).
        return render(request, "courtesy/ledger.html#ledger", context)
    return render(request, "courtesy/ledger.html", context)  # its chart comes after it (chart() below)


def chart(request):
    """How much each reference has been asked: the dashboard's and the ledger's
    chart, which htmx loads after the page, or a page of its own without JavaScript."""
    context = asked_chart_context(request.user)
    if request.htmx:
        return render(request, "courtesy/chart.html#asked_chart", context)
    return render(request, "courtesy/chart_page.html", context)


def hidden(request):
    return render(request, "courtesy/hidden.html", _page_context(request, built=True))


def later(request):
    """The snooze and dismiss forms of one open debt: loaded into its "Snooze or
    dismiss" on the ledger (htmx), or a page of their own without JavaScript.
    Kept off the ledger itself, where they were a third of each debt's bytes."""
    open_debts, today = request_open_debts(request)
    key = request.GET.get("key", "")
    debt = next((debt for debt in open_debts if debt.key == key), None)
    if debt is None:
        raise Http404("No such open debt: it may be settled, snoozed or dismissed already.")
    back_to = safe_next(request, reverse("courtesy:ledger"))
    context = {
        "row": RowMaker(today).row(debt), "back_to": back_to,
        "snooze_min_iso": (today + dt.timedelta(days=1)).isoformat(),
        "snooze_default_iso": (today + dt.timedelta(days=7)).isoformat(),
    }
    return render(request, "courtesy/later.html#forms" if request.htmx else "courtesy/later.html", context)


def _respond(request, *, success: str = "", error: str = ""):
    """htmx: the refreshed partial with a status line; otherwise back where the form was."""
    if request.htmx:
        partial = "hidden_list" if request.htmx.target == "hidden-debts" else "ledger"
        context = _page_context(request, built=partial == "hidden_list", flash=success or error,
                                flash_level="error" if error else "success")
        if partial == "hidden_list":
            return render(request, f"courtesy/hidden.html#{partial}", context)
        response = render(request, "courtesy/ledger.html#ledger", context)
        response.content += badge_out_of_band(request).encode()
        return mark_ledger_included(response)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    return redirect(safe_next(request, fallback=reverse("courtesy:ledger")))


def _form_error(form) -> str:
    return " ".join(message for errors in form.errors.values() for message in errors)


@require_POST
@changes_ledger
def settle(request):
    form = SettleForm(request.POST)
    if not form.is_valid():
        return _respond(request, error=_form_error(form))
    data = form.cleaned_data
    try:
        result = services.settle(
            request.user, data["key"], channel=data["channel"], note=data["note"], reference_id=data["reference"]
        )
    except (services.DebtNotFound, Reference.DoesNotExist, Opportunity.DoesNotExist):
        raise Http404("No such debt.") from None
    except ValidationError as exc:
        return _respond(request, error=" ".join(exc.messages))
    if isinstance(result, Reference):
        return _respond(request, success=f"{result.name} is now resting.")
    who = short_name(result.reference.name)
    return _respond(request, success=f"Logged for {who}: {action_label(result.kind).lower()}.")


@require_POST
@changes_ledger
def snooze(request):
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        return _respond(request, error=_form_error(form))
    try:
        decision = services.snooze(request.user, form.cleaned_data["key"], form.cleaned_data["until"])
    except services.DebtNotFound:
        raise Http404("No such debt.") from None
    except ValidationError as exc:
        return _respond(request, error=" ".join(exc.messages))
    return _respond(request, success=f"Snoozed until {decision.until:%d %b %Y}.")


@require_POST
@changes_ledger
def dismiss(request):
    form = DismissForm(request.POST)
    if not form.is_valid():
        return _respond(request, error=_form_error(form))
    try:
        services.dismiss(request.user, form.cleaned_data["key"], form.cleaned_data["reason"])
    except services.DebtNotFound:
        raise Http404("No such debt.") from None
    except ValidationError as exc:
        return _respond(request, error=" ".join(exc.messages))
    return _respond(request, success="Dismissed. It stays listed under “Dismissed and snoozed”.")


@require_POST
@changes_ledger
def undo(request):
    form = KeyForm(request.POST)
    if not form.is_valid() or not services.undo(request.user, form.cleaned_data["key"]):
        raise Http404("Nothing to undo.")
    return _respond(request, success="Back on the ledger.")


def badge(request):
    """The navigation badge alone, fetched again when the page's facts change."""
    return render(request, "includes/due_badge.html")


def own_debts(request):
    """The "What you owe here" section of a reference's (?ref=) or an opportunity's (?job=) page."""
    reference = opportunity = None
    ref_id, job_id = id_param(request, "ref"), id_param(request, "job")
    if ref_id is None and job_id is None:
        raise Http404("Say whose debts: ?ref= or ?job=.")
    if ref_id is not None:
        reference = get_object_or_404(Reference.objects.for_user(request.user), pk=ref_id)
    if job_id is not None:
        opportunity = get_object_or_404(Opportunity.objects.for_user(request.user), pk=job_id)
    context = own_debts_context(request, reference=reference, opportunity=opportunity)
    return render(request, "courtesy/_own_debts.html", context)


def settings_view(request):
    row = CourtesySettings.for_user(request.user)
    form = SettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Thresholds saved; the ledger uses them from now on.")
        return redirect("courtesy:ledger")
    return render(request, "courtesy/settings.html", {"form": form})
