"""`goodword slate …`: which references you gave to which opportunity."""

from __future__ import annotations

import click

from goodword.cli.common import (
    LookupProblem,
    boot,
    echo_json,
    listing_dict,
    option_errors,
    pick_opportunity,
    pick_reference,
)


@click.group(
    epilog="""\b
Examples:
  goodword slate add Northwind Dana Priya Ruth
  goodword slate show Northwind
  goodword slate move Northwind Ruth --up
  goodword slate rm Northwind Priya
  goodword slate suggest Northwind --apply
"""
)
def slate():
    """The slate: the references you give an employer, in order, and where each stands.

    JOB names an opportunity (id, or part of its company or role); REF names a
    reference (id, or part of their name).
    """


@slate.command(
    "add",
    epilog="""\b
Examples:
  goodword slate add Northwind Dana
  goodword slate add 3 Dana Priya "Ruth L"
  goodword slate add Northwind Dana --in-scope     (within Dana's standing consent)
""",
)
@click.argument("job")
@click.argument("refs", nargs=-1, required=True, metavar="REF...")
@click.option("--in-scope", "in_scope", is_flag=True,
              help="Confirm the job lies within their standing consent: it counts as their yes for it.")
def add(job, refs, in_scope):
    """Put one or more references on an opportunity's slate (all or none)."""
    user = boot()
    from django.db import transaction

    from goodword.opportunities import services

    opportunity = pick_opportunity(user, job)
    references = [pick_reference(user, text) for text in refs]
    from goodword.courtesy.services import fatigue_warning

    for reference in references:
        if warning := fatigue_warning(reference):
            click.echo(f"Warning: {warning}", err=True)
    with option_errors({"in_scope": "--in-scope"}), transaction.atomic():
        for reference in references:
            services.add_to_slate(opportunity, reference, in_scope=in_scope)
    names = ", ".join(reference.name for reference in references)
    click.echo(f"Added {names} to the slate for {opportunity.role} at {opportunity.company}.")
    states = {listing.reference_id: state for listing, state in services.slate_with_states(opportunity)}
    for reference in references:
        if states.get(reference.pk) == "listed":
            click.echo(
                f"Ask {reference.name} first: goodword log permission_asked --ref {reference.pk} --job {opportunity.pk}"
            )


@slate.command(
    "rm",
    epilog="""\b
Examples:
  goodword slate rm Northwind Priya
""",
)
@click.argument("job")
@click.argument("ref")
def rm(job, ref):
    """Take a reference off an opportunity's slate (their timeline stays)."""
    user = boot()
    from goodword.opportunities import services

    opportunity, reference, listing = _listing(user, job, ref)
    services.remove_from_slate(listing)
    click.echo(f"Took {reference.name} off the slate for {opportunity.role} at {opportunity.company}.")


@slate.command(
    "show",
    epilog="""\b
Examples:
  goodword slate show Northwind
  goodword slate show 3 --json
""",
)
@click.argument("job")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (fields in docs/cli.md).")
def show(job, as_json):
    """Show a slate in order, with where each listing stands."""
    user = boot()
    from goodword.lib.vocabulary import state_label
    from goodword.opportunities.models import slate_count_text
    from goodword.opportunities.services import slate_with_states

    opportunity = pick_opportunity(user, job)
    rows = slate_with_states(opportunity)
    if as_json:
        echo_json(
            {
                "opportunity": opportunity.as_dict(),
                "slate": [
                    listing_dict(listing, state, side="reference", position=place)
                    for place, (listing, state) in enumerate(rows, 1)
                ],
            }
        )
        return
    click.echo(
        f"Slate for {opportunity.role} at {opportunity.company} (id {opportunity.pk}, {opportunity.stage_label.lower()}): "
        f"{slate_count_text(len(rows), opportunity.references_wanted)}"
    )
    for place, (listing, state) in enumerate(rows, 1):
        reference = listing.reference
        where = ", ".join(part for part in (reference.title, reference.organisation) if part)
        click.echo(
            f"  {place}. {reference.name} (id {reference.pk}, {reference.get_relationship_display()}"
            f"{'; ' + where if where else ''}) — {state_label(state)}"
        )
    if not rows:
        click.echo(f"  empty — add someone: goodword slate add {opportunity.pk} NAME")


