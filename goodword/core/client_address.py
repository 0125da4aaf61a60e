"""The one answer to "who is asking": the client address every throttle, audit record and log line uses.

X-Forwarded-For is anyone's to write, so it is read only when the direct peer
(REMOTE_ADDR) is a proxy the operator named:

- GOODWORD_TRUSTED_PROXIES (addresses or networks): the peer must be one of
  them; the header is then read from the right, skipping entries that are
  themselves trusted proxies, and the first address that is not one is the
  client (the right-most untrusted hop: everything left of it is whatever
  the client chose to send).
- GOODWORD_PROXY_HOPS=n, alone: every peer is a proxy (the app listens where
  only the proxies reach it) and the client is the n-th entry from the right.
  With GOODWORD_TRUSTED_PROXIES as well, the peer must also be one of those.

With neither (local mode), or from any other peer, the peer is the client and
the header changes nothing. Callers: the token-page throttles
(goodword.portal.services.client_key), allauth's rate limits and session list
(goodword.accounts.adapter), the request log (goodword.core.request_log).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"
# Headers only a trusted proxy may set; dropped from any other peer's request (TrustedProxyMiddleware).
PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT",
                 "HTTP_FORWARDED")


def parse_ip(text: str):
    """An ip_address, or None for anything else (a port, brackets, a name, garbage)."""
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_trusted_proxy(address) -> bool:
    """Whether this address (text or ip_address) is one of the proxies the operator named."""
    ip = parse_ip(address) if isinstance(address, str) else address
    if ip is None:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    proxies = settings.GOODWORD_TRUSTED_PROXIES
    if not proxies:
        return bool(settings.GOODWORD_PROXY_HOPS)
    return any(ip in network for network in proxies)


def peer_is_trusted(request) -> bool:
    peer = request.META.get("REMOTE_ADDR", "")
    if not peer:
        # A Unix socket has no peer address: only local processes that may open the socket
        # (the proxy) reach it, so it counts as the proxy when one is configured.
        return bool(settings.GOODWORD_TRUSTED_PROXIES or settings.GOODWORD_PROXY_HOPS)
    return is_trusted_proxy(peer)


def client_address(request) -> str | None:
    """The client's IP address as text (the direct peer unless a trusted proxy forwarded the
    request), or None when the request carries no usable one."""
    peer = request.META.get("REMOTE_ADDR", "")
    if not peer_is_trusted(request):
        return _normal(peer)
    hops = [part.strip() for part in request.META.get(FORWARDED_FOR, "").split(",") if part.strip()]
    if not hops:
        return _normal(peer)
    count = settings.GOODWORD_PROXY_HOPS
    if count:
        # Each of `count` proxies appended one entry; fewer entries means a proxy was skipped: the left-most.
        return _normal(hops[-count] if len(hops) >= count else hops[0])
    for hop in reversed(hops):
        if not is_trusted_proxy(hop):
            return _normal(hop)
    return _normal(hops[0])  # every hop a trusted proxy: the client is the first one


def _normal(text: str) -> str | None:
    ip = parse_ip(text)
    if ip is None:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ip)


def throttle_key(address: str | None) -> str:
    """What a throttle counts by: the address, except that IPv6 clients count by /64 (one
    customer's allocation, which they may rotate through freely)."""
    if address is None:
        return "unknown"  # only a misconfigured proxy sends no address; they share one throttle
    ip = parse_ip(address)
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return address


class TrustedProxyMiddleware:
    """Drops X-Forwarded-* from requests whose direct peer is not a trusted proxy, first of all
    middleware, so that SECURE_PROXY_SSL_HEADER (HTTPS) and anything else reading them later
    can only be told by the proxy. (A server that already applied them, such as waitress with
    trusted_proxy, has put the client in REMOTE_ADDR: the headers are then spent anyway.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not peer_is_trusted(request):
            for header in PROXY_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
