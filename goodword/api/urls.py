"""/api/: the description (openapi.json), the interactive docs (docs) and version 1 (v1/…)."""

from django.urls import path

from goodword.api import views
from goodword.api.core import api
from goodword.api.routes_account import router as account
from goodword.api.routes_book import router as book
from goodword.api.routes_builder import router as builder
from goodword.api.routes_centre import router as centre
from goodword.api.routes_centre_admin import router as centre_admin
from goodword.api.routes_contacts import router as contacts
from goodword.api.routes_cohort import router as cohort
from goodword.api.routes_jobs import router as jobs
from goodword.api.routes_ledger import router as ledger
from goodword.api.routes_outbox import router as outbox
from goodword.api.routes_preferences import router as preferences
from goodword.api.routes_settings import router as settings
from goodword.api.routes_sheets import router as sheets
from goodword.api.routes_sheet_files import router as sheet_files
from goodword.api.routes_webhooks import router as webhooks

api.add_router("/v1/", book)
api.add_router("/v1/", jobs)
api.add_router("/v1/", ledger)
api.add_router("/v1/", outbox)
api.add_router("/v1/", settings)
api.add_router("/v1/", cohort)
api.add_router("/v1/", webhooks)
api.add_router("/v1/", account)
api.add_router("/v1/", sheets)
api.add_router("/v1/", sheet_files)
api.add_router("/v1/", preferences)
api.add_router("/v1/", builder)
api.add_router("/v1/", centre)
api.add_router("/v1/", centre_admin)
api.add_router("/v1/", contacts)

patterns, _app_name, _namespace = api.urls
for pattern in patterns:
    # The API answers for itself: 401 as problem+json rather than the sign-in page,
    # and no profile question before a script's request (see accounts.middleware).
    pattern.callback.login_required = False

app_name = "api"
urlpatterns = [
    path("tokens/", views.tokens_page, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    *patterns,
]
