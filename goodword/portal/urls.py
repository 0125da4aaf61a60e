from django.urls import path

from goodword.portal import views
from goodword.sheets import views as sheet_views

app_name = "portal"
urlpatterns = [
    path("manage/<int:listing_id>/", views.manage, name="manage"),
    path("notices/read/", views.notices_read, name="notices_read"),
    path("<str:token>/", views.portal_page, name="page"),
    # Letters and calls the candidate didn't list (goodword/sheets).
    path("<str:token>/letter/", sheet_views.portal_letter, name="letter"),
]
