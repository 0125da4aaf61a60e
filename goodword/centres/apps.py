from django.apps import AppConfig


class CentresConfig(AppConfig):
    name = "goodword.centres"
    verbose_name = "Centres and coaches"
