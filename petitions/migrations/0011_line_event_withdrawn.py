"""A line event of a new kind, a signature withdrawn (EC 11303): its CHECK constraint admits it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0010_reason_parts_stored"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="lineevent",
            name="petitions_event_kind_known",
        ),
        migrations.AlterField(
            model_name="lineevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("edited", "Edited"),
                    ("reviewed", "Reviewed"),
                    ("transcription", "Transcription chosen"),
                    ("undone", "Undone"),
                    ("withdrawn", "Signature withdrawn"),
                ],
                max_length=16,
            ),
        ),
        migrations.AddConstraint(
            model_name="lineevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind__in", ["edited", "reviewed", "transcription", "undone", "withdrawn"])
                ),
                name="petitions_event_kind_known",
            ),
        ),
    ]
