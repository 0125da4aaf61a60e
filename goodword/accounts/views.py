from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from goodword.accounts.services import redeem_login_token


@never_cache
@login_not_required
def token_login(request, token):
    user = redeem_login_token(token)
    if user is None:
        return render(request, "accounts/link_expired.html", status=410)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("core:home")
