from django.contrib.auth import views as auth_views
from django.urls import path

from goodword.accounts import views

app_name = "accounts"
urlpatterns = [
    path("link/<str:token>/", views.token_login, name="token_login"),
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    # Hosted mode (404 in local mode); allauth's own pages are added by goodword/urls_hosted.py.
    path("invite/<str:token>/", views.invitation, name="invitation"),
    path("account/", views.account, name="account"),
    path("account/delete/", views.delete_account, name="delete"),
]