@slate.command(
    "move",
    epilog="""\b
Examples:
  goodword slate move Northwind Ruth --up
  goodword slate move Northwind Dana --down
""",
)
@click.argument("job")
@click.argument("ref")
@click.option("--up/--down", "up", default=None, help="Move one place up or down the slate.")
def move(job, ref, up):
    """Move a reference one place up or down the slate (the order employers see)."""
    if up is None:
        raise click.UsageError("Say which way: --up or --down.")
    user = boot()
    from goodword.opportunities import services

    opportunity, reference, listing = _listing(user, job, ref)
    if not services.move_listing(listing, -1 if up else 1):
        click.echo(f"{reference.name} is already {'first' if up else 'last'} on the slate.")
    order = [row.reference.name for row, _ in services.slate_with_states(opportunity)]
    click.echo(f"Slate for {opportunity.company}: " + ", ".join(f"{n}. {name}" for n, name in enumerate(order, 1)))


@slate.command(
    "suggest",
    epilog="""\b
Examples:
  goodword slate suggest Northwind
  goodword slate suggest Northwind --n 4 --json
  goodword slate suggest Northwind --apply        (list them in this order)
""",
)
@click.argument("job")
@click.option("--n", "wanted", type=click.IntRange(1, 10), default=None,
              help="How many references the employer wants (default: the posting's count, else 3, or 4 for senior roles).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (fields in docs/cli.md).")
@click.option("--apply", "apply", is_flag=True, help="List the suggested references on the slate, in this order.")
def suggest(job, wanted, as_json, apply):
    """Suggest the references who best cover what the posting asks for, with reasons.

    Offers one more than the employer wants, keeps a manager and a mix of
    organisations, and says who was skipped and what stays uncovered.
    """
    user = boot()
    from goodword.opportunities import suggest as builder

    opportunity = pick_opportunity(user, job)
    result = builder.suggestion_for(user, opportunity, wanted=wanted)
    applied, to_ask = [], []
    if apply and result.picks:
        with option_errors():
            applied, to_ask, _url = builder.apply_suggestion(user, opportunity, [pick.candidate.id for pick in result.picks])
    if as_json:
        echo_json({"opportunity": opportunity.as_dict(), **result.as_dict(),
                   "applied": [reference.pk for reference in applied]})
        return
    click.echo(f"Suggested slate for {opportunity.role} at {opportunity.company} (id {opportunity.pk}): "
               f"{result.wanted} wanted, {result.offered} offered")
    if not result.requirements:
        click.echo("  The posting names no requirements yet: add its text (goodword job edit) to match on them.")
    for place, pick in enumerate(result.picks, 1):
        extra = " (one more than asked)" if pick.extra else ""
        click.echo(f"  {place}. {pick.candidate.name} (id {pick.candidate.id}){extra}: " + "; ".join(pick.reasons))
    for note in result.notes:
        click.echo(f"  Note: {note}")
    if result.requirements:
        click.echo(f"Covered: {result.covered_share:.0%} of {len(result.requirements)} requirement lines"
                   + (f" (naming {', '.join(result.skills)})." if result.skills else "."))
    for line in result.uncovered:
        click.echo(f"  Not covered: {line}")
    if result.verifier:
        click.echo(f"Employment verifier: {result.verifier.name} (id {result.verifier.id}) can confirm dates and title.")
    for candidate, reason in result.skipped:
        if candidate.relationship != "hr_verifier" or candidate.status != "active":
            click.echo(f"  Skipped {candidate.name}: {reason}")
    if applied:
        click.echo(f"Listed {', '.join(reference.name for reference in applied)} on the slate, in this order.")
        for reference in to_ask:
            click.echo(f"Ask {reference.name}: goodword draft permission --ref {reference.pk} --job {opportunity.pk}")
    elif result.picks and not apply:
        click.echo(f"List them: goodword slate suggest {opportunity.pk} --apply")


def _listing(user, job, ref):
    from goodword.opportunities.models import Listing

    opportunity = pick_opportunity(user, job)
    reference = pick_reference(user, ref)
    listing = Listing.objects.for_user(user).filter(opportunity=opportunity, reference=reference).first()
    if listing is None:
        raise LookupProblem(f"{reference.name} is not on the slate for {opportunity.role} at {opportunity.company}.")
    return opportunity, reference, listing
