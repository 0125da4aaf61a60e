from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from goodword.accounts.forms import ProfileForm
from goodword.accounts.services import redeem_login_token, update_profile
from goodword.core.request_input import safe_next


@never_cache
@login_not_required
def token_login(request, token):
    user = redeem_login_token(token)
    if user is None:
        return render(request, "accounts/link_expired.html", status=410)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("core:home")


@require_http_methods(["GET", "POST"])
def profile(request):
    """"Tell us who you are": asked once, before anything is drafted in the candidate's name."""
    form = ProfileForm.for_user(request.user, request.POST or None)
    next_url = safe_next(request, reverse("core:home"))
    if request.method == "POST" and form.is_valid():
        try:
            update_profile(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Thank you, {request.user.first_name}. Drafts are now signed with your name.")
            return redirect(next_url)
    return render(request, "accounts/profile.html", {"form": form, "next": next_url},
                  status=400 if form.errors else 200)
