from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("goodword.core.urls")),
    path("accounts/", include("goodword.accounts.urls")),
    path("references/", include("goodword.references.urls")),
    path("jobs/", include("goodword.opportunities.urls")),
    path("timeline/", include("goodword.timeline.urls")),
    path("admin/", admin.site.urls),
]
