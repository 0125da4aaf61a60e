"""The Goodword JSON export: every row a user owns, and its import (restore or merge).

The export walks EXPORTED, a declared list, in an order where every row comes
after the rows it points to. Ids in the document are the row's place in its
list (1, 2, …), never database ids, so an export imported into another
database exports again to the same document. A model that belongs to a user
must be in EXPORTED or in NOT_EXPORTED with the reason:
tests/test_io_export.py fails otherwise. Format: docs/export.md and
goodword/transfer/schema/goodword-export.schema.json.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from goodword import __version__

SCHEMA_VERSION = 1
FORMAT = "goodword-export"


@dataclass(frozen=True)
class Exported:
    key: str  # the list's name in the document
    model: str  # app_label.ModelName
    owner: str  # the lookup from the row to its user
    single: bool = False  # at most one row per user (settings)
    leave_out: tuple[str, ...] = ()  # secrets, machinery and what is derived on import, never exported
    # When merging into a non-empty account, a row with the same values of these fields is the same row
    # (the account's version is kept); without them, only a row identical in every field is.
    same_as: tuple[str, ...] = ()


EXPORTED = (
    Exported("profile", "accounts.Profile", "owner", single=True),
    Exported("courtesy_settings", "courtesy.CourtesySettings", "user", single=True),
    Exported("reminder_settings", "reminders.ReminderSettings", "user", single=True, leave_out=("uid_salt",)),
    Exported("smtp_settings", "outreach.SmtpSettings", "owner", single=True, leave_out=("password_encrypted",)),
    Exported("references", "references.Reference", "owner", same_as=("name", "organisation")),
    Exported("opportunities", "opportunities.Opportunity", "owner", same_as=("company", "role")),
    Exported("stage_changes", "opportunities.StageChange", "opportunity__owner"),
    Exported("interviews", "opportunities.Interview", "opportunity__owner"),
    Exported("listings", "opportunities.Listing", "opportunity__owner", same_as=("opportunity", "reference")),
    Exported("events", "timeline.Event", "owner"),
    # The key is made of database ids: rebuilt from rule, reference and opportunity on import.
    Exported("debt_decisions", "courtesy.DebtDecision", "owner", leave_out=("key",),
             same_as=("rule", "reference", "opportunity")),
    Exported("message_templates", "outreach.MessageTemplate", "owner", same_as=("kind", "tone")),
    Exported("skill_synonyms", "opportunities.SkillSynonyms", "owner", single=True),
    Exported("outbox_messages", "outreach.OutboxMessage", "owner", leave_out=(
        "mime", "message_id", "idempotency_key", "claimed_by", "claimed_until", "data_committed",
    )),
)

NOT_EXPORTED = {
    "accounts.LoginToken": "a sign-in secret that expires in minutes",
    "accounts.Invitation": "a single-use sign-up link the instance issued, not the account's own data",
    "reminders.FeedToken": "a calendar-feed secret: make a new feed link after a restore",
    "reminders.DigestDay": "the record of which digests were sent, machinery of the digest worker",
    "portal.PortalLink": "a live secret given to a reference: issue new links after a restore",
    "portal.PortalAnswer": "its content is the timeline event it created, which is exported",
    "portal.PortalMiss": "rate-limiting records of unknown visitors, nobody's data",
    "transfer.ImportUpload": "an upload waiting for its preview to be confirmed",
    "courtesy.LedgerSummary": "derived from the facts (the badge's kept debts), rebuilt on the next page view",
    "sheets.EmployerLink": "a live secret given to an employer: issue a new link after a restore",
    "sheets.StandingLink": "a live secret given to a reference: issue a new link after a restore",
    "sheets.EmployerNotice": "dashboard notices; the events they announce are exported",
    "webhooks.Endpoint": "its signing secret is sealed with this instance's key: add the webhook again after a restore",
    "webhooks.Delivery": "the record of what was sent to a webhook, machinery of the worker",
    "webhooks.CriticalDebtSeen": "which critical debts were already announced, derived from the ledger",
    "api.AccessToken": "an API secret: make new personal access tokens after a restore",
    "api.IdempotentRequest": "answers kept a day so that a retried API request is not done twice, machinery",
    "api.RateWindow": "per-token request counts of the current minute, machinery of the rate limit",
    # Known gaps (docs/export.md): both hold more than rows of text.
    "sheets.Sheet": "its choices name references by database id; after a restore the sheet follows the slate",
    "sheets.Letter": "an uploaded PDF in the media folder, not in the document; the letter's events are exported",
    # A centre's records (docs/centres.md) belong to the centre's arrangement, not to one person's search:
    # importing them elsewhere would grant access the other instance never gave.
    "centres.Membership": "access granted by a centre on this instance; the centre's admins grant it again",
    "centres.Assignment": "which coach may read whom, decided by the centre's admins on this instance",
    "centres.Seat": "an invitation waiting for someone to sign up; the centre's, not the candidate's",
    "centres.Access": "the centre's audit record of coaches' looks, kept on the instance where they happened",
    "centres.Nudge": "a coach's passing word on the dashboard, meaningful only inside the centre",
}


def model_of(spec: Exported):
    return apps.get_model(spec.model)


def _owner_field(spec: Exported) -> str:
    return spec.owner.split("__")[0]


def _fields(spec: Exported):
    model = model_of(spec)
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in spec.leave_out:
            continue
        if spec.owner == field.name:
            continue
        yield field


def _target_key(field) -> str | None:
    target = field.related_model._meta.label
    return next((spec.key for spec in EXPORTED if spec.model == target), None)


def _value(field, value):
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, memoryview)):
        return None
    return value


def rows_of(user, spec: Exported):
    return model_of(spec).objects.filter(**{spec.owner: user}).order_by("pk")


def export_document(user) -> dict:
    """The whole account as one JSON-ready dict."""
    places: dict[str, dict[int, int]] = {}
    document = {
        "format": FORMAT, "schema_version": SCHEMA_VERSION, "goodword_version": __version__,
        "exported_at": timezone.now().astimezone(dt.UTC).isoformat(),
        "account": {"username": user.get_username(), "first_name": user.first_name,
                    "last_name": user.last_name, "email": user.email},
    }
    for spec in EXPORTED:
        fields = list(_fields(spec))
        records = []
        places[spec.key] = {}
        for place, row in enumerate(rows_of(user, spec), start=1):
            places[spec.key][row.pk] = place
            record = {"id": place}
            for field in fields:
                if field.is_relation:
                    raw = getattr(row, field.attname)
                    key = _target_key(field)
                    record[field.name] = places[key].get(raw) if key and raw is not None else None
                else:
                    record[field.name] = _value(field, getattr(row, field.attname))
            records.append(record)
        document[spec.key] = (records[0] if records else None) if spec.single else records
    return document


class DocumentError(ValueError):
    """The file is not a Goodword export this version can read."""


def check_document(document) -> None:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DocumentError("This is not a Goodword export (its \"format\" is not \"goodword-export\").")
    version = document.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise DocumentError(f"This export has schema version {version!r}; this Goodword reads up to "
                            f"{SCHEMA_VERSION}. Upgrade Goodword to import it.")
    for spec in EXPORTED:
        value = document.get(spec.key)
        if spec.single and value is not None and not isinstance(value, dict):
            raise DocumentError(f"“{spec.key}” should be an object or null.")
        if not spec.single and not isinstance(value, list | type(None)):
            raise DocumentError(f"“{spec.key}” should be a list.")


def _python(field, value):
    if value is None:
        return None
    if isinstance(field, (models.DateTimeField, models.DateField)) and not isinstance(value, str):
        raise TypeError(value)
    if isinstance(field, models.DateTimeField):
        moment = dt.datetime.fromisoformat(value)
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment, dt.UTC)
    if isinstance(field, models.DateField):
        return dt.date.fromisoformat(value)
    return value


def _comparable(spec, fields, row, places_back) -> tuple:
    """A row's content in document terms (relations as document ids), to recognise a row already there."""
    parts = []
    for field in fields:
        if spec.same_as and field.name not in spec.same_as:
            continue
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
            continue
        raw = getattr(row, field.attname)
        if field.is_relation:
            key = _target_key(field)
            parts.append(places_back.get(key, {}).get(raw) if key else None)
        else:
            value = _value(field, raw)
            parts.append(" ".join(value.casefold().split()) if spec.same_as and isinstance(value, str) else repr(value))
    return tuple(parts)


