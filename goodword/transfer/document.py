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
from goodword.transfer import files

# 2: sheets and letters (an older Goodword would refuse these lists). Version 1 documents are still read.
SCHEMA_VERSION = 2
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
    # JSON fields that hold reference ids, as a "list" of ids or as the "keys" of an object: the document
    # holds references' document ids there, as in every relation.
    reference_ids: tuple[tuple[str, str], ...] = ()
    # A FileField whose bytes travel in the document as base64 under "content" (goodword/transfer/files.py).
    file: str = ""


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
    # A letter's moment and PDF are part of what makes it the same letter (files.fingerprint).
    Exported("letters", "sheets.Letter", "owner", file="file", same_as=("reference", "opportunity", "uploaded_at")),
    Exported("sheets", "sheets.Sheet", "opportunity__owner", same_as=("opportunity",),
             reference_ids=(("chosen", "list"), ("insisted", "list"), ("notes", "keys"))),
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
        if field.primary_key or field.name in spec.leave_out or field.name == spec.file:
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


def _ids_out(value, shape: str, places: dict[int, int]):
    """Reference database ids inside a JSON field, as document ids. An id whose reference is gone is
    dropped: the sheet ignores it too (goodword/sheets/content.py)."""
    if shape == "list":
        return [places[pk] for pk in (value or []) if type(pk) is int and pk in places]
    return {str(places[int(key)]): text for key, text in (value or {}).items()
            if str(key).isascii() and str(key).isdigit() and int(key) in places}


def _exported_rows(user, spec: Exported, confidential_letters: bool):
    rows = rows_of(user, spec)
    if spec.model == "sheets.Letter" and not confidential_letters:
        # The reference wrote it to be sent, not read: Goodword never shows it to the candidate
        # (sheets/views.py own_letter), so their download does not either. Instance backups carry it.
        rows = rows.filter(confidential=False)
    return rows


def export_document(user, *, confidential_letters: bool = False) -> dict:
    """The whole account as one JSON-ready dict. Confidential letters are left out unless asked for
    (`goodword backup`, the instance's copy of every account)."""
    places: dict[str, dict[int, int]] = {}
    document = {
        "format": FORMAT, "schema_version": SCHEMA_VERSION, "goodword_version": __version__,
        "exported_at": timezone.now().astimezone(dt.UTC).isoformat(),
        "account": {"username": user.get_username(), "first_name": user.first_name,
                    "last_name": user.last_name, "email": user.email},
    }
    for spec in EXPORTED:
        fields = list(_fields(spec))
        shapes = dict(spec.reference_ids)
        records = []
        places[spec.key] = {}
        for row in _exported_rows(user, spec, confidential_letters):
            record = {"id": len(records) + 1}
            for field in fields:
                if field.is_relation:
                    raw = getattr(row, field.attname)
                    key = _target_key(field)
                    record[field.name] = places[key].get(raw) if key and raw is not None else None
                elif field.name in shapes:
                    record[field.name] = _ids_out(getattr(row, field.attname), shapes[field.name],
                                                  places["references"])
                else:
                    record[field.name] = _value(field, getattr(row, field.attname))
            if spec.file:
                data = files.read(getattr(row, spec.file))
                if data is None:
                    continue  # nothing to restore it from; files.read logged it
                record[files.CONTENT] = files.encode(data)
            places[spec.key][row.pk] = record["id"]
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
    shapes = dict(spec.reference_ids)
    for field in fields:
        if spec.same_as and field.name not in spec.same_as:
            continue
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
            continue
        raw = getattr(row, field.attname)
        if field.is_relation:
            key = _target_key(field)
            parts.append(places_back.get(key, {}).get(raw) if key else None)
        elif field.name in shapes:
            parts.append(repr(_ids_out(raw, shapes[field.name], places_back.get("references", {}))))
        else:
            value = _value(field, raw)
            parts.append(" ".join(value.casefold().split()) if spec.same_as and isinstance(value, str) else repr(value))
    return tuple(parts)


@dataclass
class ImportSummary:
    created: dict
    already_there: dict


class _Rehearsal(Exception):
    def __init__(self, summary):
        self.summary = summary


def import_document(user, document: dict, *, dry_run: bool = False) -> ImportSummary:
    """Restore `document` into `user`'s account in one transaction; rows already present
    (same content) are reused, not duplicated, so importing twice changes nothing.

    The import owns its transaction because letters' files are not rows: when it rolls back (a refused
    document, an error, or `dry_run`) it removes the files it wrote. Call it outside a transaction of
    your own that could roll back after it returns: that would leave the files it wrote behind."""
    check_document(document)
    written = files.WrittenFiles()
    try:
        with transaction.atomic():
            summary = _import(user, document, written)
            if dry_run:
                raise _Rehearsal(summary)
    except _Rehearsal as rehearsal:
        written.remove_all()
        return rehearsal.summary
    except BaseException:
        written.remove_all()
        raise
    return summary


