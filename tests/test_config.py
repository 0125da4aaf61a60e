import os
import re
import stat
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.db import connection, connections

from goodword.lib import config

ROOT = Path(__file__).resolve().parent.parent


def load(tmp_path, **env):
    return config.load({"GOODWORD_HOME": str(tmp_path), **env})


def test_every_variable_the_code_reads_is_documented():
    read = set()
    for path in (ROOT / "goodword").rglob("*.py"):
        read |= set(re.findall(r"GOODWORD_[A-Z_]+[A-Z]", path.read_text()))
    documented = set(re.findall(r"`(GOODWORD_[A-Z_]+)`", (ROOT / "docs" / "configuration.md").read_text()))
    # Settings names that merely mirror a variable (GOODWORD_CLI_USER…) are not variables.
    settings_only = {"GOODWORD_CLI_USER"}
    assert read - settings_only - documented == set()


def test_default_database_is_a_sqlite_file_in_the_home_folder(tmp_path):
    loaded = load(tmp_path)
    assert loaded.database["ENGINE"] == "goodword.core.backends.sqlite3"
    assert loaded.database["NAME"] == str(tmp_path / "goodword.sqlite3")


def test_postgresql_url_becomes_a_psycopg_database(tmp_path):
    loaded = load(tmp_path, GOODWORD_DATABASE_URL="postgresql://ann:s%40cret@db.internal:6543/refs?sslmode=require")
    db = loaded.database
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql", "refs", "ann", "s@cret", "db.internal", "6543",
    )
    assert db["OPTIONS"] == {"sslmode": "require", "server_side_binding": False, "prepare_threshold": None}


@pytest.mark.parametrize(
    ("query", "binding", "threshold"),
    [
        ("", False, None),  # Django's default: client-side binding, which cannot prepare
        ("?server_side_binding=true", True, 5),
        ("?server_side_binding=true&prepare_threshold=0", True, 0),
        ("?server_side_binding=yes&prepare_threshold=none", True, None),
        ("?prepare_threshold=3", False, None),
        ("?server_side_binding=on&prepare_threshold=12", True, 12),
    ],
)
def test_postgresql_prepares_statements_when_the_url_asks_for_it(tmp_path, query, binding, threshold):
    options = load(tmp_path, GOODWORD_DATABASE_URL=f"postgresql://db/refs{query}").database["OPTIONS"]
    assert (options["server_side_binding"], options["prepare_threshold"]) == (binding, threshold)


def test_absolute_sqlite_url_is_honoured(tmp_path):
    loaded = load(tmp_path, GOODWORD_DATABASE_URL=f"sqlite:///{tmp_path}/other.sqlite3")
    assert loaded.database["NAME"] == f"{tmp_path}/other.sqlite3"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"GOODWORD_DATABASE_URL": "mysql://root@localhost/refs"}, "GOODWORD_DATABASE_URL has the unknown scheme 'mysql'"),
        ({"GOODWORD_DATABASE_URL": "postgresql://localhost"}, "names no database"),
        ({"GOODWORD_DATABASE_URL": "postgresql://localhost:port/x"}, "port that is not a number"),
        ({"GOODWORD_DATABASE_URL": "postgresql://db/x?prepare_threshold=-1"}, "prepare_threshold='-1'; use a count"),
        ({"GOODWORD_DATABASE_URL": "postgresql://db/x?server_side_binding=maybe"}, "server_side_binding='maybe'"),
        ({"GOODWORD_DEBUG": "maybe"}, "GOODWORD_DEBUG='maybe' is not a boolean"),
        ({"GOODWORD_MODE": "cloud"}, "GOODWORD_MODE='cloud' is not a mode"),
        ({"GOODWORD_TIME_ZONE": "Mars/Olympus"}, "GOODWORD_TIME_ZONE='Mars/Olympus' is not a known time zone"),
        ({"GOODWORD_SECRET_KEY": "short"}, "GOODWORD_SECRET_KEY is shorter than 32"),
        ({"GOODWORD_MODE": "hosted", "GOODWORD_ALLOWED_HOSTS": "refs.example.org"}, "needs GOODWORD_SECRET_KEY"),
        ({"GOODWORD_MODE": "hosted", "GOODWORD_SECRET_KEY": "k" * 40}, "needs GOODWORD_ALLOWED_HOSTS"),
    ],
)
def test_bad_values_stop_start_up_naming_the_variable(tmp_path, env, message):
    with pytest.raises(config.ConfigError, match=re.escape(message)):
        load(tmp_path, **env)


