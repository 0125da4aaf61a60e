"""Token, rate-limit and idempotency operations, shared by the API, the settings page and the CLI."""

import datetime as dt
import hashlib
import hmac
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from goodword.api.models import AccessToken, IdempotentRequest, RateWindow, Scope

TOKEN_START = "gwp_"  # says what the string is when it turns up in a script or a leak scanner
PREFIX_CHARS = 8
MAX_ACTIVE_TOKENS = 50
# Requests a token may make per minute; the tests lower it. One row per token and minute.
RATE_LIMIT_PER_MINUTE = 600
RATE_WINDOW = dt.timedelta(minutes=1)
# last_used_at is written at most this often: a busy script must not write the token row on every call.
LAST_USED_PRECISION = dt.timedelta(minutes=1)
IDEMPOTENCY_KEEP = dt.timedelta(days=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(owner, name: str, *, read_only: bool = False) -> tuple[AccessToken, str]:
    """A new token and its clear text: the only time the clear text exists."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the token after what will use it, e.g. “job tracker”."})
    if AccessToken.objects.for_user(owner).live().count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(f"You have {MAX_ACTIVE_TOKENS} tokens in use; revoke one you no longer need first.")
    secret = secrets.token_urlsafe(32)
    token = TOKEN_START + secret
    row = AccessToken(owner=owner, name=name, prefix=TOKEN_START + secret[:PREFIX_CHARS], token_hash=_hash(token),
                      scope=Scope.READ if read_only else Scope.READ_WRITE)
    row.full_clean()
    row.save()
    return row, token


def revoke_token(token: AccessToken, *, now=None) -> bool:
    """False when it was already revoked."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = now or timezone.now()
    token.save(update_fields=["revoked_at"])
    return True


def authenticate(clear: str, *, now=None) -> AccessToken | None:
    """The live token for this clear text, its last use noted (at most once a minute), or None."""
    if not clear.startswith(TOKEN_START) or len(clear) > 200:
        return None
    prefix = clear[: len(TOKEN_START) + PREFIX_CHARS]
    wanted = _hash(clear)
    for row in AccessToken.objects.filter(prefix=prefix, revoked_at__isnull=True).select_related("owner"):
        if hmac.compare_digest(row.token_hash, wanted):
            if not row.owner.is_active:
                return None
            now = now or timezone.now()
            if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
                AccessToken.objects.filter(pk=row.pk).update(last_used_at=now)
                row.last_used_at = now
            return row
    return None


def take_request(token: AccessToken, *, now=None) -> int:
    """Count one request against the token's minute; returns the seconds to wait, or 0 when allowed."""
    now = now or timezone.now()
    start = now.replace(second=0, microsecond=0)
    count = _count_one_more(token, start)
    if count is None:
        try:
            with transaction.atomic():
                RateWindow.objects.create(token=token, window_start=start, count=1)
            count = 1
            # A new minute: the previous ones will not be read again.
            RateWindow.objects.filter(token=token, window_start__lt=start).delete()
        except IntegrityError:  # another process opened the same minute first
            count = _count_one_more(token, start) or 1
    if count <= RATE_LIMIT_PER_MINUTE:
        return 0
    return max(1, int((start + RATE_WINDOW - now).total_seconds()) + 1)


def _count_one_more(token: AccessToken, start) -> int | None:
    """Add one to the token's count for this minute and read it back, in one statement
    (UPDATE … RETURNING: SQLite 3.35+ and PostgreSQL); None when the minute has no row yet."""
    table, count = connection.ops.quote_name(RateWindow._meta.db_table), connection.ops.quote_name("count")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {count} = {count} + 1 WHERE token_id = %s AND window_start = %s RETURNING {count}",
            [token.pk, connection.ops.adapt_datetimefield_value(start)],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def remembered_answer(owner, key: str) -> IdempotentRequest | None:
    cutoff = timezone.now() - IDEMPOTENCY_KEEP
    return IdempotentRequest.objects.for_user(owner).filter(key=key, created_at__gte=cutoff).first()


def remember_answer(owner, key: str, fingerprint: str, status: int, body: str) -> None:
    """Called inside the transaction that made the object: both are kept, or neither."""
    cutoff = timezone.now() - IDEMPOTENCY_KEEP
    # This key's expired answer, and the owner's other expired ones: the table holds a day of answers.
    IdempotentRequest.objects.for_user(owner).filter(Q(key=key) | Q(created_at__lt=cutoff)).delete()
    IdempotentRequest.objects.create(owner=owner, key=key, request_hash=fingerprint, status=status, body=body)
