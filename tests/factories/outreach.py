"""Outreach test helpers: SMTP settings, and a real SMTP server (aiosmtpd) on loopback.

The sink is controllable: `plan` holds what to answer at the end of DATA for
the next messages ("accept", "451 …", "550 …", "drop" = hang up after the
message without answering), and `mail_plan` what to answer to MAIL FROM.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time

from aiosmtpd.controller import Controller

from goodword.outreach import services


class SinkHandler:
    def __init__(self):
        self.lock = threading.Lock()
        self.received: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.plan: list[str] = []
        self.mail_plan: list[str] = []
        self.delay = 0.0

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self.lock:
            answer = self.mail_plan.pop(0) if self.mail_plan else "accept"
        if answer == "drop":
            server.transport.abort()  # hang up before any message data
            return "250 OK"
        if answer != "accept":
            return answer
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        with self.lock:
            answer = self.plan.pop(0) if self.plan else "accept"
            if answer in ("accept", "drop"):
                self.received.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
                self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        if answer == "drop":
            # The server has the message but the client never hears back.
            server.transport.abort()
            return "250 OK"
        if answer == "accept":
            return "250 2.0.0 OK queued"
        return answer

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(message["Message-ID"]) for message in self.received]

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return True
            time.sleep(0.02)
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    def __init__(self):
        self.handler = SinkHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, ready_timeout=10)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def make_smtp_settings(owner, port, *, host="127.0.0.1", security="none", username="", password="",
                       from_name="Sam Rivera", from_address="sam@example.com"):
    return services.save_smtp_settings(
        owner, host=host, port=port, security=security, username=username, password=password,
        from_name=from_name, from_address=from_address,
    )
