"""docs/api.md's curl examples, run in order against a live server (port chosen at run time)."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.factories.api import make_token

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def examples() -> list[str]:
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", DOC.read_text(), re.S) if "curl" in block]


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")  # Debian images ship it
@pytest.mark.django_db(transaction=True)
def test_every_curl_example_in_the_docs_runs(live_server, django_user_model):
    from tests.factories.accounts import make_user

    user = make_user("alice")
    env = {**os.environ, "GOODWORD": live_server.url, "TOKEN": make_token(user)}
    ran = 0
    for example in examples():
        result = subprocess.run(["sh", "-c", example], capture_output=True, text=True, env=env, timeout=30)
        assert result.returncode == 0, (example, result.stderr)
        output = result.stdout.strip()
        if "Bearer nope" in example:
            assert output == "401"
        else:
            data = json.loads(output)
            assert not isinstance(data.get("status"), int), (example, data)  # a problem carries an int status
        ran += 1
    assert ran >= 6
    assert "Morgan Ellis" in subprocess.run(["sh", "-c", examples()[3]], capture_output=True, text=True, env=env).stdout


def test_the_docs_name_every_endpoint():
    """The table of web actions and endpoints lists every operation of the description."""
    import goodword.api.urls  # noqa: F401
    from goodword.api.core import api

    text = DOC.read_text()
    for path, methods in api.get_openapi_schema(path_prefix="/api")["paths"].items():
        for method in methods:
            assert f"`{method.upper()} {path}" in text, f"{method.upper()} {path} is not in docs/api.md"
