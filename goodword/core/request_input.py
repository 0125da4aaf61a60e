"""What a request may carry, checked in one place: ids, return paths and htmx's current URL.

Browsers, scripts and attackers send anything; these helpers turn what is
malformed into "absent" so that views answer 404 or fall back, never 500.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from goodword.lib.ids import parse_id


def safe_next(request, fallback: str) -> str:
    """The posted (or queried) `next` when it is a path on this site, else the fallback.

    Only local absolute paths are followed: `redirect()` would read anything
    else ("x", "-1") as a URL pattern name and fail.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(target, allowed_hosts=None, require_https=request.is_secure())
    ):
        return target
    return fallback


def id_param(request, name: str, *, method: str = "GET") -> int | None:
    """The id named in the query (or form): None when absent; 404 when it is not an id."""
    raw = getattr(request, method).get(name) or ""
    if not raw:
        return None
    value = parse_id(raw)
    if value is None:
        raise Http404(f"{name} must be an id")
    return value


def htmx_current_path(request, fallback: str) -> str:
    """The path and query of the page an htmx request came from, or the fallback when the header is malformed."""
    try:
        # django-htmx parses the header itself, and raises on e.g. "http://[::1".
        raw = request.htmx.current_url_abs_path if request.htmx else None
        if raw:
            urlsplit(raw)
    except ValueError:
        return fallback
    if not raw or not raw.startswith("/") or raw.startswith("//") or not raw.isprintable():
        return fallback
    return raw
