from django.contrib import admin

from goodword.webhooks.models import Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["owner", "url", "active", "last_delivery_at", "last_status"]
    list_filter = ["active"]
    # The sealed secret stays out of the admin form entirely.
    exclude = ["secret_encrypted"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["endpoint", "kind", "state", "attempts", "last_status_code", "created_at", "delivered_at"]
    list_filter = ["state", "kind"]
    readonly_fields = ["delivery_id", "event_key", "body", "claimed_by", "claimed_until"]
