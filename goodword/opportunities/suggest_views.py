"""The slate builder on the opportunity page: requirements, the suggestion, applying it, synonyms.

Plain forms that work without JavaScript (each answers with a redirect to
the opportunity page); the suggestion panel also refetches itself when an
htmx action elsewhere on the page changes the ledger (the slate).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from goodword.core.request_input import safe_next
from goodword.courtesy.ledger import ledger_for_request
from goodword.courtesy.refresh import changes_ledger
from goodword.lib.ids import parse_id
from goodword.lib.requirements import MAX_REQUIREMENTS
from goodword.opportunities import suggest
from goodword.opportunities.views import detail_context, get_opportunity, not_a_post
from goodword.references.forms import FriendlyForm


class RequirementsForm(FriendlyForm, forms.Form):
    requirements = forms.CharField(
        label="Requirement lines", required=False, max_length=MAX_REQUIREMENTS * 310,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"One requirement a line (at most {MAX_REQUIREMENTS}); correct, add or delete lines. "
                  "The suggestion and the letter and heads-up drafts use this list.",
    )


class SynonymsForm(FriendlyForm, forms.Form):
    text = forms.CharField(
        label="Your synonyms", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 10}),
        help_text="One group a line, the terms separated by “=” or commas, e.g. “k8s = kubernetes” or "
                  "“postgres, postgresql”. Lines starting with # are comments.",
    )


def wanted_param(request) -> int | None:
    value = parse_id(request.GET.get("n", ""))
    return value if value is not None and value <= 10 else None


def builder_context(request, opportunity, *, requirements_form=None, wanted=None, deferred=False) -> dict:
    """The builder panel's context: the requirements to check and, for an open application, the suggestion.

    deferred: leave the suggestion out (it reads the whole ledger's facts); the
    panel then fetches itself after the page, or on request without JavaScript.
    """
    checked = suggest.requirements_are_checked(opportunity)
    lines = suggest.posting_requirements(opportunity)
    deferred = deferred and not opportunity.is_closed
    suggestion = None if opportunity.is_closed or deferred else suggest.suggestion_for(
        request.user, opportunity, wanted=wanted, facts=ledger_for_request(request).facts)
    return {
        "opportunity": opportunity,
        "requirements_form": requirements_form or RequirementsForm(initial={"requirements": "\n".join(lines)}),
        "requirements_checked": checked,
        "requirement_count": len(lines),
        "suggestion": suggestion,
        "wanted_override": wanted,
        "builder_deferred": deferred,
    }


def suggestion_panel(request, pk):
    """The panel alone, for htmx to refetch when the slate changes."""
    opportunity = get_opportunity(request, pk)  # before the method check: another user's id is a 404 either way
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return render(request, "opportunities/_builder.html", builder_context(request, opportunity,
                                                                          wanted=wanted_param(request)))


def _back(opportunity, anchor="builder"):
    return redirect(reverse("opportunities:detail", args=[opportunity.pk]) + f"#{anchor}")


def save_requirements(request, pk):
    opportunity = get_opportunity(request, pk)
    if refused := not_a_post(request):
        return refused
    form = RequirementsForm(request.POST)
    if form.is_valid():
        try:
            lines = suggest.save_requirements(opportunity, form.cleaned_data["requirements"])
        except ValidationError as error:
            form.add_error("requirements", error.message_dict.get("requirements", error.messages))
        else:
            messages.success(request, f"Kept {len(lines)} requirement line{'s' if len(lines) != 1 else ''} "
                                      "for the suggestion and the drafts.")
            return _back(opportunity)
    context = detail_context(request, opportunity) | builder_context(request, opportunity, requirements_form=form)
    return render(request, "opportunities/detail.html", context, status=400)


def fetch_posting(request, pk):
    opportunity = get_opportunity(request, pk)
    if refused := not_a_post(request):
        return refused
    try:
        text = suggest.fetch_posting_text(opportunity)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        count = len(suggest.posting_requirements(opportunity))
        messages.success(request, f"Read {len(text):,} characters from the posting; "
                                  f"{count} requirement line{'s' if count != 1 else ''} found: check them below.")
    return _back(opportunity)


@changes_ledger
def apply_suggestion(request, pk):
    opportunity = get_opportunity(request, pk)
    if refused := not_a_post(request):
        return refused
    ids = [pk for pk in map(parse_id, request.POST.getlist("ref")) if pk is not None]
    try:
        accepted, to_ask, next_url = suggest.apply_suggestion(request.user, opportunity, ids)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(opportunity)
    names = ", ".join(reference.name for reference in accepted)
    if next_url:
        messages.success(request, f"Listed {names} on the slate, in that order. Now ask "
                                  f"{', '.join(reference.name for reference in to_ask)} for permission.")
        return redirect(next_url)
    messages.success(request, f"Listed {names} on the slate, in that order; all of them have agreed already.")
    return _back(opportunity, "slate")


@require_http_methods(["GET", "POST"])
def synonyms(request):
    form = SynonymsForm(request.POST or None, initial={"text": suggest.synonyms_text(request.user)})
    back = safe_next(request, "")
    if request.method == "POST" and form.is_valid():
        try:
            suggest.save_synonyms(request.user, form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error("text", error.message_dict.get("text", error.messages))
        else:
            messages.success(request, "Saved your synonyms; suggestions use them from now on.")
            return redirect(back or "opportunities:synonyms")
    return render(request, "opportunities/synonyms.html", {"form": form, "next": back},
                  status=400 if form.errors else 200)
