"""Every API error in one shape: RFC 9457 problem details (application/problem+json).

Validation errors name each field ("body.name", "query.limit") with its own
message, whether pydantic (the request's shape) or the domain services (the
model's rules, e.g. a stage date in the future) refused it.
"""

import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse

PROBLEM_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid request",
    428: "Precondition required",
    429: "Too many requests",
    500: "Server error",
}


class Problem(Exception):
    """Raised by views and helpers; rendered by problem_response."""

    def __init__(self, status: int, detail: str, *, errors: list[dict] | None = None, headers: dict | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []
        self.headers = headers or {}


def problem_response(request, status: int, detail: str, *, errors=None, headers=None) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.path if request is not None else None,
    }
    if errors:
        body["errors"] = errors
    response = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _location(loc) -> str:
    return ".".join(str(part) for part in loc)


def from_pydantic(errors: list[dict]) -> list[dict]:
    """ninja's list of pydantic errors as [{"field": "body.name", "message": "…"}]."""
    out = []
    for error in errors:
        loc = [part for part in error.get("loc", []) if part not in ("payload", "filters")]
        message = str(error.get("msg", "Invalid value."))
        out.append({"field": _location(loc) or "body", "message": message})
    return out


def from_django(error: DjangoValidationError, prefix: str = "body") -> list[dict]:
    if hasattr(error, "error_dict"):
        return [
            {"field": prefix if field == "__all__" else f"{prefix}.{field}", "message": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"field": prefix, "message": message} for message in error.messages]


def summary(errors: list[dict]) -> str:
    return " ".join(f"{error['field']}: {error['message']}" for error in errors[:5])
