"""Where a page's time and bytes go, in process (Django's test client), on the
account benchmarks/ledger.py generates.

    python benchmarks/pages.py --keep /tmp/gw-pages             # every main page: ms, queries, KB
    python benchmarks/pages.py --keep /tmp/gw-pages --profile / # and a cProfile of one path

For each page: the median wall and CPU time of --runs requests, its number of
queries and the time they took, and its size. A complement to
benchmarks/dashboard.py (requests/s through the real server): this one says
why a page is slow, not how slow it is under load. SQLite only with --keep
(the generated database is kept in DIR and reused); without --keep, the
database GOODWORD_DATABASE_URL or GOODWORD_HOME names is used as is.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from dashboard import ledger_benchmark  # noqa: E402  (a sibling script: this folder is on sys.path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ledger_benchmark().add_size_arguments(parser)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", metavar="DIR", required=True,
                        help="SQLite: keep the generated database in DIR and reuse it")
    parser.add_argument("--profile", metavar="PATH", help="print a cProfile of this path (e.g. / or /due/)")
    parser.add_argument("--after-change", action="store_true",
                        help="write before each request, so that no kept summary holds")
    args = ledger_benchmark().parse_size(parser)
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        os.environ["GOODWORD_HOME"] = str(Path(args.keep).resolve())
        os.environ.pop("GOODWORD_DATABASE_URL", None)
        os.environ.pop("GOODWORD_MODE", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goodword.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from goodword.opportunities.models import Opportunity
    from goodword.references.models import Reference

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0, interactive=False)
    user, _seconds = ledger_benchmark().generate_or_reuse(args)
    busiest = Reference.objects.filter(owner=user).annotate(n=Count("events")).order_by("-n").first()
    opportunity = Opportunity.objects.filter(owner=user).annotate(n=Count("listings")).order_by("-n", "-id").first()
    client = Client()
    client.force_login(user)

    def touch():
        Reference.objects.filter(pk=busiest.pk).update(name=busiest.name)

    paths = ["/", "/due/", "/due/?all=1", f"/jobs/{opportunity.pk}/", f"/references/{busiest.pk}/",
             "/references/", "/jobs/", "/outreach/outbox/", "/settings/"]
    if args.profile:
        paths = [args.profile]
    print(f"{'':28}{'wall':>7} {'cpu':>7} {'queries':>8} {'sql ms':>7} {'KB':>6}   (medians of {args.runs}, ms)")
    for path in paths:
        for _ in range(3):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        walls, cpus = [], []
        for _ in range(args.runs):
            if args.after_change:
                touch()
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            walls.append((time.perf_counter() - start) * 1000)
            cpus.append((time.process_time() - start_cpu) * 1000)
        if args.after_change:
            touch()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        sql_ms = sum(float(query["time"]) for query in queries.captured_queries) * 1000
        print(f"{path:28}{statistics.median(walls):7.1f} {statistics.median(cpus):7.1f} {len(queries):8} "
              f"{sql_ms:7.1f} {len(response.content) / 1024:6.0f}")
    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        for _ in range(args.runs):
            if args.after_change:
                touch()
            profile.runcall(client.get, args.profile)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
    print(f"load average {os.getloadavg()[0]:.2f} (this machine has {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
