"""The address of the client that sent a request: one function for throttles, sessions and logs.

This minimal version trusts only the socket's peer (REMOTE_ADDR), so a forged
X-Forwarded-For changes nothing. The hosting branch fills it in: it reads the
trusted-proxy setting and takes the address that proxy reports. Callers
(allauth's rate limits and session list, through goodword.accounts.adapter)
need not change when it does.
"""

from __future__ import annotations

import ipaddress


def client_address(request) -> str | None:
    """The client's IP address as text, or None when the request carries no usable one."""
    raw = (request.META.get("REMOTE_ADDR") or "").strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None
