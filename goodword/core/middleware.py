"""Requests that no view could store: refused before they reach one."""

from __future__ import annotations

from django.http import HttpResponseBadRequest


class RefuseNulCharactersMiddleware:
    """A NUL character (\\x00) in any query or form value gets a 400 with a plain message.

    No field of the app accepts one (Django's form fields refuse it already),
    and PostgreSQL cannot store one in text: a view that reads request.POST
    directly would otherwise fail with a 500 there, and only there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for values in (request.GET, request.POST):
            if any("\x00" in key or any("\x00" in value for value in values.getlist(key)) for key in values):
                return HttpResponseBadRequest(
                    "The request held a NUL character (\\x00), which no field accepts. Remove it and try again.",
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)
