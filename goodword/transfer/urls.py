from django.urls import path

from goodword.transfer import views

app_name = "transfer"
urlpatterns = [
    path("import/", views.upload, name="upload"),
    path("import/<int:pk>/", views.preview, name="preview"),
    path("import/<int:pk>/columns/", views.mapping, name="mapping"),
    path("import/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("export.json", views.export_json, name="export_json"),
]
