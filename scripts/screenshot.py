"""Regenerate docs/screenshot.png: the home page of a fresh install with the demo loaded.

    .venv/bin/python scripts/screenshot.py

Runs the real thing: `goodword serve --demo` on a temp GOODWORD_HOME, signs in
through the printed one-time link in Debian's Chromium, and takes the picture.
"""

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "screenshot.png"
GOODWORD = Path(sys.executable).with_name("goodword")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def main():
    with tempfile.TemporaryDirectory() as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GOODWORD_", "DJANGO_"))}
        env["GOODWORD_HOME"] = home
        server = subprocess.Popen([str(GOODWORD), "serve", "--demo", "--no-browser", "--port", "0"],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            link = next(m.group(1) for line in server.stdout
                        if (m := re.search(r"(http://\S+/accounts/link/\S+/)", line)))
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 860})
                page.goto(link)
                page.screenshot(path=str(TARGET), full_page=False)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"Wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
