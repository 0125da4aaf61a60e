from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from goodword.courtesy.refresh import changes_ledger
from goodword.references.views import (
    consent_context,
    detail_context,
    get_reference,
    listings_of,
    log_form_for,
    reference_detail,
    timeline_page,
    timeline_start,
)
from goodword.timeline import services
from goodword.timeline.forms import EventForm
from goodword.timeline.models import Event


@changes_ledger
def log_event(request, pk):
    reference = get_reference(request, pk)
    # Looked up first: another user's id answers 404 whatever the method.
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = EventForm(request.POST, user=request.user)
    event = None
    if form.is_valid():
        try:
            event = services.log_event(request.user, reference, **form.event_fields())
        except ValidationError as error:
            form.add_error(None, error)

    if request.htmx:
        # The fragment carries a fresh form (so it is reset) or the bound one
        # with its errors; the listings follow out of band, their states
        # being derived from the events just changed.
        context = detail_context(request, reference, event_form=None if event else form, logged=event)
        context["logged_note"] = services.settles_nothing(event) if event else ""
        html = render_to_string("references/detail.html#timeline", context, request=request)
        if event:
            html += render_to_string("references/detail.html#listings", {**context, "oob": True}, request=request)
        return HttpResponse(html)

    if event is None:
        context = detail_context(request, reference, event_form=form) | consent_context(request, reference)
        return render(request, "references/detail.html", context)
    note = services.settles_nothing(event)
    messages.success(request, f"Logged “{event.get_kind_display()}” with {reference.name}.{' ' + note if note else ''}")
    return redirect(reverse("references:detail", args=[reference.pk]) + "#timeline")


@require_http_methods(["GET", "POST"])
def event_delete(request, pk):
    event = get_object_or_404(Event.objects.for_user(request.user).select_related("reference", "opportunity"), pk=pk)
    if request.method == "POST":
        services.delete_event(event)
        messages.success(request, f"Removed “{event.get_kind_display()}” from {event.reference.name}’s timeline.")
        return redirect(reverse("references:detail", args=[event.reference_id]) + "#timeline")
    return render(request, "timeline/confirm_delete.html", {"event": event})


def older_events(request, pk):
    """The next page of a reference's timeline, for the "Older events" link:
    its events appended out of band, and the link to the page after it
    (without JavaScript, the reference's page at that page of the timeline)."""
    if not request.htmx:
        return reference_detail(request, pk)
    reference = get_reference(request, pk)
    context = {"reference": reference, **timeline_page(request.user, reference, timeline_start(request))}
    return render(request, "references/detail.html#timeline_page", context)


def log_form(request, pk):
    """The reference page's log form, which htmx loads after the page; without
    JavaScript, the page with the form in it."""
    reference = get_reference(request, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    if not request.htmx:
        return reference_detail(request, pk, with_form=True)
    context = {"reference": reference, "event_form": log_form_for(request, reference, listings_of(reference))}
    return render(request, "references/detail.html#log_form", context)
