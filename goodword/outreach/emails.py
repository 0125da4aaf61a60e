"""Every outreach email is built here: headers checked, text and HTML parts, .eml files.

The HTML part comes from the built-in body.html template when the user sent
the draft's text unchanged, and is otherwise derived from the final plain
text (escaped, with paragraphs and bullet lists): the user edits the text
before it goes, and an HTML body that ignored the edit would contradict it.
"""

from __future__ import annotations

import email
import email.policy
import html
import re
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from email_validator import EmailNotValidError, validate_email

from goodword.lib.ids import parse_id
from goodword.lib.text import has_line_break, one_line

DRAFT_HEADERS = {
    "kind": "X-Goodword-Kind",
    "tone": "X-Goodword-Tone",
    "reference": "X-Goodword-Reference",
    "opportunity": "X-Goodword-Opportunity",
    "key": "X-Goodword-Key",
}
MAX_SUBJECT = 500


def check_header(value: str, label: str) -> str:
    """Refuse line breaks (any that str.splitlines knows) in anything that becomes a header:
    they would inject headers or break the message."""
    if has_line_break(value):
        raise ValidationError(f"The {label} contains a line break; a {label} must be one line.")
    return (value or "").strip()


def check_address(value: str, label: str) -> str:
    check_header(value, label)
    value = (value or "").strip()
    if not value:
        raise ValidationError(f"The {label} is empty; give an email address.")
    try:
        # No deliverability lookup: a draft must not wait on DNS. ASCII only,
        # because not every server speaks SMTPUTF8.
        return validate_email(value, check_deliverability=False, allow_smtputf8=False).normalized
    except EmailNotValidError as error:
        raise ValidationError(f"The {label} “{value}” is not a valid email address: {error}") from None


def check_subject(subject: str) -> str:
    subject = check_header(subject, "subject")
    if not subject:
        raise ValidationError("The subject is empty.")
    if len(subject) > MAX_SUBJECT:
        raise ValidationError(f"The subject is longer than {MAX_SUBJECT} characters.")
    return subject


def make_message_id(key: str, from_address: str) -> str:
    """Deterministic from the idempotency key: every attempt carries the same Message-ID."""
    domain = from_address.rpartition("@")[2] or "goodword.invalid"
    return f"<goodword.{key}@{domain}>"


BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")


def text_to_html_fragment(text: str) -> str:
    """Escaped HTML for plain text: blank lines make paragraphs, runs of "- " lines make lists."""
    out = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        # Group consecutive lines into ("p", lines) and ("ul", items) runs.
        runs: list[tuple[str, list[str]]] = []
        for line in block.splitlines():
            bullet = BULLET.match(line)
            kind, content = ("ul", bullet.group(1)) if bullet else ("p", line)
            if runs and runs[-1][0] == kind:
                runs[-1][1].append(content)
            else:
                runs.append((kind, [content]))
        for kind, lines in runs:
            if kind == "p":
                out.append("<p>" + "<br>\n".join(html.escape(line) for line in lines) + "</p>")
            else:
                out.append("<ul>\n" + "\n".join(f"<li>{html.escape(item)}</li>" for item in lines) + "\n</ul>")
    return "\n".join(out)


def html_document(fragment: str, subject: str = "") -> str:
    return (
        '<!doctype html>\n<html><head><meta charset="utf-8">'
        f"<title>{html.escape(subject)}</title></head>\n"
        '<body style="font-family: sans-serif; line-height: 1.5; max-width: 40em">\n'
        f"{fragment.strip()}\n</body></html>\n"
    )


def text_to_html(text: str, subject: str = "") -> str:
    return html_document(text_to_html_fragment(text), subject)


def build_message(
    *, from_name: str, from_address: str, to_name: str, to_address: str, subject: str, text: str,
    message_id: str, date=None, extra_headers: dict | None = None, html_fragment: str | None = None,
) -> EmailMessage:
    """A multipart/alternative message (text, then HTML), every header checked first.

    html_fragment is a built-in HTML template's output for an unedited draft;
    otherwise the HTML part is derived from the text.
    """
    # Stored text may predate the line-break check: fold it rather than fail the send for good.
    from_name = check_header(one_line(from_name), "sender name")
    to_name = check_header(one_line(to_name), "recipient name")
    subject = check_subject(one_line(subject))
    from_address = check_address(from_address, "sender address")
    to_address = check_address(to_address, "recipient address")
    message = EmailMessage(policy=email.policy.SMTP)
    from_local, _, from_domain = from_address.rpartition("@")
    to_local, _, to_domain = to_address.rpartition("@")
    # headerregistry encodes non-ASCII display names (RFC 2047) as it should.
    message["From"] = Address(display_name=from_name, username=from_local, domain=from_domain)
    message["To"] = Address(display_name=to_name, username=to_local, domain=to_domain)
    message["Subject"] = subject
    message["Date"] = format_datetime(date or timezone.now())
    message["Message-ID"] = message_id
    for name, value in (extra_headers or {}).items():
        message[name] = check_header(str(value), name)
    message.set_content(text)
    message.add_alternative(html_document(html_fragment or text_to_html_fragment(text), subject), subtype="html")
    return message


def draft_file(*, to_name, to_address, subject, text, kind, tone, reference_id, opportunity_id=None,
               from_name="", from_address="", key="", html_fragment=None) -> bytes:
    """An .eml-style draft: a real message (any mail program opens it) plus X-Goodword-* headers
    that tell `goodword send` which reference, job and event it belongs to."""
    subject = check_subject(one_line(subject))
    to_name, from_name = one_line(to_name), one_line(from_name)
    to_address = check_address(to_address, "recipient address")
    message = EmailMessage(policy=email.policy.SMTP)
    if from_address:
        local, _, domain = check_address(from_address, "sender address").rpartition("@")
        message["From"] = Address(display_name=check_header(from_name, "sender name"), username=local, domain=domain)
    local, _, domain = to_address.rpartition("@")
    message["To"] = Address(display_name=check_header(to_name, "recipient name"), username=local, domain=domain)
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["X-Unsent"] = "1"  # Outlook and others open it as a draft ready to send
    values = {"kind": kind, "tone": tone, "reference": reference_id, "opportunity": opportunity_id or "", "key": key}
    for field, header in DRAFT_HEADERS.items():
        if values[field] not in (None, ""):
            message[header] = str(values[field])
    message.set_content(text)
    message.add_alternative(html_document(html_fragment or text_to_html_fragment(text), subject), subtype="html")
    return message.as_bytes()


def read_draft_file(data: bytes) -> dict:
    """The fields of a draft file written by draft_file (and maybe edited by hand)."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    to = message["To"]
    if to is None or not to.addresses:
        raise ValidationError("The draft has no To: header.")
    address = to.addresses[0]
    body = message.get_body(preferencelist=("plain",))
    if body is None:
        raise ValidationError("The draft has no plain-text part.")
    fields = {
        "to_name": address.display_name,
        "to_address": address.addr_spec,
        "subject": str(message["Subject"] or ""),
        "text": body.get_content(),
    }
    for field, header in DRAFT_HEADERS.items():
        fields[field] = str(message[header]) if message[header] is not None else ""
    if not fields["kind"] or parse_id(fields["reference"]) is None:
        raise ValidationError("The draft has no X-Goodword-Kind or X-Goodword-Reference header; make it with `goodword draft --out`.")
    if fields["opportunity"] and parse_id(fields["opportunity"]) is None:
        raise ValidationError(f"The draft's X-Goodword-Opportunity header “{fields['opportunity'][:40]}” is not an id.")
    return fields
