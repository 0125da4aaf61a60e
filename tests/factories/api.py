from goodword.api import services


def make_token(owner, name="script", *, read_only=False) -> str:
    """A personal access token for owner, in clear (as shown once)."""
    _row, token = services.create_token(owner, name, read_only=read_only)
    return token


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


class ApiClient:
    """Django's test client speaking JSON with a bearer token: get(url) and send(method, url, body)."""

    def __init__(self, client, token: str):
        self.client, self.headers = client, bearer(token)

    def get(self, url, **extra):
        return self.client.get(url, **self.headers, **extra)

    def send(self, method, url, body=None, **extra):
        import json

        return self.client.generic(method, url, json.dumps(body if body is not None else {}),
                                   content_type="application/json", **self.headers, **extra)
