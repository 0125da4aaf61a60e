"""Uploaded letters in the JSON export: their PDFs travel in the document as base64.

Exporting reads each letter's file from storage. Importing writes it back
through goodword/sheets/letters.py's write_file, the upload's own path: the
same checks, cleaned again, under the new owner's folder with a new random
name. Files are not rows, so a transaction cannot take them back:
WrittenFiles remembers what an import wrote, for the import to remove when
it rolls back. A letter is the same letter as one already in the account when
its reference, opportunity, upload moment and PDF match (fingerprint).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging

from django.core.exceptions import ValidationError

log = logging.getLogger(__name__)

CONTENT = "content"  # the document's key for the letter's PDF, base64


class PayloadError(ValueError):
    """The letter in the document cannot be restored; the message says why."""


def read(field_file) -> bytes | None:
    """The file's bytes, or None when it is gone from storage (the letter could not be sent either)."""
    try:
        with field_file.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        log.warning("%r is missing from storage; its letter is left out of the export.", field_file.name)
        return None


def encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decode(record: dict) -> bytes:
    """The PDF a document's letter carries; its `size` must agree, so that a cut-off payload is refused."""
    from goodword.sheets.letters import MAX_BYTES

    text = record.get(CONTENT)
    if not isinstance(text, str) or not text:
        raise PayloadError(f"{CONTENT} should be the letter's PDF in base64.")
    if len(text) > (MAX_BYTES // 3 + 1) * 4 + 4:  # refuse before decoding what cannot be a letter
        raise PayloadError(f"{CONTENT} is larger than a letter may be (under {MAX_BYTES // 1024 // 1024} MB).")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise PayloadError(f"{CONTENT} is not valid base64.") from None
    if record.get("size") != len(data):
        raise PayloadError(f"size says {record.get('size')!r} bytes but the PDF has {len(data)}; "
                           "the file was damaged or cut off.")
    return data


def fingerprint(data: bytes | None) -> str:
    return hashlib.sha256(data).hexdigest() if data is not None else "missing"


class WrittenFiles:
    """What an import wrote to storage, removed again if the import does not commit."""

    def __init__(self):
        self.letters = []

    def write(self, letter, data: bytes) -> bytes:
        """Check, clean and write the letter's PDF (the upload's path); the cleaned bytes, or PayloadError."""
        from goodword.sheets.letters import write_file

        try:
            written = write_file(letter, data)
        except ValidationError as exc:
            raise PayloadError(" ".join(exc.messages)) from None
        self.letters.append(letter)
        return written

    def discard(self, letter) -> None:
        """Remove one file written by this import (it turned out to be a letter already there)."""
        self.letters.remove(letter)
        letter.file.delete(save=False)

    def remove_all(self) -> None:
        for letter in self.letters:
            try:
                letter.file.delete(save=False)
            except OSError:
                log.warning("Could not remove %r after a failed import.", letter.file.name, exc_info=True)
        self.letters = []
