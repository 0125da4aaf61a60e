"""`goodword job …`: opportunities, their stages and interviews."""

from __future__ import annotations

import click

from goodword.cli.common import (
    CLOSED_STAGES,
    INTERVIEW_FORMATS,
    STAGES,
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
    parse_when,
    pick_opportunity,
    when_text,
)
from goodword.cli.types import WantedCount

TEXT_FIELDS = {
    "url": "posting_url",
    "checker_name": "checker_name",
    "checker_email": "checker_email",
    "checker_phone": "checker_phone",
    "notes": "notes",
}
DATE_FIELDS = {"start_date": ("start_date", "--start-date"), "announced_on": ("announced_on", "--announced-on")}
FIELD_OPTIONS = {
    "company": "COMPANY", "role": "ROLE", "posting_url": "--url", "posting_text": "--posting-file",
    "references_wanted": "--wanted", "stage": "STAGE", "changed_on": "--on",
    "with_whom": "--with", "strong_points": "--confirm", "weak_points": "--doubts",
}


def opportunity_options(command):
    options = [
        click.option("--url", help="The posting's web address."),
        click.option("--posting-file", type=click.File("r", encoding="utf-8"), metavar="PATH|-",
                     help="Read the posting text from a file, or from standard input with -."),
        click.option("--wanted", type=WantedCount(),
                     help="How many references the employer wants (1-50), or not-said if they haven't said."),
        click.option("--checker-name", metavar="TEXT", help="Who will check your references."),
        click.option("--checker-email", metavar="EMAIL", help="The checker's email address."),
        click.option("--checker-phone", metavar="PHONE", help="The checker's phone number."),
        click.option("--start-date", metavar="DATE", help="When the job starts (YYYY-MM-DD)."),
        click.option("--announced-on", metavar="DATE", help="When you announced the result publicly (LinkedIn…)."),
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
    for option, (field, flag) in DATE_FIELDS.items():
        if options[option] is not None:
            fields[field] = parse_date_or_clear(options[option], flag) if editing else parse_date(options[option], flag)
    if options["posting_file"] is not None:
        fields["posting_text"] = options["posting_file"].read().strip()
    if options["wanted"] is not None:
        fields["references_wanted"] = options["wanted"] or None  # 0: not said
    return fields


@click.group(
    epilog="""\b
Examples:
  goodword job add Northwind "Platform Engineer" --stage applied --wanted 3
  goodword job list --open
  goodword job show Northwind
  goodword job stage Northwind references_requested --note "Recruiter asked for three"
  goodword job interview Northwind --when "2026-11-20 14:00" --with "Priya (panel)" \\
      --confirm "incident leadership" --doubts "Kubernetes depth"
"""
)
def job():
    """Opportunities: the jobs you pursue, their stages, interviews and slates.

    Name an opportunity by its id or any unambiguous part of its company or role.
    """


@job.command(
    "add",
    epilog="""\b
Examples:
  goodword job add Northwind "Platform Engineer"
  goodword job add "Tessellate Health" "Senior SRE" --stage interviewing --on 2026-10-02 \\
      --url https://jobs.example/123 --wanted 4 --checker-name "Lena Fischer"
  pbpaste | goodword job add Meridian "Staff Engineer" --posting-file -
""",
)
@click.argument("company")
@click.argument("role")
@click.option("--stage", type=Word(STAGES), default="lead", show_default=True, help="Where it stands now.")
@click.option("--on", "on", metavar="DATE", help="Since when it has been at that stage (default today).")
@opportunity_options
def add(company, role, stage, on, **options):
    """Add an opportunity."""
    user = boot()
    from goodword.opportunities import services

    fields = collect_fields(options, editing=False)
    with option_errors(FIELD_OPTIONS):
        opportunity = services.create_opportunity(
            user, company=company.strip(), role=role.strip(), stage=stage, stage_on=parse_date(on, "--on"), **fields
        )
    click.echo(f"Added {opportunity.role} at {opportunity.company} (id {opportunity.pk}), {opportunity.stage_label.lower()}.")


@job.command(
    "list",
    epilog="""\b
Examples:
  goodword job list
  goodword job list --open
  goodword job list --stage interviewing --stage offer --json
""",
)
@click.option("--stage", type=Word(STAGES), multiple=True, help="Only opportunities at this stage; repeat for several.")
@click.option("--open", "only_open", is_flag=True, help="Hide landed, rejected, withdrawn and declined ones.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (fields in docs/cli.md).")
def list_(stage, only_open, as_json):
    """List your opportunities, newest first, with their stage and slate size."""
    user = boot()
    from django.db.models import Count

    from goodword.opportunities.models import Listing, Opportunity, slate_count_text

    rows = Opportunity.objects.for_user(user)
    if stage:
        rows = rows.filter(stage__in=stage)
    if only_open:
        rows = rows.exclude(stage__in=CLOSED_STAGES)
    rows = list(rows)
    sizes = {
        group["opportunity"]: group["n"]
        for group in Listing.objects.for_user(user).order_by().values("opportunity").annotate(n=Count("id"))
    }
    if as_json:
        echo_json([row.as_dict() | {"slate_size": sizes.get(row.pk, 0)} for row in rows])
        return
    if not rows:
        click.echo("No opportunities here. Add one: goodword job add Northwind \"Platform Engineer\"")
        return
    echo_table(
        ["ID", "COMPANY", "ROLE", "STAGE", "SINCE", "SLATE"],
        [
            [row.pk, row.company, row.role, row.stage_label, row.stage_since,
             slate_count_text(sizes.get(row.pk, 0), row.references_wanted)]
            for row in rows
        ],
    )


@job.command(
    "show",
    epilog="""\b
Examples:
  goodword job show Northwind
  goodword job show 3 --json
""",
)
@click.argument("opportunity")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (fields in docs/cli.md).")
def show(opportunity, as_json):
    """Show an opportunity: details, stage history, interviews, slate and events."""
    user = boot()
    from goodword.lib.vocabulary import state_label
    from goodword.opportunities.models import Interview, StageChange, slate_count_text
    from goodword.opportunities.services import slate_with_states
    from goodword.timeline.models import Event

    row = pick_opportunity(user, opportunity)
    history = list(StageChange.objects.for_user(user).filter(opportunity=row))
    interviews = list(Interview.objects.for_user(user).filter(opportunity=row))
    slate = slate_with_states(row)
    events = list(Event.objects.for_user(user).filter(opportunity=row).select_related("reference"))
    if as_json:
        echo_json(
            row.as_dict()
            | {
                "posting_text": row.posting_text,
                "stage_history": [change.as_dict() for change in history],
                "interviews": [interview.as_dict() for interview in interviews],
                "slate": [
                    listing_dict(listing, state, side="reference", position=place)
                    for place, (listing, state) in enumerate(slate, 1)
                ],
                "events": [event_dict(event) for event in events],
            }
        )
        return
    click.echo(f"{row.role} at {row.company} (id {row.pk}) — {row.stage_label} since {row.stage_since}")
    checker = ", ".join(part for part in (row.checker_name, row.checker_email, row.checker_phone) if part)
    for label, value in [
        ("Posting", row.posting_url),
        ("References wanted", row.references_wanted or "not said"),
        ("Checker", checker),
        ("Starts", row.start_date),
        ("Announced", row.announced_on),
        ("Notes", row.notes),
    ]:
        if value:
            click.echo(f"  {label}: {value}")
    if row.posting_text:
        text = " ".join(row.posting_text.split())
        click.echo(f"  Posting text: {text[:300]}{'…' if len(text) > 300 else ''}")
    click.echo("\nStage history:")
    for change in history:
        click.echo(f"  {change.changed_on}  {change.get_stage_display()}{'  — ' + change.note if change.note else ''}")
    click.echo(f"\nInterviews ({len(interviews)}):")
    for interview in interviews:
        with_whom = f" with {interview.with_whom}" if interview.with_whom else ""
        click.echo(f"  {when_text(interview.when)}  {interview.get_format_display()}{with_whom}")
        for label, value in [("Questions", interview.questions), ("Confirm", interview.strong_points),
                             ("Doubts", interview.weak_points), ("Notes", interview.notes)]:
            if value:
                click.echo(f"      {label}: {' '.join(value.split())}")
    click.echo(f"\nSlate ({slate_count_text(len(slate), row.references_wanted)}):")
    for place, (listing, state) in enumerate(slate, 1):
        ref = listing.reference
        click.echo(f"  {place}. {ref.name} ({ref.get_relationship_display()}) — {state_label(state)}")
    click.echo(f"\nEvents ({len(events)}, newest first):")
    for event in events:
        echo_event(event, show_reference=True, show_opportunity=False)


@job.command(
    "stage",
    epilog="""\b
Examples:
  goodword job stage Northwind interviewing
  goodword job stage Northwind references-requested --on yesterday --note "Recruiter wants three"
  goodword job stage Tessellate landed
""",
)
@click.argument("opportunity")
@click.argument("stage", type=Word(STAGES), metavar="STAGE")
@click.option("--on", "on", metavar="DATE", help="When it changed (default today); must not be before the last change.")
@click.option("--note", default="", help="A short note for the history.")
def stage(opportunity, stage, on, note):
    """Move an opportunity to a new stage, kept in its history.

    STAGE is one of: lead, applied, interviewing, references_requested, offer,
    landed, rejected, withdrawn, declined.
    """
    user = boot()
    from goodword.opportunities import services

    row = pick_opportunity(user, opportunity)
    with option_errors(FIELD_OPTIONS):
        change = services.change_stage(row, stage, on=parse_date(on, "--on"), note=note.strip())
    click.echo(f"{row.role} at {row.company} is now {change.get_stage_display().lower()} (since {change.changed_on}).")
    if stage == "references_requested" and row.listings.exists():
        click.echo(f"Give your references a heads-up before the employer calls: goodword slate show {row.pk}")
    elif stage in CLOSED_STAGES and row.listings.exists():
        click.echo(f"Tell your references the outcome, before any public post: goodword slate show {row.pk}")


@job.command(
    "interview",
    epilog="""\b
Examples:
  goodword job interview Northwind --when "2026-11-20 14:00" --with "Priya Raman, hiring manager"
  goodword job interview Northwind --when yesterday --format panel \\
      --questions "A migration you led; an incident you ran" \\
      --confirm "Incident leadership" --doubts "Kubernetes depth"
""",
)
@click.argument("opportunity")
@click.option("--when", "when", required=True, metavar="WHEN", help="YYYY-MM-DD, 'YYYY-MM-DD HH:MM', yesterday, '2 days ago'.")
@click.option("--with", "with_whom", default="", metavar="TEXT", help="Who interviewed you.")
@click.option("--format", "format_", type=Word(INTERVIEW_FORMATS), default="video", show_default=True)
@click.option("--questions", default="", metavar="TEXT", help="The questions they asked.")
@click.option("--confirm", default="", metavar="TEXT", help="Strong points your references should confirm.")
@click.option("--doubts", default="", metavar="TEXT", help="Doubts the interviewers had that a reference can answer.")
# The option's earlier name, kept so existing scripts still work.
@click.option("--reinforce", "doubts_old_name", default="", hidden=True)
@click.option("--notes", default="", metavar="TEXT")
def interview(opportunity, when, with_whom, format_, questions, confirm, doubts, doubts_old_name, notes):
    """Record an interview; its points feed your references' briefings."""
    user = boot()
    from goodword.opportunities import services
    from goodword.opportunities.models import Interview

    row = pick_opportunity(user, opportunity)
    with option_errors(FIELD_OPTIONS):
        saved = services.save_interview(
            Interview(
                opportunity=row, when=parse_when(when), with_whom=with_whom.strip(), format=format_,
                questions=questions.strip(), strong_points=confirm.strip(), weak_points=(doubts or doubts_old_name).strip(),
                notes=notes.strip(),
            )
        )
    click.echo(f"Recorded the {saved.get_format_display().lower()} interview on {when_text(saved.when)} for {row.role} at {row.company}.")


@job.command(
    "edit",
    epilog="""\b
Examples:
  goodword job edit Northwind --wanted 4 --checker-name "Lena Fischer" --checker-email lena@northwind.example
  goodword job edit Northwind --posting-file posting.txt
  goodword job edit Juniper --announced-on today
  goodword job edit Juniper --start-date ""        (clears it)
""",
)
@click.argument("opportunity")
@click.option("--company", help="A new company name.")
@click.option("--role", help="A new role.")
@opportunity_options
def edit(opportunity, company, role, **options):
    """Change an opportunity's details (its stage changes with `goodword job stage`)."""
    user = boot()
    from goodword.opportunities import services

    row = pick_opportunity(user, opportunity)
    fields = collect_fields(options, editing=True)
    for field, value in (("company", company), ("role", role)):
        if value is not None:
            fields[field] = value.strip()
    if not fields:
        raise click.UsageError("Nothing to change; give at least one option (see goodword job edit --help).")
    with option_errors(FIELD_OPTIONS | {"company": "--company", "role": "--role"}):
        services.update_opportunity(row, **fields)
    click.echo(f"Updated {row.role} at {row.company} (id {row.pk}): {', '.join(sorted(fields))}.")


@job.command(
    "rm",
    epilog="""\b
Examples:
  goodword job rm Brightwater
  goodword job rm 7 --yes
""",
)
@click.argument("opportunity")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def rm(opportunity, yes):
    """Delete an opportunity with its history, interviews and slate.

    Events logged for it stay on your references' timelines.
    """
    user = boot()
    from goodword.opportunities import services

    row = pick_opportunity(user, opportunity)
    if not yes:
        click.confirm(
            f"Delete {row.role} at {row.company} (id {row.pk}) with its {row.interviews.count()} interview(s) "
            f"and a slate of {row.listings.count()}? Its {row.events.count()} event(s) stay on the timelines",
            abort=True,
        )
    services.delete_opportunity(row)
    click.echo(f"Deleted {row.role} at {row.company}.")
