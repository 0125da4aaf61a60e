"""The one source of data for a reference sheet: the page, the PDF and the
.docx all render a SheetContent, so the three never disagree.

Who is on it: the candidate's chosen references in their order, or by
default the slate in its order without HR verifiers. A reference whose
consent is missing, stale or out of scope, or who is resting, retired or
marked do-not-use, is flagged and left off unless the candidate insists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from goodword.lib import vocabulary
from goodword.opportunities.models import Listing
from goodword.references.models import Channel, Relationship, Status
from goodword.sheets.models import Sheet
from goodword.timeline.models import Event

STATUS_FLAGS = {
    Status.RESTING: "resting: you gave them a break from calls",
    Status.RETIRED: "retired from your reference book",
    Status.DO_NOT_USE: "marked do-not-use",
}


@dataclass
class Entry:
    reference_id: int
    name: str
    title: str
    organisation: str
    relationship: str  # "Manager, known 6 years (since 2019)"
    phone: str
    email: str
    reach: str  # the best time and way to reach them
    note: str
    flags: list[str] = field(default_factory=list)
    included: bool = True
    insisted: bool = False

    def fields(self) -> list[tuple[str, str]]:
        """(label, value) in the sheet's order, empty values left out; every renderer prints these."""
        rows = [("Title", self.title), ("Organisation", self.organisation), ("Relationship", self.relationship),
                ("Phone", self.phone), ("Email", self.email), ("Best reached", self.reach), ("Note", self.note)]
        return [(label, value) for label, value in rows if value]


@dataclass
class SheetContent:
    opportunity_id: int
    company: str
    role: str
    name: str
    email: str
    phone: str
    location: str
    headline: str
    entries: list[Entry]

    @property
    def listed(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.included]

    @property
    def left_off(self) -> list[Entry]:
        return [entry for entry in self.entries if not entry.included]

    @property
    def contact_line(self) -> str:
        return " · ".join(part for part in (self.email, self.phone, self.location) if part)

    @property
    def title(self) -> str:
        return f"References for {self.name}"


def sheet_for(opportunity) -> Sheet:
    """The opportunity's sheet choices (unsaved defaults when none were made)."""
    return Sheet.objects.filter(opportunity=opportunity).first() or Sheet(opportunity=opportunity)


def known_for(known_since: dt.date | None, today: dt.date) -> str:
    if known_since is None:
        return ""
    years = today.year - known_since.year - ((today.month, today.day) < (known_since.month, known_since.day))
    if years >= 1:
        return f"known {years} year{'s' if years != 1 else ''} (since {known_since.year})"
    months = max(1, (today.year - known_since.year) * 12 + today.month - known_since.month)
    return f"known {months} month{'s' if months != 1 else ''} (since {known_since:%B %Y})"


def consent_flag(reference, events, consent_months: int, today: dt.date) -> str:
    """Why this reference's consent for this listing does not hold today, or ""."""
    consent = vocabulary.consent(events)
    standing = reference.standing_consent(consent_months)
    if consent == vocabulary.DECLINED:
        return "said no to this application"
    if consent == vocabulary.AGREED:
        consent_events = [e for e in events if e[0] in vocabulary.CONSENT_KINDS]
        latest = max(consent_events, key=lambda e: (e[1], e[2]))
        if latest[0] == vocabulary.IN_SCOPE and (standing is None or not standing.fresh_on(today)):
            return "consent stale: their standing consent has run out; ask again"
        return ""
    if standing is not None and standing.fresh_on(today):
        scope = f" (“{standing.scope}”)" if standing.scope else ""
        return f"consent out of scope: you have not confirmed this job lies within their standing consent{scope}"
    if standing is not None:
        return f"consent stale: their standing consent ran out on {standing.until:%-d %b %Y}; ask again"
    return "consent missing: they have not said yes to this application"


def build(opportunity, *, sheet: Sheet | None = None, today: dt.date | None = None) -> SheetContent:
    """The sheet for an opportunity, from the reference book, the slate and the candidate's choices."""
    from goodword.courtesy.models import CourtesySettings
    from goodword.outreach.drafts import candidate_context

    owner = opportunity.owner
    sheet = sheet or sheet_for(opportunity)
    today = today or timezone.localdate()
    months = CourtesySettings.for_user(owner).as_plain().consent_months
    slate = list(Listing.objects.filter(opportunity=opportunity).select_related("reference"))
    by_reference = {listing.reference_id: listing for listing in slate}
    if sheet.chosen:
        chosen = [by_reference[pk] for pk in sheet.chosen if pk in by_reference]
    else:
        chosen = [listing for listing in slate if listing.reference.relationship != Relationship.HR_VERIFIER]
    events: dict[int, list] = {}
    for reference_id, kind, occurred_at, pk in Event.objects.filter(
        owner=owner, opportunity=opportunity, reference_id__in=[listing.reference_id for listing in chosen],
        kind__in=vocabulary.CONSENT_KINDS,
    ).values_list("reference_id", "kind", "occurred_at", "id"):
        events.setdefault(reference_id, []).append((kind, occurred_at, pk))
    insisted = set(sheet.insisted or [])
    notes = sheet.notes or {}
    entries = []
    for listing in chosen:
        ref = listing.reference
        flags = []
        if flag := consent_flag(ref, events.get(ref.pk, []), months, today):
            flags.append(flag)
        if ref.status in STATUS_FLAGS:
            flags.append(STATUS_FLAGS[ref.status])
        relationship = ", ".join(part for part in (ref.get_relationship_display(), known_for(ref.known_since, today)) if part)
        way = Channel(ref.preferred_channel).label.lower() if ref.preferred_channel else ""
        reach = "; ".join(part for part in ((f"by {way}" if way else ""), ref.preferred_hours) if part)
        entries.append(Entry(
            reference_id=ref.pk, name=ref.name, title=ref.title, organisation=ref.organisation,
            relationship=relationship, phone=ref.primary_phone, email=ref.primary_email, reach=reach,
            note=(notes.get(str(ref.pk)) or "").strip(), flags=flags,
            included=not flags or ref.pk in insisted, insisted=bool(flags) and ref.pk in insisted,
        ))
    candidate = candidate_context(owner)
    return SheetContent(
        opportunity_id=opportunity.pk, company=opportunity.company, role=opportunity.role,
        name=candidate["name"], email=candidate["email"], phone=candidate["phone"],
        location=sheet.location, headline=sheet.headline, entries=entries,
    )
