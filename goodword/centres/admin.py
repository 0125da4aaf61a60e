"""The operator's view of centres (the Django admin). Looks are evidence: read-only here."""

from django.contrib import admin

from goodword.centres.models import Access, Assignment, Centre, Membership, Seat


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "slug", "created_at"]
    search_fields = ["name", "organisation", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "centre", "share_contacts", "joined_at"]
    list_filter = ["role", "centre"]
    search_fields = ["user__username", "user__email", "centre__name"]
    list_select_related = ["user", "centre"]
    raw_id_fields = ["user"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["candidate", "coach", "created_at"]
    list_select_related = ["candidate__user", "candidate__centre", "coach__user", "coach__centre"]
    raw_id_fields = ["candidate", "coach"]


@admin.register(Seat)
class SeatAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "centre", "created_at"]
    list_filter = ["role", "centre"]
    search_fields = ["email"]
    raw_id_fields = ["invited_by"]


@admin.register(Access)
class AccessAdmin(admin.ModelAdmin):
    list_display = ["at", "coach", "candidate", "what", "label", "centre"]
    list_filter = ["what", "centre"]
    list_select_related = ["coach", "candidate", "centre"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