@dataclass
class ImportSummary:
    created: dict
    already_there: dict


def import_document(user, document: dict) -> ImportSummary:
    """Restore `document` into `user`'s account in one transaction; rows already present
    (same content) are reused, not duplicated, so importing twice changes nothing."""
    check_document(document)
    created: dict[str, int] = {}
    reused: dict[str, int] = {}
    with transaction.atomic():
        ids: dict[str, dict[int, int]] = {}  # document id -> database id, per list
        for spec in EXPORTED:
            model = model_of(spec)
            fields = list(_fields(spec))
            records = document.get(spec.key)
            records = ([records] if records else []) if spec.single else (records or [])
            ids[spec.key] = {}
            existing = list(rows_of(user, spec))
            back = {key: {db: doc for doc, db in mapping.items()} for key, mapping in ids.items()}
            known = {_comparable(spec, fields, row, back): row.pk for row in existing}
            created[spec.key] = reused[spec.key] = 0
            for record in records:
                if not isinstance(record, dict) or type(record.get("id")) is not int:
                    raise DocumentError(f"An entry of “{spec.key}” is not an object with a whole-number id.")
                if spec.single and existing:
                    reused[spec.key] += 1  # the account's own settings win over the file's
                    continue
                row = _build(user, spec, model, fields, record, ids)
                signature = _comparable(spec, fields, row, back)
                if signature in known:
                    ids[spec.key][record.get("id")] = known[signature]
                    reused[spec.key] += 1
                    continue
                try:
                    row.full_clean(exclude=[f.name for f in model._meta.fields if f.is_relation] + list(spec.leave_out))
                except ValidationError as exc:
                    problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
                    raise DocumentError(f"{spec.key} {record.get('id')}: {problems}") from None
                try:
                    with transaction.atomic():
                        row.save()
                        _restore_timestamps(model, fields, row, record)
                except (DatabaseError, ValueError) as exc:
                    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                    raise DocumentError(f"{spec.key} {record.get('id')}: the database refused it ({reason}).") from None
                ids[spec.key][record.get("id")] = row.pk
                known[signature] = row.pk
                back.setdefault(spec.key, {})[row.pk] = record.get("id")
                created[spec.key] += 1
    return ImportSummary(created, reused)


