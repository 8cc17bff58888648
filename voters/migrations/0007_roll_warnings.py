"""Rows imported with a part missing (given name, house number, street): counted and listed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("voters", "0006_roll_state_format_checks"),
    ]

    operations = [
        migrations.AddField(
            model_name="voterroll",
            name="rows_warned",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="voterroll",
            name="warning_counts",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="voterroll",
            name="warnings",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
