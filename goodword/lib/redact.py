"""Keep live link tokens (portal, calendar feed, sign-in) out of logs and stored copies.

Two strengths, for two purposes:

- redact_links() is for text Goodword keeps (timeline notes, the outbox's
  copy of a message): a URL carrying a token becomes LINK_MARKER, and nothing
  else changes, so a stored message still reads as written.
- redact_log_text() is for log lines, where losing a little context is
  cheap and leaking a token is not: whatever follows a token URL's prefix
  (a near-miss such as /r/<token>/x/ or /reminders/feed/<token>.ICS
  included) and any run of 43 or more token characters is replaced.

install_log_redaction() makes every LogRecord redacted when it is created,
so no handler (the console, a test's capture, one an operator adds) ever sees
a token; RedactSecretsFilter does the same on a handler, for records made
elsewhere (e.g. logging.makeLogRecord from a socket).
"""

from __future__ import annotations

import logging
import logging.config
import re

LINK_MARKER = "[private link: sent in the message, not stored]"
LOG_MARKER = "[redacted]"

# Where a token sits in a URL (goodword/urls.py with portal, reminders and
# accounts urls.py; tests/test_secrets_logs.py keeps this list in step).
TOKEN_URL_PREFIXES = ("r", "reminders/feed", "accounts/link", "accounts/invite", "e", "k")
# Pages under /r/ that are not tokens, kept readable in logs.
NOT_TOKENS_UNDER_R = ("manage", "notices")

_TOKEN_CHARS = "A-Za-z0-9_-"
_PREFIX = "/(?:" + "|".join(re.escape(prefix) for prefix in TOKEN_URL_PREFIXES) + ")/+"

# A whole token (goodword.lib.tokens.new_token: 43 characters) right after a prefix.
_LINK_CORE = re.compile(rf"{_PREFIX}[{_TOKEN_CHARS}]{{43}}(?![{_TOKEN_CHARS}])(?:\.ics)?/?", re.IGNORECASE)
# Characters that end a URL written in a message or an HTML attribute.
_URL_STOP = frozenset(" \t\r\n\f\v<>\"'()[]{}|\\^`")

_SEGMENT_AFTER_PREFIX = re.compile(
    rf"(?P<prefix>{_PREFIX})(?!(?:{'|'.join(NOT_TOKENS_UNDER_R)})/)(?P<secret>[^/\s?#\"'<>]+)", re.IGNORECASE
)
_LONG_TOKEN_RUN = re.compile(rf"[{_TOKEN_CHARS}]{{43,}}")


def redact_links(text: str) -> str:
    """text with each token URL (scheme, host and path prefix included) replaced by LINK_MARKER."""
    if not text or "/" not in text:
        return text
    pieces, done = [], 0
    for match in _LINK_CORE.finditer(text):
        # Walk back to the start of the URL by hand: a regex that did it would
        # backtrack quadratically over long runs without spaces.
        start = match.start()
        while start > done and text[start - 1] not in _URL_STOP:
            start -= 1
        pieces += [text[done:start], LINK_MARKER]
        done = match.end()
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def redact_log_text(text: str) -> str:
    if not text:
        return text
    text = _SEGMENT_AFTER_PREFIX.sub(lambda match: match["prefix"] + LOG_MARKER, text)
    return _LONG_TOKEN_RUN.sub(LOG_MARKER, text)


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redact the message, its arguments, the traceback and the stack of one record, in place."""
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001  (a bad format string: logging reports it later; keep the raw parts)
        message = None
    if message is not None:
        redacted = redact_log_text(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
    if record.exc_info and not record.exc_text:
        # Formatters reuse exc_text when it is set, so the traceback is written redacted.
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact_log_text(record.exc_text)
    if record.stack_info:
        record.stack_info = redact_log_text(record.stack_info)
    return record


class RedactSecretsFilter(logging.Filter):
    def filter(self, record):
        redact_record(record)
        return True


def install_log_redaction() -> None:
    """Wrap the LogRecord factory so every record is redacted as it is made (idempotent)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "redacts_secrets", False):
        return

    def make_record(*args, **kwargs):
        return redact_record(current(*args, **kwargs))

    make_record.redacts_secrets = True
    logging.setLogRecordFactory(make_record)


def configure_logging(config: dict) -> None:
    """Django's LOGGING_CONFIG: the usual dictConfig, with redaction installed first."""
    install_log_redaction()
    logging.config.dictConfig(config)
