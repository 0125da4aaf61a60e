"""The slice of the ledger that a reference's or an opportunity's own page shows."""

from goodword.courtesy.ledger import ledger_for_request


def own_debts_context(request, *, reference=None, opportunity=None) -> dict:
    """Open debts about this reference or opportunity, worst first (the badge shares the ledger)."""
    ledger = ledger_for_request(request)
    debts = [
        debt
        for debt in ledger.open
        if (reference is None or debt.reference_id == reference.pk)
        and (opportunity is None or debt.opportunity_id == opportunity.pk)
    ]
    return {
        "own_debts": debts, "today": ledger.today,
        # Whose debts these are, for the section to fetch itself again (courtesy:own).
        "own_reference_id": reference.pk if reference is not None else None,
        "own_opportunity_id": opportunity.pk if opportunity is not None else None,
    }
