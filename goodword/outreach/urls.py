from django.urls import path

from goodword.outreach import views

app_name = "outreach"
urlpatterns = [
    path("compose/", views.compose, name="compose"),
    path("jobs/<int:pk>/slate/", views.slate_compose, name="slate"),
    path("outbox/", views.outbox_list, name="outbox"),
    path("outbox/<int:pk>/", views.message_detail, name="message"),
    path("settings/smtp/", views.smtp_settings, name="smtp"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<str:kind>/<str:tone>/", views.template_edit, name="template_edit"),
]
