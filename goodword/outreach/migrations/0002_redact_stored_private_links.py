"""Links with live tokens that earlier versions stored in clear: redact them (see outreach/secret_links.py).

Timeline notes and the outbox's subject, text, HTML and last error get the
marker; a message already sent keeps its wire form with the link redacted; one
not yet sent keeps it sealed, so it still goes out with the live link.
"""

from django.db import migrations
from django.db.models import Q

from goodword.lib.redact import TOKEN_URL_PREFIXES, redact_links

SENT = "sent"


def mentions_a_token_url(*fields):
    query = Q()
    for field in fields:
        for prefix in TOKEN_URL_PREFIXES:
            query |= Q(**{f"{field}__icontains": f"/{prefix}/"})
    return query


def redact_stored_links(apps, schema_editor):
    from goodword.outreach import crypto, secret_links

    Event = apps.get_model("timeline", "Event")
    for event in Event.objects.filter(mentions_a_token_url("note")).only("pk", "note").iterator():
        note = redact_links(event.note)
        if note != event.note:
            Event.objects.filter(pk=event.pk).update(note=note)
    OutboxMessage = apps.get_model("outreach", "OutboxMessage")
    rows = OutboxMessage.objects.filter(mentions_a_token_url("subject", "body_text", "body_html", "last_error"))
    for row in rows.iterator():
        subject, text, html, carries_link = secret_links.stored_copy(row.subject, row.body_text, row.body_html)
        error = redact_links(row.last_error)
        if not carries_link and error == row.last_error:
            continue
        mime = bytes(row.mime)
        if carries_link and not crypto.is_sealed(mime):
            mime = secret_links.redacted_wire(mime) if row.state == SENT else crypto.seal(mime)
        OutboxMessage.objects.filter(pk=row.pk).update(
            subject=subject, body_text=text, body_html=html, last_error=error, mime=mime
        )


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0001_initial"),
        ("timeline", "0003_kind_indexes"),
    ]

    operations = [migrations.RunPython(redact_stored_links, migrations.RunPython.noop)]
