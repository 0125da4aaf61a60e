from django.urls import path

from goodword.opportunities import suggest_views, views

app_name = "opportunities"
urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("new/", views.opportunity_create, name="create"),
    path("<int:pk>/", views.opportunity_detail, name="detail"),
    path("<int:pk>/edit/", views.opportunity_edit, name="edit"),
    path("<int:pk>/delete/", views.opportunity_delete, name="delete"),
    path("<int:pk>/stage/", views.stage_change, name="stage"),
    path("<int:pk>/interviews/new/", views.interview_create, name="interview_create"),
    path("interviews/<int:pk>/edit/", views.interview_edit, name="interview_edit"),
    path("interviews/<int:pk>/delete/", views.interview_delete, name="interview_delete"),
    path("<int:pk>/slate/add/", views.slate_add, name="slate_add"),
    path("slate/<int:pk>/remove/", views.slate_remove, name="slate_remove"),
    path("slate/<int:pk>/move/", views.slate_move, name="slate_move"),
    path("slate/<int:pk>/log/", views.slate_log, name="slate_log"),
    path("<int:pk>/builder/", suggest_views.suggestion_panel, name="builder"),
    path("<int:pk>/requirements/", suggest_views.save_requirements, name="requirements"),
    path("<int:pk>/fetch-posting/", suggest_views.fetch_posting, name="fetch_posting"),
    path("<int:pk>/suggestion/apply/", suggest_views.apply_suggestion, name="apply_suggestion"),
    path("synonyms/", suggest_views.synonyms, name="synonyms"),
]
