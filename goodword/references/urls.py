from django.urls import path

from goodword.references import views

app_name = "references"
urlpatterns = [
    path("", views.reference_list, name="list"),
    path("new/", views.reference_create, name="create"),
    path("<int:pk>/", views.reference_detail, name="detail"),
    path("<int:pk>/edit/", views.reference_edit, name="edit"),
    path("<int:pk>/delete/", views.reference_delete, name="delete"),
]
