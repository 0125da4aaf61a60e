"""`goodword token …`: personal access tokens for the HTTP API (docs/api.md)."""

from __future__ import annotations

import click

from goodword.cli.common import boot, echo_json


@click.group(epilog="""\b
Examples:
  goodword token create "job tracker"            a read-write token, shown once
  goodword token create reports --read-only      a token that can only read
  goodword token list                            names, prefixes, last use
  goodword token revoke 3                        stop token 3 from working
""")
def token():
    """Personal access tokens for the HTTP API: create, list, revoke."""


@token.command(epilog="""\b
Examples:
  goodword token create "job tracker"
  goodword token create reports --read-only
  curl -H "Authorization: Bearer $(goodword token create ci | tail -1)" http://127.0.0.1:8000/api/v1/debts
""")
@click.argument("name")
@click.option("--read-only", is_flag=True, help="The token can read but not change anything.")
def create(name, read_only):
    """Make a token named NAME and print it once (only its hash is kept)."""
    from goodword.api import services

    user = boot(ask_profile=False)
    row, clear = services.create_token(user, name, read_only=read_only)
    click.echo(f"Token {row.pk} “{row.name}” ({row.get_scope_display().lower()}). Copy it now; it is not shown again:",
               err=True)
    click.echo(clear)


@token.command(name="list", epilog="""\b
Examples:
  goodword token list
  goodword token list --json | jq '.[] | select(.revoked_at == null)'
""")
@click.option("--json", "as_json", is_flag=True, help="Print the tokens as JSON (never the tokens themselves).")
def list_(as_json):
    """Your tokens: id, name, prefix, scope, made, last used, revoked."""
    from goodword.api.models import AccessToken

    user = boot(ask_profile=False)
    rows = list(AccessToken.objects.for_user(user))
    if as_json:
        echo_json([row.as_dict() for row in rows])
        return
    if not rows:
        click.echo("No tokens yet: goodword token create NAME")
    for row in rows:
        used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "never used"
        state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else row.get_scope_display().lower()
        click.echo(f"{row.pk:>4}  {row.name}  {row.prefix}…  {state}  made {row.created_at:%Y-%m-%d}  {used}")


@token.command(epilog="""\b
Examples:
  goodword token revoke 3
""")
@click.argument("token_id", type=click.IntRange(1, 2**63 - 1), metavar="ID")
def revoke(token_id):
    """Stop token ID from working, at once."""
    from goodword.api import services
    from goodword.api.models import AccessToken

    user = boot(ask_profile=False)
    row = AccessToken.objects.for_user(user).filter(pk=token_id).first()
    if row is None:
        raise click.ClickException(f"You have no token with the id {token_id}; see `goodword token list`.")
    if services.revoke_token(row):
        click.echo(f"Revoked token {row.pk} “{row.name}”.")
    else:
        click.echo(f"Token {row.pk} “{row.name}” was already revoked.")
