from django.contrib import admin

from goodword.accounts.models import LoginToken


@admin.register(LoginToken)
class LoginTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "expires_at", "used_at"]
    list_filter = ["used_at", "expires_at"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    # Only the hash is stored; nothing here can be turned back into a link.
    readonly_fields = ["user", "token_hash", "created_at", "expires_at", "used_at"]

    def has_add_permission(self, request):
        return False
