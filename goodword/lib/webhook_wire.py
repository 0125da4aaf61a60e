"""What a webhook delivery puts on the wire, and where it may go. No Django here.

- The event kinds a user can subscribe to (KINDS), named once for the models,
  the forms and the CLI's choices.
- The signature: HMAC-SHA256 with the endpoint's shared secret over
  "<timestamp>.<body>", sent as `Goodword-Signature: v1=<hex>` next to
  `Goodword-Timestamp: <unix seconds>`. The timestamp is inside what is
  signed, so a receiver that refuses old timestamps refuses a replayed
  delivery (docs/webhooks.md shows the check).
- The receiver's address: https, or plain http only to this machine
  (loopback) in local mode. `check_url` applies the rules that need no
  network; `resolve` looks the host up once through goodword.lib.netguard
  (in hosted mode no private, loopback or link-local address) and the
  delivery connects to what it returned (goodword.lib.pinned_http).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import secrets
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from goodword.lib import netguard
from goodword.lib.pinned_http import PinnedHTTPConnection

DEBT_CRITICAL = "debt.critical"
SHEET_OPENED = "sheet.opened"
PORTAL_ANSWERED = "portal.answered"
KINDS = {
    DEBT_CRITICAL: "A debt becomes critical",
    SHEET_OPENED: "An employer opened your reference sheet",
    PORTAL_ANSWERED: "A reference answered in the portal",
}
TEST_KIND = "test"  # sent to one endpoint on request, whatever it subscribed to

SIGNATURE_HEADER = "Goodword-Signature"
TIMESTAMP_HEADER = "Goodword-Timestamp"
EVENT_HEADER = "Goodword-Event"
DELIVERY_HEADER = "Goodword-Delivery"
SIGNATURE_VERSION = "v1"
TOLERANCE_SECONDS = 300  # what docs/webhooks.md tells receivers to accept

SECRET_PREFIX = "whsec_"
MAX_URL_LENGTH = 2000
TIMEOUT_SECONDS = 10.0
MAX_ANSWER_BYTES = 64 * 1024  # a receiver's answer is read this far, then dropped


def new_secret() -> str:
    """256 random bits; the prefix tells a reader what the string is for."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The Goodword-Signature header's value for one attempt."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def verify(secret: str, timestamp: str, signature: str, body: bytes, *, now: float | None = None,
           tolerance: int = TOLERANCE_SECONDS) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent."""
    if not (timestamp.isascii() and timestamp.isdigit()):
        return False
    if abs((time.time() if now is None else now) - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, int(timestamp), body), signature)


def headers(secret: str, body: bytes, *, kind: str, delivery_id: str, timestamp: int | None = None) -> dict[str, str]:
    """The request's headers; each attempt signs afresh, with its own timestamp."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Goodword-Webhooks/1",
        EVENT_HEADER: kind,
        DELIVERY_HEADER: delivery_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }


# ---------------------------------------------------------------- where it may go


class Refused(Exception):
    """This address will not be used; str(error) says why, for the user. Retrying cannot help."""


class Unreachable(Exception):
    """The receiver could not be reached or did not answer this time; worth retrying."""


@dataclass(frozen=True)
class Target:
    url: str
    host: str
    port: int
    https: bool
    path: str  # with its query


def check_url(url: str, *, local: bool) -> Target:
    """The rules that need no network: https (http only in local mode, and then
    only to loopback, which resolve() checks), no credentials, a host, a port."""
    url = (url or "").strip()
    if not url:
        raise Refused("Give the receiver's address, starting with https://.")
    if len(url) > MAX_URL_LENGTH:
        raise Refused(f"That address is longer than {MAX_URL_LENGTH} characters.")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise Refused("That address contains spaces or control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError:
        raise Refused("That is not a web address (check the host and the port).") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host:
        raise Refused("Give a web address starting with https://.")
    if scheme == "http" and not local:
        raise Refused("Use an https:// address: this hosted Goodword sends webhooks over https only.")
    if parts.username is not None or parts.password is not None:
        # It would be stored in clear with the address; the shared secret is what authenticates us.
        raise Refused("Leave the user name and password out of the address: the signature proves the sender.")
    if parts.fragment:
        raise Refused("Leave out the #fragment: it is never sent to a server.")
    if port == 0:
        raise Refused("That address has port 0, which no server listens on.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(url, host, port or (443 if scheme == "https" else 80), scheme == "https", path)


def _is_loopback(address: netguard.CheckedAddress) -> bool:
    return address.ip.is_loopback or any(inner.is_loopback for inner in netguard.embedded_ipv4(address.ip))


def resolve(target: Target, *, local: bool) -> list[netguard.CheckedAddress]:
    """Look the host up once and check every answer; connect only to what this returns.

    Hosted: every address must be public. Local: anything but multicast and
    unspecified, and plain http only when every address is loopback.
    Raises Refused, or Unreachable when the name does not resolve (DNS can fail for a while).
    """
    try:
        addresses = netguard.resolve(target.host, target.port, allow_private=local)
    except netguard.HostNotFound as problem:
        raise Unreachable(str(problem)) from None
    except netguard.UnsafeAddress as problem:
        raise Refused(str(problem)) from None
    if not target.https and not all(_is_loopback(address) for address in addresses):
        raise Refused(f"{target.host} is not on this machine: plain http:// is accepted only for a receiver "
                      "on loopback (127.0.0.1, ::1, localhost); use https://.")
    return addresses


def post(target: Target, addresses: list[netguard.CheckedAddress], body: bytes, request_headers: dict[str, str],
         *, timeout: float = TIMEOUT_SECONDS) -> int:
    """POST body to the checked addresses; the answer's status code. Redirects are not followed:
    a redirect's target was never checked, and a receiver has no reason to move a webhook."""
    connection = PinnedHTTPConnection(target.host, target.port, addresses, https=target.https, timeout=timeout)
    try:
        connection.request("POST", target.path, body=body, headers=request_headers)
        response = connection.getresponse()
        response.read(MAX_ANSWER_BYTES)
        return response.status
    except TimeoutError:
        raise Unreachable(f"{target.host} did not answer within {timeout:g} seconds.") from None
    except ssl.SSLCertVerificationError as error:
        raise Refused(f"{target.host}'s certificate could not be checked ({error.verify_message}).") from None
    except ssl.SSLError as error:
        raise Unreachable(f"The secure connection to {target.host} failed ({error.reason or 'TLS error'}).") from None
    except (OSError, http.client.HTTPException) as error:
        raise Unreachable(f"Could not reach {target.host}:{target.port} ({type(error).__name__}).") from None
    finally:
        connection.close()
