"""A hosted instance under a mixed load: PostgreSQL-backed gunicorn (4 processes) and one worker,
many candidates, client threads on loopback, and every response checked for another candidate's names.

    GOODWORD_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/gw_bench python benchmarks/hosted.py
    python benchmarks/hosted.py --candidates 300 --seconds 20 --threads 8
    python benchmarks/hosted.py --keep          # reuse the seeded database of an earlier run (same sizes)

The database named by GOODWORD_DATABASE_URL is created when missing and, unless --keep, emptied
(every table dropped) first: point it at a database of its own. Each candidate gets
--references, --opportunities, --listings and --events rows (bulk_create; DESIGN.md "Sizes": a
realistic job seeker has 10-40 references, 20-300 applications and a few thousand events; the
defaults are the lower middle of that, for a seed of 1,000 candidates in about a minute). Every name
a candidate owns carries their marker ("Zq00042"), so a page showing any other marker is a leak.

The run: the bare page (the sign-in page, signed out) for a third of --seconds and the mixed
workload for --seconds, in ROUNDS alternating rounds (bare, mixed, bare, ...) so that both see the
same machine. The mixed workload: dashboards, reference pages, logging an event on a reference (htmx),
adding a reference to a slate (htmx), and any COACH_PAGES. It prints requests/s, p50/p95/p99 per
page, errors and leaks, and the ratio of the mixed rate to the bare rate. Targets (issue 12):
0 errors, 0 leaks, candidate pages p95 < 100 ms, the cohort page p95 < 200 ms, throughput >= 0.5x the
bare page's.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "refs.example.org"
MARKER = re.compile(r"Zq(\d{5})")
FIRST = ["Dana", "Morgan", "Priya", "Sam", "Alex", "Jamie", "Robin", "Kim", "Lee", "Noor", "Ines", "Tariq"]
LAST = ["Whitfield", "Ellis", "Raman", "Okafor", "Novak", "Garcia", "Lindqvist", "Haddad", "Moreau", "Chen"]
COMPANIES = ["Northwind", "Fabrikam", "Contoso", "Initech", "Globex", "Umbrella", "Hooli", "Vandelay"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--references", type=int, default=20, help="per candidate")
    parser.add_argument("--opportunities", type=int, default=40, help="per candidate")
    parser.add_argument("--listings", type=int, default=80, help="per candidate")
    parser.add_argument("--events", type=int, default=500, help="per candidate")
    parser.add_argument("--signed-in", type=int, default=200, help="candidates the clients sign in as")
    parser.add_argument("--seconds", type=float, default=30.0, help="duration of the mixed workload")
    parser.add_argument("--threads", type=int, default=8, help="client threads")
    parser.add_argument("--processes", type=int, default=4, help="gunicorn processes")
    parser.add_argument("--coaches", type=int, default=10, help="coaches of one centre, each with an equal share")
    parser.add_argument("--keep", action="store_true", help="reuse the database seeded by an earlier run")
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    database = os.environ.get("GOODWORD_DATABASE_URL", "")
    if not database.startswith("postgres"):
        print("Set GOODWORD_DATABASE_URL=postgresql://… (a database of its own: it is emptied).", file=sys.stderr)
        return 2
    if args.seed:
        return seed(args)
    with tempfile.TemporaryDirectory(prefix="goodword-hosted-") as home:
        env = hosted_env(home, database)
        create_database(database)
        started = time.perf_counter()
        argv = [sys.executable, __file__, "--seed"] + [a for a in sys.argv[1:] if a != "--seed"]
        seeded = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
        if seeded.returncode:
            print(seeded.stdout + seeded.stderr, file=sys.stderr)
            return 1
        plan = json.loads(seeded.stdout.strip().splitlines()[-1])
        print(f"seeded {args.candidates} candidates ({args.references} references, {args.opportunities} "
              f"opportunities, {args.listings} listings, {args.events} events each) in "
              f"{plan['seconds']:.1f} s{' (reused)' if plan['reused'] else ''}; setup {time.perf_counter() - started:.1f} s")
        return run(args, env, plan)


def hosted_env(home: str, database: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOODWORD_", "DJANGO_"))}
    return env | {
        "GOODWORD_HOME": home, "GOODWORD_MODE": "hosted", "GOODWORD_DATABASE_URL": database,
        # A fixed key: sessions seeded by one run stay valid for the next with --keep.
        "GOODWORD_SECRET_KEY": "benchmark-only-key-" + "x7Gq3" * 8,
        "GOODWORD_ALLOWED_HOSTS": HOST, "GOODWORD_TRUSTED_PROXIES": "127.0.0.1",
        "GOODWORD_TRUSTED_ORIGINS": f"https://{HOST}", "GOODWORD_PUBLIC_URL": f"https://{HOST}",
        "GOODWORD_SMTP_URL": "smtp://127.0.0.1:2525?starttls=false", "DJANGO_SETTINGS_MODULE": "goodword.settings",
    }


def create_database(url: str) -> None:
    import psycopg

    from goodword.lib.config import libpq_url

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlsplit(libpq_url(url))._replace(path="/postgres").geturl(), autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


# ---------------------------------------------------------------- seeding (in a child process)


def seed(args) -> int:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    sizes = {k: getattr(args, k) for k in ("candidates", "references", "opportunities", "listings", "events", "coaches")}
    marker = Path(tempfile.gettempdir()) / f"goodword-hosted-{connection.settings_dict['NAME']}.json"
    from django.core.management import call_command

    if args.keep and marker.exists():
        plan = json.loads(marker.read_text())
        if plan["sizes"] == sizes:
            call_command("migrate", verbosity=0, interactive=False)  # a newer Goodword may have added some
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # as autovacuum would have, after the last run's writes
            print(json.dumps(plan | {"reused": True}))
            return 0
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    # Secondary indexes are built once at the end, not row by row: the seed's largest cost otherwise.
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND indexdef NOT LIKE %s",
                       [["timeline_event", "opportunities_listing", "opportunities_stagechange"], "%UNIQUE%"])
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    candidates, coaches = generate(args)
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("VACUUM ANALYZE")  # what autovacuum does to a live database (visibility map included)
    plan = {"sizes": sizes, "seconds": time.perf_counter() - started, "candidates": candidates, "coaches": coaches,
            "reused": False}
    marker.write_text(json.dumps(plan))
    print(json.dumps(plan))
    return 0


def generate(args) -> tuple[list[dict], list[dict]]:
    """Every candidate and their rows by bulk_create, 100 candidates at a time; sessions for --signed-in of
    them; then one centre whose --coaches coaches share every candidate, each signed in."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from goodword.opportunities.models import Listing, Opportunity, StageChange
    from goodword.references.models import Reference
    from goodword.timeline.models import Event

    rng = random.Random(12)
    now = timezone.now()
    User = get_user_model()
    password = make_password("benchmark password")  # hashed once, shared: nobody signs in with it
    created_at = Listing._meta.get_field("created_at")
    created_at.auto_now_add = False
    driven = set(rng.sample(range(args.candidates), min(args.signed_in, args.candidates)))
    plan = []
    user_ids = []
    for start in range(0, args.candidates, 100):
        numbers = range(start, min(start + 100, args.candidates))
        with transaction.atomic():
            users = User.objects.bulk_create([
                User(username=f"cand{i:05d}", first_name=rng.choice(FIRST), last_name=f"{rng.choice(LAST)} Zq{i:05d}",
                     email=f"cand{i:05d}@example.org", password=password) for i in numbers])
            user_ids += [user.pk for user in users]
            refs = Reference.objects.bulk_create([
                Reference(owner=user, name=f"{rng.choice(FIRST)} {rng.choice(LAST)} Zq{i:05d}",
                          emails=[f"r{j}.zq{i:05d}@example.com"], organisation=f"{rng.choice(COMPANIES)} Zq{i:05d}",
                          relationship=rng.choice(["manager", "peer", "client", "mentor", "skip_level"]))
                for i, user in zip(numbers, users) for j in range(args.references)], batch_size=5000)
            opps = Opportunity.objects.bulk_create([
                Opportunity(owner=user, company=f"{rng.choice(COMPANIES)} Zq{i:05d}", role="Engineer",
                            references_wanted=3)
                for i, user in zip(numbers, users) for _ in range(args.opportunities + 1)], batch_size=5000)
            refs_of = {user.pk: [r for r in refs if r.owner_id == user.pk] for user in users}
            opps_of = {user.pk: [o for o in opps if o.owner_id == user.pk] for user in users}
            stages, listings, events = [], [], []
            for user in users:
                own_refs, own_opps = refs_of[user.pk], opps_of[user.pk]
                target, history = own_opps[0], own_opps[1:]  # the target's slate is filled by the workload
                stages.append(StageChange(opportunity=target, stage="references_requested", changed_on=now.date()))
                for opportunity in history:
                    days = rng.uniform(5, 700)
                    for stage, offset in (("applied", 0), ("interviewing", 7), ("references_requested", 10)):
                        if offset < days:
                            stages.append(StageChange(opportunity=opportunity, stage=stage,
                                                      changed_on=(now - dt.timedelta(days=days - offset)).date()))
                    if days > 60:
                        stages.append(StageChange(opportunity=opportunity, stage=rng.choice(["rejected", "withdrawn"]),
                                                  changed_on=(now - dt.timedelta(days=days - 30)).date()))
                pairs = {(rng.choice(history).pk, rng.choice(own_refs).pk) for _ in range(args.listings)}
                listings += [Listing(opportunity_id=o, reference_id=r, created_at=now - dt.timedelta(days=rng.uniform(1, 700)))
                             for o, r in pairs]
                kinds = ["call", "meeting", "note", "keep_in_touch", "heads_up", "thanked", "outcome_shared"]
                events += [Event(owner=user, reference=rng.choice(own_refs), kind=rng.choice(kinds), channel="email",
                                 occurred_at=now - dt.timedelta(days=rng.uniform(0, 1000)))
                           for _ in range(args.events)]
            StageChange.objects.bulk_create(stages, batch_size=5000)
            Listing.objects.bulk_create(listings, batch_size=5000)
            Event.objects.bulk_create(events, batch_size=5000)
            for i, user in zip(numbers, users):
                if i not in driven:
                    continue
                plan.append({"number": i, "session": signed_in(user),
                             "references": [r.pk for r in refs_of[user.pk]], "target": opps_of[user.pk][0].pk})
        print(f"  {numbers[-1] + 1} candidates", file=sys.stderr)
    created_at.auto_now_add = True
    return plan, seed_centre(args, user_ids, signed_in)


