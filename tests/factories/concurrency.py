"""Two workers at once, as two processes would run them: each in its own thread with its own
database connection, started together."""

import threading

from django.db import connection


def run_at_once(work, times: int = 2, timeout: float = 60) -> list:
    """Call work() in `times` threads released together; their results, in the order they ended.
    Any exception a thread raised is raised here."""
    barrier = threading.Barrier(times)
    results, errors = [], []

    def one():
        try:
            barrier.wait(timeout=5)
            results.append(work())
        except Exception as error:  # noqa: BLE001  (raised again below, in the test's thread)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    return results
