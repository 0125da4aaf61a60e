"""Drafts built from the facts, for every kind and tone."""

import datetime as dt
import json

import pytest

from goodword.opportunities.services import change_stage
from goodword.outreach import drafts, services
from goodword.outreach.models import EVENT_KIND_FOR_DRAFT, DraftKind, Tone
from goodword.timeline.models import EventKind
from tests.factories.opportunities import make_interview, make_opportunity
from tests.factories.references import make_reference

POSTING = """We are hiring a Platform Engineer.
- Run production Kubernetes clusters
- Lead incident response
- Mentor other engineers
"""


@pytest.fixture
def facts(alice):
    alice.first_name, alice.last_name = "Sam", "Rivera"
    alice.save()
    reference = make_reference(
        alice, name="Dana Whitfield", emails=["dana@example.com"], title="Engineering Manager",
        organisation="Initech", vouches_for=["Led the billing migration", "On-call leadership"],
        likes="Strong coffee, fly fishing",
    )
    job = make_opportunity(
        alice, company="Northwind", role="Platform Engineer", stage="references_requested",
        posting_text=POSTING, checker_name="Priya Raman", checker_phone="+1 555 0199",
    )
    make_interview(job, questions="Tell us about a migration you led.\nHow do you handle an outage?",
                   strong_points="Incident leadership", weak_points="Kubernetes depth")
    return reference, job


@pytest.mark.parametrize("tone", Tone.values)
@pytest.mark.parametrize("kind", DraftKind.values)
def test_every_kind_and_tone_renders_a_personal_subject_text_and_html(alice, facts, kind, tone):
    reference, job = facts
    draft = drafts.make_draft(alice, kind, reference, job, tone)
    assert draft.subject and "\n" not in draft.subject
    assert ("Dana" in draft.body)
    assert "{{" not in draft.body and "{%" not in draft.body
    assert draft.html.startswith("<!doctype html>") and "Dana" in draft.html
    assert draft.template_html.startswith("<p>")  # the built-in body.html, not text converted
    assert draft.event_kind == EVENT_KIND_FOR_DRAFT[kind]
    assert draft.to_address == "dana@example.com"


def test_each_draft_kind_records_a_real_timeline_event_kind():
    assert set(EVENT_KIND_FOR_DRAFT.values()) == {
        "permission_asked", "heads_up", "briefing", "draft_provided", "outcome_shared", "thanked", "keep_in_touch", "apology",
    }
    assert set(EVENT_KIND_FOR_DRAFT.values()) <= set(EventKind.values)


def test_heads_up_briefs_on_role_stage_checker_and_interview_recap(alice, facts):
    reference, job = facts
    body = drafts.make_draft(alice, "heads_up", reference, job).body
    for expected in ("Platform Engineer", "Northwind", "references requested", "Priya Raman", "within the next few days",
                     "- Tell us about a migration you led.", "- How do you handle an outage?",
                     "- Incident leadership", "- Kubernetes depth"):
        assert expected in body


def test_letter_draft_uses_what_they_vouch_for_and_what_the_posting_asks(alice, facts):
    reference, job = facts
    body = drafts.make_draft(alice, "letter", reference, job, "formal").body
    assert "- Led the billing migration" in body
    assert "- Run production Kubernetes clusters" in body
    assert "Strengths I can confirm from our daily work:\n- Incident leadership" in body
    assert "I am glad to recommend Sam Rivera" in body
    assert "Dana Whitfield\nEngineering Manager, Initech" in body


def test_talking_points_variant_has_only_the_points(alice, facts):
    reference, job = facts
    body = drafts.make_draft(alice, "talking_points", reference, job).body
    assert "- Incident leadership" in body and "- Kubernetes depth" in body
    assert "To the hiring team" not in body


def test_outcome_when_landed_gives_role_and_start_date(alice, facts):
    reference, job = facts
    change_stage(job, "landed")
    job.start_date = dt.date(2026, 3, 2)
    job.save()
    draft = drafts.make_draft(alice, "outcome", reference, job)
    assert "I got it" in draft.subject
    assert "2 March 2026" in draft.body and "Platform Engineer" in draft.body


def test_outcome_when_not_landed_thanks_and_says_what_is_next(alice, facts):
    reference, job = facts
    change_stage(job, "rejected")
    body = drafts.make_draft(alice, "outcome", reference, job).body
    assert "went another way" in body and "Thank you" in body and "what comes next" in body


def test_thank_you_suggests_a_gift_from_their_likes_with_a_budget(alice, facts):
    reference, job = facts
    draft = drafts.make_draft(alice, "thanks", reference, job)
    assert "roaster" in draft.notes[0] and "Strong coffee" in draft.notes[0] and "25–50" in draft.notes[0]
    # The idea is advice for the sender, never part of what the reference receives.
    assert "roaster" not in draft.body and "25–50" not in draft.body


def test_gift_for_an_hr_verifier_is_a_card():
    assert "card is enough" in drafts.gift_idea("wine", "hr_verifier")["budget"]
    assert drafts.gift_idea("", "peer")["idea"] == "a handwritten card"


