"""`goodword demo`: load the sample data."""

from __future__ import annotations

import click

from goodword.cli.common import boot


@click.command(
    epilog="""\b
Examples:
  goodword demo                 load the sample for you
  goodword demo && goodword ref list
  GOODWORD_HOME=/tmp/goodword-try goodword demo     try it in a throwaway folder
"""
)
def demo():
    """Load a realistic, fictional sample: a dozen references, eight opportunities
    at every stage, slates, interviews and months of timeline, dated relative
    to today. A few courtesies are left undone on purpose, so the ledger has
    something to show. Running it again changes nothing.
    """
    # The sample brings its own candidate, so nobody is asked who they are first.
    user = boot(ask_profile=False)
    from goodword.core.demo import load_demo
    from goodword.opportunities.models import Listing, Opportunity
    from goodword.references.models import Reference
    from goodword.timeline.models import Event

    if not load_demo(user):
        click.echo(f"The demo sample is already loaded for {user.username}; nothing changed.")
        return
    counts = [
        (Reference.objects.for_user(user).count(), "references"),
        (Opportunity.objects.for_user(user).count(), "opportunities"),
        (Listing.objects.for_user(user).count(), "listings"),
        (Event.objects.for_user(user).count(), "timeline events"),
    ]
    click.echo(f"Loaded the demo sample for {user.username}: " + ", ".join(f"{n} {noun}" for n, noun in counts) + ".")
    click.echo("Look around: goodword ref list · goodword job list · goodword slate show Northwind · goodword serve")
