"""Odd values in every employer-side form: a clear answer, never a 500."""

from django.test import Client

from goodword.sheets import backdoor, services
from tests.factories.portal import make_portal_setup

ODD = ["", "0", "-1", "99999999999999999999999", "abc", "\x00", "é" * 3000, "0001-01-01", "9999-12-31"]


def test_odd_form_values_never_give_a_500(alice, alice_client):
    listing, token = make_portal_setup(alice)
    opportunity = listing.opportunity
    _link, employer_token = services.issue_link(opportunity)
    _standing, standing_token = backdoor.issue_standing_link(listing.reference)
    failures = []
    for value in ODD:
        for url, data in [
            (f"/sheets/jobs/{opportunity.pk}/", {"action": "choices", "location": value, "headline": value,
                                                  "chosen": value, "insisted": value,
                                                  f"note-{listing.reference_id}": value}),
            (f"/sheets/jobs/{opportunity.pk}/", {"action": "issue", "employer": value, "days": value}),
            (f"/sheets/jobs/{opportunity.pk}/", {"action": "attach", "letter": value}),
            (f"/sheets/jobs/{opportunity.pk}/", {"action": value}),
            (f"/r/{token}/letter/", {"form": "backdoor", "employer": value, "when": value, "listed": value,
                                     "asked": value}),
            (f"/r/{token}/letter/", {"form": value}),
            (f"/k/{standing_token}/", {"employer": value or "x", "when": value, "listed": "no", "asked": value}),
            (f"/e/{employer_token}/", {"action": value}),
        ]:
            client = alice_client if url.startswith("/sheets") else Client()
            response = client.post(url, data)
            if response.status_code >= 500:
                failures.append((url.split("/")[1], repr(value)[:20], response.status_code))
    assert not failures, failures