def signed_in(user) -> str:
    """A session key for `user`, as sign-in would store it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def seed_centre(args, user_ids: list[int], signed_in) -> list[dict]:
    """One centre holding every candidate; coach k is assigned the k-th equal share of them."""
    from django.contrib.auth import get_user_model

    from goodword.centres.models import Assignment, Centre, Membership

    if not args.coaches:
        return []
    centre = Centre.objects.create(name="Bench Careers", slug="bench")
    members = Membership.objects.bulk_create(
        [Membership(centre=centre, user_id=pk, role="candidate") for pk in user_ids], batch_size=5000)
    share = len(members) // args.coaches
    coaches = []
    for k in range(args.coaches):
        user = get_user_model().objects.create_user(username=f"coach{k:02d}", email=f"coach{k:02d}@example.org",
                                                    first_name="Coach", last_name=f"Number {k}")
        coach = Membership.objects.create(centre=centre, user=user, role="coach")
        assigned = range(k * share, (k + 1) * share)
        Assignment.objects.bulk_create([Assignment(coach=coach, candidate=members[n]) for n in assigned])
        coaches.append({"number": 90000 + k, "session": signed_in(user), "assigned": list(assigned)})
    return coaches


# ---------------------------------------------------------------- the run


ROUNDS = 6


def run(args, env: dict, plan: dict) -> int:
    gunicorn = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "python:goodword.gunicorn_conf", "--bind", "127.0.0.1:0",
         "--workers", str(args.processes), "goodword.wsgi"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    worker = subprocess.Popen([str(BIN / "goodword"), "worker"], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port = listening_port(gunicorn)
        threading.Thread(target=lambda: [None for _ in gunicorn.stderr], daemon=True).start()  # keep the pipe drained
        Client(port, None, 0).get("/healthz")
        print(f"warmed every signed-in candidate's dashboard and every coach's cohort once in "
              f"{warm(port, plan['candidates'] + plan.get('coaches', []), args.threads):.1f} s")
        bare = Load(port, plan["candidates"], args.threads, bare=True)
        mixed = Load(port, plan["candidates"], args.threads, coaches=plan.get("coaches"))
        # Alternating rounds: both see the same machine, whose speed drifts on a shared host.
        for _ in range(ROUNDS):
            bare.run(args.seconds / 3 / ROUNDS)
            mixed.run(args.seconds / ROUNDS)
        health = Client(port, None, 0).get("/healthz?worker=1")
    finally:
        for process in (gunicorn, worker):
            process.terminate()
        for process in (gunicorn, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    report(args, bare, mixed, health)
    return 0


def listening_port(process) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", line)
        if found:
            return int(found.group(1))
        if not line and process.poll() is not None:
            break
    raise SystemExit("gunicorn did not start")


class Client:
    """One candidate's HTTP connection, as the proxy would pass requests on."""

    def __init__(self, port: int, session: str | None, number: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.csrf = secrets.token_hex(16)  # Django accepts a 32-character cookie and the same form field
        self.cookies = f"csrftoken={self.csrf}" + (f"; sessionid={session}" if session else "")
        self.client_ip = f"198.51.{number // 250}.{number % 250 + 1}"

    def request(self, method: str, path: str, form: dict | None = None, htmx: bool = False):
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": self.client_ip,
                   "Cookie": self.cookies}
        body = None
        if form is not None:
            body = urlencode(form | {"csrfmiddlewaretoken": self.csrf})
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://{HOST}"}
        if htmx:
            headers["HX-Request"] = "true"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise

    def get(self, path: str):
        return self.request("GET", path)


