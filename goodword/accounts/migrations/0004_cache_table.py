"""The database cache's table (settings.CACHES): allauth's rate-limit counters live there,
shared by every app process. `migrate` makes it, so no install runs createcachetable by hand."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS goodword_cache")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_invitation")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
