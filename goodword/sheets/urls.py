from django.urls import path, register_converter

from goodword.sheets import views


class FormatConverter:
    regex = "pdf|docx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "sheetformat")

app_name = "sheets"
urlpatterns = [
    path("jobs/<int:pk>/", views.sheet_page, name="sheet"),
    path("jobs/<int:pk>/print/", views.sheet_print, name="print"),
    path("jobs/<int:pk>/sheet.pdf", views.sheet_download, {"fmt": "pdf"}, name="pdf"),
    path("jobs/<int:pk>/sheet.docx", views.sheet_download, {"fmt": "docx"}, name="docx"),
    path("letters/<int:pk>/", views.own_letter, name="letter"),
    path("references/<int:pk>/standing/", views.standing_manage, name="standing"),
    path("notices/read/", views.notices_read, name="notices_read"),
]

# Mounted at /e/ (goodword/urls.py); the token prefix is in goodword/lib/redact.py.
employer_patterns = ([
    path("<str:token>/", views.employer_page, name="page"),
    path("<str:token>/sheet.<sheetformat:fmt>", views.employer_download, name="download"),
    path("<str:token>/letters/<int:letter_id>/", views.employer_letter, name="letter"),
], "employer")

# Mounted at /k/: a reference's standing link to report an employer's call.
standing_patterns = ([
    path("<str:token>/", views.standing_page, name="page"),
], "standing")
