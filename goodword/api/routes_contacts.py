"""Contacts in and out: importing a vCard, LinkedIn's Connections.csv or any CSV with its preview
(goodword/transfer/contacts.py, the same preview and apply the upload page and `goodword import`
call), and the book as vCard or CSV (transfer/book_files.py, as `goodword export vcard|csv`)."""

from typing import Any, Literal

from ninja import Query, Router, Schema
from pydantic import Field

from goodword.api.core import user_of
from goodword.api.files import file_answer, file_openapi, file_responses, upload_openapi, uploaded
from goodword.api.lookups import responses
from goodword.api.problems import Problem
from goodword.api.schemas import Out
from goodword.lib.contact_files import MAPPABLE_FIELDS, guess_format, parse
from goodword.references.models import Reference
from goodword.transfer import contacts
from goodword.transfer.book_files import book_csv, book_vcard
from goodword.transfer.views import MAX_UPLOAD_BYTES

router = Router(tags=["contacts import and export"])

COLUMN_MAP = rf"^[^=\x00]{{1,200}}=({'|'.join(MAPPABLE_FIELDS)})$"


class ContactImportParams(Schema):
    format: Literal["vcard", "linkedin", "csv"] | None = Field(
        None, description="As the upload page's choice; left out, it is recognised from the file.")
    dry_run: bool = Field(False, description="Only the preview: what each row would do; nothing is kept.")
    exclude: list[int] = Field([], description="Preview row numbers to leave out (as unticking them on the page).")
    column: list[str] = Field([], description="A CSV's column mapping, `Column name=field` (fields: "
                                              f"{', '.join(MAPPABLE_FIELDS)}), as the page's mapping step.")


class ContactRowOut(Out):
    row: int
    where: str
    action: Literal["add", "merge", "skip"]
    reason: str
    name: str
    emails: list[str]
    phones: list[str]
    organisation: str
    title: str
    reference_id: int | None
    changes: dict[str, Any]
    kept: list[str]


class FileProblemOut(Out):
    where: str
    message: str


class ContactImportOut(Out):
    imported: bool
    format: str
    summary: dict[str, int] = Field(description="Rows to add, merge and skip, and problems, as the preview counts.")
    rows: list[ContactRowOut]
    problems: list[FileProblemOut]
    columns: list[str] = Field(description="A CSV's header, for `column=` mappings.")
    mapping: dict[str, str]
    added: int = 0
    merged: int = 0
    skipped: int = 0


def _mapping(pairs: list[str]) -> dict[str, str] | None:
    import re

    mapping = {}
    for pair in pairs:
        if not re.fullmatch(COLUMN_MAP, pair):
            raise Problem(422, f"“{pair[:80]}” is no column mapping; write `Column name=field`.",
                          errors=[{"field": "query.column", "message": "Column name=one of " + ", ".join(MAPPABLE_FIELDS)}])
        column, _, target = pair.rpartition("=")
        mapping[column] = target
    return mapping or None


@router.post("/contacts/import", response=responses({200: ContactImportOut}),
             openapi_extra=upload_openapi("The contacts file: multipart field `file`, or the raw body "
                                          "(any Content-Type but multipart, e.g. text/vcard or text/csv); "
                                          "at most 5 MB (413 beyond)."))
def import_contacts(request, params: Query[ContactImportParams]):
    """Import people into your book as the upload page does: the preview (`dry_run=true`) says per row
    whether it adds, merges into a reference (naming what it adds) or skips; without `dry_run` the rows
    not excluded are applied in one transaction, against the book as it is then. Importing the same file
    again adds nothing (its people are found by email, then name), so no Idempotency-Key is needed."""
    user = user_of(request)
    data, name = uploaded(request, MAX_UPLOAD_BYTES, "A contacts file")
    mapping = _mapping(params.column)
    fmt = params.format or guess_format(name, data)
    if mapping and fmt == "linkedin":
        fmt = "csv"  # the page does the same: a mapped LinkedIn file is read as a CSV
    parsed = parse(data, fmt, mapping)
    plan = contacts.preview(user, parsed)
    answer = {"imported": False, "format": fmt, **plan.as_dict(), "columns": parsed.columns,
              "mapping": parsed.mapping}
    if not params.dry_run:
        outcome = contacts.apply(user, parsed, excluded=set(params.exclude))
        answer |= {"imported": True, "added": outcome.added, "merged": outcome.merged, "skipped": outcome.skipped}
    return answer


@router.get("/contacts/vcard", response=file_responses(),
            openapi_extra=file_openapi("Your reference book as vCard 4.0 cards.", "text/vcard"))
def export_vcard(request):
    """Your reference book as vCard 4.0 (as `goodword export vcard`), for an address book."""
    references = Reference.objects.for_user(user_of(request))
    return file_answer(request, book_vcard(references).encode(), "text/vcard; charset=utf-8", "goodword-references.vcf")


@router.get("/contacts/csv", response=file_responses(),
            openapi_extra=file_openapi("Your reference book as CSV, one row a reference.", "text/csv"))
def export_csv(request):
    """Your reference book as a CSV (UTF-8, a header row; as `goodword export csv`)."""
    references = Reference.objects.for_user(user_of(request))
    return file_answer(request, book_csv(references).encode(), "text/csv; charset=utf-8", "goodword-references.csv")
