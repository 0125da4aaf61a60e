from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "goodword.core"
    label = "core"

    def ready(self):
        from goodword.core import checks  # noqa: F401  (registers the goodword.* checks)