def cohort_page(coach: dict, client: Client):
    """A coach's cohort page: every assigned candidate's name is allowed on it, nobody else's."""
    status, body = client.get("/centre/")
    return status, body, set(coach["assigned"])


class Load:
    def __init__(self, port: int, candidates: list[dict], threads: int, bare: bool = False,
                 coaches: list[dict] | None = None):
        self.port, self.candidates, self.threads, self.bare = port, candidates, threads, bare
        self.coaches = coaches or []
        self.samples: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self.leaks: list[str] = []
        self.lock = threading.Lock()
        self.local = threading.local()
        self.count = 0
        self.elapsed = 0.0

    def pages(self, candidate, client, rng):
        """(name, weight, function() -> (status, body) or (status, body, the marker numbers it may show))."""
        reference = rng.choice(candidate["references"])
        pages = [
            ("dashboard /", 40, lambda: client.get("/")),
            ("reference page", 30, lambda: client.get(f"/references/{reference}/")),
            ("log an event (htmx)", 15, lambda: client.request(
                "POST", f"/timeline/references/{reference}/log/", {"kind": "call", "channel": "phone",
                                                                   "note": "Caught up."}, htmx=True)),
        ]
        if candidate["references"]:
            pages.append(("slate change (htmx)", 15, lambda: self.add_to_slate(candidate, client)))
        if self.coaches:
            coach = rng.choice(self.coaches)
            pages.append((f"coach cohort ({len(coach['assigned'])})", 5,
                          lambda: cohort_page(coach, self.coach_client(coach))))
        return pages

    def coach_client(self, coach):
        # One connection per coach and thread (http.client connections are not shared across threads).
        clients = self.local.__dict__.setdefault("coaches", {})
        if coach["number"] not in clients:
            clients[coach["number"]] = Client(self.port, coach["session"], coach["number"])
        return clients[coach["number"]]

    @staticmethod
    def add_to_slate(candidate, client):
        with_slate = candidate.setdefault("unlisted", list(candidate["references"]))
        if not with_slate:
            return client.get(f"/jobs/{candidate['target']}/")
        reference = with_slate.pop()
        return client.request("POST", f"/jobs/{candidate['target']}/slate/add/", {"reference": reference}, htmx=True)

    def run(self, seconds: float) -> Load:
        deadline = time.perf_counter() + seconds
        started = time.perf_counter()
        threads = [threading.Thread(target=self.client, args=(n, deadline)) for n in range(self.threads)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.elapsed += time.perf_counter() - started
        return self

    def client(self, index: int, deadline: float):
        rng = random.Random(index)
        # Each thread drives its own slice of candidates: no two threads change one slate at once.
        mine = self.candidates[index::self.threads]
        clients = {}
        while time.perf_counter() < deadline:
            candidate = rng.choice(mine)
            number = candidate["number"]
            if number not in clients:
                clients[number] = Client(self.port, None if self.bare else candidate["session"], number)
            client = clients[number]
            if self.bare:
                name, call = "bare: sign-in page", (lambda: client.get("/accounts/login/"))
            else:
                pages = self.pages(candidate, client, rng)
                name, _weight, call = rng.choices(pages, weights=[p[1] for p in pages])[0]
            start = time.perf_counter()
            allowed = {number}
            try:
                status, body, *shown = call()
                if shown:
                    allowed = shown[0]
            except (OSError, http.client.HTTPException) as error:
                status, body = 0, str(error)
                clients.pop(number, None)
                self.local.__dict__.get("coaches", {}).clear()
            took = (time.perf_counter() - start) * 1000
            foreign = {int(n) for n in MARKER.findall(body)} - allowed
            with self.lock:
                self.count += 1
                self.samples.setdefault(name, []).append(took)
                if status != 200:
                    self.errors.append(f"{name}: HTTP {status}")
                if foreign:
                    self.leaks.append(f"{name} for candidate {number} showed {sorted(foreign)[:5]}")


def warm(port: int, candidates: list[dict], threads: int) -> float:
    """Every signed-in candidate's dashboard once, untimed: the steady state of people who come back
    (each process has imported everything, each candidate's ledger summary is kept). Returns seconds."""
    from concurrent.futures import ThreadPoolExecutor

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda c: Client(port, c["session"], c["number"]).get("/centre/" if "assigned" in c else "/"),
                      candidates))
    return time.perf_counter() - started


