"""Talking SMTP for the outbox: connecting (through the same network guard as
every outgoing connection), sending a message up to its final "." so that the
worker can record the hand-over first, and sorting the server's answers into
temporary, permanent and uncertain failures. The outbox (outbox.py) decides
what to send and what each failure means for the message's state."""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass

from goodword.lib import netguard, pinned_smtp
from goodword.outreach import crypto
from goodword.outreach.models import OutboxMessage, SmtpSettings


SMTP_TIMEOUT_SECONDS = 20


def smtp_settings_for(owner) -> SmtpSettings | None:
    return SmtpSettings.objects.filter(owner=owner).first()


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


class Uncertain(Exception):
    pass


def _reply_text(code, message) -> str:
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return f"{code} {message}".strip()


def _classify(code, message, stage):
    text = f"The server answered {_reply_text(code, message)} ({stage})."
    if 400 <= code < 500:
        raise TemporaryFailure(text)
    raise PermanentFailure(text)


@dataclass
class SmtpConfig:
    host: str
    port: int
    security: str
    username: str
    password: str
    # The operator's own mailer (GOODWORD_SMTP_URL) may be a relay on the
    # internal network; only users' servers must be public in hosted mode.
    operator: bool = False

    @classmethod
    def for_instance(cls) -> SmtpConfig | None:
        """The instance mailer when it speaks SMTP; None for console, file and memory backends."""
        from django.conf import settings

        mailer = settings.MAILERS.get("default", {})
        if mailer.get("BACKEND") != "django.core.mail.backends.smtp.EmailBackend":
            return None
        options = mailer.get("OPTIONS", {})
        security = "ssl" if options.get("use_ssl") else "starttls" if options.get("use_tls") else "none"
        return cls(options.get("host") or "localhost", int(options.get("port") or 25), security,
                   options.get("username") or "", options.get("password") or "", operator=True)

    @classmethod
    def for_owner(cls, owner) -> SmtpConfig:
        settings_row = smtp_settings_for(owner)
        if settings_row is None:
            raise PermanentFailure("SMTP is not set up for this account any more.")
        password = crypto.decrypt(settings_row.password_encrypted)
        if password is None:
            raise PermanentFailure("The stored SMTP password can no longer be read (the secret key changed); enter it again.")
        return cls(settings_row.host, settings_row.port, settings_row.security, settings_row.username, password)


def _private_hosts_allowed() -> bool:
    """Local mode may use a relay on the user's own machine or network; a hosted
    instance must not let one user aim its worker at the internal network (the
    database, a metadata service) and read the answers back."""
    from django.conf import settings

    return settings.GOODWORD_MODE != "hosted"


def public_host_problem(host: str, port: int = 25) -> str:
    """In hosted mode, why Goodword will not connect to this host ("" when it will), for forms.

    The same guard (goodword.lib.netguard) runs again at connect time, and the
    connection goes to the address it checked then.
    """
    if _private_hosts_allowed():
        return ""  # saving settings offline must work; connecting checks again
    try:
        netguard.resolve_public(host, port)
    except netguard.UnsafeAddress as problem:
        return str(problem)
    return ""


