"""Outbox under SIGKILL: how many kills leave a message "uncertain", and is anything sent twice?

    python benchmarks/outbox_kills.py                  # 50 kills, SQLite in a temporary GOODWORD_HOME
    python benchmarks/outbox_kills.py --kills 200 --server-delay 0.02 --body-kb 1024
    GOODWORD_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/goodword_kills_bench python benchmarks/outbox_kills.py

A real `goodword worker` process sends queued messages to an SMTP server on
loopback (aiosmtpd) and is SIGKILLed at a random moment, N times; after each
kill the dead worker's claim is recovered as a restarted worker would
(requeued before the hand-over marker, uncertain after it). At the end a
last worker drains what is left. Prints how many of the N kills left a
message uncertain, how many of those messages the server really received,
how many messages were delivered, and duplicates (must be 0). Exits 1 on a
duplicate or a message that never arrived and is not uncertain. Bounded by
--timeout (default 300 s for the kills, as much again for the last drain).
Needs aiosmtpd (the `test` extra).
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class CountingSink:
    def __init__(self, delay: float):
        self.lock = threading.Lock()
        self.ids: collections.Counter = collections.Counter()
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)  # a server that takes a moment to queue the message
        text = envelope.original_content
        start = text.find(b"Message-ID:")
        end = text.find(b"\r\n", start)
        with self.lock:
            self.ids[text[start + len(b"Message-ID:"):end].strip().decode()] += 1
        return "250 OK"

    def total(self) -> int:
        with self.lock:
            return sum(self.ids.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--messages", type=int, default=0, help="messages queued (default: 8 per kill)")
    parser.add_argument("--server-delay", type=float, default=0.0, help="seconds the server takes to accept a message")
    parser.add_argument("--body-kb", type=int, default=0, help="pad each message body to about this many KB")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds for the kills, and again for the last drain")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    messages = args.messages or args.kills * 8
    rng = random.Random(args.seed)
    deadline = time.monotonic() + args.timeout

    sys.path.insert(0, str(ROOT))
    if "GOODWORD_DATABASE_URL" not in os.environ:
        os.environ["GOODWORD_HOME"] = tempfile.mkdtemp(prefix="goodword-kills-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "goodword.settings"
    from aiosmtpd.controller import Controller

    from goodword.cli import _django

    _django.setup()
    import socket

    from django.contrib.auth import get_user_model
    from django.db import connection

    from goodword.outreach import outbox, services
    from goodword.outreach.models import MessageState, OutboxMessage
    from goodword.references.services import create_reference

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = CountingSink(args.server_delay)
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = os.environ | {"GOODWORD_MODE": "local"}
    User = get_user_model()
    User.objects.filter(username="kill-benchmark").delete()
    user = User.objects.create(username="kill-benchmark")
    try:
        services.save_smtp_settings(user, host="127.0.0.1", port=port, security="none", username="",
                                    from_name="Kill Bench", from_address="bench@example.com")
        reference = create_reference(user, name="Dana Whitfield", emails=["dana@example.com"])
        padding = ("A line of a long message, as a long letter draft would have.\n" * (args.body_kb * 16))
        for n in range(messages):
            outbox.queue_message(user, reference, kind="keep_in_touch", subject=f"Note {n}",
                                 text=f"Message {n}\n" * 20 + padding)
        mine = OutboxMessage.objects.filter(owner=user)

        def uncertain_ids() -> set[str]:
            return set(mine.filter(state=MessageState.UNCERTAIN).values_list("message_id", flat=True))

        kills = left_uncertain = requeued = between_messages = 0
        while kills < args.kills and time.monotonic() < deadline:
            if not mine.filter(state=MessageState.QUEUED).exists():
                break
            before = sink.total()
            worker = subprocess.Popen([sys.executable, "-m", "goodword", "worker", "--poll", "0.05"], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
            # Kill once it is sending (one message through), at a random moment after that.
            while sink.total() == before and worker.poll() is None and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(rng.uniform(0, 0.05))
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
            kills += 1
            was_uncertain = uncertain_ids()
            in_flight = mine.filter(state=MessageState.SENDING).count()
            outbox.recover_stale_claims()
            now_uncertain = uncertain_ids() - was_uncertain
            if now_uncertain:
                left_uncertain += 1
            elif in_flight:
                requeued += 1
            else:
                between_messages += 1
        # The last drain has its own budget: the kills may have used up --timeout.
        final = subprocess.run([sys.executable, "-m", "goodword", "worker", "--once"], env=env, cwd=ROOT,
                               capture_output=True, text=True, timeout=args.timeout, check=False)
        time.sleep(0.2)  # the server's last answers
        with sink.lock:
            arrived = dict(sink.ids)
        ours = {mid: n for mid, n in arrived.items() if mid.startswith("<goodword.")}
        duplicates = sum(n - 1 for n in ours.values())
        states = dict(mine.values_list("message_id", "state"))
        uncertain = [mid for mid, state in states.items() if state == MessageState.UNCERTAIN]
        uncertain_arrived = sum(1 for mid in uncertain if mid in ours)
        lost = [mid for mid, state in states.items() if mid not in ours and state != MessageState.UNCERTAIN]
        stuck = sum(1 for state in states.values() if state in (MessageState.QUEUED, MessageState.SENDING))
    finally:
        User.objects.filter(pk=user.pk).delete()
        connection.close()
        controller.stop()

    print(f"database                     {connection.vendor}; server delay {args.server_delay * 1000:.0f} ms; "
          f"body padded by {args.body_kb} KB")
    print(f"messages queued              {messages}")
    print(f"kills                        {kills}")
    print(f"  left a message uncertain   {left_uncertain}  ({left_uncertain / max(kills, 1):.0%})")
    print(f"  before the marker: resent  {requeued}")
    print(f"  between two messages       {between_messages}")
    print(f"uncertain messages           {len(uncertain)}  (received by the server: {uncertain_arrived}, "
          f"not received: {len(uncertain) - uncertain_arrived})")
    print(f"delivered                    {len(ours)} of {messages}")
    print(f"duplicates                   {duplicates}")
    print(f"lost (not delivered, not uncertain) {len(lost)}; still queued {stuck}")
    if final.returncode != 0:
        print(final.stderr, file=sys.stderr)
    return 0 if duplicates == 0 and not lost and final.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
