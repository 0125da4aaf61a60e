from django.contrib import messages
from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from goodword.accounts import services
from goodword.accounts.forms import DeleteAccountForm, ProfileForm
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


def hosted_only(request):
    # Local mode has one account, signed in by link: nobody signs up or deletes it here.
    if settings.GOODWORD_MODE != "hosted":
        raise Http404("Accounts are managed in hosted mode only.")


@never_cache
@login_not_required
@require_http_methods(["GET", "HEAD"])
def invitation(request, token):
    """An invitation link: remember it in this browser and open the sign-up form, or say why it cannot be used."""
    hosted_only(request)
    if request.user.is_authenticated:
        return render(request, "accounts/invitation_refused.html", {
            "reason": "You are already signed in. Sign out first to make a new account with this invitation.",
        }, status=409)
    try:
        found = services.invitation_for_token(token)
    except services.InvitationRefused as refused:
        return render(request, "accounts/invitation_refused.html", {"reason": str(refused)}, status=410)
    from allauth.account.adapter import get_adapter

    request.session[services.INVITATION_SESSION_KEY] = found.pk
    # The link came to this address, so it needs no second verification email.
    get_adapter(request).stash_verified_email(request, found.email)
    return redirect("account_signup")


@require_http_methods(["GET", "HEAD"])
def account(request):
    """The signed-in person's account: email, password, two-factor, sessions, their data, deletion."""
    hosted_only(request)
    from allauth.mfa.models import Authenticator

    two_factor = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
    return render(request, "accounts/account.html", {"two_factor": two_factor, "nav_section": "settings"})


@never_cache
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """Delete the account and everything it owns, once the person types their email address."""
    hosted_only(request)
    return confirm_and_delete(request)


# A stolen session alone cannot delete an account: the password (or a second factor) is asked again first.
@reauthentication_required
def confirm_and_delete(request):
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.delete_account(request.user)
        logout(request)
        return render(request, "accounts/deleted.html")
    return render(request, "accounts/delete.html", {"form": form, "nav_section": "settings"},
                  status=400 if form.errors else 200)
