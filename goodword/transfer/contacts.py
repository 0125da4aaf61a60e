"""Importing people: candidates (goodword.lib.contact_files) → match → preview → one transaction.

The preview is computed, never stored as a decision: the web and the CLI show
it, the user includes or excludes rows, and apply() recomputes it against the
book as it is then, inside the transaction, so a reference edited meanwhile is
never overwritten on the strength of an old preview.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from goodword.lib.contact_files import Candidate, Parsed, Problem
from goodword.references.models import Reference, Status

ADD, MERGE, SKIP = "add", "merge", "skip"
# Imported people are contacts nobody has asked yet: "resting" is the status that
# keeps them off every suggestion until the user decides to ask them.
IMPORTED_STATUS = Status.RESTING
TEXT_FIELDS = ("title", "organisation")


@dataclass
class Row:
    number: int  # 1-based position in the preview, what include/exclude names
    candidate: Candidate
    action: str
    reason: str
    reference: Reference | None = None
    changes: dict = field(default_factory=dict)  # field -> new value (merge only)
    kept: list[str] = field(default_factory=list)  # what the file says but the book keeps

    def as_dict(self) -> dict:
        return {
            "row": self.number, "where": self.candidate.where, "action": self.action, "reason": self.reason,
            "name": self.candidate.name, "emails": self.candidate.emails, "phones": self.candidate.phones,
            "organisation": self.candidate.organisation, "title": self.candidate.title,
            "reference_id": self.reference.pk if self.reference else None,
            "changes": self.changes, "kept": self.kept,
        }


@dataclass
class Preview:
    rows: list[Row]
    problems: list[Problem]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def as_dict(self) -> dict:
        return {
            "summary": {ADD: self.count(ADD), MERGE: self.count(MERGE), SKIP: self.count(SKIP),
                        "problems": len(self.problems)},
            "rows": [row.as_dict() for row in self.rows],
            "problems": [{"where": p.where, "message": p.message} for p in self.problems],
        }


def _key(name: str, organisation: str) -> tuple[str, str]:
    return (" ".join(name.casefold().split()), " ".join(organisation.casefold().split()))


class Book:
    """The user's references indexed by email and by name + organisation (one query)."""

    def __init__(self, user):
        self.by_email: dict[str, Reference] = {}
        self.by_name: dict[tuple[str, str], Reference] = {}
        for reference in Reference.objects.for_user(user).order_by("id"):
            self.remember(reference)

    def remember(self, reference):
        for email in reference.emails:
            self.by_email.setdefault(email.lower(), reference)
        self.by_name.setdefault(_key(reference.name, reference.organisation), reference)

    def find(self, candidate: Candidate) -> tuple[Reference | None, str]:
        for email in candidate.emails:
            if email.lower() in self.by_email:
                return self.by_email[email.lower()], f"same email as {self.by_email[email.lower()].name}"
        found = self.by_name.get(_key(candidate.name, candidate.organisation))
        if found:
            return found, "same name and organisation"
        return None, ""


def merge_plan(reference: Reference, candidate: Candidate) -> tuple[dict, list[str]]:
    """What the file adds to `reference`, field by field: empty fields are filled, emails and phones
    gain the new ones; a field the user filled is never overwritten, and each such difference is said."""
    changes: dict = {}
    kept: list[str] = []
    known = {email.lower() for email in reference.emails}
    new_emails = [email for email in candidate.emails if email.lower() not in known]
    if new_emails:
        room = max(0, 10 - len(reference.emails))
        changes["emails"] = list(reference.emails) + new_emails[:room]
        if len(new_emails) > room:
            kept.append(f"already 10 emails: {', '.join(new_emails[room:])} not added")
    new_phones = [phone for phone in candidate.phones if phone not in reference.phones]
    if new_phones:
        room = max(0, 10 - len(reference.phones))
        changes["phones"] = list(reference.phones) + new_phones[:room]
    for name in TEXT_FIELDS:
        mine, theirs = getattr(reference, name), getattr(candidate, name)
        if theirs and not mine:
            changes[name] = theirs
        elif theirs and mine.casefold() != theirs.casefold():
            kept.append(f"keeps your {name} “{mine}” (file: “{theirs}”)")
    if candidate.notes and candidate.notes not in reference.notes:
        changes["notes"] = (reference.notes + "\n\n" + candidate.notes).strip()[:20000]
    return changes, kept


def preview(user, parsed: Parsed) -> Preview:
    book = Book(user)
    seen: dict[str, int] = {}  # email or name key -> preview row that already takes this person
    matched: dict[int, int] = {}  # reference id -> the one row that merges into it
    rows: list[Row] = []
    for number, candidate in enumerate(parsed.candidates, start=1):
        keys = [email.lower() for email in candidate.emails] or ["|".join(_key(candidate.name, candidate.organisation))]
        earlier = next((seen[key] for key in keys if key in seen), None)
        if earlier is not None:
            rows.append(Row(number, candidate, SKIP, f"same person as row {earlier} of this file"))
            continue
        for key in keys:
            seen[key] = number
        reference, why = book.find(candidate)
        if reference is None:
            rows.append(Row(number, candidate, ADD, "new contact"))
            continue
        if reference.pk in matched:
            rows.append(Row(number, candidate, SKIP, f"{why}, as row {matched[reference.pk]} of this file", reference))
            continue
        matched[reference.pk] = number
        changes, kept = merge_plan(reference, candidate)
        if changes:
            added = ", ".join(sorted(changes))
            rows.append(Row(number, candidate, MERGE, f"{why}: adds {added}", reference, changes, kept))
        else:
            rows.append(Row(number, candidate, SKIP, f"{why}: nothing new", reference, kept=kept))
    return Preview(rows, list(parsed.problems))


@dataclass
class Outcome:
    added: int
    merged: int
    skipped: int


def apply(user, parsed: Parsed, excluded: set[int] | frozenset = frozenset()) -> Outcome:
    """Add and merge what the preview offers, except the excluded row numbers, in one transaction."""
    now = timezone.now()
    with transaction.atomic():
        plan = preview(user, parsed)
        new = []
        merged = []
        changed_fields: set[str] = set()
        for row in plan.rows:
            if row.number in excluded or row.action == SKIP:
                continue
            if row.action == ADD:
                c = row.candidate
                reference = Reference(
                    owner=user, name=c.name, emails=c.emails, phones=c.phones, organisation=c.organisation,
                    title=c.title, notes=c.notes, status=IMPORTED_STATUS,
                )
                reference.full_clean(exclude=["owner"])
                new.append(reference)
            else:
                for name, value in row.changes.items():
                    setattr(row.reference, name, value)
                row.reference.full_clean(exclude=["owner"])
                row.reference.updated_at = now
                merged.append(row.reference)
                changed_fields.update(row.changes)
        Reference.objects.bulk_create(new, batch_size=500)
        if merged:
            Reference.objects.bulk_update(merged, [*sorted(changed_fields), "updated_at"], batch_size=200)
    skipped = len(plan.rows) - len(new) - len(merged)
    return Outcome(added=len(new), merged=len(merged), skipped=skipped)
