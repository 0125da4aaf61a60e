"""How long an import takes: a 5,000-card vCard and a 20,000-row LinkedIn Connections.csv.

    python benchmarks/importer.py            # SQLite in a temporary GOODWORD_HOME
    GOODWORD_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/gw_bench python benchmarks/importer.py

For each file: parse + match + preview time (into an account that already
holds a fifth of the people, so the preview has merges and skips to find),
the commit time (one transaction), and the process's peak memory (ru_maxrss).
Targets on this machine: 5,000 cards previewed in under 3 s and committed in
under 5 s, memory under 200 MB.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def vcard_file(count: int) -> bytes:
    cards = []
    for n in range(count):
        cards.append(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"N:Person{n};Given{n};;;\r\nFN:Given{n} Person{n}\r\n"
            f"ORG:Company {n % 300};Team\r\nTITLE:Role {n % 40}\r\n"
            f"EMAIL;TYPE=INTERNET;TYPE=WORK:given{n}@company{n % 300}.example\r\n"
            f"EMAIL;TYPE=INTERNET;TYPE=HOME:person{n}@mail.example\r\n"
            f"TEL;TYPE=CELL:+1 555 {n:07d}\r\n"
            f"NOTE:Met at conference {n % 12}. A longer note that is folded over two\r\n  lines by the phone.\r\n"
            "END:VCARD\r\n"
        )
    return "".join(cards).encode()


def linkedin_file(count: int) -> bytes:
    lines = ["Notes:", '"When exporting your connection data, you may notice that some of the email addresses '
             'are missing."', "", "First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    for n in range(count):
        email = f"first{n}@corp{n % 500}.example" if n % 3 == 0 else ""
        lines.append(f'First{n},Last{n},https://www.linkedin.com/in/first{n},{email},"Corp {n % 500}, Inc.",'
                     f"Engineer {n % 20},01 Jan 2020")
    return ("\r\n".join(lines) + "\r\n").encode()


def run(label, data, fmt, user, seed):
    from goodword.lib.contact_files import parse
    from goodword.references.models import Reference
    from goodword.transfer import contacts

    Reference.objects.filter(owner=user).delete()
    seed_plan = parse(data, fmt)
    Reference.objects.bulk_create([
        Reference(owner=user, name=c.name, emails=c.emails[:1], organisation=c.organisation)
        for c in seed_plan.candidates[: len(seed_plan.candidates) // seed]
    ])
    started = time.perf_counter()
    parsed = parse(data, fmt)
    plan = contacts.preview(user, parsed)
    preview_seconds = time.perf_counter() - started
    started = time.perf_counter()
    outcome = contacts.apply(user, parsed)
    commit_seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label}: {len(data) / 1e6:.1f} MB, {len(parsed.candidates)} candidates "
          f"({plan.count('add')} add, {plan.count('merge')} merge, {plan.count('skip')} skip); "
          f"preview {preview_seconds:.2f} s, commit {commit_seconds:.2f} s "
          f"(added {outcome.added}, merged {outcome.merged}); peak memory {peak_mb:.0f} MB")
    return preview_seconds, commit_seconds, peak_mb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=5000)
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    os.environ.setdefault("GOODWORD_HOME", tempfile.mkdtemp(prefix="gw-import-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "goodword.settings"
    sys.path.insert(0, str(ROOT))
    from goodword.cli import _django

    _django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    user, _ = get_user_model().objects.get_or_create(username="import-benchmark")
    print(f"database: {connection.vendor}")
    try:
        vcard = run(f"vCard, {args.cards} cards", vcard_file(args.cards), "vcard", user, seed=5)
        run(f"LinkedIn, {args.rows} rows", linkedin_file(args.rows), "linkedin", user, seed=5)
    finally:
        user.delete()
    ok = vcard[0] < 3 and vcard[1] < 5 and vcard[2] < 200
    print("targets (5,000 cards: preview < 3 s, commit < 5 s, memory < 200 MB):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