def _build(user, spec, model, fields, record, ids):
    row = model()
    owner_field = _owner_field(spec)
    if "__" not in spec.owner:
        setattr(row, owner_field, user)
    for field in fields:
        value = record.get(field.name)
        if field.is_relation:
            key = _target_key(field)
            if value is None or key is None:
                setattr(row, field.attname, None)
                continue
            if type(value) is not int or value not in ids.get(key, {}):
                raise DocumentError(f"{spec.key} {record.get('id')}: {field.name} points to {key} {value}, "
                                    "which the file does not have.")
            setattr(row, field.attname, ids[key][value])
        elif field.name in record:
            try:
                setattr(row, field.attname, _python(field, value))
            except (TypeError, ValueError):
                raise DocumentError(f"{spec.key} {record.get('id')}: {field.name} {value!r} is not valid.") from None
    if spec.model == "outreach.OutboxMessage":
        # Unique across the database: a restore gets fresh ones (they are not part of the document).
        row.message_id = f"<{uuid.uuid4().hex}@restored.goodword>"
        row.idempotency_key = uuid.uuid4().hex
    if spec.model == "courtesy.DebtDecision":
        from goodword.courtesy.facts import debt_key

        row.key = debt_key(row.rule, row.reference_id, row.opportunity_id)
    return row


def _restore_timestamps(model, fields, row, record):
    """auto_now fields take the clock on save: put back the file's moments."""
    stamped = {f.name: _python(f, record[f.name]) for f in fields
               if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add) and record.get(f.name)}
    if stamped:
        model.objects.filter(pk=row.pk).update(**stamped)


def owned_models() -> list[str]:
    """Every model of ours with a path to a user: what the export must account for."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("goodword."):
            continue
        if any(f.is_relation and f.related_model is not None and
               (f.related_model is user_model or f.related_model.__module__.startswith("goodword."))
               for f in model._meta.concrete_fields):
            found.append(model._meta.label)
    return found


SCHEMA_PATH = __import__("pathlib").Path(__file__).parent / "schema" / "goodword-export.schema.json"


def _field_schema(field) -> dict:
    if field.is_relation:
        kind = {"type": "integer", "minimum": 1}
    elif isinstance(field, models.BooleanField):
        kind = {"type": "boolean"}
    elif isinstance(field, (models.IntegerField, models.AutoField)):
        kind = {"type": "integer"}
    elif isinstance(field, models.DateTimeField):
        kind = {"type": "string", "format": "date-time"}
    elif isinstance(field, models.DateField):
        kind = {"type": "string", "format": "date"}
    elif isinstance(field, models.JSONField):
        kind = {}
    else:
        kind = {"type": "string"}
        if getattr(field, "max_length", None):
            kind["maxLength"] = field.max_length
    if field.null and kind.get("type"):
        kind["type"] = [kind["type"], "null"]
    return kind


def schema() -> dict:
    """The JSON Schema of the document, derived from EXPORTED (scripts/make_export_schema.py writes it)."""
    definitions = {}
    for spec in EXPORTED:
        fields = list(_fields(spec))
        definitions[spec.key] = {
            "type": "object",
            "required": ["id", *(f.name for f in fields)],
            "additionalProperties": False,
            "properties": {"id": {"type": "integer", "minimum": 1}} | {f.name: _field_schema(f) for f in fields},
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://goodword.example/schema/goodword-export-1.json",
        "title": "Goodword export",
        "type": "object",
        "required": ["format", "schema_version", "goodword_version", "exported_at", "account",
                     *(spec.key for spec in EXPORTED)],
        "additionalProperties": False,
        "properties": {
            "format": {"const": FORMAT},
            "schema_version": {"const": SCHEMA_VERSION},
            "goodword_version": {"type": "string"},
            "exported_at": {"type": "string", "format": "date-time"},
            "account": {"type": "object", "required": ["username"], "properties": {
                "username": {"type": "string"}, "first_name": {"type": "string"},
                "last_name": {"type": "string"}, "email": {"type": "string"}}},
        } | {
            spec.key: ({"oneOf": [{"type": "null"}, {"$ref": f"#/$defs/{spec.key}"}]} if spec.single
                       else {"type": "array", "items": {"$ref": f"#/$defs/{spec.key}"}})
            for spec in EXPORTED
        },
        "$defs": definitions,
    }
