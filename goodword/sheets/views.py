"""The candidate's sheet page (preview, print, downloads, the employer link,
letters) and the token pages: the employer's link and a reference's letter upload.

Token pages reuse the portal's machinery (goodword.portal.views.token_view:
no login, CSRF without logging the path, no-referrer/no-store/noindex on
every answer; goodword.portal.services: the per-client miss throttle)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from goodword.core.request_input import safe_next
from goodword.courtesy.refresh import changes_ledger
from goodword.lib.ids import parse_id
from goodword.opportunities.models import Listing, Opportunity
from goodword.portal import services as portal
from goodword.portal.views import not_found, token_view
from goodword.sheets import content as sheet_content
from goodword.sheets import letters as letter_service
from goodword.sheets import render as sheet_render
from goodword.sheets import services
from goodword.sheets.forms import BackdoorForm, ChoicesForm, EmployerLinkForm, LetterUploadForm
from goodword.sheets.models import Letter


def _opportunity(request, opportunity_id):
    return get_object_or_404(Opportunity.objects.for_user(request.user), pk=opportunity_id)


def _download(sheet, fmt: str) -> HttpResponse:
    content_type, make = sheet_render.FORMATS[fmt]
    response = HttpResponse(make(sheet), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{sheet_render.filename(sheet, fmt)}"'
    return response


@changes_ledger
@require_http_methods(["GET", "POST"])
def sheet_page(request, pk):
    opportunity = _opportunity(request, pk)
    sheet = sheet_content.sheet_for(opportunity)
    choices = ChoicesForm(initial={"location": sheet.location, "headline": sheet.headline})
    link_form = EmployerLinkForm(initial={"employer": opportunity.company, "days": 30})
    token = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "choices":
                choices = ChoicesForm(request.POST)
                if choices.is_valid():
                    services.save_choices(
                        opportunity, **choices.cleaned_data,
                        chosen=[pk for pk in map(parse_id, request.POST.getlist("chosen")) if pk is not None],
                        insisted=[pk for pk in map(parse_id, request.POST.getlist("insisted")) if pk is not None],
                        notes={key[5:]: value for key, value in request.POST.items()
                               if key.startswith("note-") and parse_id(key[5:]) is not None},
                    )
                    messages.success(request, "Saved the sheet.")
                    return redirect("sheets:sheet", pk=opportunity.pk)
            elif action == "issue":
                link_form = EmployerLinkForm(request.POST)
                if link_form.is_valid():
                    _link, token = services.issue_link(opportunity, employer=link_form.cleaned_data["employer"],
                                                       days=link_form.cleaned_data["days"])
            elif action == "revoke":
                services.revoke(opportunity)
                messages.success(request, "The employer link no longer works.")
                return redirect("sheets:sheet", pk=opportunity.pk)
            elif action in ("attach", "detach"):
                link = services.current_link(opportunity)
                letter = get_object_or_404(letter_service.letters_for(request.user, opportunity),
                                           pk=parse_id(request.POST.get("letter", "")) or 0)
                if link is None or services.link_status(link) != "live":
                    raise ValidationError("Make an employer link first; letters are shared through it.")
                if action == "attach":
                    letter_service.attach(link, letter)
                    messages.success(request, f"{letter.reference.name}'s letter is shared through the employer link.")
                else:
                    letter_service.detach(link, letter)
                    messages.success(request, f"{letter.reference.name}'s letter is no longer shared.")
                return redirect("sheets:sheet", pk=opportunity.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    sheet_data = sheet_content.build(opportunity, sheet=sheet)
    entries = {entry.reference_id: entry for entry in sheet_data.entries}
    link = services.current_link(opportunity)
    listings = Listing.objects.filter(opportunity=opportunity).select_related("reference", "opportunity")
    response = render(request, "sheets/sheet.html", {
        "opportunity": opportunity, "sheet": sheet_data, "choices": choices, "link_form": link_form,
        "link": link, "status": services.link_status(link),
        "shared_ids": set(link.letters.values_list("pk", flat=True)) if link else set(),
        "url": request.build_absolute_uri(services.employer_path(token)) if token else None,
        "letters": list(letter_service.letters_for(request.user, opportunity)),
        "rows": [{"ref": listing.reference, "letter": letter_service.letter_status(listing),
                  "note": (sheet.notes or {}).get(str(listing.reference_id), ""),
                  "entry": entries.get(listing.reference_id)} for listing in listings],
        "chosen_ids": set(sheet.chosen or []),
    })
    if token:
        # The one answer that shows the token (in the page, never in its URL): keep it out of caches.
        # "same-origin", not "no-referrer": the page's own forms must still pass Django's origin check.
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "same-origin"
    return response


@changes_ledger
def sheet_print(request, pk):
    """The print-ready page; opening it makes the sheet (an event on each listed reference)."""
    opportunity = _opportunity(request, pk)
    sheet = services.record_sheet(opportunity, "printed")
    return render(request, "sheets/print.html", {"sheet": sheet, "opportunity": opportunity})


def sheet_download(request, pk, fmt):
    opportunity = _opportunity(request, pk)
    sheet = services.record_sheet(opportunity, f"downloaded as {fmt.upper()}")
    return _download(sheet, fmt)


def own_letter(request, pk):
    """A letter for the candidate's own eyes: never a confidential one."""
    letter = get_object_or_404(Letter.objects.for_user(request.user), pk=pk)
    if letter.confidential:
        raise Http404("That letter is confidential: only employers you share it with can open it.")
    return _letter_response(letter)


