"""`goodword demo`: load the sample data."""

from __future__ import annotations

from pathlib import Path

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
        click.echo(already_loaded_text(user))
        return
    counts = [
        (Reference.objects.for_user(user).count(), "references"),
        (Opportunity.objects.for_user(user).count(), "opportunities"),
        (Listing.objects.for_user(user).count(), "listings"),
        (Event.objects.for_user(user).count(), "timeline events"),
    ]
    click.echo(f"Loaded the demo sample into {account_words(user)}: "
               + ", ".join(f"{n} {noun}" for n, noun in counts) + ".")
    click.echo("Look around: goodword ref list · goodword job list · goodword slate show Northwind · goodword serve")


def already_loaded_text(user) -> str:
    """What a second `goodword demo` says: whose account has the sample, where it
    lives, and how to see it fresh or start over, in words a person can act on."""
    from django.db import connection

    lines = [f"The demo sample is already in {account_words(user)}, so nothing changed."]
    if connection.vendor == "sqlite":
        database = Path(connection.settings_dict["NAME"])
        lines += [
            f"It lives in {database}.",
            "To look at a fresh copy without touching it:  GOODWORD_HOME=$(mktemp -d) goodword demo",
            f"To start over for real: goodword backup, then move {database} aside and run goodword demo again.",
        ]
    else:
        lines += [
            "To load a fresh copy into a separate account:  GOODWORD_USER=demo goodword demo",
        ]
    return "\n".join(lines)


def account_words(user) -> str:
    """“your account “me” (Jordan Avery), the one goodword uses unless GOODWORD_USER names another”."""
    name = user.get_full_name().strip()
    who = f"“{user.username}”" + (f" ({name})" if name else "")
    default = user.username == "me"  # GOODWORD_USER's default
    return f"your account {who}" + (", the one goodword uses unless GOODWORD_USER names another" if default else "")
