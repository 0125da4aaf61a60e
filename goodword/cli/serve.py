import click


@click.command(
    epilog="""\b
Examples:
  goodword serve                  open the app in your browser
  goodword serve --demo           the same, with a realistic sample loaded
  goodword serve --port 8123 --no-browser
"""
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on. Keep loopback unless you host Goodword for others.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--no-browser", is_flag=True, help="Print the sign-in link without opening a browser.")
@click.option("--demo", is_flag=True, help="Load the demo sample first (once) so there is something to look at.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Worker threads of the WSGI server (each keeps its own database connection and ledger facts).")
def serve(host, port, no_browser, demo, threads):
    """Start Goodword's web app under a production WSGI server (waitress).

    Pending migrations are applied first. In local mode a one-time sign-in link
    is printed (and opened): it signs this browser in and then stops working.
    """
    from goodword.cli import _django

    _django.setup()
    import waitress
    from django.conf import settings
    from django.core.checks import run_checks
    from django.core.wsgi import get_wsgi_application
    from django.urls import reverse

    refuse_to_start_on_configuration_errors(run_checks(include_deployment_checks=settings.GOODWORD_MODE == "hosted"))
    if demo:
        from goodword.cli._django import current_user
        from goodword.core.demo import load_demo

        if load_demo(current_user()):
            click.echo("Loaded the demo sample.")
    if settings.GOODWORD_MODE == "local":
        # Hosted setups run `goodword worker` processes instead.
        from goodword.centres import counting
        from goodword.outreach.outbox import start_local_worker
        from goodword.reminders.services import run_reminders
        from goodword.transfer.backups import daily_backup
        from goodword.webhooks import critical, delivery

        start_local_worker(periodic=[run_reminders, daily_backup, critical.tick, counting.tick, delivery.purge_old],
                           queues=[delivery.drain])
    application = get_wsgi_application()
    server = waitress.create_server(application, host=host, port=port, threads=threads, ident="goodword",
                                    **waitress_proxy_options(settings))
    shown_host = f"[{host}]" if ":" in host else host
    base = f"http://{shown_host}:{server.effective_port}"
    if settings.GOODWORD_MODE == "local":
        from goodword.accounts.services import issue_login_token, local_user

        if not settings.GOODWORD_PUBLIC_URL:  # links the CLI prints meanwhile point here
            from pathlib import Path

            from goodword.lib.config import record_served_url

            record_served_url(Path(settings.GOODWORD_HOME), base)
        token = issue_login_token(local_user())
        url = base + reverse("accounts:token_login", args=[token])
        click.echo(f"Goodword is running at {base}/")
        click.echo(f"Sign in with this one-time link (valid 15 minutes):\n\n    {url}\n")
    else:
        url = base + "/"
        click.echo(f"Goodword (hosted mode) is listening on {base}/")
    click.echo("Press Ctrl+C to stop.")
    # Everything loaded so far (Django, the apps, the URLconf) lives as long as
    # the process: keep it out of the cyclic collector's full passes, which
    # otherwise walk it all in the middle of a request (the dashboard's p95).
    import gc

    gc.collect()
    gc.freeze()
    if not no_browser:
        import threading
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=[url]).start()
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("\nStopped.")
    finally:
        server.close()


def refuse_to_start_on_configuration_errors(messages):
    for message in messages:
        if message.is_serious():
            raise click.ClickException(f"{message.id}: {message.msg} {message.hint or ''}".strip())
        click.echo(f"Warning {message.id}: {message.msg}", err=True)


def waitress_proxy_options(settings) -> dict:
    """waitress's trusted-proxy settings from GOODWORD_TRUSTED_PROXIES / GOODWORD_PROXY_HOPS.

    With them waitress takes the scheme (X-Forwarded-Proto, so CSRF origin checks pass behind
    HTTPS) and the client (X-Forwarded-For, into REMOTE_ADDR) from the proxy, and drops those
    headers from anyone else. waitress trusts one address, or every peer: several proxies or a
    network need gunicorn (docs/hosting.md), whose forwarded_allow_ips takes a list.
    """
    proxies, hops = settings.GOODWORD_TRUSTED_PROXIES, settings.GOODWORD_PROXY_HOPS
    if not proxies and not hops:
        return {}
    if proxies:
        if len(proxies) != 1 or proxies[0].num_addresses != 1:
            raise click.ClickException(
                "goodword serve (waitress) trusts one proxy address, and GOODWORD_TRUSTED_PROXIES lists several or a "
                "network: name the one proxy that connects to it, or run gunicorn (docs/hosting.md)."
            )
        trusted = str(proxies[0].network_address)
    else:
        trusted = "*"  # GOODWORD_PROXY_HOPS alone: only proxies can reach the app's port
    return {
        "trusted_proxy": trusted,
        "trusted_proxy_count": hops or 1,
        "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
        "clear_untrusted_proxy_headers": True,
    }
