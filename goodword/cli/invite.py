"""`goodword invite EMAIL`: a single-use, expiring sign-up link for one person (hosted mode)."""

from __future__ import annotations

import click


@click.command(
    epilog="""\b
Examples:
  goodword invite dana@example.org              mail the link, and print it once
  goodword invite dana@example.org --days 3 --no-email
"""
)
@click.argument("email")
@click.option("--days", type=click.IntRange(1, 365), default=14, show_default=True, help="How long the link works.")
@click.option("--email/--no-email", "send", default=True, show_default=True,
              help="Mail the link through the instance's mailer (GOODWORD_SMTP_URL).")
def invite(email, days, send):
    """Invite someone to make an account. The link is printed once: only its hash is kept."""
    from goodword.cli import _django

    _django.setup()
    from django.conf import settings

    from goodword.portal.services import public_base_url

    if settings.GOODWORD_MODE != "hosted":
        raise click.ClickException("Invitations are for hosted mode (GOODWORD_MODE=hosted); "
                                   "on your own computer `goodword serve` signs you in.")
    from goodword.accounts.services import create_invitation, send_invitation

    invitation, path = create_invitation(email, invited_by=None, days=days)
    link = public_base_url() + path
    if send:
        try:
            send_invitation(invitation, path)
        except OSError as error:
            click.echo(f"The email could not be sent ({error}); give them the link yourself.", err=True)
        else:
            click.echo(f"Mailed to {invitation.email}.", err=True)
    from django.utils.timezone import localtime

    click.echo(f"Invitation for {invitation.email}, valid until {localtime(invitation.expires_at):%Y-%m-%d %H:%M %Z} "
               "(shown once, not stored):")
    click.echo(link)
