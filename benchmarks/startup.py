"""How fast the `goodword` command starts, as ratios against baselines timed in the same run.

    python benchmarks/startup.py [--runs 15] [--check]

- `goodword --help` and `goodword --version` against `python -c pass`
  (target ≤ 5×: they must not import Django);
- `goodword ref list` on a data folder already migrated (and holding the demo
  sample) against `python -c "import django; django.setup()"` with the same
  settings (target ≤ 1.2×: a database command should cost little more than
  Django itself).

Each figure is the median wall time of --runs subprocess runs after one
warm-up run, each command alternating with its baseline so that load from
elsewhere on the machine weighs on both alike. --check exits 1 when a target
is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def goodword_script() -> str:
    beside = Path(sys.executable).parent / "goodword"
    found = str(beside) if beside.exists() else shutil.which("goodword")
    if not found:
        sys.exit("No goodword script next to this Python or on PATH; run `pip install -e .` first.")
    return found


def run_once(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=env["GOODWORD_HOME"], check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    took = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed: {done.stderr.decode().strip()}")
    return took


def paired_medians(command, env, baseline, baseline_env, runs: int) -> tuple[float, float]:
    """Alternate the command and its baseline so that a busy machine slows both alike."""
    ours, theirs = [], []
    for attempt in range(runs + 1):
        took, base = run_once(command, env), run_once(baseline, baseline_env)
        if attempt:  # the first pair warms the file cache and the bytecode
            ours.append(took)
            theirs.append(base)
    return statistics.median(ours), statistics.median(theirs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per command (default 15)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a ratio misses its target")
    options = parser.parse_args()

    goodword = goodword_script()
    home = tempfile.mkdtemp(prefix="goodword-bench-")
    try:
        # The user's shell, minus anything that would point at another database or settings module.
        env = {key: value for key, value in os.environ.items() if not key.startswith(("GOODWORD_", "DJANGO_"))}
        env["GOODWORD_HOME"] = home
        # Time a warm install, as a user's second run sees it: bytecode is
        # cached (in the temp folder, so the source tree stays clean) even
        # where PYTHONDONTWRITEBYTECODE is set.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = os.path.join(home, "pycache")
        subprocess.run([goodword, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        django_env = env | {"DJANGO_SETTINGS_MODULE": "goodword.settings"}
        python = sys.executable
        rows = [
            ("goodword --help", [goodword, "--help"], "python -c pass", [python, "-c", "pass"], env, 5.0),
            ("goodword --version", [goodword, "--version"], "python -c pass", [python, "-c", "pass"], env, 5.0),
            ("goodword ref list", [goodword, "ref", "list"], "django.setup()",
             [python, "-c", "import django; django.setup()"], django_env, 1.2),
        ]
        results = []
        for name, command, base_name, base_command, base_env, target in rows:
            took, base = paired_medians(command, env, base_command, base_env, options.runs)
            results.append((name, took, base_name, base, took / base, target))
    finally:
        shutil.rmtree(home, ignore_errors=True)

    print(f"median of {options.runs} runs, Python {sys.version.split()[0]}")
    print(f"{'command':<20} {'ms':>7}   {'baseline':<16} {'ms':>7}   {'ratio':>6}   target")
    missed = False
    for name, took, base_name, base, ratio, target in results:
        ok = ratio <= target
        missed |= not ok
        print(f"{name:<20} {took * 1000:7.1f}   {base_name:<16} {base * 1000:7.1f}   {ratio:5.2f}×   "
              f"≤ {target}× {'ok' if ok else 'MISSED'}")
    return 1 if options.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
