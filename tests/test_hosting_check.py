"""`goodword check --deploy --fail-level WARNING` passes on a realistic hosted configuration, and fails on a bad one.

CI runs this file on SQLite and on PostgreSQL; the hosted configuration always
names a PostgreSQL database (the test run's own one when there is one; the
checks do not connect to it), as a hosted instance should.
"""

import os
import secrets
import subprocess
import sys

import pytest
from django.db import connection


def hosted_env(tmp_path, **extra):
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        database = f"postgresql://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"
    else:
        database = "postgresql://goodword@db.internal:5432/goodword"
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(40))
    key_file.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOODWORD_", "DJANGO_"))}
    return env | {
        "GOODWORD_HOME": str(tmp_path), "GOODWORD_MODE": "hosted", "GOODWORD_SECRET_KEY_FILE": str(key_file),
        "GOODWORD_DATABASE_URL": database, "GOODWORD_ALLOWED_HOSTS": "refs.example.org",
        "GOODWORD_TRUSTED_PROXIES": "127.0.0.1,::1", "GOODWORD_TRUSTED_ORIGINS": "https://refs.example.org",
        "GOODWORD_SMTP_URL": "smtp://goodword:pw@mail.example.org:587", "GOODWORD_PUBLIC_URL": "https://refs.example.org",
    } | extra


def check(env, *args):
    return subprocess.run([sys.executable, "-m", "goodword", "check", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_a_realistic_hosted_configuration_passes_the_deployment_checks_at_warning_level(tmp_path):
    done = check(hosted_env(tmp_path), "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


@pytest.mark.parametrize(("extra", "problem"), [
    ({"GOODWORD_DEBUG": "true"}, "goodword.E001"),
    ({"GOODWORD_SECRET_KEY": "k" * 60}, "goodword.E003"),
    ({"GOODWORD_ALLOWED_HOSTS": "*"}, "goodword.W002"),
    ({"GOODWORD_DATABASE_URL": "sqlite:////tmp/goodword-hosted.sqlite3"}, "goodword.W001"),
    ({"GOODWORD_HSTS_INCLUDE_SUBDOMAINS": "false"}, "security.W005"),
])
def test_a_hosted_configuration_with_a_problem_fails_and_names_it(tmp_path, extra, problem):
    done = check(hosted_env(tmp_path, **extra), "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 1
    assert problem in done.stderr


def test_hosted_mode_without_its_proxy_settings_fails_before_any_check_saying_what_to_set(tmp_path):
    env = hosted_env(tmp_path)
    del env["GOODWORD_TRUSTED_PROXIES"]
    done = check(env, "--deploy")
    assert done.returncode == 1
    assert "GOODWORD_TRUSTED_PROXIES" in done.stderr and "Traceback" not in done.stderr
