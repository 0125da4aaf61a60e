"""The one guard for every outbound connection Goodword makes on a user's behalf.

A hosted instance must not let one user aim it at the internal network (the
database, a cloud metadata service at 169.254.169.254) and read the answers
back, through an SMTP host today and a webhook or posting URL later. So:

1. `resolve(host, port)` asks DNS once and checks EVERY address it returns,
   including the IPv4 address hidden inside IPv6 transition forms
   (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo), which the
   `ipaddress` flags alone do not look into;
2. the caller connects to one of the addresses that were checked
   (`connect(addresses, timeout)`), never to the name again: a second lookup
   could answer differently (DNS rebinding).

Local mode passes `allow_private=True`: a relay on the user's own machine or
network is normal there, but the resolve-once, connect-to-what-was-checked
path is the same. Django-free on purpose.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Never a public server. Listed by hand because `is_global` differs between
# Python releases (3.12.1 calls 64:ff9b::/96, 2002::/16 and 224/4 global).
_NON_PUBLIC_V4 = [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8",           # "this network"
    "10.0.0.0/8",          # private
    "100.64.0.0/10",       # carrier-grade NAT (shared address space)
    "127.0.0.0/8",         # loopback
    "169.254.0.0/16",      # link-local, cloud metadata services
    "172.16.0.0/12",       # private
    "192.0.0.0/24",        # IETF protocol assignments
    "192.0.2.0/24",        # documentation (TEST-NET-1)
    "192.88.99.0/24",      # 6to4 relay anycast (deprecated)
    "192.168.0.0/16",      # private
    "198.18.0.0/15",       # benchmarking
    "198.51.100.0/24",     # documentation (TEST-NET-2)
    "203.0.113.0/24",      # documentation (TEST-NET-3)
    "224.0.0.0/4",         # multicast
    "240.0.0.0/4",         # reserved, and 255.255.255.255 broadcast
)]
_NON_PUBLIC_V6 = [ipaddress.ip_network(n) for n in (
    "::/128",              # unspecified
    "::1/128",             # loopback
    "64:ff9b:1::/48",      # NAT64 for local use (RFC 8215)
    "100::/64",            # discard
    "2001:db8::/32",       # documentation
    "fc00::/7",            # unique local
    "fe80::/10",           # link-local
    "fec0::/10",           # site-local (deprecated, still routed by some stacks)
    "ff00::/8",            # multicast
)]

_MAPPED = ipaddress.ip_network("::ffff:0:0/96")
_COMPATIBLE = ipaddress.ip_network("::/96")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
_TEREDO = ipaddress.ip_network("2001::/32")


class UnsafeAddress(Exception):
    """The host may not be connected to; str(error) is a message for the user."""


class HostNotFound(UnsafeAddress):
    pass


@dataclass(frozen=True)
class CheckedAddress:
    """One resolved address that passed the guard: what to hand to socket.connect."""

    family: int
    sockaddr: tuple
    ip: IPAddress


def embedded_ipv4(ip: IPAddress) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries inside it (and so reaches), if any."""
    if isinstance(ip, ipaddress.IPv4Address):
        return []
    value = int(ip)
    low32 = ipaddress.IPv4Address(value & 0xFFFFFFFF)
    if ip in _MAPPED or ip in _NAT64 or ip in _NAT64_LOCAL:
        return [low32]
    if ip in _COMPATIBLE:
        # ::/96 minus :: and ::1, which are IPv6's own unspecified and loopback.
        return [low32] if value > 1 else []
    if ip in _SIX_TO_FOUR:
        return [ipaddress.IPv4Address((value >> 80) & 0xFFFFFFFF)]
    if ip in _TEREDO:
        server = ipaddress.IPv4Address((value >> 64) & 0xFFFFFFFF)
        client = ipaddress.IPv4Address((value & 0xFFFFFFFF) ^ 0xFFFFFFFF)
        return [server, client]
    return []


