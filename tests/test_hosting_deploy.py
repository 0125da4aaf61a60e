"""The systemd units docs/hosting.md tells a centre to install: rendered, verified by systemd, and consistent."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from goodword.deploy import render
from goodword.lib import config

VENV = Path(sys.executable).parent.parent
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def rendered(tmp_path):
    out = tmp_path / "units"
    render.render(out, venv=str(VENV), user="root", group="root", home=str(tmp_path),
                  env_file=str(out / "goodword.env"), secrets_dir=str(tmp_path / "secrets"))
    return out


def test_rendering_fills_every_variable(rendered):
    for name in render.FILES:
        text = (rendered / name).read_text()
        assert "${" not in text, name
    web = (rendered / "goodword-web.service").read_text()
    assert f"ExecStart={VENV}/bin/gunicorn -c python:goodword.gunicorn_conf --bind 127.0.0.1:8000 --workers 4" in web
    assert f"ExecStartPre={VENV}/bin/goodword migrate" in web
    assert "ExecReload=/bin/kill -HUP $MAINPID" in web


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here")
def test_systemd_accepts_the_rendered_units(rendered):
    # An instance of the worker template, as `systemctl enable goodword-worker@1` makes it.
    shutil.copy(rendered / "goodword-worker@.service", rendered / "goodword-worker@1.service")
    units = [rendered / "goodword-web.service", rendered / "goodword-worker@1.service"]
    done = subprocess.run(["systemd-analyze", "verify", *map(str, units)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    # The check has teeth: a broken ExecStart is refused.
    broken = rendered / "broken.service"
    broken.write_text(units[0].read_text().replace("ExecStart=/", "ExecStart="))
    assert subprocess.run(["systemd-analyze", "verify", str(broken)], capture_output=True, timeout=60).returncode != 0


def test_the_rendered_environment_file_is_a_valid_hosted_configuration(rendered, tmp_path):
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "secret_key").write_text("x7Gq" * 12)
    (secrets / "database_url").write_text("postgresql://goodword:pw@127.0.0.1:5432/goodword")
    (secrets / "smtp_url").write_text("smtp://goodword:pw@mail.example.org:587")
    env = dict(line.split("=", 1) for line in (rendered / "goodword.env").read_text().splitlines()
               if line and not line.startswith("#"))
    loaded = config.load(env)
    assert loaded.hosted and loaded.database["PASSWORD"] == "pw" and loaded.trusted_origins == ("https://refs.example.org",)


def test_the_gunicorn_configuration_trusts_exactly_the_named_proxies(tmp_path):
    code = "import goodword.gunicorn_conf as c; print(c.forwarded_allow_ips, c.accesslog)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOODWORD_")} | {"GOODWORD_HOME": str(tmp_path)}

    def allowed(**extra):
        done = subprocess.run([sys.executable, "-c", code], env=env | extra, capture_output=True, text=True,
                              timeout=60, check=True)
        return done.stdout.strip()

    assert allowed() == "None"  # local mode: nobody may claim HTTPS; no access log (it would hold tokens)
    assert allowed(GOODWORD_TRUSTED_PROXIES="10.0.0.0/24,::1") == "10.0.0.0/24,::1/128 None"
    assert allowed(GOODWORD_PROXY_HOPS="1") == "* None"
