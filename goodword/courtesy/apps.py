from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CourtesyConfig(AppConfig):
    name = "goodword.courtesy"
    label = "courtesy"
    verbose_name = "Courtesy ledger"

    def ready(self):
        from goodword.courtesy.summary import install_triggers

        # After every migrate, not in a migration: rebuilding a table on SQLite drops its triggers.
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="goodword_ledger_triggers")