def _letter_response(letter):
    response = FileResponse(letter.file.open("rb"), content_type="application/pdf", as_attachment=True,
                            filename=f"letter-{letter.pk}.pdf")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def notices_read(request):
    services.mark_notices_read(request.user)
    return redirect(safe_next(request, "/"))


# ---------------------------------------------------------------- token pages


def _throttled(request):
    response = render(request, "portal/throttled.html", status=429)
    response["Retry-After"] = str(int(portal.MISS_WINDOW.total_seconds()))
    return response


def _resolve_or_refuse(request, resolve, token):
    """(what the token names, None), or (None, the 429 or 404 to give): every
    token page counts a miss toward the same throttle as the portal."""
    client = portal.client_key(request)
    if portal.is_throttled(client):
        return None, _throttled(request)
    found = resolve(token)
    if found is None:
        portal.record_miss(client)
        return None, not_found(request)
    return found, None


def _employer_link(request, token):
    """(link, None) for a live link, else (None, the response to give)."""
    resolved, refused = _resolve_or_refuse(request, services.resolve, token)
    if refused:
        return None, refused
    if resolved.status != "live":
        return None, render(request, "sheets/employer_gone.html", {"status": resolved.status}, status=410)
    return resolved.link, None


@token_view
def employer_page(request, token):
    if request.method not in ("GET", "HEAD", "POST"):
        return render(request, "portal/problem.html", status=405)
    link, refused = _employer_link(request, token)
    if refused:
        return refused
    if request.method == "POST":
        if request.POST.get("action") == "checked":
            services.mark_checked(link)
            return redirect(request.path + "?checked=1")
        return render(request, "portal/problem.html", status=400)
    if request.method == "GET":
        services.record_visit(link, "opened your reference sheet")
    sheet = sheet_content.build(link.opportunity)
    return render(request, "sheets/employer.html", {
        "sheet": sheet, "link": link, "letters": services.shared_letters(link),
        "checked": link.checked_at is not None,
    })


@token_view
def employer_download(request, token, fmt):
    if request.method not in ("GET", "HEAD"):
        return render(request, "portal/problem.html", status=405)
    link, refused = _employer_link(request, token)
    if refused:
        return refused
    if request.method == "GET":
        services.record_visit(link, f"downloaded your reference sheet ({fmt.upper()})")
    return _download(sheet_content.build(link.opportunity), fmt)


@token_view
def employer_letter(request, token, letter_id):
    if request.method not in ("GET", "HEAD"):
        return render(request, "portal/problem.html", status=405)
    link, refused = _employer_link(request, token)
    if refused:
        return refused
    letter = services.letter_for_link(link, letter_id)
    if letter is None:
        return not_found(request)
    if letter.confidential and getattr(request.user, "pk", None) == letter.owner_id:
        # The candidate opening their own employer link, signed in: a confidential letter is not for them.
        return render(request, "sheets/confidential.html", status=403)
    if request.method == "GET":
        services.record_visit(link, f"downloaded {letter.reference.name}'s letter")
    return _letter_response(letter)


