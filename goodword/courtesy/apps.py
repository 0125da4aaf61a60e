from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class CourtesyConfig(AppConfig):
    name = "goodword.courtesy"
    label = "courtesy"
    verbose_name = "Courtesy ledger"

    def ready(self):
        from goodword.courtesy.summary import drop_triggers, install_triggers

        # After every migrate, not in a migration: rebuilding a table on SQLite drops its triggers,
        # and fails while a trigger on another table names it, so they are dropped before.
        pre_migrate.connect(drop_triggers, sender=self, dispatch_uid="goodword_ledger_triggers_off")
        post_migrate.connect(install_triggers, sender=self, dispatch_uid="goodword_ledger_triggers")
