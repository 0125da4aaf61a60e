"""A real webhook receiver for tests: http.server on loopback, in a thread, running the
receiver example of docs/webhooks.md (so the documented check is the one tested)."""

from __future__ import annotations

import re
import socket
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def documented_receiver_code() -> str:
    text = DOCS.read_text()
    match = re.search(r"<!-- receiver-example[^>]*-->\s*```python\n(.*?)```", text, re.DOTALL)
    assert match, "docs/webhooks.md lost its receiver example"
    return match.group(1)


class Receiver:
    """`with Receiver(secret, fail_first=2) as receiver:` answers 500 to the first two requests,
    then hands each request to the documented handler (verify, drop repeats, 204).

    receiver.requests: (headers dict, body bytes, status answered) for every request;
    receiver.handled: (type, data) for each event the documented handler accepted.
    """

    def __init__(self, secret: str = "", *, fail_first: int = 0, status: int | None = None, path: str = "/hook"):
        namespace: dict = {"__name__": "goodword_docs_receiver"}
        exec(compile(documented_receiver_code(), str(DOCS), "exec"), namespace)  # noqa: S102 - our own docs
        self.namespace = namespace
        self.secret = secret
        self.fail_first = fail_first
        self.status = status  # a fixed answer instead of the handler's (e.g. 301, 500)
        self.path = path
        self.requests: list[tuple[dict, bytes, int]] = []
        self.handled: list[tuple] = []
        self.lock = threading.Lock()
        namespace["print"] = lambda *args: self.handled.append(args)
        outer = self

        class Handler(namespace["Receiver"]):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                with outer.lock:
                    failing = outer.status if outer.status is not None else (
                        500 if len(outer.requests) < outer.fail_first else None)
                    outer.requests.append((dict(self.headers), body, failing or 0))
                if failing:
                    self.send_response(failing)
                    if 300 <= failing < 400:
                        self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                    self.end_headers()
                    return
                # The documented handler reads the body itself: give it the bytes again.
                import io

                self.rfile = io.BytesIO(body)
                super().do_POST()

            def log_message(self, *args):  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def use_secret(self, secret: str) -> None:
        self.secret = secret
        self.namespace["SECRET"] = secret.encode()

    def __enter__(self):
        if self.secret:
            self.use_secret(self.secret)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def dns(monkeypatch, answers: dict[str, list[list[str]]]) -> list[str]:
    """Play DNS: each name answers the next address list in turn (the last one repeats). Returns the names asked."""
    calls: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in answers:
            return real(host, port, *args, **kwargs)
        calls.append(host)
        turn = answers[host][min(calls.count(host) - 1, len(answers[host]) - 1)]
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "",
             (a, port, 0, 0) if ":" in a else (a, port))
            for a in turn
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return calls


def make_endpoint(owner, url: str, kinds=("portal.answered", "sheet.opened", "debt.critical")):
    """An endpoint registered through the service, as the web and the CLI do; returns (endpoint, secret)."""
    from goodword.webhooks import services

    return services.create_endpoint(owner, url, list(kinds))


def answer_in_portal(token, form="consent", **fields):
    """A reference answers through the real portal page (the form's own nonce)."""
    from django.test import Client

    from tests.factories.portal import nonce_from, page_url

    client = Client()
    page = client.get(page_url(token))
    response = client.post(page_url(token), {"form": form, "nonce": nonce_from(page, form), **fields})
    assert response.status_code == 302
    return response
