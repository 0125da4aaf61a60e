"""Render the systemd units and environment file in this folder for one installation.

    python -m goodword.deploy.render --out /tmp/units --venv /opt/goodword/.venv --host refs.example.org

writes goodword-web.service, goodword-worker@.service and goodword.env there,
to be copied to /etc/systemd/system/ and /etc/goodword/ (docs/hosting.md).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from string import Template

HERE = Path(__file__).resolve().parent
FILES = ("goodword-web.service", "goodword-worker@.service", "goodword.env")
DEFAULTS = {
    "venv": "/opt/goodword/.venv",
    "user": "goodword",
    "group": "goodword",
    "home": "/var/lib/goodword",
    "env_file": "/etc/goodword/goodword.env",
    "secrets_dir": "/etc/goodword/secrets",
    "bind": "127.0.0.1:8000",
    "web_processes": "4",
    "host": "refs.example.org",
}


def render(out: Path, **values: str) -> list[Path]:
    """Write the files into `out` with DEFAULTS overridden by `values`; a name left unfilled is an error."""
    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"unknown variables: {', '.join(sorted(unknown))}")
    filled = DEFAULTS | {name: str(value) for name, value in values.items()}
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in FILES:
        target = out / name
        target.write_text(Template((HERE / name).read_text()).substitute(filled))
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="folder to write the files into")
    for name, default in DEFAULTS.items():
        parser.add_argument(f"--{name.replace('_', '-')}", dest=name, default=default, help=f"default: {default}")
    args = vars(parser.parse_args(argv))
    for path in render(args.pop("out"), **args):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
