"""constraints.txt pins every package pyproject.toml names, within its bounds, and both
commands in the README install with it."""

import importlib.metadata
import os
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def pins():
    pinned = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pinned[canonicalize_name(name)] = version
    return pinned


def named_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    named = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        named += extra
    return [Requirement(text) for text in named]


def test_every_package_pyproject_names_is_pinned_within_its_bounds():
    pinned = pins()
    for requirement in named_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is in pyproject.toml but not pinned in constraints.txt"
        assert requirement.specifier.contains(pinned[name]), f"{name}=={pinned[name]} is outside {requirement}"
        for extra in requirement.extras:  # psycopg[binary] installs psycopg-binary
            assert canonicalize_name(f"{requirement.name}-{extra}") in pinned, f"{requirement} is not pinned whole"


def test_both_readme_commands_install_the_pinned_versions():
    readme = (ROOT / "README.md").read_text()
    installs = re.findall(r"^python3\.12 -m venv .*$", readme, flags=re.MULTILINE)
    assert len(installs) == 2
    assert all(" -c constraints.txt " in command for command in installs), installs


@pytest.mark.skipif(not os.environ.get("GOODWORD_TEST_EXPECT_DATABASE"), reason="not under .ci/run")
def test_ci_runs_on_exactly_the_pinned_versions():
    for name, version in pins().items():
        assert importlib.metadata.version(name) == version, name
