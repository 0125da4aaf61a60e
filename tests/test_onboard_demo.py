"""Issue 9: the demo shows every kind of debt the ledger can raise, so a new user sees what it does."""

from goodword.core.demo import load_demo
from goodword.courtesy.ledger import build_ledger
from goodword.courtesy.rules import RULES


def test_the_demo_shows_every_kind_of_debt_and_the_hold_banner(alice):
    assert load_demo(alice) is True
    ledger = build_ledger(alice)
    shown = {debt.rule for debt in ledger.open}
    assert shown == set(RULES), f"missing from the demo: {sorted(set(RULES) - shown)}"
    assert [hold.stage for hold in ledger.holds] == ["offer"]