def test_home_that_cannot_be_created_is_refused(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(config.ConfigError, match="GOODWORD_HOME=.*cannot be created"):
        config.load({"GOODWORD_HOME": str(blocker / "goodword")})


def test_home_that_is_a_file_is_refused(tmp_path):
    a_file = tmp_path / "file"
    a_file.write_text("")
    with pytest.raises(config.ConfigError, match="GOODWORD_HOME=.*(cannot be created|is not a folder)"):
        config.load({"GOODWORD_HOME": str(a_file)})


def test_local_secret_key_is_generated_once_and_private(tmp_path):
    first = load(tmp_path).secret_key
    second = load(tmp_path).secret_key
    key_file = tmp_path / "secret_key"
    assert first == second and len(first) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_secret_key_from_the_environment_wins_and_writes_nothing(tmp_path):
    loaded = load(tmp_path, GOODWORD_SECRET_KEY="x" * 40)
    assert loaded.secret_key == "x" * 40
    assert not (tmp_path / "secret_key").exists()


def test_secret_key_file_is_read(tmp_path):
    key_file = tmp_path / "key.txt"
    key_file.write_text("y" * 48 + "\n")
    assert load(tmp_path, GOODWORD_SECRET_KEY_FILE=str(key_file)).secret_key == "y" * 48


@pytest.mark.django_db
def test_sqlite_connection_runs_with_wal_busy_timeout_and_foreign_keys():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite pragmas only apply to SQLite")
    with connection.cursor() as cursor:
        pragmas = {}
        for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous"):
            cursor.execute(f"PRAGMA {name}")
            pragmas[name] = cursor.fetchone()[0]
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 10000, "synchronous": 1}
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.django_db
def test_suite_runs_on_the_database_ci_asked_for():
    """.ci/run sets GOODWORD_TEST_EXPECT_DATABASE so that a run that silently fell back to SQLite fails."""
    expected = os.environ.get("GOODWORD_TEST_EXPECT_DATABASE")
    if expected is None:
        pytest.skip("not under .ci/run")
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db
def test_postgresql_runs_a_repeated_query_as_a_prepared_statement_when_asked(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    url = "postgresql://{USER}@{HOST}:{PORT}/{NAME}?server_side_binding=true".format(**connection.settings_dict)
    asked = load(tmp_path, GOODWORD_DATABASE_URL=url).database
    wrapper = type(connections["default"])
    prepared = wrapper({**connection.settings_dict, "OPTIONS": asked["OPTIONS"]})  # a second connection
    try:
        with prepared.cursor() as cursor:
            for _ in range(config.PREPARE_THRESHOLD + 1):
                cursor.execute('SELECT id FROM "references_reference" WHERE "name" = %s', ["prepared"])
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            statements = [row[0] for row in cursor.fetchall()]
    finally:
        prepared.close()
    assert any('"name" = $1' in statement for statement in statements), statements


@pytest.mark.django_db
def test_hosted_mode_with_debug_fails_the_goodword_check(settings):
    settings.GOODWORD_MODE = "hosted"
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["*"]
    ids = {message.id for message in run_checks()}
    assert {"goodword.E001", "goodword.W002"} <= ids


@pytest.mark.django_db
def test_local_mode_passes_the_goodword_checks():
    assert not [m for m in run_checks() if m.id.startswith("goodword.")]


def test_smtp_url_becomes_the_instance_mailer_with_a_timeout(tmp_path):
    mailer = load(tmp_path, GOODWORD_SMTP_URL="smtp://digest%40example.org:p%40ss@mail.example.org:2587").mailer
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] == {
        "host": "mail.example.org", "port": 2587, "username": "digest@example.org", "password": "p@ss",
        "use_ssl": False, "use_tls": True, "timeout": 20,
    }
    assert load(tmp_path, GOODWORD_SMTP_URL="smtps://mail.example.org").mailer["OPTIONS"]["port"] == 465


def test_without_smtp_url_the_instance_prints_its_mail(tmp_path):
    assert load(tmp_path).mailer["BACKEND"] == "django.core.mail.backends.console.EmailBackend"


@pytest.mark.parametrize("url", ["http://mail.example.org", "smtp://", "smtp://host:port"])
def test_bad_smtp_url_is_refused_naming_the_variable(tmp_path, url):
    with pytest.raises(config.ConfigError, match="GOODWORD_SMTP_URL="):
        load(tmp_path, GOODWORD_SMTP_URL=url)


def test_instance_mail_reaches_a_real_smtp_server(tmp_path, settings, db):
    """The MAILERS entry built from GOODWORD_SMTP_URL really talks SMTP (aiosmtpd on loopback)."""
    from django.core import mail

    from tests.factories.outreach import SmtpSink

    with SmtpSink() as sink:
        settings.MAILERS = {"default": load(tmp_path, GOODWORD_SMTP_URL=f"smtp://127.0.0.1:{sink.port}?starttls=false").mailer}
        mail.send_mail("Your Goodword digest", "3 things due.", "goodword@example.org", ["alice@example.org"])
        assert sink.handler.wait_for(1)
    assert sink.handler.received[0]["Subject"] == "Your Goodword digest"


def test_libpq_gets_the_database_url_without_goodwords_own_options():
    url = "postgresql://ann@db:5432/refs?sslmode=require&prepare_threshold=none&server_side_binding=false"
    assert config.libpq_url(url) == "postgresql://ann@db:5432/refs?sslmode=require"
    assert config.libpq_url("postgresql://ann@db/refs") == "postgresql://ann@db/refs"
