from django.apps import AppConfig


class SheetsConfig(AppConfig):
    name = "goodword.sheets"
    label = "sheets"
    verbose_name = "The employer side: reference sheets, employer links, letters"
