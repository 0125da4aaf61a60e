from django.urls import path

from goodword.centres import views

app_name = "centres"
urlpatterns = [
    # A coach's read-only pages.
    path("", views.cohort, name="cohort"),
    path("candidates/<int:pk>/", views.candidate, name="candidate"),
    path("candidates/<int:pk>/references/<int:ref>/", views.reference, name="reference"),
    path("candidates/<int:pk>/jobs/<int:job>/", views.opportunity, name="opportunity"),
    path("candidates/<int:pk>/nudge/", views.nudge, name="nudge"),
    # The candidate's own.
    path("nudges/<int:pk>/dismiss/", views.dismiss_nudge, name="dismiss_nudge"),
    path("me/sharing/", views.sharing, name="sharing"),
    path("me/leave/", views.leave, name="leave"),
    path("me/looks/", views.looks, name="looks"),
    # A centre's admins.
    path("admin/<slug:slug>/", views.admin_home, name="admin"),
    path("admin/<slug:slug>/invite/", views.admin_invite, name="invite"),
    path("admin/<slug:slug>/assign/", views.admin_assign, name="assign"),
    path("admin/<slug:slug>/assignments/<int:pk>/remove/", views.admin_unassign, name="unassign"),
    path("admin/<slug:slug>/members/<int:pk>/remove/", views.admin_remove, name="remove_member"),
    path("admin/<slug:slug>/seats/<int:pk>/cancel/", views.admin_cancel_seat, name="cancel_seat"),
    path("admin/<slug:slug>/audit/", views.audit, name="audit"),
]
