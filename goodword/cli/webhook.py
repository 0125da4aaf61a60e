"""`goodword webhook …`: tell your own systems when something happens (docs/webhooks.md)."""

from __future__ import annotations

import click

from goodword.cli.common import boot, echo_json, echo_table
from goodword.lib.webhook_wire import KINDS  # Django-free: the choices cost no Django at --help


@click.group(
    epilog="""\b
Examples:
  goodword webhook add https://hooks.example.org/goodword --event debt.critical --event portal.answered
  goodword webhook add http://127.0.0.1:9000/hook --event sheet.opened     (local mode: a receiver on this machine)
  goodword webhook list
  goodword webhook test 3
  goodword webhook remove 3

\b
Events: debt.critical (a debt becomes critical), sheet.opened (an employer
opened your reference sheet), portal.answered (a reference answered in the
portal). Each request is signed: see docs/webhooks.md to check it.
""",
)
def webhook():
    """Signed HTTPS requests to your own systems when something happens."""


def _endpoint(user, text: str):
    from goodword.cli.common import LookupProblem
    from goodword.lib.ids import parse_id
    from goodword.webhooks import services

    endpoint_id = parse_id(text)
    if endpoint_id is None:
        raise LookupProblem(f"Name a webhook by its id (a number, as `goodword webhook list` shows), not {text!r}.")
    try:
        return services.get_endpoint(user, endpoint_id)
    except services.EndpointNotFound as problem:
        raise LookupProblem(str(problem)) from None


@webhook.command(
    "add",
    epilog="""\b
Examples:
  goodword webhook add https://hooks.example.org/goodword --event debt.critical
  goodword webhook add https://ci.example.org/hook --event sheet.opened --event portal.answered

\b
The signing secret is printed once: Goodword keeps it only encrypted and
cannot show it again.
""",
)
@click.argument("url")
@click.option("--event", "events", multiple=True, required=True, type=click.Choice(list(KINDS)),
              help="An event to send there; repeat for several.")
@click.option("--json", "as_json", is_flag=True, help="Print the new webhook and its secret as JSON.")
def add(url, events, as_json):
    """Send these events to URL (https; plain http only to this machine, in local mode)."""
    user = boot()
    from goodword.cli.common import option_errors
    from goodword.webhooks import services

    with option_errors({"url": "URL", "kinds": "--event"}):
        endpoint, secret = services.create_endpoint(user, url, events)
    if as_json:
        echo_json(services.endpoint_as_dict(endpoint) | {"secret": secret})
        return
    click.echo(f"Added webhook {endpoint.pk}: {', '.join(endpoint.kinds)} → {endpoint.url}")
    click.echo(f"Signing secret (shown once; keep it in your receiver's configuration): {secret}")


@webhook.command(
    "list",
    epilog="""\b
Examples:
  goodword webhook list
  goodword webhook list --json | jq '.[] | select(.active) | .url'
""",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def list_(as_json):
    """Your webhooks, with how their last delivery went."""
    user = boot()
    from goodword.webhooks import services

    endpoints = list(services.list_endpoints(user))
    if as_json:
        echo_json([services.endpoint_as_dict(endpoint) for endpoint in endpoints])
        return
    if not endpoints:
        click.echo("No webhooks yet; add one with `goodword webhook add URL --event debt.critical`.")
        return
    echo_table(["ID", "ON", "EVENTS", "URL", "LAST"], [
        [endpoint.pk, "yes" if endpoint.active else "no", ",".join(endpoint.kinds), endpoint.url, endpoint.last_status]
        for endpoint in endpoints
    ])


@webhook.command(
    "remove",
    epilog="""\b
Examples:
  goodword webhook remove 3
""",
)
@click.argument("endpoint_id", metavar="ID")
def remove(endpoint_id):
    """Remove a webhook; what is still queued for it is never sent."""
    user = boot()
    from goodword.webhooks import services

    endpoint = _endpoint(user, endpoint_id)
    services.delete_endpoint(user, endpoint.pk)
    click.echo(f"Removed webhook {endpoint.pk} ({endpoint.url}).")


@webhook.command(
    "disable",
    epilog="""\b
Examples:
  goodword webhook disable 3        nothing is sent there until `goodword webhook enable 3`
""",
)
@click.argument("endpoint_id", metavar="ID")
def disable(endpoint_id):
    """Stop sending to a webhook, keeping it and its secret."""
    _set_active(endpoint_id, False)


@webhook.command(
    "enable",
    epilog="""\b
Examples:
  goodword webhook enable 3
""",
)
@click.argument("endpoint_id", metavar="ID")
def enable(endpoint_id):
    """Send to a disabled webhook again (from the next event on)."""
    _set_active(endpoint_id, True)


def _set_active(endpoint_id, active: bool):
    user = boot()
    from goodword.webhooks import services

    endpoint = services.set_active(user, _endpoint(user, endpoint_id).pk, active)
    click.echo(f"Webhook {endpoint.pk} is {'on' if active else 'off'}.")


@webhook.command(
    "test",
    epilog="""\b
Examples:
  goodword webhook test 3

\b
Sends a test event now and says how the receiver answered; a failed one
is retried by the worker like any other delivery.
""",
)
@click.argument("endpoint_id", metavar="ID")
def test(endpoint_id):
    """Send a test event to a webhook now."""
    user = boot()
    from goodword.outreach import outbox
    from goodword.webhooks import delivery, services

    endpoint = _endpoint(user, endpoint_id)
    row = delivery.deliver_now(services.send_test(user, endpoint.pk))
    if row.state == "delivered":
        click.echo(f"Delivered the test event to {endpoint.url} (HTTP {row.last_status_code}).")
        return
    if row.state == "queued":
        raise click.ClickException(f"Not delivered yet: {row.last_error} The worker tries again "
                                   f"(attempt {row.attempts} of {outbox.MAX_ATTEMPTS}).")
    raise click.ClickException(f"Not delivered: {row.last_error or row.get_state_display()}")
