from django.urls import path

from goodword.portal import views

app_name = "portal"
urlpatterns = [
    path("manage/<int:listing_id>/", views.manage, name="manage"),
    path("notices/read/", views.notices_read, name="notices_read"),
    path("<str:token>/", views.portal_page, name="page"),
]
