"""The HTTP API under the production server: 1,000 events in pages of 100, and the ledger,
for the realistic account, against the dashboard page of the same account in the same run.

    python benchmarks/api.py                      # SQLite, realistic account
    GOODWORD_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/gw_perf \\
        python benchmarks/api.py                  # SQLite, then PostgreSQL
    python benchmarks/api.py --keep /tmp/gw-api   # SQLite only: keep (and reuse) the database

The account is benchmarks/ledger.py's (30 references, 200 opportunities, 600 listings, 5,000
events by default), the server `goodword serve --no-browser --port 0` (waitress), as
benchmarks/dashboard.py starts it; this script reuses that one's helpers. A personal access
token is made for the account; the dashboard is read with a signed-in session.

Printed: p50/p95 of one page of 100 events (following next_cursor through 1,000 events,
several times), of the ledger endpoints (/api/v1/debts?limit=100 and /api/v1/ledger), of
the dashboard and of a bare page (the sign-in page, signed out) measured in the same run; the
ratio of the ledger endpoint's median to the dashboard's, and of an events page to the bare page.
Targets: a page of 100 events p95 < 20 ms; the ledger endpoint within 1.5x the dashboard.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _sibling(name):
    spec = importlib.util.spec_from_file_location(f"{name}_benchmark", Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


dashboard = _sibling("dashboard")
ledger_benchmark = dashboard.ledger_benchmark


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ledger_benchmark().add_size_arguments(parser)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per endpoint (after 5 warm-up ones)")
    parser.add_argument("--walks", type=int, default=5, help="times the 1,000 events are read, 10 pages each")
    parser.add_argument("--keep", metavar="DIR", help="SQLite only: keep the generated database in DIR and reuse it")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cleanup", type=int, help=argparse.SUPPRESS)
    args = ledger_benchmark().parse_size(parser)
    if args.prepare:
        return prepare(args)
    if args.cleanup:
        return dashboard.cleanup(args.cleanup)
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        return run(args, str(Path(args.keep).resolve()), None)
    url = os.environ.get("GOODWORD_DATABASE_URL", "")
    status = 0
    for database in [None] + ([url] if url.startswith("postgres") else []):
        with tempfile.TemporaryDirectory(prefix="goodword-api-") as home:
            status |= run(args, home, database)
    return status


def prepare(args) -> int:
    """In a child process: the dashboard's preparation, plus a token for the account."""
    import io
    from contextlib import redirect_stdout

    captured = io.StringIO()
    with redirect_stdout(captured):
        dashboard.prepare(args)
    prepared = json.loads(captured.getvalue().strip().splitlines()[-1])
    from django.contrib.auth import get_user_model

    from goodword.api import services
    from goodword.api.models import AccessToken

    user = get_user_model().objects.get(pk=prepared["user"])
    AccessToken.objects.filter(owner=user, name="benchmark").delete()
    _row, token = services.create_token(user, "benchmark", read_only=True)
    print(json.dumps(prepared | {"token": token}))
    return 0


def timed(opener, url, headers=None) -> tuple[float, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    start = time.perf_counter()
    with opener.open(request) as response:
        body = response.read()
        status = response.status
    elapsed = (time.perf_counter() - start) * 1000
    if status != 200:
        raise SystemExit(f"{url}: HTTP {status}")
    return elapsed, json.loads(body) if body.startswith(b"{") else {}


def run(args, home: str, database: str | None) -> int:
    with dashboard.served(__file__, home, database) as (base, prepared):
        jar = CookieJar()
        signed_in = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with signed_in.open(base + prepared["link"]) as response:
            response.read()
        plain = urllib.request.build_opener()
        token = {"Authorization": f"Bearer {prepared['token']}"}
        # 1,000 events, 100 a page, following the cursors; after one warm-up walk.
        pages, read = [], 0
        for walk in range(args.walks + 1):
            cursor, count = None, 0
            for _ in range(10):
                url = base + "/api/v1/events?limit=100" + (f"&cursor={cursor}" if cursor else "")
                elapsed, page = timed(plain, url, token)
                count += len(page["items"])
                cursor = page["next_cursor"]
                if walk:
                    pages.append(elapsed)
                if cursor is None:
                    break
            read = count
        results = {"a page of 100 events": pages}
        for label, opener, url, headers in [
            ("bare page (sign-in, signed out)", plain, base + "/accounts/login/", None),
            ("dashboard (the home page)", signed_in, base + "/", None),
            ("ledger: /api/v1/debts?limit=100", plain, base + "/api/v1/debts?limit=100", token),
            ("ledger summary: /api/v1/ledger", plain, base + "/api/v1/ledger", token),
        ]:
            for _ in range(5):
                timed(opener, url, headers)
            results[label] = [timed(opener, url, headers)[0] for _ in range(args.requests)]

    vendor = "PostgreSQL" if database else "SQLite"
    print(f"\n== {vendor}, waitress ({args.size}: {args.references} references, {args.opportunities} opportunities, "
          f"{args.listings} listings, {args.events} events); {read} events read per walk")
    print(f"{'':40}{'p50':>7} {'p95':>7}  (ms)")
    for label, samples in results.items():
        print(f"{label:40}{dashboard.percentile(samples, 50):7.1f} {dashboard.percentile(samples, 95):7.1f}")
    median = statistics.median
    ratio = median(results["ledger: /api/v1/debts?limit=100"]) / median(results["dashboard (the home page)"])
    page_p95 = dashboard.percentile(pages, 95)
    bare = results["bare page (sign-in, signed out)"]
    print(f"a page of 100 events / the bare page (p50): {median(pages) / median(bare):.2f}x "
          "(the steadier figure when the machine is shared)")
    print(f"ledger endpoint / dashboard (medians): {ratio:.2f}x")
    print(f"load average {os.getloadavg()[0]:.2f} (this machine has {os.cpu_count()} cores)")
    print(f"target a page of 100 events p95 < 20 ms: {'met' if page_p95 < 20 else 'MISSED'} ({page_p95:.1f} ms)")
    print(f"target ledger endpoint <= 1.5x the dashboard: {'met' if ratio <= 1.5 else 'MISSED'} ({ratio:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