def _own_problem(ip: IPAddress) -> str:
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address):
        listed = any(ip in network for network in _NON_PUBLIC_V4)
        return "private or reserved" if listed or not ip.is_global else ""
    if getattr(ip, "is_site_local", False):
        return "site-local"
    if any(ip in network for network in _NON_PUBLIC_V6):
        return "private or reserved"
    if embedded_ipv4(ip):
        return ""  # judged by the IPv4 address inside (below), not by Python's flags for the wrapper
    return "" if ip.is_global else "private or reserved"


def why_not_public(ip: IPAddress) -> str:
    """Why connecting to ip could reach something non-public ("" when it cannot)."""
    problem = _own_problem(ip)
    if problem:
        return f"{ip} is {problem}"
    for inner in embedded_ipv4(ip):
        problem = _own_problem(inner)
        if problem:
            return f"{ip} reaches {inner}, which is {problem}"
    return ""


def _never_a_server(ip: IPAddress) -> str:
    """Refused even in local mode: no server listens on these."""
    for candidate in [ip, *embedded_ipv4(ip)]:
        if candidate.is_unspecified or candidate.is_multicast:
            return f"{ip} is {'unspecified' if candidate.is_unspecified else 'multicast'}, not a server address"
    return ""


def parse_ip(text: str) -> IPAddress:
    # getaddrinfo gives "fe80::1%eth0" for scoped addresses; the scope is not part of the address.
    return ipaddress.ip_address(text.split("%", 1)[0])


def resolve(host: str, port: int, *, allow_private: bool = False) -> list[CheckedAddress]:
    """Resolve host once; every address must pass, or UnsafeAddress says which failed and why.

    One bad address refuses the whole host: a name that answers both a public
    and a private address is exactly what a rebinding attacker serves.
    """
    name = (host or "").strip()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]  # "[2001:db8::1]" as written in URLs
    if not name:
        raise HostNotFound("No host name was given.")
    try:
        infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError):
        raise HostNotFound(f"The server {name} cannot be found; check the host name.") from None
    checked: list[CheckedAddress] = []
    for family, _type, _proto, _canonical, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        ip = parse_ip(sockaddr[0])
        problem = _never_a_server(ip) or ("" if allow_private else why_not_public(ip))
        if problem:
            raise UnsafeAddress(f"{name} is a private or local address ({problem}); "
                                "this hosted Goodword only connects to public servers."
                                if not allow_private else f"{name} cannot be used: {problem}.")
        if all(existing.sockaddr != sockaddr for existing in checked):
            checked.append(CheckedAddress(family, sockaddr, ip))
    if not checked:
        raise HostNotFound(f"The server {name} has no IPv4 or IPv6 address; check the host name.")
    return checked


def resolve_public(host: str, port: int) -> list[CheckedAddress]:
    """resolve() for anything a hosted instance fetches or sends to on a user's word."""
    return resolve(host, port, allow_private=False)


def connect(addresses: list[CheckedAddress], timeout: float | None, source_address=None) -> socket.socket:
    """A TCP connection to the first of the checked addresses that answers (no new lookup)."""
    if not addresses:
        raise HostNotFound("There is no checked address to connect to.")
    last_error: OSError | None = None
    for address in addresses:
        try:
            return _connect_one(address, timeout, source_address)
        except OSError as error:
            last_error = error
    raise last_error


def _connect_one(address: CheckedAddress, timeout: float | None, source_address) -> socket.socket:
    # A socket of the address's own family, connected to its sockaddr as
    # resolved (an IPv6 scope included): nothing here looks the name up again.
    sock = socket.socket(address.family, socket.SOCK_STREAM)
    try:
        if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:  # what smtplib passes when given no timeout
            sock.settimeout(timeout)
        if source_address:
            sock.bind(source_address)
        sock.connect(address.sockaddr)
        return sock
    except BaseException:
        sock.close()
        raise
