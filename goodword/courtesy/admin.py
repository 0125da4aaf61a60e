from django.contrib import admin

from goodword.courtesy.models import CourtesySettings, DebtDecision


@admin.register(CourtesySettings)
class CourtesySettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "time_zone", "thank_within_days", "fatigue_listings", "fatigue_days", "keep_warm_days", "archive_after_days"]
    raw_id_fields = ["user"]


@admin.register(DebtDecision)
class DebtDecisionAdmin(admin.ModelAdmin):
    list_display = ["owner", "key", "kind", "until", "reason", "created_at"]
    list_filter = ["kind", "rule"]
    raw_id_fields = ["owner", "reference", "opportunity"]
