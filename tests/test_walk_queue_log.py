"""Walkthrough leftover: waitress's "Task queue depth" warning once per change, not once per request."""

import logging

from waitress.task import ThreadedTaskDispatcher

from goodword.lib.queue_log import QUIET_SECONDS, QueueDepthOnChange


class Recorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append((record.levelname, record.getMessage()))


def test_the_configured_waitress_queue_logger_says_each_depth_once():
    logger = logging.getLogger("waitress.queue")
    installed = [f for f in logger.filters if isinstance(f, QueueDepthOnChange)]  # by settings.LOGGING
    assert installed, "settings.LOGGING does not install the filter"
    for depth_filter in installed:  # once per logging set-up a test ran
        depth_filter.last_depth = None  # whatever an earlier test let through
    recorder = Recorder()
    logger.addHandler(recorder)
    try:
        dispatcher = ThreadedTaskDispatcher()  # no threads: every task waits in the queue
        for _ in range(3):
            dispatcher.add_task(object())
            dispatcher.queue.clear()  # taken at once, as a busy server's threads would
        dispatcher.add_task(object())
        dispatcher.add_task(object())
    finally:
        logger.removeHandler(recorder)
    assert recorder.lines == [("WARNING", "Task queue depth is 1"), ("WARNING", "Task queue depth is 2")]


def test_repeats_go_out_at_debug_and_a_depth_is_news_again_after_a_quiet_minute():
    now = [0.0]
    depth_filter = QueueDepthOnChange(clock=lambda: now[0])
    logger = logging.getLogger("test.walk.queue")
    logger.propagate = False
    recorder = Recorder()
    logger.addHandler(recorder)
    logger.addFilter(depth_filter)
    try:
        logger.warning("Task queue depth is %d", 1)
        logger.warning("Task queue depth is %d", 1)
        logger.setLevel(logging.DEBUG)
        logger.warning("Task queue depth is %d", 1)
        logger.setLevel(logging.NOTSET)
        now[0] += QUIET_SECONDS
        logger.warning("Task queue depth is %d", 1)
        logger.warning("Something else")
        logger.warning("Something else")
    finally:
        logger.removeHandler(recorder)
        logger.removeFilter(depth_filter)
    assert recorder.lines == [("WARNING", "Task queue depth is 1"), ("DEBUG", "Task queue depth is 1"),
                              ("WARNING", "Task queue depth is 1"), ("WARNING", "Something else"),
                              ("WARNING", "Something else")]
