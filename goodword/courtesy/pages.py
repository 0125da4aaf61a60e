"""The slice of the ledger that a reference's or an opportunity's own page shows."""

from goodword.courtesy.ledger import build_ledger


def own_debts_context(request, *, reference=None, opportunity=None) -> dict:
    """Open debts about this reference or opportunity, worst first.

    The ledger is computed once for the page: the navigation badge reads the
    count stored on the request instead of computing it again.
    """
    ledger = build_ledger(request.user)
    request._courtesy_open_count = len(ledger.open)
    debts = [
        debt
        for debt in ledger.open
        if (reference is None or debt.reference_id == reference.pk)
        and (opportunity is None or debt.opportunity_id == opportunity.pk)
    ]
    return {"own_debts": debts, "today": ledger.today}
