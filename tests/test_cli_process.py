"""The CLI as users run it: real processes, a fresh data folder, and no Django for --help."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from goodword import __version__
from goodword.cli import common
from goodword.opportunities.models import InterviewFormat, Stage
from goodword.references.models import Channel, Relationship, Status
from goodword.timeline.models import EventKind

NO_DJANGO = """
import sys
from goodword.cli import main
code = main({args!r}, standalone_mode=False)
assert code in (0, None), code
loaded = sorted(name for name in sys.modules if name == "django" or name.startswith("django."))
assert not loaded, loaded[:5]
"""


def plain_env(home):
    """The environment of a user's shell: no test settings, no PostgreSQL, a data folder of its own."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GOODWORD_", "DJANGO_"))}
    env["GOODWORD_HOME"] = str(home)
    return env


def installed_script():
    script = Path(sys.executable).parent / "goodword"
    assert script.exists(), f"{script} is missing: install the package (pip install -e .)"
    return str(script)


@pytest.mark.parametrize(
    "args",
    [["--help"], ["--version"], ["ref", "--help"], ["ref", "add", "--help"], ["job", "--help"],
     ["job", "interview", "--help"], ["slate", "--help"], ["log", "--help"], ["demo", "--help"]],
)
def test_help_and_version_import_no_django(args, tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", NO_DJANGO.format(args=args)], env=plain_env(tmp_path),
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout


def test_installed_script_adds_and_lists_a_reference_in_a_fresh_home(tmp_path):
    env = plain_env(tmp_path)
    added = subprocess.run(
        [installed_script(), "ref", "add", "Dana Whitfield", "--email", "dana@example.com", "--relationship", "manager"],
        env=env, capture_output=True, text=True, check=False, timeout=120,
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("Added Dana Whitfield (id ")
    assert (tmp_path / "goodword.sqlite3").exists()
    listed = subprocess.run(
        [installed_script(), "ref", "list", "--json"], env=env, capture_output=True, text=True, check=False, timeout=60
    )
    assert listed.returncode == 0, listed.stderr
    [row] = json.loads(listed.stdout)
    assert (row["name"], row["emails"], row["relationship"]) == ("Dana Whitfield", ["dana@example.com"], "manager")


def test_errors_from_the_installed_script_are_one_line_without_traceback(tmp_path):
    done = subprocess.run(
        [installed_script(), "ref", "add", "Dana", "--email", "nope"],
        env=plain_env(tmp_path), capture_output=True, text=True, check=False, timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: --email: “nope” is not a valid email address."


def test_python_dash_m_goodword_prints_the_version(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "goodword", "--version"], env=plain_env(tmp_path),
        capture_output=True, text=True, check=False, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"goodword, version {__version__}"


@pytest.mark.parametrize(
    ("listed", "choices"),
    [
        (common.RELATIONSHIPS, Relationship), (common.STATUSES, Status), (common.CHANNELS, Channel),
        (common.STAGES, Stage), (common.INTERVIEW_FORMATS, InterviewFormat), (list(common.EVENT_KINDS), EventKind),
    ],
)
def test_the_clis_choice_lists_match_the_models(listed, choices):
    # The CLI repeats them so that --help needs no Django; this keeps the copies honest.
    assert list(listed) == list(choices.values)


def test_the_event_kind_labels_match_the_models():
    assert common.EVENT_KINDS == dict(EventKind.choices)


def test_closed_stages_match_the_models():
    from goodword.opportunities.models import CLOSED_STAGES

    assert set(common.CLOSED_STAGES) == set(CLOSED_STAGES)
