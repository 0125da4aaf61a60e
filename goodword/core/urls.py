from django.urls import path

from goodword.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("settings/", views.settings_hub, name="settings"),
]
