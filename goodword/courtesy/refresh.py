"""Keep a page's debts and the navigation badge true after an htmx action.

An htmx action swaps in only the fragment it targets; what else it changed
(the badge, the page's debts) would stay as it was until a reload. Every view
that changes facts is wrapped in @changes_ledger: its successful htmx answers
carry `HX-Trigger-After-Settle: ledger-changed`, and the badge and each debts
section listen (`hx-trigger="ledger-changed from:body"`) and fetch themselves
again. After settling, so that the listeners are the elements now on the page.

A response that is itself the re-rendered ledger (the ledger's own forms) says
so with mark_ledger_included(): it carries the badge out of band instead, so
the ledger does not reload over its own status line.
"""

from __future__ import annotations

from functools import wraps

from django.template.loader import render_to_string

LEDGER_CHANGED = "ledger-changed"


def changes_ledger(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if (
            request.method == "POST"
            and getattr(request, "htmx", False)
            and response.status_code < 400
            and not getattr(response, "ledger_included", False)
        ):
            _add_trigger(response, LEDGER_CHANGED)
        return response

    return wrapper


def announce_ledger_change(response):
    """For an htmx response outside @changes_ledger that learnt of a change (a message just sent)."""
    _add_trigger(response, LEDGER_CHANGED)
    return response


def _add_trigger(response, event: str) -> None:
    header = "HX-Trigger-After-Settle"
    existing = response.get(header)
    # Several events are a comma-separated list; a JSON object from elsewhere is left alone.
    if existing and not existing.lstrip().startswith("{"):
        if event not in [name.strip() for name in existing.split(",")]:
            response[header] = f"{existing}, {event}"
    elif not existing:
        response[header] = event


def badge_out_of_band(request) -> str:
    """The navigation badge as an out-of-band swap, for a response that carries the ledger."""
    return render_to_string("includes/due_badge.html", {"oob": True}, request=request)


def mark_ledger_included(response):
    response.ledger_included = True
    return response
