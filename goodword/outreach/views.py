"""Compose, send and follow messages. Thin: drafts.py builds, outbox.py queues and sends."""

from __future__ import annotations

import uuid
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from goodword.core.request_input import id_param
from goodword.courtesy.ledger import ledger_for_request
from goodword.courtesy.refresh import announce_ledger_change
from goodword.opportunities.models import Listing, Opportunity
from goodword.outreach import drafts, emails, outbox, sandbox, services
from goodword.outreach.forms import ComposeForm, GiftForm, SmtpSettingsForm, TemplateForm
from goodword.outreach.models import (
    DraftKind,
    MessageState,
    MessageTemplate,
    OutboxMessage,
    SmtpSettings,
    Tone,
)
from goodword.references.models import Reference


def _param(request, name):
    # The compose form posts back to its own URL, so the query string still holds kind, tone, ref and job.
    return request.POST.get(name) or request.GET.get(name) or ""


def _int_param(request, name):
    # The compose form posts back to its own URL: the form's value wins over the query's.
    return id_param(request, name, method="POST") if request.POST.get(name) else id_param(request, name)


def _owned(request):
    """The reference and opportunity named in the query, the user's own only (else 404)."""
    ref_id, job_id = _int_param(request, "ref"), _int_param(request, "job")
    reference = get_object_or_404(Reference.objects.for_user(request.user), pk=ref_id) if ref_id else None
    job = get_object_or_404(Opportunity.objects.for_user(request.user), pk=job_id) if job_id else None
    return reference, job


def mailto_link(address, subject, body) -> str:
    return f"mailto:{quote(address, safe='@')}?" + urlencode({"subject": subject, "body": body}, quote_via=quote)


def _choice(value, choices, default):
    return value if value in choices else default


@require_http_methods(["GET", "POST"])
def compose(request):
    reference, job = _owned(request)
    kind = _choice(_param(request, "kind"), DraftKind.values, DraftKind.HEADS_UP if job else DraftKind.KEEP_IN_TOUCH)
    tone = _choice(_param(request, "tone"), Tone.values, Tone.FRIENDLY)
    context = {
        "kind": kind, "tone": tone, "reference": reference, "job": job,
        "kinds": DraftKind.choices, "tones": Tone.choices,
        "references": Reference.objects.for_user(request.user).usable(),
        "jobs": Opportunity.objects.for_user(request.user),
        "smtp": SmtpSettings.objects.filter(owner=request.user).first(),
    }
    if reference is None:
        return render(request, "outreach/compose.html", context)
    context["portal_listing"] = _listing_for_portal(request.user, kind, reference, job)
    gift = _gift_choice(request, kind, reference, context)

    if request.method == "GET":
        try:
            draft = drafts.make_draft(request.user, kind, reference, job, tone, gift=gift)
        except drafts.DraftProblem as problem:
            _show_problem(context, problem)
            return render(request, "outreach/compose.html", context)
        form = ComposeForm(initial={
            "to_name": draft.to_name, "to_address": draft.to_address, "subject": draft.subject,
            "body": draft.body, "key": uuid.uuid4().hex, "channel": reference.preferred_channel or "email",
        })
        context["draft_source"] = draft.source
        context["notes"] = draft.notes
        return _compose_page(request, context, form, draft)

    action = request.POST.get("action", "preview")
    listing = context["portal_listing"]
    if action == "portal_link" and listing is not None:
        return _compose_page(request, context, ComposeForm(_with_portal_link(request, listing)))
    form = ComposeForm(request.POST)
    # The draft again (cheap for built-ins): its HTML body goes out only if the text was not edited.
    try:
        draft = drafts.make_draft(request.user, kind, reference, job, tone, gift=gift)
    except drafts.MissingProfile as problem:
        _show_problem(context, problem)
        draft = None
    except drafts.DraftProblem:
        draft = None
    if not form.is_valid() or action == "preview":
        return _compose_page(request, context, form, draft)
    data = form.cleaned_data
    html_fragment = draft.html_fragment_for(data["body"]) if draft else None
    try:
        if action == "send":
            message = outbox.queue_message(
                request.user, reference, kind=kind, opportunity=job, subject=data["subject"], text=data["body"],
                to_address=data["to_address"], to_name=data["to_name"], idempotency_key=data["key"],
                html_fragment=html_fragment,
            )
            messages.success(request, f"Queued for {message.to_address}; it will go out in a moment.")
            return redirect(message)
        if action == "download":
            payload = emails.draft_file(
                to_name=data["to_name"], to_address=data["to_address"], subject=data["subject"], text=data["body"],
                kind=kind, tone=tone, reference_id=reference.pk, opportunity_id=job.pk if job else None, key=data["key"],
                html_fragment=html_fragment,
            )
            response = HttpResponse(payload, content_type="message/rfc822")
            response["Content-Disposition"] = f'attachment; filename="goodword-{kind}-{reference.pk}.eml"'
            return response
        if action == "mark_sent":
            event = outbox.record_sent_by_hand(
                request.user, reference, kind=kind, opportunity=job, subject=data["subject"], text=data["body"],
                channel=data["channel"],
            )
            messages.success(request, f"Logged “{event.get_kind_display()}” with {reference.name}.")
            return redirect(reference.get_absolute_url())
    except ValidationError as error:
        form.add_error(None, error)
    return _compose_page(request, context, form, draft)


