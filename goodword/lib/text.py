"""Checks for text that must stay on one line (email headers, subjects, names)."""

from __future__ import annotations

# Every character str.splitlines() splits on, and NUL: in a header any of them
# either injects a header or makes the email library refuse the message.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x00"
_TO_SPACE = str.maketrans({char: " " for char in LINE_BREAKS})


def has_line_break(text: str | None) -> bool:
    return any(char in LINE_BREAKS for char in text or "")


def one_line(text: str | None) -> str:
    """The text with every line break turned into a space (for what was stored before the check existed)."""
    return (text or "").translate(_TO_SPACE).strip()