def percentile(samples: list[float], p: int) -> float:
    if len(samples) < 2:
        return samples[0] if samples else 0.0
    return statistics.quantiles(samples, n=100, method="inclusive")[p - 1]


def report(args, bare: Load, mixed: Load, health) -> None:
    bare_rate = bare.count / bare.elapsed
    mixed_rate = mixed.count / mixed.elapsed
    print(f"\n== gunicorn x{args.processes} + 1 worker, PostgreSQL, {args.threads} client threads, "
          f"{len(mixed.candidates)} of {args.candidates} candidates signed in")
    print(f"{'':26}{'requests':>9} {'p50':>7} {'p95':>7} {'p99':>7}   (ms)")
    for load in (bare, mixed):
        for name, samples in sorted(load.samples.items()):
            print(f"{name:26}{len(samples):9d} {percentile(samples, 50):7.1f} {percentile(samples, 95):7.1f} "
                  f"{percentile(samples, 99):7.1f}")
    print(f"bare page: {bare_rate:.1f} req/s; mixed workload: {mixed_rate:.1f} req/s "
          f"({mixed_rate / bare_rate:.2f}x the bare page)")
    print(f"errors: {len(mixed.errors) + len(bare.errors)}   leaks: {len(mixed.leaks)}")
    for problem in (bare.errors + mixed.errors + mixed.leaks)[:10]:
        print("  " + problem)
    print(f"/healthz?worker=1 at the end: {health[0]} {health[1].strip()}")
    print(f"load average {os.getloadavg()[0]:.2f} (this machine has {os.cpu_count()} cores)")
    candidate_pages = [s for name, s in mixed.samples.items() if not name.startswith(("bare", "coach"))]
    worst_p95 = max((percentile(s, 95) for s in candidate_pages), default=0.0)
    cohort = [s for name, s in mixed.samples.items() if name.startswith("coach")]
    cohort_p95 = max((percentile(s, 95) for s in cohort), default=0.0)
    for label, met in [("0 errors", not (mixed.errors or bare.errors)), ("0 leaks", not mixed.leaks),
                       ("candidate pages p95 < 100 ms", worst_p95 < 100),
                       ("a coach's cohort page p95 < 200 ms", bool(cohort) and cohort_p95 < 200),
                       ("throughput >= 0.5x the bare page", mixed_rate >= 0.5 * bare_rate)]:
        print(f"target {label}: {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    raise SystemExit(main())
