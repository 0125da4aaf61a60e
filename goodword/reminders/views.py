"""The reminders settings page and the calendar feed (token URL, no account)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from goodword.portal import services as portal
from goodword.portal.views import token_view
from goodword.reminders import services
from goodword.reminders.forms import DigestForm
from goodword.reminders.models import ReminderSettings


@require_http_methods(["GET", "POST"])
def settings_page(request):
    row = ReminderSettings.for_user(request.user)
    form = DigestForm(instance=row)
    feed_url = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "digest":
            form = DigestForm(request.POST, instance=row)
            if form.is_valid():
                form.save()
                messages.success(request, "Saved your digest settings.")
                return redirect("reminders:settings")
        elif action == "issue_feed":
            feed_url = request.build_absolute_uri(services.feed_path(services.issue_feed_token(request.user)))
        elif action == "revoke_feed":
            services.revoke_feed(request.user)
            messages.success(request, "The calendar address no longer works.")
            return redirect("reminders:settings")
    response = render(request, "reminders/settings.html", {
        "form": form, "feed_url": feed_url, "has_feed": services.has_live_feed(request.user),
    })
    if feed_url:
        response["Cache-Control"] = "no-store"
    return response


def _text(body, status):
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")


@token_view
def feed(request, token):
    if request.method not in ("GET", "HEAD"):
        return _text("Calendar feeds are read-only.\n", 405)
    client = portal.client_key(request)
    if portal.is_throttled(client):
        return _text("Too many attempts; wait a quarter of an hour.\n", 429)
    found = services.resolve_feed(token)
    if found is None:
        portal.record_miss(client)
        return _text("No such calendar.\n", 404)
    status, user = found
    if status != "live":
        return _text("This calendar address was replaced or revoked; copy the new one from Goodword's reminders page.\n", 410)
    response = HttpResponse(services.build_calendar(user, base_url=request.build_absolute_uri("/").rstrip("/")),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="goodword.ics"'
    return response
