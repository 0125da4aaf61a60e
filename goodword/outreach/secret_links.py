"""Messages that carry a private link (portal, calendar feed): delivered live, stored without it.

Every copy Goodword keeps (the timeline note, the outbox's subject, text and
HTML) has each link replaced by redact.LINK_MARKER, so a database dump or a
backup opens no portal. The outbox must still deliver the live link after a
crash or a restart, with the same bytes on every attempt (same Message-ID and
Date), so the wire form of such a message is kept sealed (crypto.seal: Fernet,
keyed from SECRET_KEY) until it is sent, then replaced by a copy with the
link redacted.

Re-issuing the link at send time instead was rejected: each retry of an
uncertain message would revoke the link an earlier, perhaps delivered,
attempt carried, leaving the reference with a dead link; and the user would
no longer send the link they previewed.
"""

from __future__ import annotations

import email
import email.policy

from goodword.lib.redact import redact_links
from goodword.outreach import crypto


def stored_copy(subject: str, text: str, html: str) -> tuple[str, str, str, bool]:
    """(subject, text, html) as stored, and whether the message carries a link at all."""
    stored = (redact_links(subject), redact_links(text), redact_links(html))
    return (*stored, stored != (subject, text, html))


def at_rest(wire: bytes, carries_link: bool) -> bytes:
    return crypto.seal(wire) if carries_link else wire


def wire_bytes(mime) -> bytes | None:
    """The bytes to send; None when they were sealed under a secret key that has since changed."""
    return crypto.unseal(mime)


def scrubbed(mime) -> bytes:
    """After delivery: the message as sent, its links redacted (a sealed copy is no longer needed)."""
    if not crypto.is_sealed(mime):
        return bytes(mime)
    wire = crypto.unseal(mime)
    return b"" if wire is None else redacted_wire(wire)


def redacted_wire(wire: bytes) -> bytes:
    """A message's bytes with the links in its subject and text parts redacted."""
    message = email.message_from_bytes(wire, policy=email.policy.SMTP)
    if message["Subject"] is not None:
        message.replace_header("Subject", redact_links(str(message["Subject"])))
    for part in message.walk():
        if part.get_content_maintype() == "text":
            part.set_content(redact_links(part.get_content()), subtype=part.get_content_subtype())
    return message.as_bytes()
