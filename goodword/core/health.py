"""What /healthz reports: whether the database answers, and whether a worker is alive.

Kept plain on purpose: a load balancer asks /healthz (the database only, so a
stalled worker never takes the web pages out of rotation); monitoring asks
/healthz?worker=1, which also wants a `goodword worker` heartbeat younger
than STALL_MINUTES (a worker writes one every HEARTBEAT_SECONDS).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import time

from django.db import DatabaseError, connection
from django.utils import timezone

from goodword.core.models import WorkerHeartbeat

HEARTBEAT_SECONDS = 30
STALL_MINUTES = 5  # ten missed heartbeats; a long queue is sent ten messages a turn, a beat between turns
FORGET_AFTER = dt.timedelta(days=1)  # rows of processes gone for a day are removed


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        # The connection is broken: drop it, so the next request opens a fresh one.
        connection.close()
        return False


def last_heartbeat() -> dt.datetime | None:
    return WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()


def worker_stalled(now: dt.datetime | None = None) -> bool:
    """True when no worker process has recorded a heartbeat within the stall time."""
    last = last_heartbeat()
    limit = dt.timedelta(minutes=STALL_MINUTES)
    return last is None or (now or timezone.now()) - last > limit


class Heartbeat:
    """A worker process's heartbeat: call beat() from its loop; it writes at most every HEARTBEAT_SECONDS."""

    def __init__(self, worker: str | None = None):
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}"
        self.started_at = timezone.now()
        self.last_written = float("-inf")

    def beat(self) -> None:
        if time.monotonic() - self.last_written < HEARTBEAT_SECONDS:
            return
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(worker=self.worker,
                                                 defaults={"beat_at": now, "started_at": self.started_at})
        WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET_AFTER).delete()
        self.last_written = time.monotonic()

    def stop(self) -> None:
        """A clean exit removes the row: a worker stopped on purpose is not a stalled one."""
        WorkerHeartbeat.objects.filter(worker=self.worker).delete()
