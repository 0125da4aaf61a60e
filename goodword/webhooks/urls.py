from django.urls import path

from goodword.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.endpoint_detail, name="endpoint"),
    path("<int:pk>/remove/", views.remove, name="remove"),
    path("<int:pk>/active/", views.set_active, name="active"),
    path("<int:pk>/test/", views.send_test, name="test"),
]
