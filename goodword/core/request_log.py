"""One log line per request, for operators: what was asked, by whom, how it went, how long it took.

    GET /references/12/ 200 14ms user=7 client=203.0.113.9

Only the path (tokens in it replaced, goodword/lib/redact.py), never the
query string, headers, cookies or bodies: those may carry secrets a path
pattern cannot recognise. The user is an id (no name or email); the client
address is the one goodword.core.client_address gives. Logged on
"goodword.requests" at INFO, which the settings turn on in hosted mode.
"""

from __future__ import annotations

import logging
import time

from goodword.core.client_address import client_address
from goodword.core.middleware import loaded_user
from goodword.lib.redact import redact_log_text

log = logging.getLogger("goodword.requests")


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not log.isEnabledFor(logging.INFO):
            return self.get_response(request)
        started = time.perf_counter()
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            return response
        finally:
            user = loaded_user(request)
            user_id = user.pk if user is not None and user.is_authenticated else "-"
            log.info("%s %s %d %dms user=%s client=%s", printable(request.method), printable(redact_log_text(request.path)), status,
                     round((time.perf_counter() - started) * 1000), user_id, client_address(request) or "-")


def printable(text: str) -> str:
    """One line whatever the client sent: a decoded %0A in a path must not start a forged log line."""
    return "".join(c if c.isprintable() and c != " " else f"\\x{ord(c):02x}" for c in text[:2000])