def _import(user, document: dict, written: files.WrittenFiles) -> ImportSummary:
    created: dict[str, int] = {}
    reused: dict[str, int] = {}
    ids: dict[str, dict[int, int]] = {}  # document id -> database id, per list
    for spec in EXPORTED:
        model = model_of(spec)
        fields = list(_fields(spec))
        records = document.get(spec.key)
        records = ([records] if records else []) if spec.single else (records or [])
        ids[spec.key] = {}
        existing = list(rows_of(user, spec))
        back = {key: {db: doc for doc, db in mapping.items()} for key, mapping in ids.items()}
        # Only when there is something to compare: for letters, it reads every PDF of the account.
        known = {_comparable(spec, fields, row, back) + _content(spec, row): row.pk
                 for row in existing} if records else {}
        created[spec.key] = reused[spec.key] = 0
        for record in records:
            if not isinstance(record, dict) or type(record.get("id")) is not int:
                raise DocumentError(f"An entry of “{spec.key}” is not an object with a whole-number id.")
            where = f"{spec.key} {record.get('id')}"
            if spec.single and existing:
                reused[spec.key] += 1  # the account's own settings win over the file's
                continue
            row = _build(user, spec, model, fields, record, ids)
            data = _payload(spec, record, where)
            signature = _comparable(spec, fields, row, back) + _fingerprint(spec, data)
            if signature in known:
                ids[spec.key][record.get("id")] = known[signature]
                reused[spec.key] += 1
                continue
            excluded = [f.name for f in model._meta.fields if f.is_relation] + list(spec.leave_out) + [spec.file]
            try:
                row.full_clean(exclude=excluded)
            except ValidationError as exc:
                problems = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
                raise DocumentError(f"{where}: {problems}") from None
            if spec.file:
                try:
                    cleaned = written.write(row, data)
                except files.PayloadError as exc:
                    raise DocumentError(f"{where}: {exc}") from None
                # Cleaned again on the way in, it may now be a letter the account already has.
                again = signature[:-1] + _fingerprint(spec, cleaned)
                if again in known:
                    written.discard(row)
                    ids[spec.key][record.get("id")] = known[again]
                    reused[spec.key] += 1
                    continue
            try:
                with transaction.atomic():
                    row.save()
                    _restore_timestamps(model, fields, row, record)
            except (DatabaseError, ValueError) as exc:
                reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise DocumentError(f"{where}: the database refused it ({reason}).") from None
            ids[spec.key][record.get("id")] = row.pk
            known[signature] = row.pk
            if spec.file:
                known[again] = row.pk
            back.setdefault(spec.key, {})[row.pk] = record.get("id")
            created[spec.key] += 1
    return ImportSummary(created, reused)


def _payload(spec, record, where) -> bytes | None:
    if not spec.file:
        return None
    try:
        return files.decode(record)
    except files.PayloadError as exc:
        raise DocumentError(f"{where}: {exc}") from None


def _fingerprint(spec, data: bytes | None) -> tuple:
    return (files.fingerprint(data),) if spec.file else ()


def _content(spec, row) -> tuple:
    return _fingerprint(spec, files.read(getattr(row, spec.file))) if spec.file else ()


def _build(user, spec, model, fields, record, ids):
    row = model()
    owner_field = _owner_field(spec)
    if "__" not in spec.owner:
        setattr(row, owner_field, user)
    shapes = dict(spec.reference_ids)
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
        elif field.name in shapes:
            setattr(row, field.attname, _ids_in(spec, record, field.name, shapes[field.name], ids["references"]))
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


def _ids_in(spec, record, name: str, shape: str, references: dict[int, int]):
    """Document ids inside a JSON field, as this database's reference ids; one the file does not have
    refuses the document, as a relation pointing nowhere does."""
    where = f"{spec.key} {record.get('id')}: {name}"
    value = record.get(name)
    if value is None:
        return [] if shape == "list" else {}
    if shape == "list":
        if not isinstance(value, list):
            raise DocumentError(f"{where} should be a list of references' ids.")
        missing = [item for item in value if type(item) is not int or item not in references]
        if missing:
            raise DocumentError(f"{where} names references {missing[0]!r}, which the file does not have.")
        return [references[item] for item in value]
    if not isinstance(value, dict) or not all(isinstance(text, str) for text in value.values()):
        raise DocumentError(f"{where} should be an object of texts keyed by references' ids.")
    missing = [key for key in value
               if not (isinstance(key, str) and key.isascii() and key.isdigit() and int(key) in references)]
    if missing:
        raise DocumentError(f"{where} names references {missing[0]!r}, which the file does not have.")
    return {str(references[int(key)]): text for key, text in value.items()}


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


def _field_schema(field, shape: str = "") -> dict:
    if shape == "list":
        return {"type": "array", "items": {"type": "integer", "minimum": 1}}
    if shape == "keys":
        return {"type": "object", "propertyNames": {"pattern": "^[1-9][0-9]*$"},
                "additionalProperties": {"type": "string"}}
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
        shapes = dict(spec.reference_ids)
        properties = {"id": {"type": "integer", "minimum": 1}}
        properties |= {f.name: _field_schema(f, shapes.get(f.name, "")) for f in fields}
        if spec.file:
            properties[files.CONTENT] = {"type": "string", "contentEncoding": "base64",
                                         "contentMediaType": "application/pdf"}
        definitions[spec.key] = {
            "type": "object",
            "required": list(properties),
            "additionalProperties": False,
            "properties": properties,
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://goodword.example/schema/goodword-export-{SCHEMA_VERSION}.json",
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
