"""Your profile (accounts/services.update_profile) and the JSON export and import of your whole
account (transfer/document.py), as the profile page, Settings → Export and `goodword import` do."""

from typing import Any

from ninja import Body, Query, Router, Schema
from pydantic import Field

from goodword.accounts import services as accounts
from goodword.api.core import check_if_match, honours_if_match, user_of
from goodword.api.lookups import reads, responses
from goodword.api.problems import Problem
from goodword.api.schemas import Out, Text
from goodword.transfer.document import FORMAT, DocumentError, export_document, import_document

router = Router(tags=["profile, export and import"])


class ProfileOut(Out):
    first_name: str
    last_name: str
    email: str
    phone: str


class ProfilePatch(Schema):
    first_name: Text(150, 1) = None
    last_name: Text(150) = None
    email: Text(254) = None
    phone: Text(40) = None


def profile_item(user) -> dict:
    return {"first_name": user.first_name, "last_name": user.last_name, "email": user.email,
            "phone": accounts.candidate_phone(user)}


@router.get("/profile", response=reads(ProfileOut))
def get_profile(request):
    """The name your drafts are signed with, and the email and phone your documents give."""
    return profile_item(user_of(request))


@router.patch("/profile", response=responses({200: ProfileOut}))
@honours_if_match
def update_profile(request, payload: ProfilePatch):
    """Change some of them (the profile page's checks: a name a letter can end with, a real address)."""
    user = user_of(request)
    current = profile_item(user)
    check_if_match(request, ProfileOut, current)
    fields = current | {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    accounts.update_profile(user, **fields)
    return profile_item(user)


class ImportParams(Schema):
    dry_run: bool = Field(False, description="Check the document and count what it would create; keep nothing.")


class ImportOut(Out):
    imported: bool
    created: dict[str, int]
    already_there: dict[str, int]


@router.get("/export", response=reads(dict[str, Any]))
def export(request):
    """Everything you own as one JSON document (the `goodword-export` format: docs/export.md), as
    Settings → Export and `goodword export` give it. Secrets are left out."""
    return export_document(user_of(request))


@router.post("/import", response=responses({200: ImportOut}))
def import_json(request, params: Query[ImportParams],
                document: dict[str, Any] = Body(..., description=f"A “{FORMAT}” document, as GET /export gives.")):
    """Restore an export into your account in one transaction. Rows already there are reused, so
    importing the same document again creates nothing (no Idempotency-Key needed)."""
    try:
        summary = import_document(user_of(request), document, dry_run=params.dry_run)
    except DocumentError as problem:
        raise Problem(422, f"{problem} Nothing was imported.", errors=[{"field": "body", "message": str(problem)}]) \
            from None
    return {"imported": not params.dry_run, "created": summary.created, "already_there": summary.already_there}
