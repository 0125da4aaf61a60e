"""The slice of the ledger that a reference's or an opportunity's own page shows."""

from goodword.courtesy.ledger import request_open_debts


def own_debts_context(request, *, reference=None, opportunity=None) -> dict:
    """Open debts about this reference or opportunity, worst first: the kept ones
    while nothing changed (courtesy/summary.py), else from a fresh ledger."""
    open_debts, today = request_open_debts(request)
    debts = [
        debt
        for debt in open_debts
        if (reference is None or debt.reference_id == reference.pk)
        and (opportunity is None or debt.opportunity_id == opportunity.pk)
    ]
    return {
        "own_debts": debts, "today": today,
        # Whose debts these are, for the section to fetch itself again (courtesy:own).
        "own_reference_id": reference.pk if reference is not None else None,
        "own_opportunity_id": opportunity.pk if opportunity is not None else None,
    }