def _gift_choice(request, kind, reference, context) -> str:
    """For a thank-you: the gift picker (one idea per like) and the gesture chosen in it."""
    if kind != DraftKind.THANKS:
        return ""
    picked = {name: request.GET[name] for name in ("gift", "gift_own") if name in request.GET}
    form = GiftForm(drafts.gift_ideas(reference.likes), picked or None)
    context["gift_form"] = form
    # The compose form posts back to its own address: the choice rides along in the query string.
    context["gift_query"] = urlencode(picked)
    return form.chosen()


def _show_problem(context, problem):
    context["problem"] = str(problem)
    context["profile_missing"] = isinstance(problem, drafts.MissingProfile)


PORTAL_KINDS = {DraftKind.HEADS_UP, DraftKind.TALKING_POINTS, DraftKind.LETTER}
PORTAL_LINE = "Everything above is also on one private page made just for you (it works on a phone): {url}"


def _listing_for_portal(user, kind, reference, job):
    """The listing a portal link in this draft would open, if the draft is the kind that offers one."""
    if job is None or kind not in PORTAL_KINDS:
        return None
    return Listing.objects.for_user(user).filter(opportunity=job, reference=reference).first()


def _with_portal_link(request, listing):
    """The posted draft with a fresh private portal link appended to its text."""
    from goodword.portal.services import portal_url_for

    url = portal_url_for(listing, base_url=request.build_absolute_uri("/"))
    data = request.POST.copy()
    data["body"] = data.get("body", "").rstrip() + "\n\n" + PORTAL_LINE.format(url=url) + "\n"
    return data


def _compose_page(request, context, form, draft=None):
    values = form.data if form.is_bound else form.initial
    subject, body, address = values.get("subject", ""), values.get("body", ""), values.get("to_address", "")
    context.update(
        form=form,
        # The HTML that would go: the built-in template's (facts escaped) or derived from the text.
        preview_html=draft.html_fragment_for(body) if draft else emails.text_to_html_fragment(body),
        mailto=mailto_link(address, subject, body),
    )
    return render(request, "outreach/compose.html", context, status=400 if form.is_bound and form.errors else 200)


