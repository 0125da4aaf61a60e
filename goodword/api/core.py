"""The API object and what every route shares: who is calling, one error shape,
ETags, cursors and idempotency keys. Routes live in routes_*.py and stay thin:
they call the same services as the web pages and the CLI.
"""

import base64
import binascii
import hashlib
import json
import re
from functools import wraps

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.http.request import RawPostDataException
from ninja import NinjaAPI, Status
from ninja.parser import Parser
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from goodword.api import problems, services
from goodword.api.problems import Problem
from goodword.lib.ids import MAX_ID

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_.:-]{8,100}")


class Caller:
    """Who made the request: a user, through a token (token set) or the app's own session."""

    __slots__ = ("user", "token")

    def __init__(self, user, token=None):
        self.user = user
        self.token = token


class TokenAuth(HttpBearer):
    """Authorization: Bearer gwp_…; read-only tokens stop at writes; each token has its own rate."""

    def __call__(self, request):
        # A malformed Authorization header is no token at all: answer 401, not 500.
        header = request.headers.get("Authorization") or ""
        if not header.lower().startswith("bearer "):
            return None
        return self.authenticate(request, header[7:].strip())

    def authenticate(self, request, token):
        row = services.authenticate(token)
        if row is None:
            return None
        wait = services.take_request(row)
        if wait:
            raise Problem(429, f"This token made more than {services.RATE_LIMIT_PER_MINUTE} requests this minute; "
                               f"try again in {wait} seconds.", headers={"Retry-After": str(wait)})
        if request.method not in SAFE_METHODS and not row.can_write:
            raise Problem(403, f"The token “{row.name}” is read-only; make a read-write token to change things.")
        return Caller(row.owner, row)


class SessionCookieAuth(SessionAuth):
    """The app's own pages (and the interactive docs) call the API with the session cookie and a CSRF token."""

    def _get_key(self, request):
        if not request.user.is_authenticated or "Authorization" in request.headers:
            # No session: the answer is 401, not a CSRF failure. A token that failed is not
            # rescued by a cookie the same client happens to carry.
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        return Caller(request.user) if key is not None and request.user.is_authenticated else None


class GoodwordAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            tag = etag_of(response.content)
            response["ETag"] = tag
            if tag in _listed_tags(request.headers.get("If-None-Match", "")):
                not_modified = HttpResponseNotModified()
                not_modified["ETag"] = tag
                return not_modified
        return response

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        # ninja documents every response as application/json; errors are problem+json.
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for code, response in operation.get("responses", {}).items():
                    content = response.get("content")
                    if int(code) >= 400 and content and "application/json" in content:
                        response["content"] = {problems.PROBLEM_TYPE: content.pop("application/json")}
                operation.setdefault("parameters", []).extend(_conditional_headers(operation))
        return schema


def _header(name: str, description: str, **schema) -> dict:
    return {"in": "header", "name": name, "required": False, "description": description,
            "schema": {"type": "string", **schema}}


# operationIds (ninja's: module and function name) of the writes that read If-Match, and of the
# creates that take an Idempotency-Key; filled by the decorators below as the routes are defined.
IF_MATCH_OPERATIONS: set[str] = set()
IDEMPOTENT_OPERATIONS: set[str] = set()


def _operation_id(view) -> str:
    return (view.__module__ + "_" + view.__name__).replace(".", "_")


def honours_if_match(view):
    """Marks a write that calls check_if_match, so that the description offers If-Match."""
    IF_MATCH_OPERATIONS.add(_operation_id(view))
    return view


def _conditional_headers(operation: dict) -> list[dict]:
    """The headers GoodwordAPI (not ninja) reads, which the description would otherwise leave out."""
    found = []
    if "200" in operation.get("responses", {}) and "304" in operation["responses"]:
        found.append(_header("If-None-Match", "An ETag from an earlier read: 304 when it still matches."))
    if operation.get("operationId") in IF_MATCH_OPERATIONS:
        found.append(_header("If-Match", "The ETag you read: the write is refused with 412 if it changed since."))
    if operation.get("operationId") in IDEMPOTENT_OPERATIONS:
        found.append(_header("Idempotency-Key", "Retry safely: the same key returns the first answer; "
                                                "with another body, 422.", pattern=IDEMPOTENCY_KEY.pattern.join("^$")))
    return found


def etag_of(content: bytes | str) -> str:
    if isinstance(content, str):
        content = content.encode()
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def _listed_tags(header: str) -> set[str]:
    return {part.strip().removeprefix("W/") for part in header.split(",") if part.strip()}


