import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from goodword.core.prepared import prepared
from goodword.courtesy.ledger import request_settings
from goodword.courtesy.pages import own_debts_context
from goodword.lib.ids import parse_id
from goodword.lib.vocabulary import LATEST_MOMENT_FIRST, OUTCOME_STAGES, state_label
from goodword.opportunities.models import CLOSED_STAGES, Listing, Opportunity, StageChange
from goodword.opportunities.services import reference_listings_with_states
from goodword.outreach.services import recent_messages
from goodword.references import services
from goodword.references.forms import ReferenceFilterForm, ReferenceForm
from goodword.references.models import Reference
from goodword.timeline.forms import EventForm
from goodword.timeline.models import Event

PAGE_SIZE = 50


def reference_list(request):
    filters = ReferenceFilterForm(request.GET or None)
    # Both as subqueries, not a join with GROUP BY: the paginator's count then
    # drops them and counts plain rows, and each page evaluates them for its 50
    # references only (an index seek each, on (owner, reference, occurred_at)).
    last_contact = (
        Event.objects.filter(owner=request.user, reference=OuterRef("pk"))
        .order_by(*LATEST_MOMENT_FIRST).values("occurred_at")[:1]
    )
    listing_count = (
        Listing.objects.filter(reference=OuterRef("pk")).order_by()
        .values("reference").annotate(n=Count("id")).values("n")
    )
    references = filters.filter(
        Reference.objects.for_user(request.user).annotate(
            listing_count=Coalesce(Subquery(listing_count), 0), last_contact=Subquery(last_contact)
        ).order_by("name", "id")
    )
    page = Paginator(references, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "references/list.html", {
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "has_any": filters.is_filtered or page.paginator.count > 0,
    })


@prepared
def _owned_reference(owner_id: int, pk: int):
    return Reference.objects.for_user(owner_id).filter(pk=pk)


def get_reference(request, pk):
    """The signed-in user's reference `pk`, or 404 (every reference page and action: compiled once)."""
    found = _owned_reference(request.user.pk, pk)
    if not found:
        raise Http404("No such reference.")
    return found[0]


TIMELINE_PAGE = 20  # events per page of a reference's timeline, newest first


def _events_of(owner_id: int, reference_id: int):
    return (Event.objects.for_user(owner_id).filter(reference_id=reference_id)
            .select_related("opportunity").defer("opportunity__posting_text", "opportunity__requirements"))


@prepared
def _latest_events(owner_id: int, reference_id: int):
    return _events_of(owner_id, reference_id)[:TIMELINE_PAGE + 1]


def timeline_page(user, reference, start: int) -> dict:
    """One page of the reference's events from the `start`-th newest, and where
    the older and newer pages start (None: there is none)."""
    events = (_latest_events(user.pk, reference.pk) if start == 0  # the page itself: compiled once
              else list(_events_of(user.pk, reference.pk)[start:start + TIMELINE_PAGE + 1]))
    return {
        "events": events[:TIMELINE_PAGE],
        "older_start": start + TIMELINE_PAGE if len(events) > TIMELINE_PAGE else None,
        "newer_start": max(0, start - TIMELINE_PAGE) if start else None,
    }


def timeline_start(request) -> int:
    """The ?older= (or ?start=) offset of a timeline page; anything else is the first page."""
    value = parse_id(request.GET.get("older") or request.GET.get("start") or "")
    return min(value, 10**9) if value is not None else 0


def event_form_for(user, reference, *, opportunity=None) -> EventForm:
    """A fresh log form whose opportunity list holds what an event can still be
    about: open applications, and the ones this reference is on. (A posted
    form accepts any of the user's opportunities.)"""
    stage = StageChange.objects.filter(opportunity=OuterRef("pk")).order_by("-changed_on", "-id").values("stage")[:1]
    on_slate = Listing.objects.filter(opportunity=OuterRef("pk"), reference=reference)
    return EventForm(user=user, opportunity=opportunity, opportunities=(
        Opportunity.objects.filter(owner=user).annotate(current_stage=Subquery(stage))
        .filter(Q(current_stage__isnull=True) | ~Q(current_stage__in=CLOSED_STAGES) | Exists(on_slate))
        .only("id", "company", "role").order_by("company", "role")
    ))


def log_form_for(request, reference, listings) -> EventForm:
    """A fresh log form for the reference's page, about their one open application if they have one."""
    # What is logged here is most often about their one open application.
    still_open = [row["listing"].opportunity for row in listings
                  if row["listing"].opportunity.stage not in OUTCOME_STAGES]
    return event_form_for(request.user, reference, opportunity=still_open[0] if len(still_open) == 1 else None)


def listings_of(reference) -> list[dict]:
    return [
        {"listing": listing, "state": state, "state_label": state_label(state)}
        for listing, state in reference_listings_with_states(reference)
    ]


def detail_context(request, reference, *, event_form=None, logged=None, start: int = 0, with_form: bool = True):
    """Everything the reference page shows, in a fixed number of queries.

    with_form=False: the log form comes after the page (timeline:log_form), as its
    option list and widgets were a fifth of the page's time; a link stands in for it.
    """
    listings = listings_of(reference)
    if event_form is None and with_form:
        event_form = log_form_for(request, reference, listings)
    return {
        "reference": reference,
        **timeline_page(request.user, reference, start),
        "listings": listings,
        "event_form": event_form,
        "logged": logged,
        "outbox_messages": recent_messages(reference),
    }


def consent_context(request, reference) -> dict:
    """What their standing consent covers and until when, by the user's own window.
    The page must not build the ledger for it: the settings cost one query at most."""
    user_settings = request_settings(request)
    today = dt.datetime.now(ZoneInfo(user_settings.time_zone)).date()
    return {"standing_consent": reference.standing_consent(user_settings.consent_months), "today": today}


def reference_detail(request, pk, *, with_form: bool = False):
    reference = get_reference(request, pk)
    # ?log=1: the log form in the page, for a browser without JavaScript (the link that stands in for it).
    context = detail_context(request, reference, start=timeline_start(request),
                             with_form=with_form or "log" in request.GET)
    context |= own_debts_context(request, reference=reference) | consent_context(request, reference)
    return render(request, "references/detail.html", context)


@require_http_methods(["GET", "POST"])
def reference_create(request):
    form = ReferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reference = services.create_reference(request.user, **form.reference_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved {reference.name}.")
            return redirect(reference)
    return render(request, "references/form.html", {"form": form, "reference": None})


@require_http_methods(["GET", "POST"])
def reference_edit(request, pk):
    reference = get_reference(request, pk)
    heading = reference.name
    form = ReferenceForm(request.POST or None, instance=reference)
    if request.method == "POST" and form.is_valid():
        try:
            # A fresh copy: the form has already written its values onto
            # `reference`, and a failed save must not leave them half-applied.
            services.update_reference(get_reference(request, pk), **form.reference_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved {form.cleaned_data['name']}.")
            return redirect("references:detail", pk=pk)
    return render(request, "references/form.html", {"form": form, "reference": reference, "heading": heading})


@require_http_methods(["GET", "POST"])
def reference_delete(request, pk):
    reference = get_reference(request, pk)
    if request.method == "POST":
        name = reference.name
        events = services.delete_reference(reference)
        messages.success(request, f"Deleted {name} and {events} timeline event{'' if events == 1 else 's'}.")
        return redirect("references:list")
    counts = Reference.objects.for_user(request.user).filter(pk=reference.pk).aggregate(
        events=Count("events", distinct=True), listings=Count("listings", distinct=True)
    )
    return render(request, "references/confirm_delete.html", {"reference": reference, **counts})
