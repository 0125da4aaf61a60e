"""Ask a signed-in candidate who they are before anything is drafted in their name."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from goodword.accounts.services import profile_problem

# Pages that stay open without a name: the question itself, signing out, the admin.
EXEMPT_NAMESPACES = frozenset({"admin"})
EXEMPT_VIEWS = frozenset({"accounts:profile", "accounts:logout", "accounts:login", "accounts:token_login",
                          "accounts:account", "accounts:delete"})
# Hosted mode's allauth pages (sign-out, email, password, two-factor, sessions): a nameless
# account may still secure, inspect or leave itself.
EXEMPT_PREFIXES = ("account_", "mfa_", "usersessions_")


class ProfileRequiredMiddleware:
    """Send a signed-in user with no usable name to "Tell us who you are", then on to the page they asked for.

    Only page loads (GET and HEAD, not htmx) are sent there: a form posted
    from a page opened before is not lost. Views that need no sign-in (the
    reference's portal) are never affected. Costs no query: the name is on
    the user row the session already loaded.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("GET", "HEAD") or request.headers.get("HX-Request"):
            return None
        if not getattr(view_func, "login_required", True) or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match is None or match.namespace in EXEMPT_NAMESPACES or match.view_name in EXEMPT_VIEWS \
                or match.view_name.startswith(EXEMPT_PREFIXES):
            return None
        if profile_problem(request.user) is None:
            return None
        return redirect(reverse("accounts:profile") + "?" + urlencode({"next": request.get_full_path()}))
