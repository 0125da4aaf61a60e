from django.contrib import admin

from goodword.timeline.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "kind", "reference", "opportunity", "channel", "owner"]
    list_filter = ["kind", "channel"]
    search_fields = ["reference__name", "opportunity__company", "opportunity__role", "note", "owner__username"]
    list_select_related = ["reference", "opportunity", "owner"]
    raw_id_fields = ["owner", "reference", "opportunity"]
    date_hierarchy = "occurred_at"
    readonly_fields = ["created_at"]