def _safe_next(request) -> str:
    """Where the page was opened from (the ledger, the dashboard), if it is this site; else ""."""
    target = _param(request, "next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


@require_http_methods(["GET", "POST"])
def slate_compose(request, pk):
    job = get_object_or_404(Opportunity.objects.for_user(request.user), pk=pk)
    kind = _choice(_param(request, "kind"), DraftKind.values, services.slate_kind_for_stage(job.stage))
    tone = _choice(_param(request, "tone"), Tone.values, Tone.FRIENDLY)
    back_to = _safe_next(request)
    rows = services.slate_rows(request.user, job, kind, tone, ledger_for_request(request).open)
    errors = []
    action = request.POST.get("action") if request.method == "POST" else None
    # Any other action (Enter in a subject field presses the hidden default button) shows the form again.
    if action in ("send", "mark_sent"):
        chosen = [
            (row.reference, request.POST.get(f"subject-{row.reference.pk}", ""),
             request.POST.get(f"body-{row.reference.pk}", "").replace("\r\n", "\n"), row.draft)
            for row in rows if request.POST.get(f"include-{row.reference.pk}") and row.draft is not None
        ]
        try:
            if not chosen:
                raise ValidationError("Tick at least one reference.")
            if action == "send":
                queued = services.queue_many(request.user, [
                    {"reference": ref, "kind": kind, "opportunity": job, "subject": subject, "text": body,
                     "idempotency_key": f"{request.POST.get('key', '')}-{ref.pk}",
                     "html_fragment": draft.html_fragment_for(body)}
                    for ref, subject, body, draft in chosen
                ])
                messages.success(request, f"Queued {len(queued)} messages; they will go out in a moment.")
                return redirect(back_to or reverse("outreach:outbox") + f"?job={job.pk}")
            with transaction.atomic():
                for ref, subject, body, _draft in chosen:
                    outbox.record_sent_by_hand(request.user, ref, kind=kind, opportunity=job, subject=subject, text=body)
            messages.success(request, f"Logged {len(chosen)} messages as sent.")
            return redirect(back_to or job.get_absolute_url())
        except ValidationError as error:
            errors = error.messages
    if request.method == "POST":
        for row in rows:  # shown again as the user left them
            ref_id = row.reference.pk
            row.ticked = bool(request.POST.get(f"include-{ref_id}")) and row.draft is not None
            row.subject = request.POST.get(f"subject-{ref_id}", row.subject)
            row.body = request.POST.get(f"body-{ref_id}", row.body).replace("\r\n", "\n")
    return render(request, "outreach/slate.html", {
        "job": job, "kind": kind, "kind_label": DraftKind(kind).label, "tone": tone,
        "kinds": DraftKind.choices, "tones": Tone.choices,
        "rows": [(row, mailto_link(row.reference.primary_email, row.subject, row.body) if row.draft else "")
                 for row in rows],
        "ticked": sum(1 for row in rows if row.ticked),
        "key": request.POST.get("key") or uuid.uuid4().hex, "errors": errors, "back_to": back_to,
        "smtp": SmtpSettings.objects.filter(owner=request.user).first(),
    }, status=400 if errors else 200)


def outbox_list(request):
    rows = OutboxMessage.objects.for_user(request.user).select_related("reference", "opportunity")
    ref_id, job_id = _int_param(request, "ref"), _int_param(request, "job")
    if ref_id:
        rows = rows.filter(reference_id=ref_id)
    if job_id:
        rows = rows.filter(opportunity_id=job_id)
    return render(request, "outreach/outbox.html", {"rows": rows[:200]})


@require_http_methods(["GET", "POST"])
def message_detail(request, pk):
    message = get_object_or_404(
        OutboxMessage.objects.for_user(request.user).select_related("reference", "opportunity"), pk=pk
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "resend":
                outbox.resend(message)
                messages.success(request, "Queued again.")
            elif request.POST.get("action") == "confirm":
                outbox.confirm_sent(message)
                messages.success(request, "Recorded as sent and logged on the timeline.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(message)
    if request.htmx:
        # The status line polls itself while the message is queued or sending.
        response = render(request, "outreach/message.html#status", {"message": message})
        # Polling stops once it has gone (or failed); a message that went out was logged as an event.
        if message.state not in (MessageState.QUEUED, MessageState.SENDING):
            announce_ledger_change(response)
        return response
    return render(request, "outreach/message.html", {
        "message": message, "states": MessageState, "preview_html": emails.text_to_html_fragment(message.body_text),
    })


@require_http_methods(["GET", "POST"])
def smtp_settings(request):
    row = SmtpSettings.objects.filter(owner=request.user).first()
    initial = {}
    if row:
        initial = {name: getattr(row, name) for name in ("host", "port", "security", "username", "from_name", "from_address")}
    form = SmtpSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "test":
                messages.success(request, services.send_test_message(request.user))
                return redirect("outreach:smtp")
            if action == "forget_password":
                services.forget_smtp_password(request.user)
                messages.success(request, "The stored password is deleted.")
                return redirect("outreach:smtp")
            if form.is_valid():
                services.save_smtp_settings(request.user, **form.cleaned_data)
                messages.success(request, "SMTP settings saved.")
                return redirect("outreach:smtp")
        except ValidationError as error:
            if action == "test":
                messages.error(request, " ".join(error.messages))
                return redirect("outreach:smtp")
            form.add_error(None, error)
    return render(request, "outreach/smtp.html", {"form": form, "row": row}, status=400 if form.errors else 200)


def template_list(request):
    own = {(row.kind, row.tone): row for row in MessageTemplate.objects.for_user(request.user)}
    table = [(kind, label, [(tone, tone_label, own.get((kind, tone))) for tone, tone_label in Tone.choices])
             for kind, label in DraftKind.choices]
    return render(request, "outreach/templates.html", {"table": table})


@require_http_methods(["GET", "POST"])
def template_edit(request, kind, tone):
    if kind not in DraftKind.values or tone not in Tone.values:
        raise Http404("no such template")
    row = MessageTemplate.objects.for_user(request.user).filter(kind=kind, tone=tone).first()
    builtin = drafts.builtin_sources(kind, tone)
    initial = {"subject": row.subject, "body": row.body} if row else builtin
    form = TemplateForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "revert":
            if row:
                row.delete()
            messages.success(request, "Back to the built-in template.")
            return redirect("outreach:templates")
        if form.is_valid():
            subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
            try:
                if action == "preview":
                    preview = sandbox.render_untrusted({"subject": subject, "body": body}, drafts.sample_context())
                else:
                    services.save_user_template(request.user, kind, tone, subject=subject, body=body)
                    messages.success(request, "Template saved; new drafts of this kind use it.")
                    return redirect("outreach:templates")
            except sandbox.TemplateProblem as problem:
                form.add_error(None, str(problem))
            except ValidationError as error:
                form.add_error(None, error)
    return render(request, "outreach/template_edit.html", {
        "form": form, "kind": kind, "kind_label": DraftKind(kind).label, "tone": tone, "tone_label": Tone(tone).label, "row": row,
        "variables": drafts.VARIABLES, "filters": sandbox.FILTER_DOCS, "preview": preview,
    }, status=400 if form.errors else 200)
