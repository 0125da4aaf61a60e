"""`goodword serve` in local mode sends queued mail itself: no separate worker to start."""

import os
import subprocess
import sys
from pathlib import Path

from tests.factories.outreach import SmtpSink

GOODWORD = Path(sys.executable).with_name("goodword")

SAVE_SMTP = """
import django
django.setup()
from goodword.accounts.services import local_user
from goodword.outreach.services import save_smtp_settings
save_smtp_settings(local_user(), host="127.0.0.1", port={port}, security="none", username="",
                   from_name="Jordan Avery", from_address="jordan@example.com")
"""


def test_serve_sends_a_queued_message_through_its_own_worker(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOODWORD_", "DJANGO_"))}
    env["GOODWORD_HOME"] = str(tmp_path)

    def goodword(*args):
        done = subprocess.run([str(GOODWORD), *args], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    with SmtpSink() as sink:
        goodword("me", "--name", "Jordan Avery")  # drafts are signed with the candidate's name
        goodword("ref", "add", "Dana Whitfield", "--email", "dana@example.com")
        subprocess.run([sys.executable, "-c", SAVE_SMTP.format(port=sink.port)], check=True, timeout=60,
                       env=env | {"DJANGO_SETTINGS_MODULE": "goodword.settings"})
        draft = tmp_path / "keep-in-touch.eml"
        goodword("draft", "keep-in-touch", "--ref", "Dana", "--out", str(draft))
        assert "Queued" in goodword("send", str(draft), "--queue-only")
        assert not sink.handler.received  # nothing sends it until a worker runs

        server = subprocess.Popen([str(GOODWORD), "serve", "--no-browser", "--port", "0"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            assert sink.handler.wait_for(1, timeout=30), "serve's worker sent nothing"
        finally:
            server.terminate()
            server.wait(timeout=10)
    [message] = sink.handler.received
    assert message["To"] == "Dana Whitfield <dana@example.com>"
    assert "Jordan Avery" in message["From"]
