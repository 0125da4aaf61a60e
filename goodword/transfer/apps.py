from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "goodword.transfer"
    label = "transfer"
    verbose_name = "Import, export and backups"
