"""`goodword send FILE`: queue a draft file through the outbox (or log it as sent by hand)."""

from __future__ import annotations

import click


@click.command(
    epilog="""\b
Examples:
  goodword draft heads-up --ref Dana --job Northwind --out dana.eml
  goodword send dana.eml                 queue it and send it now
  goodword send dana.eml --queue-only    leave it for `goodword worker`
  goodword send dana.eml --mark-sent     you sent it yourself: log it
"""
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--queue-only", is_flag=True, help="Queue it and return; a running worker sends it.")
@click.option("--mark-sent", is_flag=True, help="Do not send: record that you sent it yourself.")
def send(path, queue_only, mark_sent):
    """Send a draft file written by `goodword draft --out`, once, and log it on the timeline."""
    from goodword.cli.common import boot

    user = boot()
    from goodword.opportunities.models import Opportunity
    from goodword.outreach import emails, outbox
    from goodword.references.models import Reference

    with open(path, "rb") as handle:
        fields = emails.read_draft_file(handle.read())
    reference = Reference.objects.for_user(user).filter(pk=int(fields["reference"])).first()
    if reference is None:
        raise click.ClickException(f"The draft names reference {fields['reference']}, which is not in your book.")
    opportunity = None
    if fields["opportunity"]:
        opportunity = Opportunity.objects.for_user(user).filter(pk=int(fields["opportunity"])).first()
        if opportunity is None:
            raise click.ClickException(f"The draft names opportunity {fields['opportunity']}, which is not yours.")
    if mark_sent:
        event = outbox.record_sent_by_hand(
            user, reference, kind=fields["kind"], opportunity=opportunity, subject=fields["subject"], text=fields["text"],
        )
        click.echo(f"Logged “{event.get_kind_display()}” with {reference.name}.")
        return
    if fields["key"]:
        from django.utils import timezone

        from goodword.outreach.models import OutboxMessage

        earlier = OutboxMessage.objects.for_user(user).filter(idempotency_key=fields["key"]).first()
        if earlier is not None and earlier.state == "sent":
            when = timezone.localtime(earlier.sent_at or earlier.updated_at)
            click.echo(f"Already sent to {earlier.to_address} on {when:%Y-%m-%d at %H:%M}; not sending it again.")
            return
    try:
        message = outbox.queue_message(
            user, reference, kind=fields["kind"], opportunity=opportunity, subject=fields["subject"],
            text=fields["text"], to_address=fields["to_address"], to_name=fields["to_name"],
            idempotency_key=fields["key"] or None,
        )
    except outbox.NoSmtp as error:
        raise click.ClickException(
            f"{error.messages[0]} Or run: goodword send {path} --mark-sent"
        ) from None
    if queue_only:
        click.echo(f"Queued message {message.pk} to {message.to_address}.")
        return
    outbox.Worker().drain()
    message.refresh_from_db()
    if message.state == "sent":
        click.echo(f"Sent to {message.to_address}; logged on {reference.name}'s timeline.")
    elif message.state == "queued":
        click.echo(f"Not sent yet ({message.last_error}); it will be retried by `goodword worker` or `goodword serve`.")
    else:
        raise click.ClickException(f"{message.get_state_display()}: {message.last_error}")
