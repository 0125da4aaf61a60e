from django.contrib import admin

from goodword.outreach.models import MessageTemplate, OutboxMessage, SmtpSettings


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "to_address", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "kind"]
    readonly_fields = ["message_id", "idempotency_key", "claimed_by", "claimed_until", "data_committed", "event"]


@admin.register(SmtpSettings)
class SmtpSettingsAdmin(admin.ModelAdmin):
    list_display = ["owner", "host", "port", "security", "from_address"]
    # The encrypted password stays out of the admin form entirely.
    exclude = ["password_encrypted"]


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["owner", "kind", "tone", "updated_at"]
