"""Walkthrough leftovers in the builder's words: percentages, and doubts called what they are."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from tests.factories.opportunities import make_opportunity
from tests.factories.references import make_reference

POSTING = """We are hiring.
- Running Kafka in production
- Leading incident response
"""


def test_the_share_covered_is_written_without_a_space_before_the_percent_sign(alice, alice_client):
    make_reference(alice, name="Dana Whitfield", relationship="manager", vouches_for=["Kafka"])
    job = make_opportunity(alice, company="Northwind", role="Platform Engineer", posting_text=POSTING)
    html = alice_client.get(reverse("opportunities:detail", args=[job.pk]), {"suggest": 1}).content.decode()
    assert re.search(r"Together they cover \d+% of what the posting asks for", html)
    assert not re.search(r"\d %", html)


def test_interview_doubts_are_called_doubts_on_the_page_in_the_cli_the_ledger_and_the_drafts(alice, alice_client, run):
    from goodword.courtesy.ledger import build_ledger
    from goodword.outreach import drafts
    from tests.factories.opportunities import make_interview, make_listing
    from tests.factories.timeline import make_event

    alice.first_name, alice.last_name = "Sam", "Rivera"
    alice.save()
    job = make_opportunity(alice, company="Northwind", role="Platform Engineer", stage="interviewing")
    dana = make_reference(alice, name="Dana Whitfield")
    make_listing(job, dana)
    make_event(dana, "agreed", opportunity=job, occurred_at=timezone.now() - dt.timedelta(days=4))
    make_event(dana, "heads_up", opportunity=job, occurred_at=timezone.now() - dt.timedelta(days=3))
    result = run("job", "interview", "Northwind", "--when", "yesterday", "--confirm", "Incident leadership",
                 "--doubts", "Kubernetes depth")
    assert result.exit_code == 0, result.output
    make_interview(job, weak_points="Go at scale")  # the earlier option name still works in scripts:
    assert run("job", "interview", "Northwind", "--when", "yesterday", "--reinforce", "Terraform").exit_code == 0

    page = alice_client.get(reverse("opportunities:detail", args=[job.pk])).content.decode()
    shown = run("job", "show", "Northwind").output
    ledger = " ".join(debt.why for debt in build_ledger(alice).open)
    talking = drafts.make_draft(alice, "talking_points", dana, job).body
    form = alice_client.get(reverse("opportunities:interview_create", args=[job.pk])).content.decode()
    helptext = run("job", "interview", "--help").output
    for text in (page, shown, ledger, talking, form, helptext):
        assert "reinforce" not in text.lower()
    assert "Doubts they had" in page and "Doubts: Kubernetes depth" in shown
    assert "answer their doubts about" in ledger
    assert "--doubts" in helptext
