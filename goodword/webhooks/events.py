"""What each event says, built where the fact is recorded.

The services that record the facts call these explicitly, inside their own
transaction (no signals): sheets.services.record_visit for an employer's
visit, portal.services.record_answer for a reference's answer. The critical
debts are found by the worker's tick (critical.py). Payloads carry ids and
names the receiver can match against the API, never a token or a link.
"""

from __future__ import annotations

from goodword.lib import webhook_wire
from goodword.webhooks.delivery import queue_event


def _opportunity(opportunity) -> dict:
    return {"id": opportunity.pk, "company": opportunity.company, "role": opportunity.role}


def sheet_opened(link, what: str, references, event, now) -> int:
    """The employer opened the sheet (or downloaded it, or a letter): one visit, one event."""
    opportunity = link.opportunity
    data = {
        "opportunity": _opportunity(opportunity),
        "employer": link.employer,
        "what": what,
        "references": [{"id": reference.pk, "name": reference.name} for reference in references],
        "opened_at": now.isoformat(),
    }
    key = f"{webhook_wire.SHEET_OPENED}:{event.pk}" if event is not None else \
        f"{webhook_wire.SHEET_OPENED}:link{link.pk}:{now.isoformat()}"
    return queue_event(opportunity.owner, webhook_wire.SHEET_OPENED, data, key=key, now=now)


def portal_answered(answer, now) -> int:
    """A reference answered through their portal link."""
    event = answer.event
    listing = answer.link.listing
    data = {
        "answer": {"id": answer.pk, "kind": answer.kind, "label": answer.get_kind_display()},
        "reference": {"id": listing.reference_id, "name": listing.reference.name},
        "opportunity": _opportunity(listing.opportunity),
        "event": {"id": event.pk, "kind": event.kind, "occurred_at": event.occurred_at.isoformat(), "note": event.note},
    }
    return queue_event(answer.owner, webhook_wire.PORTAL_ANSWERED, data,
                       key=f"{webhook_wire.PORTAL_ANSWERED}:{answer.pk}", now=now)
