import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from goodword.lib.redact import redact_links
from goodword.timeline.models import Event

FUTURE_SLACK = dt.timedelta(minutes=5)


def log_event(owner, reference, kind, *, opportunity=None, channel="", occurred_at=None, note="") -> Event:
    if reference.owner_id != owner.pk or (opportunity is not None and opportunity.owner_id != owner.pk):
        # Callers fetch through for_user(); this guards the API against a slip.
        raise ValidationError("That reference or opportunity is not yours.")
    occurred_at = occurred_at or timezone.now()
    # A few minutes of slack for clocks that disagree; beyond that it has not happened yet.
    if occurred_at > timezone.now() + FUTURE_SLACK:
        raise ValidationError(
            {"occurred_at": f"{timezone.localtime(occurred_at):%d %b %Y %H:%M} is in the future; log what has already happened."}
        )
    event = Event(
        owner=owner,
        reference=reference,
        opportunity=opportunity,
        kind=kind,
        channel=channel or "",
        occurred_at=occurred_at,
        # A private link in a message logged as sent is kept only as a marker (lib/redact.py).
        note=redact_links(note or ""),
    )
    event.full_clean()
    event.save()
    return event


def delete_event(event: Event) -> None:
    """Remove a mistaken entry; listing states are derived, so they follow."""
    event.delete()
