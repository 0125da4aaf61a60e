"""The persistent outbox: queue in the caller's transaction, send after commit, once.

States (OutboxMessage.state):

    queued ──claim──▶ sending ──250 after "."──▶ sent        (event written in the same transaction)
      ▲                  │  4xx / refused / dropped before "."  → queued again with backoff,
      │                  │                                      failed after MAX_ATTEMPTS
      │                  │  5xx                                 → failed (server's reason kept)
      │                  │  no answer after "." / worker died after "." → uncertain
      └── user: "resend" ┴─ uncertain / failed          uncertain ──user: "mark as sent"──▶ sent

A worker claims a row (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite's
BEGIN IMMEDIATE serialises writers), sends the whole message but its final
".", commits `data_committed` (the hand-over marker), and only then sends the
".". A worker that dies leaves a row in `sending`; recovery requeues it when
the marker was never committed (the server cannot have accepted a message
without its ".": resending is safe, and the next worker does it) and marks it
uncertain otherwise, so nothing is ever resent blindly.

Every email Goodword sends goes through here: messages to references
(queue_message) and the candidate's own digests and portal notices
(appmail.queue_app_mail), the latter through the instance's mailer when the
account has no SMTP settings (`via_instance`).
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import socket
import threading
import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone

from goodword.lib.redact import redact_links
from goodword.lib.text import one_line
from goodword.outreach import emails, secret_links
from goodword.outreach.models import (
    EVENT_KIND_FOR_DRAFT,
    DraftKind,
    MessageState,
    OutboxMessage,
)
from goodword.outreach.transport import (  # noqa: F401  (smtp_settings_for: part of this module's API)
    PermanentFailure,
    SmtpConfig,
    TemporaryFailure,
    Uncertain,
    open_smtp,
    send_through_django_mailer,
    smtp_settings_for,
    transmit,
)
from goodword.timeline.services import log_event

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)  # longer than any one SMTP exchange can take with the timeout above
MAX_ATTEMPTS = 6
RETRY_BASE = timedelta(seconds=30)
RETRY_CAP = timedelta(hours=2)
POLL_SECONDS = 5.0
TURN_BATCH = 10  # messages per turn of run_worker's loop (each under transport.SMTP_TIMEOUT_SECONDS)

_wake = threading.Event()


class NoSmtp(ValidationError):
    pass


def wake_workers() -> None:
    """Nudge the in-process worker (local mode); hosted workers poll."""
    _wake.set()


# ---------------------------------------------------------------- queueing


def queue_message(owner, reference, *, kind: str, subject: str, text: str, opportunity=None,
                  to_address: str | None = None, to_name: str | None = None, idempotency_key: str | None = None,
                  html_fragment: str | None = None) -> OutboxMessage:
    """Queue one message in the caller's transaction; the worker sends it only after commit.

    The same idempotency key queues one message however often it is
    submitted (a double-clicked Send button, a retried request).
    """
    if reference.owner_id != owner.pk or (opportunity is not None and opportunity.owner_id != owner.pk):
        raise ValidationError("That reference or opportunity is not yours.")
    if kind not in DraftKind.values:
        raise ValidationError(f"“{kind}” is not a kind of message.")
    smtp = smtp_settings_for(owner)
    if smtp is None:
        raise NoSmtp("Sending needs your SMTP settings; set them up, or open the draft in your mail program and mark it sent.")
    key = idempotency_key or uuid.uuid4().hex
    if not re.fullmatch(r"[A-Za-z0-9_-]{8,100}", key):
        raise ValidationError("The idempotency key must be 8–100 letters, digits, - or _.")
    fields = {
        "from_name": smtp.from_name,
        "from_address": smtp.from_address,
        # A name typed for this message must be one line; the stored name is folded onto one.
        "to_name": one_line(reference.name) if to_name is None else emails.check_header(to_name, "recipient name"),
        "to_address": (to_address if to_address is not None else reference.primary_email),
        "subject": subject,
        "body_text": text,
    }
    # Building the message checks every header (line breaks, addresses) now,
    # so a bad value is refused to the user instead of failing in the worker.
    built = emails.build_message(
        from_name=fields["from_name"], from_address=fields["from_address"], to_name=fields["to_name"],
        to_address=fields["to_address"], subject=subject, text=text, message_id=emails.make_message_id(key, smtp.from_address),
        html_fragment=html_fragment,
    )
    fields["to_address"] = emails.check_address(fields["to_address"], "recipient address")
    # A private link goes out live but is kept only redacted, or sealed until sent (secret_links.py).
    fields["subject"], fields["body_text"], body_html, carries_link = secret_links.stored_copy(
        emails.check_subject(subject), text, built.get_body(("html",)).get_content()
    )
    with transaction.atomic():
        existing = OutboxMessage.objects.filter(idempotency_key=key).first()
        if existing is not None:
            if existing.owner_id != owner.pk:
                raise ValidationError("That idempotency key is already used.")
            return existing
        message = OutboxMessage(
            owner=owner, reference=reference, opportunity=opportunity, kind=kind,
            event_kind=EVENT_KIND_FOR_DRAFT[DraftKind(kind)], body_html=body_html,
            message_id=str(built["Message-ID"]), idempotency_key=key, next_attempt_at=timezone.now(),
            mime=secret_links.at_rest(built.as_bytes(), carries_link), **fields,
        )
        # Every field was checked above; clean_fields (not full_clean) skips a
        # query per foreign key and per unique field that would only repeat it.
        message.clean_fields(exclude=["owner", "reference", "opportunity", "event", "mime"])
        message.save()
        transaction.on_commit(wake_workers)
    return message


def event_note(subject: str, text: str, how: str) -> str:
    return f"{how}: “{subject}”\n\n{text}"[:20000]


def record_sent_by_hand(owner, reference, *, kind: str, subject: str, text: str, opportunity=None, channel="email"):
    """The user sent it themselves (mailto, copy, .eml): log the event the draft stands for."""
    if kind not in DraftKind.values:
        raise ValidationError(f"“{kind}” is not a kind of message.")
    return log_event(
        owner, reference, EVENT_KIND_FOR_DRAFT[DraftKind(kind)], opportunity=opportunity, channel=channel,
        note=event_note(subject, text, "Sent from your own mail program"),
    )


@transaction.atomic
def confirm_sent(message: OutboxMessage) -> OutboxMessage:
    """The user checked: an uncertain (or failed) message did arrive. Record it as sent, with its event."""
    row = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if row.state not in (MessageState.UNCERTAIN, MessageState.FAILED):
        raise ValidationError(f"This message is {row.get_state_display().lower()}; only an uncertain or failed one can be marked sent.")
    _record_sent(row, how="Marked as sent by you")
    return row


@transaction.atomic
def resend(message: OutboxMessage) -> OutboxMessage:
    """The user decided: send an uncertain or failed message again (same Message-ID)."""
    row = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if row.state not in (MessageState.UNCERTAIN, MessageState.FAILED):
        raise ValidationError(f"This message is {row.get_state_display().lower()}; only an uncertain or failed one can be sent again.")
    OutboxMessage.objects.filter(pk=row.pk).update(
        state=MessageState.QUEUED, attempts=0, next_attempt_at=timezone.now(), data_committed=False,
        claimed_by="", claimed_until=None, last_error="",
    )
    transaction.on_commit(wake_workers)
    row.refresh_from_db()
    return row


def _record_sent(row: OutboxMessage, how: str) -> None:
    event = None
    if row.event_kind and row.reference_id:  # app mail to the candidate has no timeline event
        event = log_event(
            row.owner, row.reference, row.event_kind, opportunity=row.opportunity, channel="email",
            note=event_note(row.subject, row.body_text, how),
        )
    OutboxMessage.objects.filter(pk=row.pk).update(
        state=MessageState.SENT, sent_at=timezone.now(), event=event, claimed_by="", claimed_until=None,
        mime=secret_links.scrubbed(row.mime),
    )


# ---------------------------------------------------------------- the worker


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def claimer_is_dead(claimed_by: str) -> bool:
    host, _, rest = claimed_by.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not (pid.isascii() and pid.isdigit()) or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def recover_stale_claims(now=None) -> int:
    """Rows left in `sending` by a dead worker: requeue before the ".", uncertain after it."""
    now = now or timezone.now()
    recovered = 0
    with transaction.atomic():
        rows = list(OutboxMessage.objects.filter(state=MessageState.SENDING).values_list("pk", "claimed_by", "claimed_until", "data_committed"))
        for pk, claimed_by, claimed_until, data_committed in rows:
            expired = claimed_until is None or claimed_until < now
            if not (expired or claimer_is_dead(claimed_by)):
                continue
            if data_committed:
                update = {"state": MessageState.UNCERTAIN,
                          "last_error": "The worker stopped after handing the message to the server; it may have arrived. "
                                        "Check with the recipient, then resend or mark it sent."}
            else:
                update = {"state": MessageState.QUEUED, "next_attempt_at": now,
                          "last_error": "The worker stopped before the message was handed over; it will be sent again."}
            recovered += OutboxMessage.objects.filter(pk=pk, state=MessageState.SENDING, claimed_by=claimed_by).update(
                claimed_by="", claimed_until=None, **update
            )
    return recovered


def claim_next(who: str, now=None) -> OutboxMessage | None:
    now = now or timezone.now()
    while True:
        with transaction.atomic():
            due = OutboxMessage.objects.filter(state=MessageState.QUEUED, next_attempt_at__lte=now).order_by("next_attempt_at", "id")
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            pk = due.values_list("pk", flat=True).first()
            if pk is None:
                return None
            # The state condition makes the claim exclusive even without row locks.
            claimed = OutboxMessage.objects.filter(pk=pk, state=MessageState.QUEUED).update(
                state=MessageState.SENDING, claimed_by=who, claimed_until=now + LEASE,
                attempts=F("attempts") + 1, data_committed=False,
            )
        if claimed:
            return OutboxMessage.objects.select_related("owner", "reference", "opportunity").get(pk=pk)


class ClaimLost(Exception):
    pass


def backoff(attempts: int) -> timedelta:
    return min(RETRY_CAP, RETRY_BASE * (2 ** max(0, attempts - 1)))


class Worker:
    """Sends due messages one by one, reusing one connection per account within a drain."""

    def __init__(self, who: str | None = None):
        self.who = who or worker_id()
        self.connections: dict[int | str, smtplib.SMTP] = {}  # by account id, "instance" for the instance mailer

    def close(self):
        for smtp in self.connections.values():
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()
        self.connections.clear()

    def _drop(self, account):
        smtp = self.connections.pop(account, None)
        if smtp is not None:
            smtp.close()

    def send_one(self, message: OutboxMessage) -> str:
        def before_final_dot():
            with transaction.atomic():
                still_ours = OutboxMessage.objects.filter(
                    pk=message.pk, state=MessageState.SENDING, claimed_by=self.who
                ).update(data_committed=True)
            if not still_ours:
                # Our lease expired and the row was recovered: someone else owns it now.
                raise ClaimLost()

        account = "instance" if message.via_instance else message.owner_id
        try:
            config = SmtpConfig.for_instance() if message.via_instance else SmtpConfig.for_owner(message.owner)
            if config is None:
                send_through_django_mailer(message, before_final_dot)
            else:
                wire = secret_links.wire_bytes(message.mime)
                if wire is None:
                    raise PermanentFailure("The message's private link was sealed with a secret key that has changed; "
                                           "compose the message again.")
                smtp = self.connections.get(account)
                if smtp is None:
                    smtp = self.connections[account] = open_smtp(config)
                transmit(smtp, message.from_address, message.to_address, wire, before_final_dot)
        except PermanentFailure as error:
            self._drop(account)
            return self._finish(message, MessageState.FAILED, str(error))
        except TemporaryFailure as error:
            self._drop(account)
            if message.attempts >= MAX_ATTEMPTS:
                return self._finish(message, MessageState.FAILED, f"Gave up after {message.attempts} attempts. {error}")
            return self._finish(message, MessageState.QUEUED, str(error), retry=True)
        except Uncertain as error:
            self._drop(account)
            return self._finish(message, MessageState.UNCERTAIN, str(error))
        except ClaimLost:
            self._drop(account)  # the half-open transaction dies with the connection
            log.warning("outbox message %s: claim lost before sending; left to its new owner", message.pk)
            return "lost"
        with transaction.atomic():
            row = OutboxMessage.objects.select_for_update(of=("self",)).select_related("owner", "reference", "opportunity").get(pk=message.pk)
            _record_sent(row, how="Sent by email")
        return MessageState.SENT

    def _finish(self, message, state, error, retry=False):
        update = {"state": state, "last_error": redact_links(error), "claimed_by": "", "claimed_until": None}
        if retry:
            update |= {"next_attempt_at": timezone.now() + backoff(message.attempts), "data_committed": False}
        OutboxMessage.objects.filter(pk=message.pk, claimed_by=self.who).update(**update)
        log.warning("outbox message %s: %s (%s)", message.pk, state, error)
        return state

    def drain(self, limit: int | None = None, stop: threading.Event | None = None) -> dict[str, int]:
        """Send every due message (or `limit` of them); returns how many ended in each state."""
        counts: dict[str, int] = {}
        recover_stale_claims()
        try:
            while limit is None or sum(counts.values()) < limit:
                if stop is not None and stop.is_set():
                    break
                message = claim_next(self.who)
                if message is None:
                    break
                state = self.send_one(message)
                counts[state] = counts.get(state, 0) + 1
        finally:
            self.close()
        return counts


def drain(limit: int | None = None) -> dict[str, int]:
    return Worker().drain(limit)


def run_worker(stop: threading.Event, poll_seconds: float = POLL_SECONDS, periodic=(), period: float = 60.0,
               queues=(), heartbeat=None) -> None:
    """Loop until stop is set: drain, run each `periodic` job once a `period`, wait for a nudge.

    The periodic jobs (daily digests, portal notices), the other `queues`
    drained on every pass after the outbox (webhook deliveries: a callable
    taking the stop event) and the `heartbeat` (called once a turn; `goodword
    worker` records it for /healthz) are passed in rather than imported so
    that the outbox does not depend on the apps that use it.
    """
    import time

    worker = Worker()
    last_periodic = float("-inf")
    while not stop.is_set():
        close_old_connections()
        sent = 0
        try:
            if heartbeat is not None:
                heartbeat()
            # A batch a turn: the heartbeat and the periodic jobs come round during a long queue too.
            sent = sum(worker.drain(limit=TURN_BATCH, stop=stop).values())
        except Exception:
            log.exception("outbox worker: drain failed; trying again shortly")
        for drain_queue in queues:
            try:
                drain_queue(stop)
            except Exception:
                log.exception("worker: draining %s failed; trying again shortly", getattr(drain_queue, "__module__", drain_queue))
        if periodic and time.monotonic() - last_periodic >= period:
            last_periodic = time.monotonic()
            for job in periodic:
                try:
                    job()
                except Exception:
                    log.exception("worker: periodic job %s failed", getattr(job, "__name__", job))
        if sent < TURN_BATCH:  # else more may be due: straight on
            _wake.wait(poll_seconds)
            _wake.clear()
    connection.close()  # this thread's own connection; it would otherwise linger


_local_thread: threading.Thread | None = None
_local_stop = threading.Event()


def start_local_worker(poll_seconds: float = POLL_SECONDS, periodic=(), queues=()) -> threading.Thread:
    """Start the outbox worker as a daemon thread (goodword serve, local mode); idempotent."""
    global _local_thread
    if _local_thread is None or not _local_thread.is_alive():
        _local_stop.clear()
        _local_thread = threading.Thread(
            target=run_worker, args=(_local_stop, poll_seconds, tuple(periodic)),
            kwargs={"queues": tuple(queues)}, name="goodword-outbox", daemon=True,
        )
        _local_thread.start()
    return _local_thread


def stop_local_worker(timeout: float = 5.0) -> None:
    _local_stop.set()
    _wake.set()
    if _local_thread is not None:
        _local_thread.join(timeout)