def render(schema, data) -> str:
    """The JSON body a route returns for `data` through `schema`: the bytes its ETag is computed on."""
    return json.dumps(schema.model_validate(data).model_dump(), cls=NinjaJSONEncoder)


def check_if_match(request, schema, current) -> None:
    """A write that names the version it read (If-Match) is refused with 412 when that version is gone."""
    header = request.headers.get("If-Match")
    if not header or header.strip() == "*":
        return
    if etag_of(render(schema, current)) not in _listed_tags(header):
        raise Problem(412, "It changed since you read it: read it again (GET) and send its new ETag in If-Match.")


def user_of(request):
    return request.auth.user


# ---------------------------------------------------------------- cursors


def _encode_cursor(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, length: int) -> list:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != length or not all(
        isinstance(v, (str, int)) and not isinstance(v, bool) and (not isinstance(v, int) or abs(v) <= MAX_ID)
        and (not isinstance(v, str) or ("\x00" not in v and len(v) <= 400)) for v in values
    ):
        raise Problem(400, "That cursor is not one this API gave; start again without it.",
                      errors=[{"field": "query.cursor", "message": "Use the next_cursor of the previous page."}])
    return values


def _after(order: list[str], values: list) -> Q:
    """Rows after `values` in `order` (keyset pagination: no OFFSET, stable under inserts)."""
    condition = Q(pk__in=[])
    for index, term in enumerate(order):
        name = term.lstrip("-")
        step = Q(**{f"{name}__lt" if term.startswith("-") else f"{name}__gt": values[index]})
        for earlier, value in zip(order[:index], values[:index], strict=True):
            step &= Q(**{earlier.lstrip("-"): value})
        condition |= step
    return condition


def _value(row, name):
    value = row[name] if isinstance(row, dict) else getattr(row, name)
    return value.isoformat() if hasattr(value, "isoformat") else value


def page(queryset, order: list[str], cursor: str | None, limit: int, as_item) -> dict:
    """One page of a queryset in `order` (which must end in a unique field), and the cursor of the next."""
    queryset = queryset.order_by(*order)
    if cursor:
        queryset = queryset.filter(_after(order, decode_cursor(cursor, len(order))))
    try:
        rows = list(queryset[: limit + 1])
    except (DjangoValidationError, ValueError, TypeError, OverflowError):
        raise Problem(400, "That cursor is not one this API gave; start again without it.") from None
    more = len(rows) > limit
    rows = rows[:limit]
    following = _encode_cursor([_value(rows[-1], term.lstrip("-")) for term in order]) if more and rows else None
    return {"items": [as_item(row) for row in rows], "next_cursor": following}


def page_of_list(items: list, key, cursor: str | None, limit: int) -> dict:
    """One page of a computed list (the ledger's debts), resumed after the key of the last item shown."""
    start = 0
    if cursor:
        after, position = decode_cursor(cursor, 2)
        keys = [key(item) for item in items]
        if after in keys:
            start = keys.index(after) + 1
        elif isinstance(position, int) and position >= 0:
            start = position  # that debt is settled: carry on from where it stood
    chunk = items[start : start + limit]
    following = _encode_cursor([key(chunk[-1]), start + len(chunk)]) if start + limit < len(items) and chunk else None
    return {"items": chunk, "next_cursor": following}


# ---------------------------------------------------------------- idempotency


def idempotent(schema, status: int = 201, *, kept=None, no_store: bool = False):
    """A POST that creates: the same Idempotency-Key gets the first answer again; with
    another body it is refused (422). The answer is stored in the creating transaction.
    `kept` maps the answer to what may be stored (a secret shown once is left out of the replay);
    `no_store` keeps such an answer out of every cache."""

    def decorate(view):
        IDEMPOTENT_OPERATIONS.add(_operation_id(view))

        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not no_store:
                return answer(request, *args, **kwargs)
            response = answer(request, *args, **kwargs)
            if isinstance(response, Status):
                response = HttpResponse(render(schema, response.value), status=status, content_type="application/json")
            response["Cache-Control"] = "no-store"
            return response

        def answer(request, *args, **kwargs):
            key = request.headers.get("Idempotency-Key")
            if key is None:
                return Status(status, view(request, *args, **kwargs))
            if not IDEMPOTENCY_KEY.fullmatch(key):
                raise Problem(400, "Idempotency-Key must be 8 to 100 letters, digits, '-', '_', '.' or ':'.")
            user = user_of(request)
            fingerprint = services.request_fingerprint(request.method, request.path, request.body)
            try:
                with transaction.atomic():
                    seen = services.remembered_answer(user, key)
                    if seen is not None:
                        if seen.request_hash != fingerprint:
                            raise Problem(422, "This Idempotency-Key came with another request before; "
                                               "use a new key for a new request.")
                        replay = HttpResponse(seen.body, status=seen.status, content_type="application/json")
                        replay["Idempotent-Replayed"] = "true"
                        return replay
                    data = view(request, *args, **kwargs)
                    body = render(schema, data)
                    stored = render(schema, kept(data)) if kept else body
                    services.remember_answer(user, key, fingerprint, status, stored)
            except IntegrityError:
                raise Problem(409, "A request with this Idempotency-Key is still being answered; retry shortly.") from None
            return HttpResponse(body, status=status, content_type="application/json")

        return wrapper

    return decorate


