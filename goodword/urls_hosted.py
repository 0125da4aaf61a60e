"""Hosted mode's URLs (settings.ROOT_URLCONF when GOODWORD_MODE=hosted): the app's, with allauth's pages.

allauth comes first, so /accounts/login/ and /accounts/logout/ are its views
(email and password, login by code, two-factor); the names accounts:login and
accounts:logout reverse to those same paths. Its sign-up is open only to
invitations unless GOODWORD_OPEN_SIGNUP (goodword.accounts.adapter).
"""

from django.urls import include, path

from goodword.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    *app_urlpatterns,
]
