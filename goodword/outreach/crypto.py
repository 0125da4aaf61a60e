"""Encrypt SMTP passwords at rest with Fernet, keyed from Django's SECRET_KEY.

The key is derived (HKDF-SHA256 with a purpose label) rather than the secret
key itself, so the SMTP key cannot sign sessions and vice versa. Rotating
SECRET_KEY makes stored passwords unreadable: the user is asked to enter the
password again (decrypt returns None), never shown garbage.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _fernet() -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"goodword-smtp", info=b"smtp-password").derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


def decrypt(token: str) -> str | None:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None
