"""Hosted mode's URLs (settings.ROOT_URLCONF when GOODWORD_MODE=hosted): the app's, with allauth's pages.

allauth comes first, so /accounts/login/ and /accounts/logout/ are its views
(email and password, login by code, two-factor); the names accounts:login and
accounts:logout reverse to those same paths. Its sign-up is open only to
invitations unless GOODWORD_OPEN_SIGNUP (goodword.accounts.adapter).

The admin's own sign-in form is replaced by allauth's (its rate limits and
two-factor): staff sign in there and are sent back to the admin.
"""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from goodword.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("admin/login/", secure_admin_login(admin.site.login)),
    *app_urlpatterns,
]
