"""Fetch a job posting from the URL the user gave, within a time and size limit. No Django here.

Every connection goes through goodword.lib.netguard: the host is resolved
once, every address checked (in hosted mode none may be private, loopback
or link-local), and the socket opened to a checked address, never to the
name again. Redirects are followed a few times, each target checked afresh.
The page comes back as plain text with list items as "- " lines, which is
what the requirement extraction reads.
"""

from __future__ import annotations

import http.client
import re
import ssl
import time
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from goodword.lib import netguard
from goodword.lib.pinned_http import PinnedHTTPConnection

MAX_BYTES = 2_000_000
TIMEOUT_SECONDS = 10.0
MAX_REDIRECTS = 3
MAX_TEXT = 50_000  # Opportunity.posting_text's limit


class FetchProblem(Exception):
    """The posting could not be fetched; str(error) says why, for the user."""


def fetch_posting(url: str, *, allow_private: bool, timeout: float = TIMEOUT_SECONDS,
                  max_bytes: int = MAX_BYTES) -> str:
    """The posting at url as plain text (at most MAX_TEXT characters)."""
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        status, headers, body = _get(url, allow_private, deadline, max_bytes)
        if status in (301, 302, 303, 307, 308) and headers.get("location"):
            url = urljoin(url, headers["location"])
            continue
        if status != 200:
            raise FetchProblem(f"The site answered {status} for that address; paste the posting text instead.")
        kind = headers.get("content-type", "").lower()
        charset = re.search(r"charset=([\w-]+)", kind)
        try:
            text = body.decode(charset.group(1) if charset else "utf-8", errors="replace")
        except LookupError:  # a charset Python does not know
            text = body.decode("utf-8", errors="replace")
        text = text.replace("\x00", "")  # PostgreSQL cannot store NUL in text
        if "html" in kind or re.match(r"\s*<(!doctype|html)", text, re.IGNORECASE):
            text = html_to_text(text)
        elif not kind.startswith("text/"):
            raise FetchProblem(f"That address gives {kind or 'something that is not text'}, "
                               "not a web page; paste the posting text instead.")
        return text.strip()[:MAX_TEXT]
    raise FetchProblem(f"That address redirects more than {MAX_REDIRECTS} times; paste the posting text instead.")


def _get(url: str, allow_private: bool, deadline: float, max_bytes: int):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchProblem("Give a web address starting with http:// or https://.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchProblem("That web address has a port that is not a number.") from None
    try:
        addresses = netguard.resolve(parts.hostname, port, allow_private=allow_private)
    except netguard.UnsafeAddress as problem:
        raise FetchProblem(str(problem)) from None
    connection = PinnedHTTPConnection(parts.hostname, port, addresses, https=parts.scheme == "https",
                                   timeout=_left(deadline))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("GET", path, headers={
            "User-Agent": "Goodword posting reader", "Accept": "text/html, text/plain;q=0.9",
            "Accept-Encoding": "identity",
        })
        response = connection.getresponse()
        declared = response.getheader("content-length")
        if declared and declared.isascii() and declared.isdigit() and int(declared) > max_bytes:
            raise FetchProblem(f"That page is larger than {max_bytes // 1_000_000} MB; paste the posting text instead.")
        chunks, size = [], 0
        while chunk := response.read(65536):
            size += len(chunk)
            if size > max_bytes:
                raise FetchProblem(f"That page is larger than {max_bytes // 1_000_000} MB; paste the posting text instead.")
            if time.monotonic() > deadline:
                raise FetchProblem("That site took too long to answer; paste the posting text instead.")
            chunks.append(chunk)
            connection.sock and connection.sock.settimeout(_left(deadline))
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, b"".join(chunks)
    except TimeoutError:
        raise FetchProblem("That site took too long to answer; paste the posting text instead.") from None
    except ssl.SSLError:
        raise FetchProblem("That site's secure connection failed (its certificate could not be checked).") from None
    except (OSError, http.client.HTTPException):
        raise FetchProblem("That site could not be reached; check the address or paste the posting text.") from None
    finally:
        connection.close()


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchProblem("That site took too long to answer; paste the posting text instead.")
    return left


_BLOCKS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "tr", "ul", "ol", "dd", "dt"}
_SKIPPED = {"script", "style", "noscript", "template", "svg", "head"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS or tag == "li":
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in unescape("".join(parser.parts)).splitlines()]
    text = "\n".join(line for line in lines if line and line != "-")
    return re.sub(r"\n{3,}", "\n\n", text)
