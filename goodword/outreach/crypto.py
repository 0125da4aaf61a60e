"""Encrypt secrets at rest with Fernet, keyed from Django's SECRET_KEY: SMTP
passwords, queued messages that carry a private link (outbox.py), and the
shared secrets webhooks are signed with (goodword/webhooks).

Each key is derived (HKDF-SHA256 with a purpose label) rather than the secret
key itself, so these keys cannot sign sessions nor each other's data. Rotating
SECRET_KEY makes stored passwords unreadable: the user is asked to enter the
password again (decrypt returns None), never shown garbage.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


SEALED_PREFIX = b"goodword-sealed:v1:"


def _fernet(salt: bytes = b"goodword-smtp", purpose: bytes = b"smtp-password") -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=purpose).derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def _message_fernet() -> Fernet:
    return _fernet(b"goodword-outbox", b"queued-message")


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


def decrypt(token: str) -> str | None:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def encrypt_for(purpose: str, secret: str) -> str:
    """A secret Goodword must use again later (so not hashed), under a key of its own purpose."""
    return _fernet(b"goodword-" + purpose.encode(), purpose.encode()).encrypt(secret.encode()).decode()


def decrypt_for(purpose: str, token: str) -> str | None:
    """encrypt_for's secret; None when it can no longer be read (the secret key changed)."""
    try:
        return _fernet(b"goodword-" + purpose.encode(), purpose.encode()).decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def seal(data: bytes) -> bytes:
    """Encrypted bytes, marked so that is_sealed() tells them from a clear message."""
    return SEALED_PREFIX + _message_fernet().encrypt(data)


def is_sealed(data: bytes) -> bool:
    return bytes(data).startswith(SEALED_PREFIX)


def unseal(data: bytes) -> bytes | None:
    """The clear bytes of seal()'s output; clear data as it is; None when the secret key changed."""
    data = bytes(data)
    if not is_sealed(data):
        return data
    try:
        return _message_fernet().decrypt(data[len(SEALED_PREFIX):])
    except InvalidToken:
        return None
