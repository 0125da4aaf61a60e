"""smtplib clients that connect to an address the guard already checked.

smtplib.SMTP(host) would look the name up again when it connects, and a
second answer may differ from the one checked (DNS rebinding). These connect
to the checked addresses (netguard.connect) while TLS, implicit or STARTTLS,
still verifies the certificate against the host NAME: smtplib passes
self._host as server_hostname, and _host stays the name.
"""

from __future__ import annotations

import smtplib
import socket

from goodword.lib import netguard


def _connect_no_delay(addresses, timeout, source_address) -> socket.socket:
    sock = netguard.connect(addresses, timeout, source_address)
    # The outbox writes the message and its final "." separately (the hand-over
    # marker goes between them); with Nagle's algorithm the "." would wait for
    # the server's delayed ACK of the body, some 40 ms a message.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


class PinnedSMTP(smtplib.SMTP):
    def __init__(self, host: str, port: int, addresses: list[netguard.CheckedAddress], **kwargs):
        self._pinned_addresses = list(addresses)  # before __init__, which connects
        super().__init__(host, port, **kwargs)

    def _get_socket(self, host, port, timeout):
        return _connect_no_delay(self._pinned_addresses, timeout, self.source_address)


class PinnedSMTP_SSL(smtplib.SMTP_SSL):
    def __init__(self, host: str, port: int, addresses: list[netguard.CheckedAddress], **kwargs):
        self._pinned_addresses = list(addresses)
        super().__init__(host, port, **kwargs)

    def _get_socket(self, host, port, timeout):
        sock = _connect_no_delay(self._pinned_addresses, timeout, self.source_address)
        return self.context.wrap_socket(sock, server_hostname=self._host)


def open_pinned(host: str, port: int, *, implicit_tls: bool, allow_private: bool, timeout: float, context=None):
    """Resolve once through the guard, then connect to what was checked.

    Raises netguard.UnsafeAddress (with a message for the user) before any
    connection is attempted, and smtplib/OSError errors as smtplib would.
    """
    addresses = netguard.resolve(host, port, allow_private=allow_private)
    name = host.strip().removeprefix("[").removesuffix("]")
    if implicit_tls:
        return PinnedSMTP_SSL(name, port, addresses, timeout=timeout, context=context)
    return PinnedSMTP(name, port, addresses, timeout=timeout)
