"""The per-user summary of the open debts (the navigation badge, a reference's and an opportunity's page). Its write triggers are (re)installed
after every migrate by goodword.courtesy.summary.install_triggers (a later
migration that rebuilds a table on SQLite drops that table's triggers)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("courtesy", "0003_standing_consent_months"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LedgerSummary",
            fields=[
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                                              related_name="ledger_summary", serialize=False,
                                              to=settings.AUTH_USER_MODEL)),
                ("version", models.BigIntegerField(default=0)),
                ("built_version", models.BigIntegerField(null=True)),
                ("valid_until", models.DateTimeField(null=True)),
                ("open_count", models.PositiveIntegerField(default=0)),
                ("today", models.DateField(null=True)),
                ("open_debts", models.JSONField(default=list)),
            ],
        ),
    ]
