"""Walkthrough leftovers in the builder's words: percentages, and doubts called what they are."""

import re

from django.urls import reverse

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
