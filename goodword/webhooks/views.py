"""The webhooks section of the settings: add, disable, test, remove, and recent deliveries. Thin: services.py does it."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from goodword.core.request_input import safe_next
from goodword.webhooks import services
from goodword.webhooks.forms import EndpointForm


def _endpoint(request, pk):
    try:
        return services.get_endpoint(request.user, pk)
    except services.EndpointNotFound:
        raise Http404("no such webhook") from None


def _post_only(view):
    """The endpoint is looked up before the method is checked: another user's id is 404
    whatever the request, never a 405 that would confirm the id exists."""

    @functools.wraps(view)
    def wrapper(request, pk):
        endpoint = _endpoint(request, pk)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(request, endpoint)

    return wrapper


@require_http_methods(["GET", "POST"])
def index(request):
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = services.create_endpoint(request.user, form.cleaned_data["url"], form.cleaned_data["kinds"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Rendered, not redirected: the secret must not travel in a URL nor wait in the session store.
            response = render(request, "webhooks/created.html", {"endpoint": endpoint, "secret": secret})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "webhooks/index.html", {"webhook_form": form}, status=400 if form.errors else 200)


def endpoint_detail(request, pk):
    endpoint = _endpoint(request, pk)
    deliveries = services.recent_deliveries(request.user, endpoint.pk, limit=50)
    return render(request, "webhooks/endpoint.html", {"endpoint": endpoint, "deliveries": deliveries})


@_post_only
def remove(request, endpoint):
    services.delete_endpoint(request.user, endpoint.pk)
    messages.success(request, f"Removed the webhook to {endpoint.url}; nothing more will be sent there.")
    return redirect(safe_next(request, reverse("webhooks:index")))


@_post_only
def set_active(request, endpoint):
    active = request.POST.get("active") == "1"
    services.set_active(request.user, endpoint.pk, active)
    messages.success(request, f"{'Enabled' if active else 'Disabled'} the webhook to {endpoint.url}.")
    return redirect(safe_next(request, reverse("webhooks:index")))


@_post_only
def send_test(request, endpoint):
    services.send_test(request.user, endpoint.pk)
    messages.success(request, f"A test event is on its way to {endpoint.url}; its result shows below in a moment.")
    return redirect(safe_next(request, reverse("webhooks:endpoint", args=[endpoint.pk])))