# ---------------------------------------------------------------- the API


class BodyNotAnObject(ValueError):
    pass


class ObjectBodies(Parser):
    """Every request body here is a JSON object. ninja's Schema reads attributes off whatever it is
    given, so an array or a number would otherwise pass as a body without fields: an empty change,
    answered 200."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise BodyNotAnObject(f"The body must be a JSON object ({{…}}), not {_JSON_KINDS.get(type(data), 'that')}.")
        return data


_JSON_KINDS = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true or false",
               type(None): "null"}


api = GoodwordAPI(
    parser=ObjectBodies(),
    title="Goodword API",
    version="1",
    description=(
        "Your references, opportunities, slates, timeline, courtesy ledger, drafts, outbox, portal and employer "
        "links, reference sheets and letters, the slate builder, webhooks, settings, export and import, "
        "contacts in and out; a coach's cohort and a centre's admin pages. "
        "Authenticate with `Authorization: Bearer <personal access token>` (Settings → API tokens, or "
        "`goodword token create NAME`). Lists are paged with `?cursor=` (the previous page's `next_cursor`). "
        "Errors are RFC 9457 problem details. See docs/api.md."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=[TokenAuth(), SessionCookieAuth()],
)


def _problem(request, exc):
    return problems.problem_response(request, exc.status, exc.detail, errors=exc.errors, headers=exc.headers)


def _invalid(request, exc):
    errors = problems.from_pydantic(exc.errors)
    return problems.problem_response(request, 422, problems.summary(errors) or "The request is not valid.", errors=errors)


def _domain_invalid(request, exc):
    errors = problems.from_django(exc)
    return problems.problem_response(request, 422, problems.summary(errors), errors=errors)


def _not_found(request, exc):
    return problems.problem_response(request, 404, "No such object among yours.")


def _unauthenticated(request, exc):
    return problems.problem_response(
        request, 401, "Send a personal access token: Authorization: Bearer gwp_… (revoked tokens stop working).",
        headers={"WWW-Authenticate": 'Bearer realm="goodword"'},
    )


def _not_json(request, exc):
    # A multipart body was read as a form before the route could read it as JSON.
    return problems.problem_response(request, 415, "Send the body as JSON (Content-Type: application/json).")


def _too_large(request, exc):
    from django.conf import settings

    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024) or 1
    return problems.problem_response(request, 413, f"The body is over {limit} MB, more than the API reads; "
                                                   "import a larger export with `goodword import FILE` instead.")


def _http_error(request, exc):
    if isinstance(exc.__cause__, BodyNotAnObject):  # ninja's own words would be "Cannot parse request body"
        return problems.problem_response(request, exc.status_code, str(exc.__cause__))
    return problems.problem_response(request, exc.status_code, str(exc))


def _unexpected(request, exc):
    import logging

    logging.getLogger("django.request").error("API error on %s", request.path, exc_info=exc)
    return problems.problem_response(request, 500, "Something went wrong on our side; nothing was changed.")


api.add_exception_handler(Problem, _problem)
api.add_exception_handler(NinjaValidationError, _invalid)
api.add_exception_handler(DjangoValidationError, _domain_invalid)
api.add_exception_handler(ObjectDoesNotExist, _not_found)
api.add_exception_handler(Http404, _not_found)
api.add_exception_handler(AuthenticationError, _unauthenticated)
api.add_exception_handler(HttpError, _http_error)
api.add_exception_handler(RawPostDataException, _not_json)
api.add_exception_handler(RequestDataTooBig, _too_large)
api.add_exception_handler(Exception, _unexpected)
