"""How long the dashboard (GET /, which includes the courtesy ledger) takes over
HTTP for a heavy account, against a bare view of the same server.

    python benchmarks/dashboard.py                      # SQLite in a temporary GOODWORD_HOME
    python benchmarks/dashboard.py --keep /tmp/gw-dash  # keep (and reuse) the generated database

The account is the one benchmarks/ledger.py generates (2,000 references,
1,000 opportunities, 10,000 listings, 200,000 events; its generator is
imported, not copied). The real production server is started as a subprocess
(`goodword serve --no-browser --port 0`, waitress) on that SQLite database;
a one-time login link issued for the benchmark user signs a cookie jar in.
The script prints p50/p95 of GET / and of two baselines measured in the same
run, in the same server: the sign-in page (signed out) and a static file.
GET / is measured twice: as it is reloaded while nothing changes (the server
reuses the ledger's facts while SQLite shows the database unchanged), and
right after a change (before each request this script commits a write from
another connection, as `goodword log` in a terminal would), when the ledger
is computed from scratch. Target: dashboard p95 under 150 ms on SQLite.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ledger_benchmark():
    """benchmarks/ledger.py as a module (its generator and its --keep reuse)."""
    spec = importlib.util.spec_from_file_location("ledger_benchmark", Path(__file__).with_name("ledger.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--references", type=int, default=2000)
    parser.add_argument("--opportunities", type=int, default=1000)
    parser.add_argument("--listings", type=int, default=10000)
    parser.add_argument("--events", type=int, default=200000)
    parser.add_argument("--requests", type=int, default=50, help="timed requests per URL (after 10 warm-up ones)")
    parser.add_argument("--keep", metavar="DIR", help="keep the generated database in DIR and reuse it next time")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        return prepare(args)
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
        return run(args, str(Path(args.keep).resolve()))
    with tempfile.TemporaryDirectory(prefix="goodword-dashboard-") as home:
        return run(args, home)


def prepare(args) -> int:
    """In a child process: migrate, generate (or reuse) the account, print a sign-in path."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.urls import reverse

    call_command("migrate", verbosity=0, interactive=False)
    user, seconds = ledger_benchmark().generate_or_reuse(args)
    from goodword.accounts.services import issue_login_token

    token = issue_login_token(user)
    print(json.dumps({"user": user.pk, "seconds": seconds, "link": reverse("accounts:token_login", args=[token])}))
    return 0


def run(args, home: str) -> int:
    env = dict(os.environ, GOODWORD_HOME=home, DJANGO_SETTINGS_MODULE="goodword.settings")
    for name in ("GOODWORD_MODE", "GOODWORD_DATABASE_URL"):
        env.pop(name, None)
    argv = [sys.executable, __file__, "--prepare"] + [a for a in sys.argv[1:] if a != "--prepare"]
    prepared = json.loads(subprocess.run(argv, env=env, cwd=ROOT, check=True, capture_output=True, text=True)
                          .stdout.strip().splitlines()[-1])
    server = subprocess.Popen([sys.executable, "-m", "goodword", "serve", "--no-browser", "--port", "0"],
                              env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = wait_for_base_url(server)
        jar = CookieJar()
        signed_in = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with signed_in.open(base + prepared["link"]) as response:  # follows the redirect to /
            response.read()
        if not any(cookie.name == "sessionid" for cookie in jar):
            print("sign-in failed: no session cookie", file=sys.stderr)
            return 1
        signed_out = urllib.request.build_opener()

        page = fetch(signed_in, base + "/")
        if 'id="debt-' not in page:
            print("the dashboard shows no debts: is the ledger on it?", file=sys.stderr)
            return 1
        css = re.search(r'href="(/static/[^"]+\.css)"', page)
        touch = change_committer(home, prepared["user"])
        targets = [
            ("dashboard GET / (ledger)", signed_in, base + "/", None),
            ("  right after a change", signed_in, base + "/", touch),
            ("sign-in page, signed out", signed_out, base + "/accounts/login/", None),
        ]
        if css:
            targets.append(("static CSS", signed_out, base + css.group(1), None))
        results = {name: measure(opener, url, args.requests, before) for name, opener, url, before in targets}
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()

    print(f"\n== dashboard over HTTP, SQLite, waitress ({args.references} references, {args.opportunities} "
          f"opportunities, {args.listings} listings, {args.events} events; generated in {prepared['seconds']:.1f} s)")
    print(f"{'':28}{'p50':>8} {'p95':>8} {'max':>8}   ({args.requests} sequential requests each, ms)")
    for name, samples in results.items():
        p50, p95 = percentile(samples, 50), percentile(samples, 95)
        print(f"{name:28}{p50:8.1f} {p95:8.1f} {max(samples):8.1f}")
    dashboard, changed = results[targets[0][0]], results[targets[1][0]]
    for name, samples in list(results.items())[2:]:
        print(f"ratio dashboard / {name:13} p50 {percentile(dashboard, 50) / percentile(samples, 50):6.1f}x   "
              f"p95 {percentile(dashboard, 95) / percentile(samples, 95):6.1f}x")
    print(f"load average {os.getloadavg()[0]:.2f} (this machine has {os.cpu_count()} cores)")
    for label, samples in (("reloaded", dashboard), ("right after a change", changed)):
        verdict = "met" if percentile(samples, 95) < 150 else "MISSED"
        print(f"target dashboard p95 < 150 ms on SQLite, {label}: {verdict}")
    return 0


def change_committer(home: str, user_id: int):
    """A function that commits a write from its own connection, as another process would."""
    import sqlite3

    database = sqlite3.connect(Path(home) / "goodword.sqlite3", timeout=10, isolation_level=None)

    def touch():
        # A real change: SQLite skips rewriting a row with identical bytes, and then nothing changed.
        database.execute("UPDATE references_reference SET updated_at = strftime('%Y-%m-%d %H:%M:%f', 'now') "
                         "WHERE id = (SELECT MIN(id) FROM references_reference WHERE owner_id = ?)", (user_id,))

    return touch


def wait_for_base_url(server, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        if not line:
            break
        seen.append(line)
        found = re.search(r"(http://[^/\s]+)/", line)
        if found and "running at" in line:
            return found.group(1)
    raise SystemExit("the server did not start:\n" + "".join(seen))


def fetch(opener, url: str) -> str:
    with opener.open(url) as response:
        if response.status != 200:
            raise SystemExit(f"{url}: HTTP {response.status}")
        return response.read().decode()


def measure(opener, url: str, requests: int, before=None) -> list[float]:
    """Timed requests after ten warm-up ones (so that each of the server's four
    threads has read the ledger's facts once); `before` (untimed) runs ahead of each."""
    for _ in range(10):
        fetch(opener, url)
    samples = []
    for _ in range(requests):
        if before is not None:
            before()
        start = time.perf_counter()
        fetch(opener, url)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentile(samples: list[float], p: int) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


if __name__ == "__main__":
    raise SystemExit(main())
