"""The kept open debts' count per severity (a coach's cohort page). A column of the summary
itself: the write triggers on the ledger's tables only bump its version, and are dropped
before and reinstalled after every migrate anyway (summary.drop_triggers, install_triggers),
which also makes every kept summary stale, so each is stored again with its counts."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("courtesy", "0005_kept_ledger_extras"),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgersummary",
            name="severity_counts",
            field=models.JSONField(null=True),
        ),
    ]
