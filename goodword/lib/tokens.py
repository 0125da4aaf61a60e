"""Secret tokens in links (sign-in, portal, calendar feed). Only their hash is ever stored."""

import hashlib
import re
import secrets

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")  # what new_token() makes


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 32 bytes = 256 bits, 43 URL-safe characters


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
