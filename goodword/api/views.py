"""The settings page's API tokens section: make one (shown once) and revoke one. Session and CSRF, as every page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from goodword.api import services
from goodword.api.forms import TokenForm
from goodword.api.models import AccessToken


def tokens_page(request):
    """GET: the section on a page of its own. POST: make a token and show it, this once."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row, token = services.create_token(request.user, form.cleaned_data["name"],
                                               read_only=form.cleaned_data["scope"] == "read")
        except ValidationError as error:
            form.add_error(None, error)
        else:
            response = render(request, "api/token_created.html", {"row": row, "token": token})
            # The one page that shows the token: kept out of caches and Referer headers.
            response["Cache-Control"] = "no-store"
            response["Referrer-Policy"] = "no-referrer"
            return response
    return render(request, "api/tokens.html", {"token_form": form})


@require_POST
def token_revoke(request, pk):
    row = get_object_or_404(AccessToken.objects.for_user(request.user), pk=pk)
    if services.revoke_token(row):
        messages.success(request, f"Revoked the token “{row.name}”: it no longer works.")
    return redirect("core:settings")
