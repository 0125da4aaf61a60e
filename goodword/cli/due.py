"""`goodword due`: the courtesy ledger in the terminal, worst first."""

from __future__ import annotations

import click

LEVELS = ("critical", "high", "medium", "low")


@click.command(
    epilog="""\b
Examples:
  goodword due                       everything you owe, worst first
  goodword due --severity high       only high and critical debts
  goodword due --ref Dana            what you owe one reference
  goodword due --job Northwind       what you owe around one opportunity
  goodword due --json | jq '.debts[0]'
  goodword due --fail-on critical    exit status 1 while anything critical is open

\b
Each line: severity, who, what, why, when it is due, and the command that
settles it. Snoozed and dismissed debts are left out (see the web app's
"Dismissed and snoozed" page).
"""
)
@click.option("--json", "as_json", is_flag=True, help='Print {"today", "debts", "hold_announcement"} as JSON.')
@click.option("--severity", type=click.Choice(LEVELS, case_sensitive=False), help="Show only debts at LEVEL or worse.")
@click.option("--ref", "ref_text", metavar="R", help="Only debts about this reference (id or part of the name).")
@click.option("--job", "job_text", metavar="J", help="Only debts about this opportunity (id, company or role).")
@click.option(
    "--fail-on", type=click.Choice(LEVELS, case_sensitive=False),
    help="Exit with status 1 when a debt at LEVEL or worse is open (after the filters).",
)
def due(as_json, severity, ref_text, job_text, fail_on):
    """What you owe your references, worst first, then by due date."""
    from goodword.cli import _django

    _django.setup()
    from goodword.cli import common
    from goodword.courtesy.facts import Severity
    from goodword.courtesy.ledger import build_ledger
    from goodword.courtesy.wording import due_text
    from goodword.opportunities.models import Opportunity
    from goodword.references.models import Reference

    user = _django.current_user()
    reference = opportunity = None
    if ref_text:
        reference = common.pick(Reference.objects.for_user(user), ref_text, "reference")
    if job_text:
        opportunity = common.pick(
            Opportunity.objects.for_user(user), job_text, "opportunity",
            describe=lambda o: f"{o.role} at {o.company}", fields=("company", "role"),
        )

    ledger = build_ledger(user)
    debts = ledger.open
    if severity:
        debts = [debt for debt in debts if debt.severity >= Severity.parse(severity)]
    if reference is not None:
        debts = [debt for debt in debts if debt.reference_id == reference.pk]
    if opportunity is not None:
        debts = [debt for debt in debts if debt.opportunity_id == opportunity.pk]
    holds = [hold for hold in ledger.holds if opportunity is None or hold.opportunity_id == opportunity.pk]

    if as_json:
        common.echo_json({
            "today": ledger.today.isoformat(),
            "debts": [debt.as_dict(ledger.today) | {"command": settle_command(debt)} for debt in debts],
            "hold_announcement": [
                {"opportunity": {"id": h.opportunity_id, "label": h.opportunity_label},
                 "untold": list(h.reference_names),
                 "announced_on": h.announced_on.isoformat() if h.announced_on else None}
                for h in holds
            ],
            "archived_applications": ledger.archived_count,
            "archive_after_days": ledger.settings.archive_after_days,
        })
    else:
        for hold in holds:
            click.secho(
                f"HOLD THE ANNOUNCEMENT: {hold.opportunity_label}: tell {', '.join(hold.reference_names)} first.",
                fg="red", bold=True,
            )
        if not debts:
            click.echo("You owe nobody anything right now." if not (severity or reference or opportunity)
                       else "Nothing owed that matches.")
        for debt in debts:
            click.echo(format_line(debt, due_text(debt.due_on, ledger.today)))
        if ledger.archived_count:
            count = ledger.archived_count
            click.secho(
                f"({count} application{'s' if count != 1 else ''} that ended more than "
                f"{ledger.settings.archive_after_days} days ago {'are' if count != 1 else 'is'} archived and no longer "
                "checked: change it under Thresholds on the ledger page.)", dim=True,
            )
    if fail_on and any(debt.severity >= Severity.parse(fail_on) for debt in debts):
        raise click.exceptions.Exit(1)


COLOURS = {"critical": "red", "high": "yellow", "medium": "cyan", "low": None}


def format_line(debt, when: str) -> str:
    from goodword.courtesy.rules import RULES

    level = debt.severity.label
    tag = click.style(f"{level.upper():<8}", fg=COLOURS[level], bold=level == "critical")
    about = f" · {debt.opportunity_label}" if debt.reference_id and debt.opportunity_label else ""
    return (f"{tag} {debt.who}{about} — {RULES[debt.rule].title}: {debt.why} "
            f"[{when}, {debt.due_on.isoformat()}] → {settle_command(debt)}")


def settle_command(debt) -> str:
    """The command (or step) that settles a debt."""
    if debt.action == "rest":
        return f"goodword ref edit {debt.reference_id} --status resting"
    if debt.reference_id is None:
        return f"goodword log agreed --ref <who> --job {debt.opportunity_id}"
    job = f" --job {debt.opportunity_id}" if debt.opportunity_id else ""
    return f"goodword log {debt.action} --ref {debt.reference_id}{job}"

