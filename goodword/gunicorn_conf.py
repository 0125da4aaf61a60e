"""gunicorn's configuration for Goodword, from the same GOODWORD_* variables as the app:

    gunicorn -c python:goodword.gunicorn_conf --bind 127.0.0.1:8000 --workers 4 goodword.wsgi

Only what must agree with Goodword's settings is set here; the command line
(or the systemd unit, goodword/deploy/) sets the rest (bind, workers).
"""

from goodword.lib import config as goodword_config

_config = goodword_config.load()

# Which peers may set X-Forwarded-Proto (wsgi.url_scheme): the proxies Goodword trusts, and
# nobody when none is named. The client address itself is read by Django
# (goodword/core/client_address.py), which gunicorn leaves alone.
if _config.trusted_proxies:
    forwarded_allow_ips = ",".join(str(network) for network in _config.trusted_proxies)
elif _config.proxy_hops:
    forwarded_allow_ips = "*"  # GOODWORD_PROXY_HOPS alone: only proxies can reach the app's port
else:
    forwarded_allow_ips = ""
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# Goodword writes its own request line (goodword.requests), with tokens redacted from paths;
# gunicorn's access log would write them as they came. Errors go to stderr.
accesslog = None
errorlog = "-"
# Each process opens its own database connections after the fork (goodword/wsgi.py closes its own).
preload_app = False
# A page or an export may take a while on a busy machine; a stuck request is still ended.
timeout = 60
graceful_timeout = 30


def post_worker_init(worker):
    """As `goodword serve` does: what the worker has loaded (Django, the apps) lives as long as
    the process, so keep it out of the cyclic collector's full passes, which otherwise walk it
    all in the middle of a request."""
    import gc

    gc.collect()
    gc.freeze()
