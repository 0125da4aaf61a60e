"""`goodword portal`: make, re-issue or revoke a reference's private portal link."""

from __future__ import annotations

import click

SHARES = ["briefing", "recap", "letter", "talking_points"]  # mirrors goodword.portal.models.Share


@click.command(
    epilog="""\b
Examples:
  goodword portal Northwind Dana                       a new link (the old one stops working)
  goodword portal Northwind Dana --share letter --share briefing
  goodword portal Northwind Dana --share none          only your name, the role and who may call
  goodword portal Northwind Dana --revoke              the link stops working now

\b
The link is printed once: only a hash of it is kept. It ends 30 days after
the opportunity closes, and at most 120 days after it was made. Links start
with GOODWORD_PUBLIC_URL, else the address `goodword serve` last ran at.
"""
)
@click.argument("job_text", metavar="JOB")
@click.argument("ref_text", metavar="REF")
@click.option("--share", "shares", multiple=True, type=click.Choice([*SHARES, "none"]),
              help="What the reference sees (repeat the option). Default: what the last link shared, else everything.")
@click.option("--revoke", is_flag=True, help="Stop the current link from working; print nothing else.")
def portal(job_text, ref_text, shares, revoke):
    """Print a private link for the reference listed on JOB (or revoke it)."""
    from goodword.cli import common

    user = common.boot()
    from goodword.opportunities.models import Listing
    from goodword.portal import services

    job = common.pick_opportunity(user, job_text)
    reference = common.pick_reference(user, ref_text)
    listing = Listing.objects.for_user(user).filter(opportunity=job, reference=reference).first()
    if listing is None:
        raise click.ClickException(
            f"{reference.name} is not on the slate for {job.role} at {job.company}; add them with "
            f"`goodword slate add {job.pk} {reference.pk}` first."
        )
    if revoke:
        count = services.revoke(listing)
        click.echo("Revoked the link." if count else "There was no working link to revoke.")
        return
    shared = None if not shares else [item for item in shares if item != "none"]
    with common.option_errors():
        url = services.portal_url_for(listing, shared=shared)
    link = services.current_link(listing)
    click.echo(url)
    click.echo(f"Shared: {', '.join(link.shared) or 'nothing beyond the basics'}. "
               f"Works until {services.expires_at(link):%Y-%m-%d}. Shown once; keep it private.", err=True)
