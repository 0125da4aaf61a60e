"""The numbers and defaults the docs state are the code's: the code is the source, the docs follow."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goodword.courtesy import ledger
from goodword.lib import config
from tests.factories.courtesy import populate

ROOT = Path(__file__).resolve().parent.parent
CONFIGURATION = (ROOT / "docs" / "configuration.md").read_text()
NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def documented_variables() -> dict[str, str]:
    """Variable -> its default column, from the table in docs/configuration.md."""
    rows = re.findall(r"^\| `(GOODWORD_[A-Z_]+)` \| ([^|]*) \|", CONFIGURATION, flags=re.MULTILINE)
    return dict(rows)


def test_the_config_module_reads_exactly_the_documented_variables():
    read = set(re.findall(r"GOODWORD_[A-Z_]*[A-Z]", (ROOT / "goodword" / "lib" / "config.py").read_text()))
    assert read == set(documented_variables())


def test_no_module_but_the_config_module_reads_a_goodword_variable():
    readers = []
    for path in (ROOT / "goodword").rglob("*.py"):
        if path == ROOT / "goodword" / "lib" / "config.py":
            continue
        text = path.read_text()
        if re.search(r"(environ|getenv)\b[^\n]*GOODWORD_", text):
            readers.append(str(path.relative_to(ROOT)))
    assert readers == []


@pytest.mark.parametrize(
    ("variable", "default"),
    [
        ("GOODWORD_ALLOWED_HOSTS", lambda loaded: ",".join(loaded.allowed_hosts)),
        ("GOODWORD_PUBLIC_URL", lambda loaded: loaded.public_url),
        ("GOODWORD_MODE", lambda loaded: loaded.mode),
        ("GOODWORD_USER", lambda loaded: loaded.cli_user),
        ("GOODWORD_EMAIL_FROM", lambda loaded: loaded.email_from),
        ("GOODWORD_DEBUG", lambda loaded: str(loaded.debug).lower()),
    ],
)
def test_documented_defaults_are_the_codes(tmp_path, variable, default):
    loaded = config.load({"GOODWORD_HOME": str(tmp_path)})
    assert f"`{default(loaded)}`" in documented_variables()[variable]


def test_a_public_url_that_is_not_http_stops_start_up_naming_the_variable(tmp_path):
    with pytest.raises(config.ConfigError, match=r"GOODWORD_PUBLIC_URL='ftp://refs\.example\.org'"):
        config.load({"GOODWORD_HOME": str(tmp_path), "GOODWORD_PUBLIC_URL": "ftp://refs.example.org"})


def stated_counts(text: str) -> list[int]:
    words = re.findall(r"\bin (\w+) queries\b", text)
    assert words, "the text no longer states the query count"
    return [int(word) if word.isdigit() else NUMBER_WORDS.index(word) for word in words]


@pytest.mark.django_db
def test_the_ledger_query_count_in_the_docs_is_the_one_measured(alice):
    populate(alice, 3)
    with CaptureQueriesContext(connection) as facts:
        ledger.fetch_facts(alice)
    with CaptureQueriesContext(connection) as whole:
        ledger.build_ledger(alice)

    for text in [(ROOT / "docs" / "ledger.md").read_text(), (ROOT / "docs" / "design.md").read_text(),
                 ledger.fetch_facts.__doc__]:
        assert set(stated_counts(text)) == {len(facts.captured_queries)}
    assert "`build_ledger` adds one query for the decisions" in (ROOT / "docs" / "ledger.md").read_text()
    assert len(whole.captured_queries) == len(facts.captured_queries) + 1
