from django.contrib import admin

from goodword.opportunities.models import Interview, Listing, Opportunity, Stage, StageChange


class StageFilter(admin.SimpleListFilter):
    """The stage is derived from the history, so it filters on the annotation."""

    title = "stage"
    parameter_name = "stage"

    def lookups(self, request, model_admin):
        return Stage.choices

    def queryset(self, request, queryset):
        return queryset.filter(stage=self.value()) if self.value() else queryset


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    fields = ["stage", "changed_on", "note"]


class InterviewInline(admin.StackedInline):
    model = Interview
    extra = 0
    fields = ["when", "format", "with_whom", "questions", "strong_points", "weak_points", "notes"]


class ListingInline(admin.TabularInline):
    model = Listing
    extra = 0
    fields = ["reference", "position"]
    raw_id_fields = ["reference"]


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["role", "company", "current_stage", "references_wanted", "owner", "created_at"]
    list_filter = [StageFilter]
    search_fields = ["company", "role", "checker_name", "owner__username"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [StageChangeInline, InterviewInline, ListingInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_stage()

    @admin.display(description="stage", ordering="stage")
    def current_stage(self, obj):
        return obj.stage_label


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ["opportunity", "stage", "changed_on", "note"]
    list_filter = ["stage"]
    search_fields = ["opportunity__company", "opportunity__role", "note"]
    list_select_related = ["opportunity"]
    raw_id_fields = ["opportunity"]
    date_hierarchy = "changed_on"


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["opportunity", "when", "format", "with_whom"]
    list_filter = ["format"]
    search_fields = ["opportunity__company", "opportunity__role", "with_whom", "questions"]
    list_select_related = ["opportunity"]
    raw_id_fields = ["opportunity"]
    date_hierarchy = "when"


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = ["reference", "opportunity", "position", "created_at"]
    search_fields = ["reference__name", "opportunity__company", "opportunity__role"]
    list_select_related = ["reference", "opportunity"]
    raw_id_fields = ["reference", "opportunity"]
