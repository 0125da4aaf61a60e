"""Requests that no view could store: refused before they reach one."""

from __future__ import annotations

from django.conf import settings
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
        # A body beyond what Django reads into memory is an upload: reading it here
        # would take the view's own size check away (a letter over 5 MB gets its
        # 413 before it is read). The views that take uploads use forms, whose
        # fields refuse NUL themselves.
        for values in (request.GET, request.POST) if not _is_upload(request) else (request.GET,):
            if any("\x00" in key or any("\x00" in value for value in values.getlist(key)) for key in values):
                if request.path.startswith("/api/"):
                    # The API's one error shape (goodword/api/problems.py).
                    from goodword.api.problems import problem_response

                    return problem_response(request, 400, "The request held a NUL character (\\x00), which no field "
                                                          "accepts. Remove it and try again.")
                return HttpResponseBadRequest(
                    "The request held a NUL character (\\x00), which no field accepts. Remove it and try again.",
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)


def _is_upload(request) -> bool:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return declared > settings.DATA_UPLOAD_MAX_MEMORY_SIZE


SESSION_REFRESHED_KEY = "_goodword_refreshed"
SESSION_REFRESH_SECONDS = 60


def loaded_user(request):
    """request.user if something already loaded it, else None: never a query of its own (so that
    /healthz and the token pages cost no session lookup, and answer while the database is down)."""
    from django.utils.functional import empty

    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user


class SignedInPagesMiddleware:
    """What a signed-in page owes its reader: never kept by a browser or a shared cache
    (Cache-Control: private, no-store), and the session's idle timer moved on.

    The timer: SESSION_COOKIE_AGE is the idle time; the session is written (and its expiry and
    cookie moved on) at most once a minute, not on every request as SESSION_SAVE_EVERY_REQUEST
    would, which would add a write to every page and every htmx fragment.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = loaded_user(request)
        if user is not None and user.is_authenticated:
            from django.utils.cache import patch_cache_control

            patch_cache_control(response, private=True, no_store=True)
            self.refresh_idle_timer(request)
        return response

    @staticmethod
    def refresh_idle_timer(request):
        import time

        session = getattr(request, "session", None)
        if session is None or not session.session_key:
            return
        now = int(time.time())
        if now - session.get(SESSION_REFRESHED_KEY, 0) >= SESSION_REFRESH_SECONDS:
            session[SESSION_REFRESHED_KEY] = now  # modified: SessionMiddleware saves it with a new expiry
