"""The outbox (queue a message, follow its state, decide on an uncertain one) and your tokens."""

from ninja import Query, Router

from goodword.api.core import check_if_match, honours_if_match, idempotent, page, user_of
from goodword.api.lookups import IdPath, owned, reads, responses
from goodword.api.models import AccessToken
from goodword.api.schemas import MessageIn, MessageOut, OutboxFilters, PageParams, TokenOut, page_of
from goodword.api import services as tokens
from goodword.opportunities.models import Opportunity
from goodword.outreach import outbox
from goodword.outreach.models import OutboxMessage
from goodword.references.models import Reference

router = Router(tags=["outbox and tokens"])


def message_item(message) -> dict:
    return {
        "id": message.pk, "reference_id": message.reference_id, "opportunity_id": message.opportunity_id,
        "kind": message.kind, "state": message.state, "to_name": message.to_name, "to_address": message.to_address,
        "subject": message.subject, "body_text": message.body_text, "attempts": message.attempts,
        "last_error": message.last_error, "created_at": message.created_at, "sent_at": message.sent_at,
        "event_id": message.event_id,
    }


MESSAGE_FIELDS = ("id", "reference_id", "opportunity_id", "kind", "state", "to_name", "to_address", "subject",
                  "body_text", "attempts", "last_error", "created_at", "sent_at", "event_id")


@router.get("/outbox", response=reads(page_of(MessageOut)))
def list_outbox(request, filters: Query[OutboxFilters]):
    """Messages queued, sent, failed or uncertain, newest first."""
    rows = OutboxMessage.objects.for_user(user_of(request)).only(*MESSAGE_FIELDS[1:], "owner")
    if filters.state:
        rows = rows.filter(state=filters.state)
    return page(rows, ["-created_at", "-id"], filters.cursor, filters.limit, message_item)


@router.post("/outbox", response=responses({201: MessageOut}))
@idempotent(MessageOut)
def queue_message(request, payload: MessageIn):
    """Queue a message to a reference through your SMTP server; it is sent once, and its
    event is logged when it has gone. Needs your SMTP settings."""
    user = user_of(request)
    reference = owned(Reference.objects, user, payload.reference_id)
    opportunity = owned(Opportunity.objects, user, payload.opportunity_id) if payload.opportunity_id else None
    message = outbox.queue_message(user, reference, kind=payload.kind, subject=payload.subject, text=payload.text,
                                   opportunity=opportunity, to_address=payload.to_address)
    return message_item(message)


@router.get("/outbox/{message_id}", response=reads(MessageOut))
def get_message(request, message_id: int = IdPath()):
    return message_item(owned(OutboxMessage.objects, user_of(request), message_id))


@router.post("/outbox/{message_id}/confirm-sent", response=responses({200: MessageOut}))
@honours_if_match
def confirm_sent(request, message_id: int = IdPath()):
    """You checked: an uncertain or failed message did arrive. Records it as sent, with its event."""
    message = owned(OutboxMessage.objects, user_of(request), message_id)
    check_if_match(request, MessageOut, message_item(message))
    return message_item(outbox.confirm_sent(message))


@router.post("/outbox/{message_id}/resend", response=responses({200: MessageOut}))
@honours_if_match
def resend(request, message_id: int = IdPath()):
    """Send an uncertain or failed message again (same Message-ID)."""
    message = owned(OutboxMessage.objects, user_of(request), message_id)
    check_if_match(request, MessageOut, message_item(message))
    return message_item(outbox.resend(message))


@router.get("/tokens", response=reads(page_of(TokenOut)))
def list_tokens(request, params: Query[PageParams]):
    """Your personal access tokens (never the tokens themselves)."""
    rows = AccessToken.objects.for_user(user_of(request))
    return page(rows, ["-created_at", "-id"], params.cursor, params.limit, AccessToken.as_dict)


@router.delete("/tokens/{token_id}", response=responses({200: TokenOut}))
def revoke_token(request, token_id: int = IdPath()):
    """Revoke a token: it stops working at once. A token may revoke itself."""
    row = owned(AccessToken.objects, user_of(request), token_id)
    tokens.revoke_token(row)
    return row.as_dict()


