"""CHECK constraints behind the enums: a roll's state and format hold only known values."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("voters", "0005_roll_superseded_at"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="voterroll",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "state__in",
                        ["queued", "importing", "failed", "ready", "active", "superseded"],
                    )
                ),
                name="voters_roll_state_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="voterroll",
            constraint=models.CheckConstraint(
                condition=models.Q(("format__in", ["", "canonical", "ca-sos"])),
                name="voters_roll_format_known",
            ),
        ),
    ]
