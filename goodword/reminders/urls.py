from django.urls import path

from goodword.reminders import views

app_name = "reminders"
urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
