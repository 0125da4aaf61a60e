"""A real outbox worker that SIGKILLs itself at one chosen point of sending a message.

    python -m tests.ssrfmail_crash_worker POINT

Run by tests/test_ssrfmail_crash_points.py (and benchmarks/outbox_kills.py
could do the same): the points wrap the worker's own steps from outside, so
the production code knows nothing of them. A SIGKILL is what an OOM kill or
a power cut looks like to the database and to the SMTP server: no cleanup,
the kernel closes the socket.
"""

from __future__ import annotations

import os
import signal
import smtplib
import sys

POINTS = ("claimed", "connected", "body_sent", "marker_committed", "dot_sent", "reply_received")


def die():
    os.kill(os.getpid(), signal.SIGKILL)


def arm(point: str) -> None:
    from goodword.outreach import outbox

    if point == "claimed":
        real_claim = outbox.claim_next

        def claim_next(*args, **kwargs):
            message = real_claim(*args, **kwargs)
            if message is not None:
                die()
            return message

        outbox.claim_next = claim_next
    elif point == "connected":
        real_open = outbox.open_smtp

        def open_smtp(config):
            real_open(config)
            die()

        outbox.open_smtp = open_smtp
    elif point == "reply_received":
        def record_sent(*args, **kwargs):
            die()  # the server answered 250; the worker dies before writing it down

        outbox._record_sent = record_sent
    else:
        real_send = smtplib.SMTP.send

        def send(self, data):
            # Commands go through putcmd as str; only the message itself is bytes.
            if not isinstance(data, bytes):
                return real_send(self, data)
            ends_with_dot = data.endswith(b"\r\n.\r\n") or data == b".\r\n"
            if point == "body_sent":
                real_send(self, data[:-3] if ends_with_dot and data != b".\r\n" else data)
                die()
            if point == "marker_committed" and ends_with_dot:
                die()  # the marker is committed; the "." has not left
            if point == "dot_sent" and ends_with_dot:
                real_send(self, data)
                die()
            return real_send(self, data)

        smtplib.SMTP.send = send


def main() -> None:
    point = sys.argv[1]
    if point not in POINTS:
        raise SystemExit(f"unknown point {point!r}; one of {', '.join(POINTS)}")
    from goodword.cli import _django

    _django.setup()
    arm(point)
    from goodword.outreach import outbox

    outbox.Worker().drain()
    raise SystemExit(f"the worker never reached {point}")


if __name__ == "__main__":
    main()
