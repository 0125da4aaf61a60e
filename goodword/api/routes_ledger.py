"""The courtesy ledger (debts; settle, snooze, dismiss, undo as the web's forms do) and drafts,
through courtesy/ services and outreach/drafts.py."""

from ninja import Query, Router, Status

from goodword.api.core import page_of_list, user_of
from goodword.api.lookups import IdPath, named, owned, reads, responses
from goodword.api.problems import Problem
from goodword.api.schemas import (
    DebtDraftIn,
    DebtFilters,
    DebtOut,
    DecisionOut,
    DismissIn,
    DraftIn,
    DraftOut,
    LedgerOut,
    SettledOut,
    SettleIn,
    SnoozeIn,
    page_of,
)
from goodword.courtesy import services as courtesy
from goodword.courtesy.facts import Severity
from goodword.courtesy import summary
from goodword.courtesy.ledger import build_ledger
from goodword.opportunities.models import Listing, Opportunity
from goodword.outreach import drafts
from goodword.outreach.models import DRAFT_FOR_EVENT_KIND
from goodword.references.models import Reference
from goodword.timeline.models import Event

router = Router(tags=["ledger and drafts"])

KEY_PATH_HELP = "The debt's key as listed (rule:reference:opportunity)."


def debt_item(debt, decision=None) -> dict:
    data = debt.as_dict()
    data = {name: data[name] for name in ("key", "rule", "severity", "reference", "opportunity", "due_on", "why", "action")}
    if decision is not None:
        data |= {"hidden": decision.kind, "hidden_until": decision.until, "hidden_reason": decision.reason}
    return data


def _find(user, key: str):
    if len(key) > 100 or "\x00" in key:
        raise Problem(404, "No debt with that key in your ledger.")
    try:
        return courtesy.find_debt(user, key)
    except courtesy.DebtNotFound:
        raise Problem(404, "No debt with that key in your ledger (it may be settled already).") from None


@router.get("/ledger", response=reads(LedgerOut))
def get_ledger(request):
    """The ledger's summary: its day, open debts by severity, what is hidden, and announcements to hold."""
    # Kept between requests while nothing has changed, as the dashboard reads it (courtesy/summary.py).
    ledger = summary.kept_ledger(user_of(request))
    return {
        "today": ledger.today,
        "counts": ledger.counts(),
        "open": len(ledger.open),
        "hidden": ledger.hidden_count,
        "hold_announcement": [
            {"opportunity": {"id": hold.opportunity_id, "label": hold.opportunity_label},
             "untold": list(hold.reference_names),
             "announced_on": hold.announced_on.isoformat() if hold.announced_on else None}
            for hold in ledger.holds
        ],
    }


@router.get("/debts", response=reads(page_of(DebtOut)))
def list_debts(request, filters: Query[DebtFilters]):
    """What you owe, worst first then by due date, as `goodword due` (same filters)."""
    user = user_of(request)
    reference = opportunity = None
    if filters.ref:
        reference = named(Reference.objects.for_user(user), filters.ref, "reference")
    if filters.job:
        opportunity = named(Opportunity.objects.for_user(user), filters.job, "opportunity", fields=("company", "role"))
    if filters.hidden:
        rows = [(hidden.debt, hidden.decision) for hidden in build_ledger(user).hidden]
    else:  # kept between requests while nothing has changed, as the dashboard reads them
        rows = [(debt, None) for debt in summary.kept_ledger(user).open]
    if filters.severity:
        rows = [row for row in rows if row[0].severity >= Severity.parse(filters.severity)]
    if reference is not None:
        rows = [row for row in rows if row[0].reference_id == reference.pk]
    if opportunity is not None:
        rows = [row for row in rows if row[0].opportunity_id == opportunity.pk]
    chunk = page_of_list(rows, lambda row: row[0].key, filters.cursor, filters.limit)
    return {"items": [debt_item(debt, decision) for debt, decision in chunk["items"]], "next_cursor": chunk["next_cursor"]}


@router.get("/debts/{key}", response=reads(DebtOut))
def get_debt(request, key: str):
    ledger, debt = _find(user_of(request), key)
    decision = next((hidden.decision for hidden in ledger.hidden if hidden.debt.key == key), None)
    return debt_item(debt, decision)


@router.post("/debts/{key}/settle", response=responses({200: SettledOut}))
def settle_debt(request, key: str, payload: SettleIn):
    """Do the one thing that settles the debt: log its event, or mark the reference as resting."""
    user = user_of(request)
    _find(user, key)
    result = courtesy.settle(user, key, channel=payload.channel, note=payload.note, reference_id=payload.reference_id)
    if isinstance(result, Event):
        return {"key": key, "event": result.as_dict(), "reference": None}
    return {"key": key, "event": None, "reference": result.as_dict()}


@router.post("/debts/{key}/snooze", response=responses({200: DecisionOut}))
def snooze_debt(request, key: str, payload: SnoozeIn):
    """Hide it until a day (in your time zone); it comes back that day."""
    user = user_of(request)
    _find(user, key)
    decision = courtesy.snooze(user, key, payload.until)
    return {"key": key, "kind": decision.kind, "until": decision.until, "reason": decision.reason}


@router.post("/debts/{key}/dismiss", response=responses({200: DecisionOut}))
def dismiss_debt(request, key: str, payload: DismissIn):
    """Set it aside for good, with the reason."""
    user = user_of(request)
    _find(user, key)
    decision = courtesy.dismiss(user, key, payload.reason)
    return {"key": key, "kind": decision.kind, "until": decision.until, "reason": decision.reason}


@router.delete("/debts/{key}/decision", response=responses({204: None}))
def undo_decision(request, key: str):
    """Forget a snooze or a dismissal: the debt is open again."""
    if len(key) > 100 or not courtesy.undo(user_of(request), key):
        raise Problem(404, "No snooze or dismissal under that key.")
    return Status(204, None)


# ---------------------------------------------------------------- drafts


def draft_item(draft) -> dict:
    return {name: getattr(draft, name) for name in
            ("kind", "tone", "event_kind", "to_name", "to_address", "subject", "body", "source", "notes")}


def _draft(user, kind, reference, opportunity, tone):
    try:
        return draft_item(drafts.make_draft(user, kind, reference, opportunity, tone))
    except drafts.DraftProblem as problem:
        raise Problem(422, str(problem)) from None


@router.post("/debts/{key}/draft", response=responses({200: DraftOut}))
def draft_for_debt(request, key: str, payload: DebtDraftIn):
    """The draft that settles this debt, from your templates (nothing is sent or logged)."""
    user = user_of(request)
    _ledger, debt = _find(user, key)
    kind = DRAFT_FOR_EVENT_KIND.get(debt.action)
    if kind is None or debt.reference_id is None:
        raise Problem(422, "No message settles this debt; settle it directly.")
    reference = owned(Reference.objects, user, debt.reference_id)
    opportunity = owned(Opportunity.objects, user, debt.opportunity_id) if debt.opportunity_id else None
    return _draft(user, kind, reference, opportunity, payload.tone)


@router.post("/listings/{listing_id}/draft", response=responses({200: DraftOut}))
def draft_for_listing(request, payload: DraftIn, listing_id: int = IdPath()):
    """A draft of any kind for one reference on one slate (nothing is sent or logged)."""
    user = user_of(request)
    listing = owned(Listing.objects.select_related("reference", "opportunity"), user, listing_id)
    return _draft(user, payload.kind, listing.reference, listing.opportunity, payload.tone)
