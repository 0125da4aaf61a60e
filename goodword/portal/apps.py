from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "goodword.portal"
    label = "portal"
    verbose_name = "Reference portal"
