"""Waitress's "Task queue depth is N" warning, said once per change instead of once per request.

Waitress warns on every request that arrives while all its threads are busy.
Under a little load (a page and its htmx parts, a benchmark) that is a line
per request with the same number, which buries everything else. This filter
lets a depth through when it differs from the last one let through, or when
the queue has been quiet for a while; the repeats go out at DEBUG, so they
still show when the logger is set to DEBUG. Django-free.
"""

from __future__ import annotations

import logging
import time

QUEUE_LOGGER = "waitress.queue"
QUIET_SECONDS = 60.0  # a depth seen again after this long is news again


class QueueDepthOnChange(logging.Filter):
    def __init__(self, name: str = "", clock=time.monotonic):
        super().__init__(name)
        self.clock = clock
        self.last_depth: int | None = None
        self.last_at = float("-inf")

    def filter(self, record: logging.LogRecord) -> bool:
        if not (record.msg == "Task queue depth is %d" and isinstance(record.args, tuple) and record.args):
            return True
        depth, now = record.args[0], self.clock()
        if depth != self.last_depth or now - self.last_at >= QUIET_SECONDS:
            self.last_depth, self.last_at = depth, now
            return True
        self.last_at = now
        if logging.getLogger(record.name).isEnabledFor(logging.DEBUG):
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return True
        return False
