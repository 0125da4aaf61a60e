"""`goodword draft KIND --ref R [--job J]`: print, edit or save a ready-to-send draft."""

from __future__ import annotations

import click

from goodword.cli.common import Word

KINDS = ["permission", "heads_up", "letter", "talking_points", "outcome", "thanks", "keep_in_touch", "apology"]
TONES = ["friendly", "formal"]
SEPARATOR = "----- message -----"


class DraftKindWord(Word):
    """KIND in the usage line (not a wrapped list of choices) and a plain-spoken error."""

    def get_metavar(self, param, ctx=None):
        return "KIND"

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            kinds = ", ".join(kind.replace("_", "-") for kind in KINDS)
            self.fail(f"Unknown draft kind {value!r}; choose one of: {kinds}.", param, ctx)


@click.command(
    epilog="""\b
Examples:
  goodword draft heads-up --ref Dana --job Northwind
  goodword draft thanks --ref Dana --job Northwind --tone formal --edit
  goodword draft thanks --ref Dana --job Northwind --gift "a hand-tied fly from the shop on Burnside"
  goodword draft letter --ref Dana --job Northwind --out dana-letter.eml
  goodword send dana-letter.eml
"""
)
@click.argument("kind", type=DraftKindWord(KINDS), metavar="KIND")
@click.option("--ref", "ref", required=True, help="The reference: id or part of the name.")
@click.option("--job", "job", help="The opportunity: id or part of the company or role.")
@click.option("--tone", type=Word(TONES), default="friendly", show_default=True)
@click.option("--edit", is_flag=True, help="Open the draft in $EDITOR before printing or saving it.")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), help="Write an .eml draft file for `goodword send` or your mail program.")
@click.option("--builtin", is_flag=True, help="Use the built-in template even if you wrote your own.")
@click.option("--template", "template_dir", type=click.Path(file_okay=False, exists=True),
              help="A folder holding your own subject.txt and body.txt (rendered in the sandbox).")
@click.option("--gift", default="", metavar="TEXT",
              help="For a thank-you: the gesture to mention, as it should read in the message "
                   "(e.g. \"a bag of good coffee beans\"). Without it the draft lists ideas from what they like.")
@click.option("--json", "as_json", is_flag=True, help="Print the draft as JSON (to, subject, text, html, event kind).")
def draft(kind, ref, job, tone, edit, out, builtin, template_dir, gift, as_json):
    """Draft a message to a reference from what Goodword knows.

    KIND is one of: permission, heads-up, letter, talking-points, outcome,
    thanks, keep-in-touch, apology.
    """
    from goodword.cli import common
    from goodword.cli.common import boot, pick_opportunity, pick_reference

    user = boot()
    import uuid

    from goodword.outreach import drafts, emails

    reference = pick_reference(user, ref)
    opportunity = pick_opportunity(user, job) if job else None
    sources = read_template_dir(template_dir) if template_dir else None
    if gift and kind != "thanks":
        raise click.UsageError("--gift goes with a thank-you: goodword draft thanks --gift \"…\".")
    if len(gift) > 200 or "\n" in gift:
        raise click.UsageError("--gift is one short line (200 characters at most).")
    try:
        made = drafts.make_draft(user, kind, reference, opportunity, tone, builtin_only=builtin, sources=sources,
                                 gift=gift)
    except drafts.MissingProfile as problem:
        raise common.ProfileMissing(problem.problem) from None
    except drafts.DraftProblem as problem:
        raise click.ClickException(str(problem)) from None
    subject, body = made.subject, made.body
    if edit:
        edited = click.edit(f"Subject: {subject}\n{SEPARATOR}\n{body}", extension=".txt", require_save=False)
        if edited is not None:
            subject, body = split_edited(edited)
    if not made.to_address and out:
        raise click.ClickException(f"{reference.name} has no email address; add one with `goodword ref edit`.")
    if out:
        from goodword.outreach.outbox import smtp_settings_for

        smtp = smtp_settings_for(user)
        data = emails.draft_file(
            to_name=made.to_name, to_address=made.to_address, subject=subject, text=body, kind=kind, tone=tone,
            reference_id=reference.pk, opportunity_id=opportunity.pk if opportunity else None,
            from_name=smtp.from_name if smtp else "", from_address=smtp.from_address if smtp else "",
            # The file carries its own idempotency key: sending it twice sends it once.
            key=uuid.uuid4().hex, html_fragment=made.html_fragment_for(body),
        )
        with open(out, "wb") as handle:
            handle.write(data)
        click.echo(f"Wrote {out}. Send it with: goodword send {out}")
        return
    if as_json:
        from goodword.cli.common import echo_json

        echo_json({
            "kind": kind, "tone": tone, "event_kind": made.event_kind, "template": made.source,
            "reference_id": reference.pk, "opportunity_id": opportunity.pk if opportunity else None,
            "to": {"name": made.to_name, "email": made.to_address}, "subject": subject, "text": body, "notes": made.notes,
            "html": emails.html_document(made.html_fragment_for(body), subject),
        })
        return
    for note in made.notes:
        click.echo(f"Note (not part of the message): {note}", err=True)
    click.echo(f"To: {made.to_name} <{made.to_address or 'no email address'}>")
    click.echo(f"Subject: {subject}")
    click.echo("")
    click.echo(body.rstrip("\n"))


def split_edited(text: str) -> tuple[str, str]:
    from goodword.lib.text import has_line_break

    head, sep, body = text.partition(SEPARATOR + "\n")
    if not sep:
        raise click.ClickException(f"The edited draft lost its “{SEPARATOR}” line; nothing was saved.")
    subject = head.strip()
    if subject.lower().startswith("subject:"):
        subject = subject[len("subject:"):].strip()
    if not subject or has_line_break(subject):
        raise click.ClickException("The subject must be one non-empty line.")
    return subject, body.strip() + "\n"


def read_template_dir(folder: str) -> dict[str, str]:
    from pathlib import Path

    sources = {}
    for part in ("subject", "body"):
        path = Path(folder) / f"{part}.txt"
        try:
            sources[part] = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise click.ClickException(f"{path} is missing; a template folder holds subject.txt and body.txt.") from None
        except UnicodeDecodeError:
            raise click.ClickException(f"{path} is not UTF-8 text.") from None
    return sources
