"""HTTP(S) to addresses goodword.lib.netguard already checked. No Django here.

The Host header and the TLS server name are the URL's host; the socket goes to
one of the checked addresses, never to the name again (a second lookup could
answer differently: DNS rebinding). Used to fetch postings (posting_fetch.py)
and to deliver webhooks (goodword/webhooks/delivery.py).
"""

from __future__ import annotations

import http.client
import ssl

from goodword.lib import netguard


class PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, addresses: list[netguard.CheckedAddress], *, https: bool, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._addresses = addresses
        self._https = https

    def connect(self):
        sock = netguard.connect(self._addresses, self.timeout)
        if self._https:
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=self.host)
        self.sock = sock
