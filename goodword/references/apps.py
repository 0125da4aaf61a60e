from django.apps import AppConfig


class ReferencesConfig(AppConfig):
    name = "goodword.references"
    label = "references"
