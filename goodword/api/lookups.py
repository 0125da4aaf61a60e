"""What routes share: owner-scoped lookups (another user's id is a 404, as on the web),
the error responses every operation documents, and the CLI's way of naming things in filters."""

from ninja import Path

from goodword.api.problems import Problem
from goodword.api.schemas import ProblemOut
from goodword.lib.ids import MAX_ID

ERRORS = {code: ProblemOut for code in (400, 401, 403, 404, 409, 412, 415, 422, 429)}


def responses(ok: dict) -> dict:
    return {**ok, **ERRORS}


def reads(schema) -> dict:
    """A read: 200 with an ETag, or 304 when If-None-Match names it."""
    return responses({200: schema, 304: None})


def IdPath():  # noqa: N802  (used as a default: `pk: int = IdPath()`)
    return Path(..., ge=1, le=MAX_ID)


def owned(queryset, user, pk):
    """One row of the user's own, or 404 whoever else owns it."""
    row = queryset.for_user(user).filter(pk=pk).first()
    if row is None:
        raise Problem(404, f"You have no {queryset.model._meta.verbose_name} with the id {pk}.")
    return row


def named(queryset, text: str, noun: str, **options):
    """A filter's reference or opportunity named as the CLI names it: an id or an unambiguous part of its name."""
    from goodword.cli.common import LookupProblem, pick

    try:
        return pick(queryset, text, noun, **options)
    except LookupProblem as problem:
        message = problem.format_message()
        raise Problem(422 if "several" in message else 404, message) from None
