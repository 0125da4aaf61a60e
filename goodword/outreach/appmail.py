"""Mail Goodword writes to the candidate themselves: the daily digest, portal notices.

It is queued in the outbox like a message to a reference, so it has the same
states, retries and hand-over marker; it only differs in having no reference
and no timeline event, and in going through the instance's own mailer when the
account has no SMTP settings.
"""

from __future__ import annotations

import email.policy
import re
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from goodword.outreach import emails, outbox
from goodword.outreach.models import AppMailKind, OutboxMessage


def queue_app_mail(owner, *, kind: str, to_address: str, subject: str, text: str, idempotency_key: str,
                   html: str | None = None) -> OutboxMessage:
    """Queue one email to the candidate in the caller's transaction; the same key queues it once."""
    if kind not in AppMailKind.values:
        raise ValidationError(f"“{kind}” is not a kind of app mail.")
    # "app." and dots cannot occur in the keys users send with their own
    # messages ([A-Za-z0-9_-]), so no user can take a digest's key first.
    if not re.fullmatch(r"app\.[A-Za-z0-9_.-]{4,96}", idempotency_key):
        raise ValidationError("An app mail key is “app.” and 4–96 letters, digits, dots, - or _.")
    subject = emails.check_subject(" ".join(subject.split()))
    to_address = emails.check_address(to_address, "recipient address")
    to_name = ""  # the candidate's own address, as they gave it
    smtp = outbox.smtp_settings_for(owner)
    html = html or emails.text_to_html(text, subject)
    if smtp is not None:
        from_name, from_address = smtp.from_name, smtp.from_address
        message_id = emails.make_message_id(idempotency_key, from_address)
        built = emails.build_message(
            from_name=from_name, from_address=from_address, to_name=to_name, to_address=to_address,
            subject=subject, text=text, message_id=message_id,
        )
        part = built.get_body(("html",))
        part.set_content(html, subtype="html")  # the caller's own full document, as is
        del part["MIME-Version"]  # set_content adds one; it belongs on the message only
        mime = built.as_bytes()
    else:
        # The instance's sender (GOODWORD_EMAIL_FROM) may be goodword@localhost,
        # which the stricter outreach checks would refuse; Django builds this one.
        from_name, from_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        message_id = emails.make_message_id(idempotency_key, from_address)
        built = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to_address],
                                       headers={"Message-ID": message_id})
        built.attach_alternative(html, "text/html")
        mime = built.message().as_bytes(policy=email.policy.SMTP)
    with transaction.atomic():
        existing = OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.owner_id != owner.pk:
                raise ValidationError("That idempotency key is already used.")
            return existing
        message = OutboxMessage.objects.create(
            owner=owner, reference=None, kind=kind, event_kind="", via_instance=smtp is None,
            from_name=from_name, from_address=from_address, to_name=to_name, to_address=to_address,
            subject=subject, body_text=text, body_html=html, mime=mime, message_id=message_id,
            idempotency_key=idempotency_key, next_attempt_at=timezone.now(),
        )
        transaction.on_commit(outbox.wake_workers)
    return message


def send_instance_mail(*, to_address: str, template: str, context: dict) -> None:
    """Send now, through the instance's mailer, mail to someone with no account yet (an invitation).

    There is no owner to queue it under in the outbox; a failure raises, and the
    caller (who holds the link) says so. Rendered from <template>_subject.txt,
    <template>.txt and <template>.html, like allauth's own account emails.
    """
    from django.template.loader import render_to_string

    to_address = emails.check_address(to_address, "recipient address")
    subject = emails.check_subject(" ".join(render_to_string(f"{template}_subject.txt", context).split()))
    message = EmailMultiAlternatives(subject, render_to_string(f"{template}.txt", context),
                                     settings.DEFAULT_FROM_EMAIL, [to_address])
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()
