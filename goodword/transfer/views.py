import datetime as dt
import json

from django import forms
from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from goodword.lib.contact_files import MAPPABLE_FIELDS, guess_format, parse
from goodword.lib.ids import parse_id
from goodword.transfer import contacts
from goodword.transfer.document import export_document
from goodword.transfer.models import ImportUpload

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(label="Contacts file", help_text="A vCard (.vcf), LinkedIn's Connections.csv or any "
                                                           "CSV with a header; up to 5 MB.")
    format = forms.ChoiceField(label="Format", choices=[("", "Recognise it"), ("vcard", "vCard"),
                                                        ("linkedin", "LinkedIn Connections.csv"), ("csv", "CSV")],
                               required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"This file is {upload.size / 1_000_000:.1f} MB; upload at most 5 MB "
                                        "(split it, or use `goodword import FILE`, which takes up to 50 MB).")
        return upload


@require_http_methods(["GET", "POST"])
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        name = form.cleaned_data["file"].name[:255]
        fmt = form.cleaned_data["format"] or guess_format(name, data)
        # Previews abandoned a day ago are not coming back; their files should not linger.
        ImportUpload.objects.for_user(request.user).filter(
            created_at__lt=timezone.now() - dt.timedelta(days=1)).delete()
        pending = ImportUpload.objects.create(owner=request.user, filename=name, format=fmt, data=data)
        return redirect("transfer:preview", pk=pending.pk)
    return render(request, "transfer/upload.html", {"form": form})


def _parsed(pending):
    return parse(bytes(pending.data), pending.format, pending.mapping)


def preview(request, pk):
    pending = get_object_or_404(ImportUpload.objects.for_user(request.user), pk=pk)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    parsed = _parsed(pending)
    if request.method == "POST":
        included = {pk for pk in map(parse_id, request.POST.getlist("include")) if pk is not None}
        offered = {row.number for row in contacts.preview(request.user, parsed).rows}
        outcome = contacts.apply(request.user, parsed, excluded=offered - included)
        pending.delete()
        messages.success(request, f"Imported: {outcome.added} added, {outcome.merged} merged, "
                                  f"{outcome.skipped} skipped. They are contacts, not listed anywhere.")
        return redirect("references:list")
    plan = contacts.preview(request.user, parsed)
    return render(request, "transfer/preview.html", {
        "pending": pending, "plan": plan, "columns": parsed.columns, "mapping": parsed.mapping,
        "fields": MAPPABLE_FIELDS, "counts": {a: plan.count(a) for a in (contacts.ADD, contacts.MERGE, contacts.SKIP)},
    })


def mapping(request, pk):
    # Looked up before the method is checked: another user's id is a 404 whatever the method.
    pending = get_object_or_404(ImportUpload.objects.for_user(request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    columns = parse(bytes(pending.data), pending.format).columns
    pending.mapping = {column: request.POST.get(f"column-{index}", "") for index, column in enumerate(columns)
                       if request.POST.get(f"column-{index}", "") in MAPPABLE_FIELDS}
    if pending.format == "linkedin":
        pending.format = "csv"
    pending.save(update_fields=["mapping", "format"])
    return redirect("transfer:preview", pk=pending.pk)


def cancel(request, pk):
    pending = get_object_or_404(ImportUpload.objects.for_user(request.user), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    pending.delete()
    messages.info(request, "Import cancelled; nothing was changed.")
    return redirect("transfer:upload")


def export_json(request):
    body = json.dumps(export_document(request.user), indent=1, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="goodword-export-{stamp}.json"'
    return response
