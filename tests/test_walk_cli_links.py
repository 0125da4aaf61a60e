"""Walkthrough leftover: links the CLI prints point at the port `goodword serve` runs on."""

import re
import subprocess
import time

from tests.test_cli_process import installed_script, plain_env


def test_cli_links_use_the_port_serve_runs_on_and_the_public_url_wins_when_set(tmp_path):
    env = plain_env(tmp_path)

    def goodword(*args, extra=None):
        done = subprocess.run([installed_script(), *args], env=env | (extra or {}), capture_output=True, text=True,
                              timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    goodword("ref", "add", "Dana Whitfield", "--email", "dana@example.com")
    goodword("job", "add", "Northwind", "Platform Engineer", "--stage", "references_requested")
    goodword("slate", "add", "Northwind", "Dana")
    server = subprocess.Popen([installed_script(), "serve", "--no-browser", "--port", "0"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line, deadline = "", time.monotonic() + 60
        while "running at" not in line and time.monotonic() < deadline:
            line = server.stdout.readline()
        base = re.search(r"(http://[^/\s]+)/", line).group(1)
        assert not base.endswith(":8000")
        assert re.search(re.escape(base) + r"/r/[A-Za-z0-9_-]{43}/", goodword("portal", "Northwind", "Dana"))
        chosen = goodword("portal", "Northwind", "Dana", extra={"GOODWORD_PUBLIC_URL": "https://refs.example.org"})
        assert re.search(r"https://refs\.example\.org/r/[A-Za-z0-9_-]{43}/", chosen)
    finally:
        server.terminate()
        server.communicate(timeout=20)


def test_before_any_serve_links_use_the_default_address(settings, tmp_path):
    from goodword.lib import config
    from goodword.portal.services import public_base_url

    settings.GOODWORD_PUBLIC_URL = None
    settings.GOODWORD_HOME = tmp_path
    assert public_base_url() == config.DEFAULT_PUBLIC_URL
    (tmp_path / config.SERVED_URL_FILE).write_text("not a url\n")
    assert public_base_url() == config.DEFAULT_PUBLIC_URL
    config.record_served_url(tmp_path, "http://127.0.0.1:8123/")
    assert public_base_url() == "http://127.0.0.1:8123"
