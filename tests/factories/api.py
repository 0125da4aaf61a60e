from goodword.api import services


def make_token(owner, name="script", *, read_only=False) -> str:
    """A personal access token for owner, in clear (as shown once)."""
    _row, token = services.create_token(owner, name, read_only=read_only)
    return token


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
