"""Database ids as typed by people and sent by clients."""

from __future__ import annotations

# The largest id a 64-bit primary key holds (SQLite INTEGER, PostgreSQL bigint);
# a larger number is no id and would overflow the database driver.
MAX_ID = 2**63 - 1


def parse_id(text: str) -> int | None:
    """The id in `text` ("12"), or None: only ASCII digits count ("²" and "٣" pass str.isdigit but are no id)."""
    text = text.strip()
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None