def open_smtp(config: SmtpConfig) -> smtplib.SMTP:
    context = ssl.create_default_context()
    try:
        # Resolved once and checked; the connection goes to the checked address.
        smtp = pinned_smtp.open_pinned(
            config.host, config.port, implicit_tls=config.security == "ssl",
            allow_private=config.operator or _private_hosts_allowed(),
            timeout=SMTP_TIMEOUT_SECONDS, context=context,
        )
        smtp.ehlo_or_helo_if_needed()
        if config.security == "starttls":
            smtp.starttls(context=context)
            smtp.ehlo()
        if config.username:
            smtp.login(config.username, config.password)
        return smtp
    except netguard.HostNotFound as problem:
        raise TemporaryFailure(str(problem)) from None  # DNS can fail for a while
    except netguard.UnsafeAddress as problem:
        raise PermanentFailure(str(problem)) from None
    except smtplib.SMTPAuthenticationError as error:
        raise PermanentFailure(f"The server refused the login: {_reply_text(error.smtp_code, error.smtp_error)}.") from None
    except smtplib.SMTPNotSupportedError as error:
        # Server replies often end in a full stop of their own ("… not supported by server.").
        raise PermanentFailure(f"The server does not support this: {str(error).rstrip('.')}. Check the security setting.") from None
    except smtplib.SMTPResponseException as error:
        _classify(error.smtp_code, error.smtp_error, "on connecting")
    except ssl.SSLError as error:
        raise PermanentFailure(f"Secure connection failed: {error.reason or error}. Check the port and security setting.") from None
    except (OSError, smtplib.SMTPException) as error:
        raise TemporaryFailure(f"Could not reach {config.host}:{config.port}: {error or type(error).__name__}.") from None


def transmit(smtp: smtplib.SMTP, from_address: str, to_address: str, data: bytes, before_final_dot) -> None:
    """MAIL, RCPT, DATA by hand, so that we know whether the final "." went out.

    The message goes out first, all but its final "."; before_final_dot() then
    commits data_committed, the hand-over marker, and only then is the "."
    sent. A server never accepts a message whose "." it has not received, so
    a worker that dies before the marker may resend it; from the marker on a
    lost answer means the message may have been delivered. (The marker must
    come before the "." is handed to the kernel: a killed process's socket
    still delivers what is in its send buffer.)
    """
    try:
        code, reply = smtp.mail(from_address)
        if code != 250:
            _classify(code, reply, "sender")
        code, reply = smtp.rcpt(to_address)
        if code not in (250, 251):
            _classify(code, reply, "recipient")
        code, reply = smtp.docmd("DATA")
        if code != 354:
            _classify(code, reply, "data")
    except (OSError, smtplib.SMTPServerDisconnected) as error:
        raise TemporaryFailure(f"The connection dropped before the message was sent: {error or type(error).__name__}.") from None
    payload = re.sub(rb"(?m)^\.", b"..", data)
    if not payload.endswith(b"\r\n"):
        payload += b"\r\n"
    try:
        smtp.send(payload)
    except (OSError, smtplib.SMTPServerDisconnected) as error:
        raise TemporaryFailure(f"The connection dropped while sending: {error or type(error).__name__}.") from None
    before_final_dot()
    try:
        smtp.send(b".\r\n")
    except (OSError, smtplib.SMTPServerDisconnected) as error:
        # sendall failed, so the "." (the last bytes) never left: not accepted.
        raise TemporaryFailure(f"The connection dropped while sending: {error or type(error).__name__}.") from None
    try:
        code, reply = smtp.getreply()
    except (OSError, smtplib.SMTPServerDisconnected) as error:
        raise Uncertain(
            f"The server did not answer after receiving the message ({error or type(error).__name__}); "
            "it may have been delivered."
        ) from None
    if code != 250:
        _classify(code, reply, "after the message")


def send_through_django_mailer(message: OutboxMessage, before_final_dot) -> None:
    """App mail through a non-SMTP instance mailer (console, file, memory): one call,
    so the marker comes before it and a crash inside it leaves the message uncertain;
    a backend that raises wrote nothing usable, so that is retried."""
    from email.utils import formataddr

    from django.core.mail import EmailMultiAlternatives

    built = EmailMultiAlternatives(
        message.subject, message.body_text, formataddr((message.from_name, message.from_address)),
        [formataddr((message.to_name, message.to_address))], headers={"Message-ID": message.message_id},
    )
    if message.body_html:
        built.attach_alternative(message.body_html, "text/html")
    before_final_dot()
    try:
        built.send()
    except Exception as error:  # noqa: BLE001 - whatever the configured backend raises
        raise TemporaryFailure(f"The instance mailer failed: {error or type(error).__name__}.") from None
