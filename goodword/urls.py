from django.contrib import admin
from django.urls import include, path

from goodword.core.views import healthz
from goodword.sheets.urls import employer_patterns, standing_patterns

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("goodword.core.urls")),
    path("accounts/", include("goodword.accounts.urls")),
    path("references/", include("goodword.references.urls")),
    path("jobs/", include("goodword.opportunities.urls")),
    path("timeline/", include("goodword.timeline.urls")),
    path("due/", include("goodword.courtesy.urls")),
    path("outreach/", include("goodword.outreach.urls")),
    path("r/", include("goodword.portal.urls")),
    path("reminders/", include("goodword.reminders.urls")),
    path("sheets/", include("goodword.sheets.urls")),
    path("e/", include(employer_patterns)),
    path("k/", include(standing_patterns)),
    path("transfer/", include("goodword.transfer.urls")),
    path("settings/webhooks/", include("goodword.webhooks.urls")),
    path("centre/", include("goodword.centres.urls")),
    path("api/", include("goodword.api.urls")),
    path("admin/", admin.site.urls),
]
