"""Ledger operations shared by the web app and the CLI: settle, snooze,
dismiss, undo, the per-user thresholds, and the fatigue warning."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from goodword.courtesy import ledger as ledger_module
from goodword.courtesy.facts import CALLS_MONTH_DAYS, Debt, UserSettings
from goodword.courtesy.models import CourtesySettings, DebtDecision, DecisionKind
from goodword.courtesy.load import availability_message, fatigue_message
from goodword.opportunities.models import Listing, Opportunity
from goodword.references.models import Channel, Reference, Status


class DebtNotFound(LookupError):
    """No open or hidden debt with that key in this user's ledger."""


def find_debt(user, key: str, now: dt.datetime | None = None) -> tuple[ledger_module.Ledger, Debt]:
    """The user's ledger and one of its debts; DebtNotFound for anyone else's key."""
    ledger = ledger_module.build_ledger(user, now)
    debt = ledger.find(key)
    if debt is None:
        raise DebtNotFound(key)
    return ledger, debt


@transaction.atomic
def settle(user, key: str, *, channel: str = "", note: str = "", reference_id: int | None = None, now=None):
    """Do the one thing that settles a debt: log its event (or, for fatigue,
    mark the reference as resting). Returns the event or the reference."""
    from goodword.opportunities.services import add_to_slate
    from goodword.references.services import update_reference
    from goodword.timeline.services import log_event

    _ledger, debt = find_debt(user, key, now)
    if channel and channel not in Channel.values:
        raise ValidationError({"channel": f"“{channel}” is not a channel; choose one of: {', '.join(Channel.values)}."})
    if debt.reference_id is None:
        allowed = {pk for pk, _name in debt.candidates}
        if reference_id not in allowed:
            raise ValidationError({"reference": "Choose who agreed from the list."})
        target = reference_id
    else:
        target = debt.reference_id
    reference = Reference.objects.for_user(user).get(pk=target)
    if debt.action == "rest":
        result = update_reference(reference, status=Status.RESTING)
    else:
        opportunity = None
        if debt.opportunity_id is not None:
            opportunity = Opportunity.objects.for_user(user).get(pk=debt.opportunity_id)
            if debt.rule == "short_slate" and not Listing.objects.filter(
                opportunity=opportunity, reference=reference
            ).exists():
                add_to_slate(opportunity, reference)
        result = log_event(user, reference, debt.action, opportunity=opportunity, channel=channel,
                           occurred_at=now, note=note)
    # The occurrence is paid: a later one must not inherit its snooze or dismissal.
    DebtDecision.objects.filter(owner=user, key=key).delete()
    return result


def _decide(user, key, now, check=None, **fields) -> DebtDecision:
    ledger, debt = find_debt(user, key, now)  # someone else's key stops here, before any validation
    if check is not None:
        check(ledger.today)
    values = {
        "rule": debt.rule,
        "reference": Reference.objects.for_user(user).get(pk=debt.reference_id) if debt.reference_id else None,
        "opportunity": (
            Opportunity.objects.filter(owner=user).get(pk=debt.opportunity_id) if debt.opportunity_id else None
        ),
        "severity": int(debt.severity),
        "due_on": debt.due_on,
        "until": None,
        "reason": "",
        **fields,
    }
    decision = DebtDecision.objects.filter(owner=user, key=key).first() or DebtDecision(owner=user, key=key)
    for name, value in values.items():
        setattr(decision, name, value)
    decision.full_clean()
    decision.save()
    return decision


def snooze(user, key: str, until: dt.date, *, now=None) -> DebtDecision:
    """Hide a debt until a day in the user's time zone; it comes back that day."""
    def check(today):
        if until <= today:
            raise ValidationError({"until": "Snooze until a day after today."})
        if until > today + dt.timedelta(days=366):
            raise ValidationError({"until": "Snooze for a year at most; dismiss it if it will never apply."})

    return _decide(user, key, now, check, kind=DecisionKind.SNOOZE, until=until)


def dismiss(user, key: str, reason: str, *, now=None) -> DebtDecision:
    """Set a debt aside for good, with the reason; it stays listed as dismissed."""
    reason = (reason or "").strip()

    def check(_today):
        if not reason:
            raise ValidationError({"reason": "Say why you dismiss it; you will see the reason later."})

    return _decide(user, key, now, check, kind=DecisionKind.DISMISS, reason=reason)


def undo(user, key: str) -> bool:
    """Forget a snooze or dismissal; False when the user has none under that key."""
    deleted, _ = DebtDecision.objects.filter(owner=user, key=key).delete()
    return bool(deleted)


def save_settings(user, **fields) -> CourtesySettings:
    row = CourtesySettings.for_user(user)
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return row


def fatigue_warning(reference: Reference, user_settings: UserSettings | CourtesySettings | None = None,
                    *, now: dt.datetime | None = None) -> str | None:
    """A sentence to show before listing `reference` once more, or None.

    Warns when the new listing would put them above the user's limit (more
    than fatigue_listings opportunities within fatigue_days), and when they are
    marked as resting or retired. One query (two without user_settings).
    """
    if user_settings is None:
        user_settings = CourtesySettings.for_user(reference.owner)
    if isinstance(user_settings, CourtesySettings):
        user_settings = user_settings.as_plain()
    if reference.status in (Status.RESTING, Status.RETIRED):
        label = Status(reference.status).label.lower()
        return f"{reference.name} is marked as {label}: ask whether they are up for it before you list them."
    now = now or timezone.now()
    today = timezone.localdate(now, user_settings.tz)
    if reference.away_until or reference.max_calls_a_month:
        # Their own availability comes first: it is what they asked for.
        month_start = dt.datetime.combine(today - dt.timedelta(days=CALLS_MONTH_DAYS - 1), dt.time.min,
                                          tzinfo=user_settings.tz)
        listed = Listing.objects.filter(reference=reference, created_at__gte=month_start, created_at__lte=now).count()
        if said := availability_message(reference.name, reference.away_until, reference.max_calls_a_month, listed,
                                        today, adding=1):
            return said
    start = dt.datetime.combine(today - dt.timedelta(days=user_settings.fatigue_days - 1), dt.time.min,
                                tzinfo=user_settings.tz)
    companies = list(
        Listing.objects.filter(reference=reference, created_at__gte=start, created_at__lte=now)
        .order_by("created_at").values_list("opportunity__company", flat=True)
    )
    return fatigue_message(reference.name, companies, user_settings, adding=1)
