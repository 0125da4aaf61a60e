"""Odd values in every employer-side form: a clear answer, never a 500."""
from django.test import Client
from tests.factories.portal import make_portal_setup
from goodword.sheets import services, backdoor

WEIRD = ["", "0", "-1", "99999999999999999999999", "abc", "\x00", "é" * 3000, "0001-01-01", "9999-12-31"]

def test_odd_form_values_never_give_a_500(alice, alice_client):
    listing, token = make_portal_setup(alice)
    opp = listing.opportunity
    _l, etoken = services.issue_link(opp)
    _s, stoken = backdoor.issue_standing_link(listing.reference)
    bad = []
    for value in WEIRD:
        for url, data in [
            (f"/sheets/jobs/{opp.pk}/", {"action": "choices", "location": value, "headline": value, "chosen": value, "insisted": value, f"note-{listing.reference_id}": value}),
            (f"/sheets/jobs/{opp.pk}/", {"action": "issue", "employer": value, "days": value}),
            (f"/sheets/jobs/{opp.pk}/", {"action": "attach", "letter": value}),
            (f"/sheets/jobs/{opp.pk}/", {"action": value}),
            (f"/r/{token}/letter/", {"form": "backdoor", "employer": value, "when": value, "listed": value, "asked": value}),
            (f"/r/{token}/letter/", {"form": value}),
            (f"/k/{stoken}/", {"employer": value or "x", "when": value, "listed": "no", "asked": value}),
            (f"/e/{etoken}/", {"action": value}),
        ]:
            c = alice_client if url.startswith("/sheets") else Client()
            r = c.post(url, data)
            if r.status_code >= 500:
                bad.append((url[:20], repr(value)[:20], r.status_code))
    assert not bad, bad
