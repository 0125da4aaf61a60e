from django.core.exceptions import ValidationError
from django.utils import timezone

from goodword.timeline.models import Event


def log_event(owner, reference, kind, *, opportunity=None, channel="", occurred_at=None, note="") -> Event:
    if reference.owner_id != owner.pk or (opportunity is not None and opportunity.owner_id != owner.pk):
        # Callers fetch through for_user(); this guards the API against a slip.
        raise ValidationError("That reference or opportunity is not yours.")
    event = Event(
        owner=owner,
        reference=reference,
        opportunity=opportunity,
        kind=kind,
        channel=channel or "",
        occurred_at=occurred_at or timezone.now(),
        note=note or "",
    )
    event.full_clean()
    event.save()
    return event


def delete_event(event: Event) -> None:
    """Remove a mistaken entry; listing states are derived, so they follow."""
    event.delete()
