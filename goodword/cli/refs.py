"""`goodword ref …`: the reference book."""

from __future__ import annotations

import click

from goodword.cli.common import (
    CHANNELS,
    RELATIONSHIPS,
    STATUSES,
    Word,
    boot,
    echo_event,
    echo_json,
    echo_table,
    event_dict,
    listing_dict,
    option_errors,
    parse_date,
    parse_date_or_clear,
    pick_reference,
)

# option name -> model field, for the options whose values go straight through.
TEXT_FIELDS = {
    "title": "title",
    "org": "organisation",
    "met": "how_we_met",
    "likes": "likes",
    "hours": "preferred_hours",
    "consent_scope": "consent_scope",
    "notes": "notes",
}
LIST_FIELDS = {"email": "emails", "phone": "phones", "vouch": "vouches_for"}
DATE_FIELDS = {"known_since": ("known_since", "--known-since"), "consent_on": ("consent_given_on", "--consent-on"),
               "away_until": ("away_until", "--away-until")}
FIELD_OPTIONS = {
    "name": "NAME", "emails": "--email", "phones": "--phone", "organisation": "--org", "how_we_met": "--met",
    "vouches_for": "--vouch", "preferred_channel": "--channel", "preferred_hours": "--hours",
    "consent_given_on": "--consent-on", "away_until": "--away-until", "max_calls_a_month": "--max-calls",
}


