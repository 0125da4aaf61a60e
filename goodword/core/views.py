from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from goodword.accounts.forms import ProfileForm
from goodword.accounts.services import update_profile

from goodword.core.prepared import prepared
from goodword.courtesy.ledger import request_ledger_view
from goodword.courtesy.views import ledger_context
from goodword.opportunities.models import CLOSED_STAGES, Opportunity
from goodword.portal.services import notices_context
from goodword.sheets.services import notices_context as employer_notices_context
from goodword.references.models import Reference, Status
from goodword.timeline.models import Event

RECENT_EVENTS = 10
OPEN_OPPORTUNITIES_SHOWN = 12


@prepared
def _open_opportunities(owner_id: int):
    # One row more than shown tells whether to link to the rest, without a count query.
    return (
        Opportunity.objects.for_user(owner_id)
        .exclude(stage__in=CLOSED_STAGES)
        .annotate(slate_size=Count("listings"))
        .order_by("-stage_since", "-id")
        .only("id", "company", "role", "references_wanted")  # not the postings' text, up to 50 KB each
    )[: OPEN_OPPORTUNITIES_SHOWN + 1]


@prepared
def _status_counts(owner_id: int):
    return Reference.objects.for_user(owner_id).order_by().values_list("status").annotate(n=Count("id"))


@prepared
def _recent_events(owner_id: int):
    return (
        Event.objects.for_user(owner_id).select_related("reference", "opportunity")
        # Names and links only: not a posting's text (up to 50 KB) nor a reference's lists.
        .only("kind", "occurred_at", "note", "owner_id", "reference__name", "opportunity__company",
              "opportunity__role")[:RECENT_EVENTS]
    )


def home(request):
    """The dashboard: what you owe, new portal answers, open opportunities, the latest events.

    The courtesy ledger comes first, worst first. Every part costs a fixed
    number of queries whatever the amount of data, each compiled once (core/prepared.py).
    """
    user = request.user
    status_counts = dict(_status_counts(user.pk))
    shown = _open_opportunities(user.pk)
    ledger = ledger_context(user, ledger=request_ledger_view(request))  # kept while nothing changed
    return render(request, "core/home.html", {
        **ledger,
        **notices_context(user),
        **employer_notices_context(user),
        "open_opportunities": shown[:OPEN_OPPORTUNITIES_SHOWN],
        "more_open_opportunities": len(shown) > OPEN_OPPORTUNITIES_SHOWN,
        "reference_total": sum(status_counts.values()),
        "reference_counts": [
            (label, status_counts.get(value, 0)) for value, label in Status.choices if status_counts.get(value)
        ],
        "recent_events": _recent_events(user.pk),
    })


@require_http_methods(["GET", "POST"])
def settings_hub(request):
    user = request.user
    form = ProfileForm.for_user(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            update_profile(user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Saved your name, email and phone.")
            return redirect("core:settings")
    from django.conf import settings as django_settings

    from goodword.transfer.backups import last_backup

    local = django_settings.GOODWORD_MODE == "local"
    return render(request, "core/settings.html", {
        "profile_form": form, "show_backups": local, "last_backup": last_backup() if local else None,
        "hosted": not local,
    })


@login_not_required
@never_cache
def healthz(request):
    """200 "ok" when the database answers, else 503; with ?worker=1, 503 also when no worker has
    recorded a heartbeat lately. Plain text, no data, no sign-in, no session (goodword/core/health.py)."""
    from goodword.core import health

    if request.method not in ("GET", "HEAD"):
        return HttpResponse("GET or HEAD only.\n", status=405, content_type="text/plain; charset=utf-8")
    if not health.database_answers():
        return HttpResponse("database unreachable\n", status=503, content_type="text/plain; charset=utf-8")
    asked = request.GET.get("worker")
    if asked not in (None, "1"):
        return HttpResponse("worker=1 asks about the worker; nothing else is understood.\n", status=400,
                            content_type="text/plain; charset=utf-8")
    if asked == "1" and health.worker_stalled():
        return HttpResponse(f"worker stalled: no heartbeat for {health.STALL_MINUTES} minutes\n", status=503,
                            content_type="text/plain; charset=utf-8")
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
