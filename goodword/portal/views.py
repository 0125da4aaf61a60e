"""The reference-facing page (no account) and the candidate's page that manages a listing's link.

The token is in the path, so nothing here may let the path reach a log:
Django's request logger writes the path of every 4xx/5xx response and of
every CSRF failure. Portal responses are therefore marked as already logged,
CSRF is checked by a subclass that does the same, and errors are logged
without the path.
"""

from __future__ import annotations

import logging
import secrets
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from goodword.core.request_input import safe_next
from goodword.opportunities.models import Listing
from goodword.portal import services
from goodword.portal.forms import ANSWER_FORMS, ShareForm
from goodword.portal.models import Share

log = logging.getLogger(__name__)

DONE_MESSAGES = {
    "consent": "Thank you: your answer is recorded and {candidate} has been told.",
    "contacted": "Thank you for letting {candidate} know the employer reached you.",
    "letter": "Thank you: {candidate} now knows the letter is sent.",
    "contact": "Thank you: {candidate} has your updated details.",
    "availability": "Thank you: {candidate} will respect your availability.",
}


def _private(response):
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    # Keeps django.request from writing "Not Found: /r/<token>/" to the log.
    response._has_been_logged = True
    return response


class _QuietCsrf(CsrfViewMiddleware):
    """CSRF for pages served with Referrer-Policy: no-referrer.

    Under that policy browsers send `Origin: null` and no Referer with the
    page's own forms, so Django's origin and referer checks would refuse every
    answer. The cookie/form token pair is still required; and a cross-site
    forgery would also need the secret link, which only the reference has.
    """

    def process_view(self, request, callback, callback_args, callback_kwargs):
        if request.META.get("HTTP_ORIGIN") == "null":
            del request.META["HTTP_ORIGIN"]
        return super().process_view(request, callback, callback_args, callback_kwargs)

    def _check_referer(self, request):
        return None

    def _reject(self, request, reason):
        from django.middleware.csrf import _get_failure_view

        return _private(_get_failure_view()(request, reason=reason))


def token_view(view):
    """No login, CSRF without logging the path, private headers on every answer."""
    checked = decorator_from_middleware(_QuietCsrf)(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = checked(request, *args, **kwargs)
        except Exception:
            log.exception("A token page failed")  # the message names no path, so no token
            response = render(request, "portal/problem.html", status=500)
        return _private(response)

    return login_not_required(csrf_exempt(wrapper))


def not_found(request):
    return render(request, "portal/not_found.html", status=404)


@token_view
def portal_page(request, token):
    if request.method not in ("GET", "HEAD", "POST"):
        # Not require_http_methods: it would log the path (and so the token).
        return render(request, "portal/problem.html", status=405)
    client = services.client_key(request)
    if services.is_throttled(client):
        response = render(request, "portal/throttled.html", status=429)
        response["Retry-After"] = str(int(services.MISS_WINDOW.total_seconds()))
        return response
    resolved = services.resolve(token)
    if resolved is None:
        services.record_miss(client)
        return not_found(request)
    link = resolved.link
    candidate = link.listing.opportunity.owner
    if resolved.status != "live":
        from goodword.outreach.drafts import candidate_context

        return render(request, "portal/gone.html", {"candidate": candidate_context(candidate)["name"],
                                                    "status": resolved.status}, status=410)
    # Each form gets its own id prefix: two of them have a "note" field, and every label must find its own.
    # (Field names stay unprefixed: the "form" field already says which form was sent.)
    forms = {name: form_class(initial={"nonce": secrets.token_urlsafe(16)}, auto_id=f"id_{name}_%s")
             for name, form_class in ANSWER_FORMS.items()}
    reference = link.listing.reference
    forms["availability"].initial.update(away_until=reference.away_until, max_calls_a_month=reference.max_calls_a_month)
    status = 200
    if request.method == "POST":
        name = request.POST.get("form", "")
        if name not in ANSWER_FORMS:
            return render(request, "portal/problem.html", status=400)
        form = ANSWER_FORMS[name](request.POST, auto_id=f"id_{name}_%s")
        if form.is_valid():
            data = form.cleaned_data
            kind = data.get("answer") or {"contacted": "employer_contacted", "letter": "letter_sent",
                                          "contact": "contact_updated", "availability": "availability_updated"}[name]
            try:
                services.record_answer(link, kind, data["nonce"], data)
            except ValidationError as error:
                # Messages only: the error may name model fields this form does not have.
                form.add_error(None, error.messages)
                status = 400
            else:
                return redirect(request.path + f"?done={name}#answered", permanent=False)
        else:
            status = 400
        forms[name] = form
    content = services.page_content(link)
    done = DONE_MESSAGES.get(request.GET.get("done", ""), "")
    return render(request, "portal/page.html", {
        "content": content, "forms": forms, "done": done.format(candidate=content["candidate"]),
        "expires": services.expires_at(link),
    }, status=status)


# ---------------------------------------------------------------- the candidate's side


@require_http_methods(["GET", "POST"])
def manage(request, listing_id):
    listing = get_object_or_404(
        Listing.objects.for_user(request.user).select_related("reference", "opportunity"), pk=listing_id
    )
    link = services.current_link(listing)
    token = None
    form = ShareForm(initial={"shared": link.shared if link else services.default_shared(listing)})
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            services.revoke(listing)
            messages.success(request, f"The link for {listing.reference.name} no longer works.")
            return redirect("portal:manage", listing_id=listing.pk)
        form = ShareForm(request.POST)
        if form.is_valid() and action == "issue":
            link, token = services.issue_link(listing, form.cleaned_data["shared"])
        elif form.is_valid() and action == "share" and link is not None:
            services.set_shared(link, form.cleaned_data["shared"])
            messages.success(request, "Saved what the reference sees.")
            return redirect("portal:manage", listing_id=listing.pk)
    response = render(request, "portal/manage.html", {
        "listing": listing, "link": link, "form": form,
        "status": services.link_status(link),
        "expires": services.expires_at(link, listing.opportunity) if link else None,
        "url": request.build_absolute_uri(services.portal_path(token)) if token else None,
        "shared_labels": [label for value, label in Share.choices if link and value in link.shared],
    })
    if token:
        # The one page that shows the token: keep it out of caches and Referer headers.
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
def notices_read(request):
    services.mark_read(request.user)
    return redirect(safe_next(request, fallback="/"))
