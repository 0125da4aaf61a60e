"""Walkthrough leftovers in the drafts: a client's letter, a thank-you after an unlisted call."""

import pytest

from goodword.outreach import drafts
from goodword.outreach.models import DraftKind, Tone
from tests.factories.opportunities import make_interview, make_opportunity
from tests.factories.references import make_reference


@pytest.fixture
def job(alice):
    alice.first_name, alice.last_name = "Sam", "Rivera"
    alice.save()
    job = make_opportunity(alice, company="Northwind", role="Platform Engineer", stage="references_requested")
    make_interview(job, strong_points="Incident leadership under pressure", weak_points="Kubernetes depth")
    return job


@pytest.mark.parametrize("tone", Tone.values)
def test_a_clients_letter_speaks_of_the_client_relationship_not_the_candidates_interview_points(alice, job, tone):
    client = make_reference(alice, name="Carol Client", relationship="client", title="Head of Operations",
                            organisation="Acme", vouches_for=["Shipped the ordering system on time"])
    draft = drafts.make_draft(alice, DraftKind.LETTER, client, job, tone)
    for text in (draft.body, draft.template_html):
        assert "Incident leadership under pressure" not in text
        assert "daily work" not in text
        assert "Sam's client" in text
        assert "Shipped the ordering system on time" in text
        assert "What Sam delivered for us" in text


@pytest.mark.parametrize("tone", Tone.values)
def test_a_managers_letter_still_offers_the_interview_strengths(alice, job, tone):
    manager = make_reference(alice, name="Dana Manager", relationship="manager")
    draft = drafts.make_draft(alice, DraftKind.LETTER, manager, job, tone)
    assert "Incident leadership under pressure" in draft.body
    assert "as their manager" in draft.body
    assert "client" not in draft.body


@pytest.mark.parametrize("tone", Tone.values)
def test_the_thank_you_after_an_unlisted_call_thanks_them_for_that_call_until_thanked(alice, job, tone):
    from goodword.sheets.backdoor import report_call
    from goodword.timeline.services import log_event

    peer = make_reference(alice, name="Pat Peer", relationship="peer")
    ordinary = drafts.make_draft(alice, DraftKind.THANKS, peer, None, tone)
    assert "Globex" not in ordinary.body

    report_call(peer, employer="Globex Corp", asked="How I handle on-call weeks")
    draft = drafts.make_draft(alice, DraftKind.THANKS, peer, None, tone)
    for text in (draft.body, draft.template_html):
        assert "Globex Corp" in text
        assert "How I handle on-call weeks" in text
        assert "being my reference" not in text and "acting as my reference" not in text

    log_event(alice, peer, "thanked")
    assert "Globex" not in drafts.make_draft(alice, DraftKind.THANKS, peer, None, tone).body


def test_the_unlisted_call_is_read_back_from_the_note_the_report_writes(alice):
    from goodword.sheets.backdoor import open_unlisted_call, report_call

    peer = make_reference(alice, name="Pat Peer", relationship="peer")
    assert open_unlisted_call(peer) is None
    report_call(peer, employer="Initrode (contacted them about you)", asked="")
    assert open_unlisted_call(peer) == {"employer": "Initrode (contacted them about you)", "asked": ""}
