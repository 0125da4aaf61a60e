from django.urls import path

from goodword.courtesy import views

app_name = "courtesy"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("hidden/", views.hidden, name="hidden"),
    path("chart/", views.chart, name="chart"),
    path("badge/", views.badge, name="badge"),
    path("own/", views.own_debts, name="own"),
    path("settle/", views.settle, name="settle"),
    path("later/", views.later, name="later"),
    path("snooze/", views.snooze, name="snooze"),
    path("dismiss/", views.dismiss, name="dismiss"),
    path("undo/", views.undo, name="undo"),
    path("settings/", views.settings_view, name="settings"),
]
