from django.contrib import admin

from goodword.portal.models import PortalAnswer, PortalLink


@admin.register(PortalLink)
class PortalLinkAdmin(admin.ModelAdmin):
    list_display = ["listing", "created_at", "expires_at", "revoked_at"]
    # The hash is useless to a person and is not shown; the token itself is never stored.
    exclude = ["token_hash"]
    readonly_fields = ["listing", "shared", "created_at", "expires_at", "revoked_at"]


@admin.register(PortalAnswer)
class PortalAnswerAdmin(admin.ModelAdmin):
    list_display = ["owner", "kind", "created_at", "read_at"]
    readonly_fields = ["owner", "link", "event", "kind", "nonce", "created_at", "read_at", "emailed_at"]
