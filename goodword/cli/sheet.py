"""`goodword sheet JOB`: the reference sheet for an opportunity, as PDF, .docx or HTML."""

from __future__ import annotations

import sys

import click

from goodword.cli.common import boot, pick_opportunity


@click.command(
    epilog="""\b
Examples:
  goodword sheet Northwind                         (references-Northwind.pdf here)
  goodword sheet Northwind --format docx --out ~/Desktop/refs.docx
  goodword sheet 3 --format html --out -           (HTML to standard output)
""",
)
@click.argument("job")
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx", "html"]), default="pdf", show_default=True)
@click.option("--out", "out", type=click.Path(dir_okay=False, allow_dash=True),
              help="Where to write it (default: references-COMPANY.FORMAT here; - for standard output).")
def sheet(job, fmt, out):
    """Make the reference sheet for JOB (id, or part of its company or role).

    Making it puts it in an employer's hands: it is logged on each listed
    reference, and those without a heads-up are owed one at once. References
    whose consent or status is in doubt are left off (choose them on the web page).
    """
    user = boot()
    from goodword.sheets import render, services

    from goodword.sheets import content as sheet_content

    opportunity = pick_opportunity(user, job)
    preview = sheet_content.build(opportunity)
    if not preview.listed:
        # An empty sheet is no use to an employer, and making one would log it as sent.
        for entry in preview.left_off:
            click.echo(f"Left off: {entry.name} ({'; '.join(entry.flags)})", err=True)
        raise click.ClickException(
            f"No reference can go on the {opportunity.company} sheet yet: add them to the slate "
            f"(goodword slate add), get their agreement, or choose them anyway on the sheet's web page.")
    content = services.record_sheet(opportunity, f"made with the CLI as {fmt.upper()}")
    if fmt == "html":
        from django.template.loader import render_to_string

        data = render_to_string("sheets/print.html", {"sheet": content, "opportunity": opportunity}).encode()
    else:
        data = render.FORMATS[fmt][1](content)
    for entry in content.left_off:
        click.echo(f"Left off: {entry.name} ({'; '.join(entry.flags)})", err=True)
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    path = out or render.filename(content, fmt)
    with open(path, "wb") as handle:
        handle.write(data)
    click.echo(f"Wrote {path}: {len(content.listed)} reference{'s' if len(content.listed) != 1 else ''}.", err=True)
