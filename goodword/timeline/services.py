import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from goodword.lib import vocabulary
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
    if kind == vocabulary.IN_SCOPE and (problem := standing_consent_problem(owner, reference, opportunity, occurred_at)):
        raise ValidationError({"kind": problem})
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
    # Owner, reference and opportunity are the caller's own rows (checked above); re-reading each
    # to prove it exists cost a query apiece on every log, and the database's foreign keys still hold.
    event.full_clean(exclude=["owner", "reference", "opportunity"])
    event.save()
    return event


def settles_nothing(event: Event) -> str:
    """Why a courtesy step just logged counts for no slate (it names no
    opportunity, or one the reference is not listed for), or "" when it may count."""
    from goodword.opportunities.models import Listing

    if event.kind not in vocabulary.PAIR_KINDS:
        return ""
    if event.opportunity_id is None:
        return "It names no opportunity, so it settles nothing on the ledger."
    if not Listing.objects.filter(opportunity_id=event.opportunity_id, reference_id=event.reference_id).exists():
        return "They are not on that opportunity's slate, so it settles nothing on the ledger."
    return ""


def delete_event(event: Event) -> None:
    """Remove a mistaken entry; listing states are derived, so they follow."""
    event.delete()


def standing_consent_problem(owner, reference, opportunity, occurred_at) -> str | None:
    """Why an "in_scope" confirmation cannot count as the reference's yes for
    this listing, or None: it needs a standing consent fresh on its day (docs/ledger.md)."""
    from goodword.courtesy.models import CourtesySettings

    if opportunity is None:
        return "Say which opportunity lies within their standing consent."
    user_settings = CourtesySettings.for_user(owner).as_plain()
    standing = reference.standing_consent(user_settings.consent_months)
    if standing is None:
        return f"{reference.name} has given no standing consent to be listed; ask them for this one instead."
    if not standing.fresh_on(timezone.localdate(occurred_at, user_settings.tz)):
        return (f"{reference.name}'s standing consent of {standing.given_on:%-d %b %Y} counted until "
                f"{standing.until:%-d %b %Y}: ask them again for this one.")
    return None
