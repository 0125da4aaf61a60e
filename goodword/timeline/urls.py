from django.urls import path

from goodword.timeline import views

app_name = "timeline"
urlpatterns = [
    path("references/<int:pk>/log/", views.log_event, name="log"),
    path("references/<int:pk>/log/form/", views.log_form, name="log_form"),
    path("references/<int:pk>/timeline/", views.older_events, name="older"),
    path("events/<int:pk>/delete/", views.event_delete, name="delete"),
]