def reference_options(command):
    """The options shared by `ref add` and `ref edit`; None (or an empty tuple) means "not given"."""
    options = [
        click.option("--email", multiple=True, help="Email address; repeat for several (the first is the main one)."),
        click.option("--phone", multiple=True, help="Phone number; repeat for several."),
        click.option("--title", help="Their job title."),
        click.option("--org", help="Their organisation."),
        click.option("--relationship", type=Word(RELATIONSHIPS), help="How they know your work."),
        click.option("--known-since", metavar="DATE", help="Since when you have known them (YYYY-MM-DD)."),
        click.option("--met", metavar="TEXT", help="How you met or worked together."),
        click.option("--vouch", multiple=True, metavar="TEXT", help="A skill, project or achievement they can speak to; repeat."),
        click.option("--likes", metavar="TEXT", help="Things they like (gift ideas): fly fishing, good coffee…"),
        click.option("--channel", type=Word(CHANNELS), help="How they prefer to be reached."),
        click.option("--hours", metavar="TEXT", help="When they prefer to be reached."),
        click.option("--consent-on", metavar="DATE", help="When they agreed to be listed as a reference."),
        click.option("--consent-scope", metavar="TEXT", help="What they agreed to (e.g. 'engineering roles only')."),
        click.option("--status", type=Word(STATUSES), help="active, resting (ask others first), retired or do_not_use."),
        click.option("--away-until", metavar="DATE", help="Their availability: away until this day (\"\" clears it)."),
        click.option("--max-calls", type=click.IntRange(0, 30), metavar="N",
                     help="Their availability: at most N calls a month (0 clears it)."),
        click.option("--notes", metavar="TEXT", help="Anything else worth remembering."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def collect_fields(options: dict, *, editing: bool) -> dict:
    fields = {}
    for option, field in TEXT_FIELDS.items():
        if options[option] is not None:
            fields[field] = options[option].strip()
    for option, field in LIST_FIELDS.items():
        if options[option]:
            # An empty value (--email "") clears the list on edit.
            fields[field] = [value.strip() for value in options[option] if value.strip()]
    for option, (field, flag) in DATE_FIELDS.items():
        if options[option] is not None:
            fields[field] = parse_date_or_clear(options[option], flag) if editing else parse_date(options[option], flag)
    if options["relationship"]:
        fields["relationship"] = options["relationship"]
    if options["status"]:
        fields["status"] = options["status"]
    if options["channel"] is not None:
        fields["preferred_channel"] = options["channel"]
    if options["max_calls"] is not None:
        fields["max_calls_a_month"] = options["max_calls"] or None
    return fields


@click.group(
    epilog="""\b
Examples:
  goodword ref add "Dana Whitfield" --email dana@example.com --relationship manager \\
      --org "Larkspur Analytics" --vouch "Led the billing migration" --likes "fly fishing"
  goodword ref list --status active
  goodword ref show Dana
  goodword ref edit Dana --phone "+1 555 0100" --status resting
  goodword ref rm Dana
"""
)
def ref():
    """Your reference book: the people who can vouch for you.

    Name a reference by its id or any unambiguous part of its name.
    """


@ref.command(
    "add",
    epilog="""\b
Examples:
  goodword ref add "Dana Whitfield" --email dana@example.com --relationship manager
  goodword ref add "Karen Holt" --relationship hr-verifier --org "Fernhill Logistics" \\
      --notes "Confirms title, dates and salary only"
  goodword ref add "Ruth Lindqvist" --relationship client --vouch "Clinic scheduling rollout" \\
      --vouch "Calm under audit" --likes "dark chocolate, gardening" --channel email
""",
)
@click.argument("name")
@reference_options
def add(name, **options):
    """Add a reference to your book."""
    user = boot()
    from goodword.references import services
    from goodword.references.models import Reference

    fields = collect_fields(options, editing=False)
    with option_errors(FIELD_OPTIONS):
        reference = services.create_reference(user, name=name.strip(), **fields)
    click.echo(f"Added {reference.name} (id {reference.pk}).")
    namesakes = Reference.objects.for_user(user).filter(name__iexact=reference.name).exclude(pk=reference.pk)
    for namesake in namesakes.only("pk", "organisation"):
        click.echo(
            f"Note: you already had a reference named {reference.name} (id {namesake.pk}"
            f"{', ' + namesake.organisation if namesake.organisation else ''}); use ids to tell them apart.",
            err=True,
        )


@ref.command(
    "list",
    epilog="""\b
Examples:
  goodword ref list
  goodword ref list --status active --relationship manager
  goodword ref list --json | jq '.[].name'
""",
)
@click.option("--status", type=Word(STATUSES), help="Only references with this status.")
@click.option("--relationship", type=Word(RELATIONSHIPS), help="Only references with this relationship.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (fields in docs/cli.md).")
def list_(status, relationship, as_json):
    """List your references, by name, with when you were last in touch."""
    user = boot()
    from django.db.models import Max
    from django.utils import timezone

    from goodword.references.models import Reference

    rows = Reference.objects.for_user(user).annotate(last_event_at=Max("events__occurred_at"))
    if status:
        rows = rows.filter(status=status)
    if relationship:
        rows = rows.filter(relationship=relationship)
    rows = list(rows)
    if as_json:
        echo_json([row.as_dict() | {"last_event_at": _iso(row.last_event_at)} for row in rows])
        return
    if not rows:
        click.echo("No references yet. Add one: goodword ref add \"Dana Whitfield\" --relationship manager")
        return
    echo_table(
        ["ID", "NAME", "RELATIONSHIP", "ORGANISATION", "STATUS", "LAST CONTACT"],
        [
            [row.pk, row.name, row.get_relationship_display(), row.organisation, row.get_status_display(),
             row.last_event_at and f"{timezone.localtime(row.last_event_at):%Y-%m-%d}"]
            for row in rows
        ],
    )


@ref.command(
    "show",
    epilog="""\b
Examples:
  goodword ref show Dana
  goodword ref show 4 --json
""",
)
@click.argument("reference")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (fields in docs/cli.md).")
def show(reference, as_json):
    """Show a reference: details, listings with where each stands, and the timeline (newest first)."""
    user = boot()
    from goodword.lib.vocabulary import state_label
    from goodword.opportunities.services import reference_listings_with_states
    from goodword.timeline.models import Event

    row = pick_reference(user, reference)
    listings = reference_listings_with_states(row)
    events = list(Event.objects.for_user(user).filter(reference=row).select_related("opportunity"))
    if as_json:
        echo_json(
            row.as_dict()
            | {
                "listings": [listing_dict(listing, state, side="opportunity") for listing, state in listings],
                "timeline": [event_dict(event) for event in events],
            }
        )
        return
    echo_reference(row)
    click.echo(f"\nListings ({len(listings)}):")
    for listing, state in listings:
        job = listing.opportunity
        click.echo(f"  {job.role} at {job.company} (id {job.pk}, {job.stage_label}) — {state_label(state)}")
    if not listings:
        click.echo("  none yet")
    click.echo(f"\nTimeline ({len(events)} event{'s' if len(events) != 1 else ''}, newest first):")
    for event in events:
        echo_event(event)
    if not events:
        click.echo(f"  nothing yet — log one: goodword log keep_in_touch --ref {row.pk} --note \"…\"")


def echo_reference(row) -> None:
    click.echo(f"{row.name} (id {row.pk}) — {row.get_relationship_display()}, {row.get_status_display().lower()}")
    role = ", ".join(part for part in (row.title, row.organisation) if part)
    lines = [
        ("", role),
        ("Email", ", ".join(row.emails)),
        ("Phone", ", ".join(row.phones)),
        ("Prefers", ", ".join(p for p in (row.get_preferred_channel_display() if row.preferred_channel else "", row.preferred_hours) if p)),
        ("Known since", row.known_since and row.known_since.isoformat()),
        ("How we met", row.how_we_met),
        ("Likes", row.likes),
        ("Consent", row.consent_given_on and f"given {row.consent_given_on}" + (f" ({row.consent_scope})" if row.consent_scope else "")),
        ("Availability", row.availability_text()),
        ("Notes", row.notes),
    ]
    for label, value in lines:
        if value:
            click.echo(f"  {label + ':':<14}{value}" if label else f"  {value}")
    if row.vouches_for:
        click.echo("  Vouches for:")
        for item in row.vouches_for:
            click.echo(f"    - {item}")


@ref.command(
    "edit",
    epilog="""\b
Examples:
  goodword ref edit Dana --title "VP Engineering" --org "Larkspur Analytics"
  goodword ref edit Dana --email dana@new.example --email dana@home.example   (replaces the list)
  goodword ref edit Dana --phone ""                                          (clears the phones)
  goodword ref edit Tomás --status resting --notes "Asked three times this year"
""",
)
@click.argument("reference")
@click.option("--name", help="A new name.")
@reference_options
def edit(reference, name, **options):
    """Change a reference. A repeated option (--email, --phone, --vouch) replaces that whole list."""
    user = boot()
    from goodword.references import services

    row = pick_reference(user, reference)
    fields = collect_fields(options, editing=True)
    if name is not None:
        fields["name"] = name.strip()
    if not fields:
        raise click.UsageError("Nothing to change; give at least one option (see goodword ref edit --help).")
    with option_errors(FIELD_OPTIONS | {"name": "--name"}):
        services.update_reference(row, **fields)
    click.echo(f"Updated {row.name} (id {row.pk}): {', '.join(sorted(fields))}.")


@ref.command(
    "rm",
    epilog="""\b
Examples:
  goodword ref rm Dana
  goodword ref rm 4 --yes
""",
)
@click.argument("reference")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def rm(reference, yes):
    """Delete a reference with their listings and their whole timeline."""
    user = boot()
    from goodword.courtesy.wording import plural
    from goodword.references import services

    row = pick_reference(user, reference)
    events = row.events.count()
    listings = row.listings.count()
    if not yes:
        click.confirm(
            f"Delete {row.name} (id {row.pk}), their {plural(listings, 'listing')} and their timeline "
            f"({plural(events, 'event')})? This cannot be undone",
            abort=True,
        )
    gone = services.delete_reference(row)
    click.echo(f"Deleted {row.name} and {plural(gone, 'event')}.")


def _iso(moment):
    return moment.isoformat() if moment else None
