from django.apps import AppConfig


class CourtesyConfig(AppConfig):
    name = "goodword.courtesy"
    label = "courtesy"
    verbose_name = "Courtesy ledger"
