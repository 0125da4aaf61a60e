"""What the routes that send or take a file share: a binary answer that keeps the API's ETag
and 304 (GoodwordAPI.create_response only sees JSON), its description in OpenAPI with its own
media type, and an uploaded file read from a multipart form or a raw body with a size limit."""

from django.http import HttpResponse, HttpResponseNotModified

from goodword.api.core import _listed_tags, etag_of
from goodword.api.lookups import ERRORS
from goodword.api.problems import Problem

# A multipart body is the file plus its boundaries and headers; this much slack is not the file.
MULTIPART_SLACK = 64 * 1024


def file_responses(*, downloads: bool = False) -> dict:
    """The `response=` of a route whose 200 is a file (described by file_openapi), not JSON.
    `downloads`: answered in full every time, never a 304: a sheet download is recorded as the sheet
    sent, and a letter is kept out of every cache (no-store), as on the web."""
    return {200: None, **ERRORS} if downloads else {200: None, 304: None, **ERRORS}


def file_openapi(description: str, *media_types: str) -> dict:
    """openapi_extra for a 200 that is a file in one of `media_types`."""
    content = {media: {"schema": {"type": "string", "format": "binary"}} for media in media_types}
    return {"responses": {200: {"description": description, "content": content}}}


def upload_openapi(description: str, field: str = "file", *, required: bool = True) -> dict:
    """openapi_extra for a route that takes a file as multipart (`field`) or as the raw body."""
    binary = {"type": "string", "format": "binary"}
    return {"requestBody": {"required": required, "description": description, "content": {
        "multipart/form-data": {"schema": {"type": "object", "properties": {field: binary}, "required": [field]}},
        "application/octet-stream": {"schema": binary},
    }}}


def file_answer(request, content: bytes, media_type: str, filename: str, *, inline: bool = False) -> HttpResponse:
    tag = etag_of(content)
    if tag in _listed_tags(request.headers.get("If-None-Match", "")):
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = tag
        return not_modified
    response = HttpResponse(content, content_type=media_type)
    response["ETag"] = tag
    safe = "".join(ch for ch in filename if ch.isalnum() or ch in "-_. ")[:120] or "file"
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{safe}"'
    return response


def uploaded(request, limit: int, what: str, field: str = "file") -> tuple[bytes, str]:
    """The uploaded file's bytes and name: the `field` of a multipart form, else the raw body.
    Over `limit` bytes is a 413 that says the limit, checked on Content-Length before reading."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    megabytes = f"{limit / 1_000_000:.0f} MB"
    too_big = Problem(413, f"{what} may be at most {megabytes}; this one is larger.",
                      errors=[{"field": f"body.{field}", "message": f"At most {megabytes}."}])
    multipart = request.content_type == "multipart/form-data"
    if declared > limit + (MULTIPART_SLACK if multipart else 0):
        raise too_big
    if multipart:
        upload = request.FILES.get(field)
        if upload is None:
            raise Problem(422, f"Send the file in the form field “{field}”, or as the raw body.",
                          errors=[{"field": f"body.{field}", "message": "This field is required."}])
        if upload.size > limit:
            raise too_big
        return upload.read(), upload.name or ""
    # Read from the stream rather than request.body: that would stop at DATA_UPLOAD_MAX_MEMORY_SIZE
    # with the JSON import's message, not this file's limit.
    data = request.read(limit + 1)
    if len(data) > limit:
        raise too_big
    if not data:
        raise Problem(422, f"Send the file as the body (or as the multipart field “{field}”).",
                      errors=[{"field": "body", "message": "The body is empty."}])
    return data, ""
