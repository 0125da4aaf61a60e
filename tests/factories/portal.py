"""Portal and reminders helpers: a candidate with a job, a reference on its slate, and a link."""

from __future__ import annotations

from goodword.portal import services
from tests.factories.opportunities import make_interview, make_listing, make_opportunity
from tests.factories.references import make_reference


def make_portal_setup(owner, *, stage="references_requested", shared=None, reference=None, **job_fields):
    """(listing, token): a job with an interview, a reference listed on it, and a live portal link."""
    job_fields = {"checker_name": "Priya Raman", **job_fields}
    opportunity = make_opportunity(owner, stage=stage, **job_fields)
    make_interview(opportunity)
    reference = reference or make_reference(owner, name="Dana Whitfield")
    listing = make_listing(opportunity, reference)
    _link, token = services.issue_link(listing, shared)
    return listing, token


def page_url(token: str) -> str:
    return services.portal_path(token)


def nonce_from(response, form: str) -> str:
    """The nonce the page rendered into one of its forms."""
    import re

    html = response.content.decode()
    start = html.index(f'name="form" value="{form}"')
    return re.search(r'name="nonce" value="([^"]+)"', html[start:]).group(1)
