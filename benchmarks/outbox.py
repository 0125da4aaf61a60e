"""Outbox throughput: queue 1,000 messages, drain them to a local SMTP sink, count duplicates.

    python benchmarks/outbox.py                 # SQLite in a temporary GOODWORD_HOME
    createdb goodword_outreach_bench && GOODWORD_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/goodword_outreach_bench \\
        python benchmarks/outbox.py --workers 2  # several workers at once (PostgreSQL)

Prints messages per second for queueing and for draining, the duplicate
count at the sink (must be 0), and the drain rate as a ratio to a baseline
measured in the same run: the same number of messages pushed straight through
smtplib on one connection, with no database (the ceiling of the SMTP side).
Needs aiosmtpd (the `test` extra). Exits 1 if any message arrived twice or
went missing.
"""

from __future__ import annotations

import argparse
import collections
import os
import smtplib
import sys
import tempfile
import threading
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class CountingSink:
    def __init__(self):
        self.lock = threading.Lock()
        self.ids: collections.Counter = collections.Counter()

    async def handle_DATA(self, server, session, envelope):
        text = envelope.original_content
        start = text.find(b"Message-ID:")
        end = text.find(b"\r\n", start)
        with self.lock:
            self.ids[text[start:end]] += 1
        return "250 OK"


def baseline(port: int, count: int) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for n in range(count):
            message = EmailMessage()
            message["From"], message["To"], message["Subject"] = "a@example.com", "b@example.com", f"Baseline {n}"
            message["Message-ID"] = f"<baseline.{n}@example.com>"
            message.set_content(f"Message {n}\n")
            smtp.send_message(message)
    return count / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    home = tempfile.mkdtemp(prefix="goodword-bench-")
    os.environ["GOODWORD_HOME"] = home
    os.environ["DJANGO_SETTINGS_MODULE"] = "goodword.settings"
    from aiosmtpd.controller import Controller

    from goodword.cli import _django

    _django.setup()
    import socket

    from django.contrib.auth import get_user_model
    from django.db import connection

    from goodword.outreach import outbox, services
    from goodword.references.services import create_reference

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = CountingSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        User = get_user_model()
        User.objects.filter(username="outbox-benchmark").delete()
        user = User.objects.create(username="outbox-benchmark")
        services.save_smtp_settings(user, host="127.0.0.1", port=port, security="none", username="",
                                    from_name="Bench Mark", from_address="bench@example.com")
        reference = create_reference(user, name="Dana Whitfield", emails=["dana@example.com"])

        started = time.perf_counter()
        for n in range(args.messages):
            outbox.queue_message(user, reference, kind="keep_in_touch", subject=f"Note {n}", text=f"Message {n}\n")
        queue_rate = args.messages / (time.perf_counter() - started)

        def work():
            try:
                outbox.Worker().drain()
            finally:
                connection.close()

        started = time.perf_counter()
        threads = [threading.Thread(target=work) for _ in range(args.workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        drain_rate = args.messages / (time.perf_counter() - started)
        ours = {key: n for key, n in sink.ids.items() if b"goodword." in key}
        duplicates = sum(n - 1 for n in ours.values())
        missing = args.messages - len(ours)
        base_rate = baseline(port, args.messages)
        User.objects.filter(pk=user.pk).delete()
    finally:
        controller.stop()

    print(f"database          {connection.vendor}, {args.workers} worker(s)")
    print(f"queued            {queue_rate:8.0f} messages/s")
    print(f"drained (sent)    {drain_rate:8.0f} messages/s")
    print(f"baseline smtplib  {base_rate:8.0f} messages/s (no database)")
    print(f"ratio             {drain_rate / base_rate:8.2f} of the baseline")
    print(f"duplicates        {duplicates:8d}")
    print(f"missing           {missing:8d}")
    return 0 if duplicates == 0 and missing == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