def test_a_kind_about_a_job_needs_the_job(alice, facts):
    reference, _ = facts
    with pytest.raises(drafts.DraftProblem, match="choose the job"):
        drafts.make_draft(alice, "heads_up", reference, None)
    assert drafts.make_draft(alice, "keep_in_touch", reference, None).body


def test_unknown_kind_or_tone_is_refused(alice, facts):
    reference, job = facts
    with pytest.raises(drafts.DraftProblem, match="not a kind"):
        drafts.make_draft(alice, "bribe", reference, job)
    with pytest.raises(drafts.DraftProblem, match="not a tone"):
        drafts.make_draft(alice, "thanks", reference, job, "sarcastic")


def test_context_is_plain_json_data_only(alice, facts):
    reference, job = facts
    context = drafts.build_context(alice, reference, job)
    assert json.loads(json.dumps(context)) == context


def test_posting_points_fall_back_to_requirement_sentences():
    text = "Northwind builds tools. You will lead our platform team. Experience with Terraform is required."
    assert drafts.posting_points(text) == ["You will lead our platform team", "Experience with Terraform is required"]


def test_users_own_template_replaces_the_built_in_one(alice, facts):
    reference, job = facts
    services.save_user_template(alice, "thanks", "friendly", subject="Cheers {{ reference.first_name }}",
                                body="You're a star, {{ reference.first_name }}. {{ gift.idea }}")
    draft = drafts.make_draft(alice, "thanks", reference, job)
    assert draft.source == "yours"
    assert draft.subject == "Cheers Dana"
    assert "bag of beans" in draft.body
    assert drafts.make_draft(alice, "thanks", reference, job, builtin_only=True).source == "built-in"


def test_a_template_is_only_ever_the_owners(alice, bob, facts):
    reference, job = facts
    services.save_user_template(bob, "thanks", "friendly", subject="Bob's", body="Bob's template")
    assert drafts.make_draft(alice, "thanks", reference, job).source == "built-in"


def test_slate_drafts_are_personalised_per_reference(alice, facts):
    from tests.factories.opportunities import make_listing

    reference, job = facts
    other = make_reference(alice, name="Lee Chen", emails=["lee@example.com"], vouches_for=["Design reviews"])
    make_listing(job, reference)
    make_listing(job, other)
    rows = services.slate_drafts(alice, job, "heads_up", "friendly")
    assert [ref.name for ref, _, _ in rows] == ["Dana Whitfield", "Lee Chen"]
    assert "Hi Dana" in rows[0][1].body and "Hi Lee" in rows[1][1].body
    assert "Design reviews" in rows[1][1].body and "Design reviews" not in rows[0][1].body


def test_a_heads_up_without_interviews_leaves_no_gaps(alice):
    reference = make_reference(alice, name="Dana Whitfield", vouches_for=[])
    job = make_opportunity(alice, company="Northwind", role="Platform Engineer")
    body = drafts.make_draft(alice, "heads_up", reference, job).body
    assert "\n\n\n" not in body and " \n" not in body


def test_html_template_escapes_the_facts(alice):
    reference = make_reference(alice, name="Dana <b>Whitfield</b>", vouches_for=["Shipped <script>alert(1)</script>"])
    job = make_opportunity(alice, company="A & B", role="Engineer")
    draft = drafts.make_draft(alice, "heads_up", reference, job)
    assert "<b>" not in draft.template_html and "<script>" not in draft.template_html
    assert "Dana &lt;b&gt;Whitfield&lt;/b&gt;" not in draft.template_html  # the greeting uses the first name only
    assert "&lt;script&gt;" in draft.template_html and "A &amp; B" in draft.template_html


def test_edited_text_gets_html_derived_from_the_edit(alice, facts):
    reference, job = facts
    draft = drafts.make_draft(alice, "heads_up", reference, job)
    assert draft.html_fragment_for(draft.body) == draft.template_html
    assert draft.html_fragment_for(draft.body.replace("\n", "\r\n")) == draft.template_html
    edited = draft.html_fragment_for("Hi Dana,\n\nShort version: they may call.\n")
    assert edited == "<p>Hi Dana,</p>\n<p>Short version: they may call.</p>"


def test_users_own_template_gets_html_derived_from_its_text(alice, facts):
    reference, job = facts
    services.save_user_template(alice, "thanks", "formal", subject="Thanks", body="Thank you, {{ reference.first_name }}.")
    draft = drafts.make_draft(alice, "thanks", reference, job, "formal")
    assert draft.template_html == ""
    assert "<p>Thank you, Dana.</p>" in draft.html


@pytest.mark.parametrize("tone", ["friendly", "formal"])
def test_an_apology_without_interview_notes_promises_no_empty_list(alice, tone):
    reference = make_reference(alice, name="Jenna Park", emails=["jenna@example.com"])
    job = make_opportunity(alice, company="Cobalt", role="Backend Engineer")
    body = drafts.make_draft(alice, "apology", reference, job, tone).body
    assert "what would help most" not in body and "In case they follow up" not in body
    assert "Cobalt" in body
