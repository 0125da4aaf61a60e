"""`goodword log KIND --ref R`: record something that happened with a reference."""

from __future__ import annotations

import click

from goodword.cli.common import (
    CHANNELS,
    EVENT_KINDS,
    Word,
    boot,
    option_errors,
    parse_when,
    pick_opportunity,
    pick_reference,
    when_text,
)

KINDS_HELP = "\n".join(f"  {kind.replace('_', '-'):<20}{label}" for kind, label in EVENT_KINDS.items())


@click.command(
    epilog=f"""\b
Kinds (underscores or hyphens both work):
{KINDS_HELP}

\b
Examples:
  goodword log permission-asked --ref Dana --job Northwind --channel email
  goodword log agreed --ref Dana --job Northwind
  goodword log heads_up --ref Dana --job Northwind --channel phone --note "Walked her through the panel"
  goodword log thanked --ref Dana --job Juniper --when yesterday --note "Sent a fly-tying kit"
  goodword log keep_in_touch --ref Hiroshi --when "2 weeks ago" --channel in_person
"""
)
@click.argument("kind", type=Word(list(EVENT_KINDS)), metavar="KIND")
@click.option("--ref", "ref", required=True, metavar="REF", help="The reference (id or part of the name).")
@click.option("--job", metavar="JOB", help="The opportunity it concerns (id, or part of company or role).")
@click.option("--channel", type=Word(CHANNELS), help="How it happened.")
@click.option("--when", "when", metavar="WHEN", help="Default now; YYYY-MM-DD, 'YYYY-MM-DD HH:MM', yesterday, '3 days ago'.")
@click.option("--note", default="", metavar="TEXT", help="What was said or sent.")
def log(kind, ref, job, channel, when, note):
    """Log something that happened with a reference: it goes on their timeline
    and moves the listing's state when it concerns an opportunity.
    """
    user = boot()
    import datetime as dt

    from django.utils import timezone

    from goodword.lib.vocabulary import state_label
    from goodword.opportunities.models import Listing
    from goodword.opportunities.services import state_on_slate
    from goodword.timeline.services import log_event

    occurred_at = parse_when(when)
    if occurred_at > timezone.now() + dt.timedelta(minutes=5):
        raise click.BadParameter(f"{when!r} is in the future; log things once they have happened.", param_hint="--when")
    reference = pick_reference(user, ref)
    opportunity = pick_opportunity(user, job) if job else None
    with option_errors({"kind": "KIND", "occurred_at": "--when"}):
        event = log_event(
            user, reference, kind, opportunity=opportunity, channel=channel or "", occurred_at=occurred_at, note=note.strip()
        )
    about = f" about {opportunity.role} at {opportunity.company}" if opportunity else ""
    click.echo(f"Logged “{event.get_kind_display()}” for {reference.name}{about} on {when_text(event.occurred_at)}.")
    if opportunity is None:
        return
    if Listing.objects.for_user(user).filter(opportunity=opportunity, reference=reference).exists():
        state = state_on_slate(reference, opportunity)
        click.echo(f"On that slate, {reference.name} is now at: {state_label(state)}.")
    else:
        click.echo(
            f"{reference.name} is not on that slate; to list them: goodword slate add {opportunity.pk} {reference.pk}"
        )
