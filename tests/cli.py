"""Helpers for tests that run the `goodword` CLI in-process (the `run` fixture is in conftest.py)."""


def error_lines(result):
    """The "Error: …" lines of a CliRunner result."""
    return [line for line in result.output.splitlines() if line.startswith("Error:")]
