from django.contrib import admin

from goodword.references.models import Reference


@admin.register(Reference)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "title", "relationship", "status", "owner", "updated_at"]
    list_filter = ["status", "relationship", "preferred_channel"]
    search_fields = ["name", "organisation", "title", "owner__username"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "updated_at"]