def _too_large(request) -> int:
    """The declared body size when it is beyond any letter (the form's fields included), else 0."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
    return length if length > letter_service.MAX_BYTES + 64 * 1024 else 0


@token_view
def portal_letter(request, token):
    """A reference uploads their letter, or reports an employer's call, through their portal link."""
    if request.method not in ("GET", "HEAD", "POST"):
        return render(request, "portal/problem.html", status=405)
    resolved, refused = _resolve_or_refuse(request, portal.resolve, token)
    if refused:
        return refused
    if resolved.status != "live":
        return render(request, "portal/gone.html", {"status": resolved.status}, status=410)
    listing = resolved.link.listing
    upload, backdoor, status, done = LetterUploadForm(), BackdoorForm(), 200, request.GET.get("done", "")
    refused = ""
    if request.method == "POST" and _too_large(request):
        # Refused before Django reads the body: a huge upload is never spooled to disk.
        refused = f"The file is {_too_large(request) / 1024 / 1024:.1f} MB; a letter must be under 5 MB."
        status = 413
    elif request.method == "POST" and request.POST.get("form") == "letter":
        upload = LetterUploadForm(request.POST, request.FILES)
        if upload.is_valid():
            try:
                data = letter_service.read_upload(upload.cleaned_data["letter"])
                letter_service.store_letter(listing, data, confidential=upload.cleaned_data["confidential"],
                                            reusable=upload.cleaned_data["reusable"])
            except ValidationError as error:
                upload.add_error("letter", error)
            else:
                return redirect(request.path + "?done=letter")
        status = 400
    elif request.method == "POST" and request.POST.get("form") == "backdoor":
        from goodword.sheets.backdoor import report_call

        backdoor = BackdoorForm(request.POST)
        if backdoor.is_valid():
            report_call(listing.reference, listed_for=listing.opportunity, **backdoor.cleaned_data)
            return redirect(request.path + "?done=backdoor")
        status = 400
    elif request.method == "POST":
        return render(request, "portal/problem.html", status=400)
    from goodword.outreach.drafts import candidate_context

    return render(request, "sheets/portal_letter.html", {
        "candidate": candidate_context(listing.opportunity.owner)["name"], "listing": listing,
        "upload": upload, "backdoor": backdoor, "done": done, "refused": refused,
    }, status=status)


# ---------------------------------------------------------------- the standing link


@require_http_methods(["GET", "POST"])
def standing_manage(request, pk):
    """The candidate's side of a reference's standing link: make one (shown once), or revoke it."""
    from goodword.references.models import Reference
    from goodword.sheets import backdoor

    reference = get_object_or_404(Reference.objects.for_user(request.user), pk=pk)
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            backdoor.revoke_standing_link(reference)
            messages.success(request, f"{reference.name}'s standing link no longer works.")
            return redirect("sheets:standing", pk=reference.pk)
        _link, token = backdoor.issue_standing_link(reference)
    link = backdoor.current_standing_link(reference)
    response = render(request, "sheets/standing_manage.html", {
        "reference": reference, "link": link,
        "status": "none" if link is None else ("revoked" if link.revoked_at else "live"),
        "url": request.build_absolute_uri(backdoor.standing_path(token)) if token else None,
    })
    if token:
        # The one answer that shows the token (in the page, never in its URL): keep it out of caches.
        # "same-origin", not "no-referrer": the page's own forms must still pass Django's origin check.
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "same-origin"
    return response


@token_view
def standing_page(request, token):
    """A reference reports an employer's call, tied to no application."""
    from goodword.outreach.drafts import candidate_context
    from goodword.sheets import backdoor

    if request.method not in ("GET", "HEAD", "POST"):
        return render(request, "portal/problem.html", status=405)
    link, refused = _resolve_or_refuse(request, backdoor.resolve_standing, token)
    if refused:
        return refused
    if link.revoked_at is not None:
        return render(request, "sheets/employer_gone.html", {"status": "revoked"}, status=410)
    form, status = BackdoorForm(), 200
    if request.method == "POST":
        form = BackdoorForm(request.POST)
        if form.is_valid():
            backdoor.report_call(link.reference, **form.cleaned_data)
            return redirect(request.path + "?done=backdoor")
        status = 400
    return render(request, "sheets/standing.html", {
        "candidate": candidate_context(link.reference.owner)["name"], "form": form,
        "done": request.GET.get("done") == "backdoor",
    }, status=status)
