"""CHECK constraints behind the enums: a line's status (validation writes it with raw UPDATEs),
the tally's status, an event's kind and a petition's rules hold only values the code knows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0008_blank_lines_back_from_revalidation"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="line",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "status__in",
                        [
                            "pending",
                            "valid",
                            "not_registered",
                            "address_mismatch",
                            "duplicate",
                            "canceled",
                            "out_of_jurisdiction",
                            "incomplete",
                            "withdrawn",
                            "registered_late",
                            "needs_review",
                            "blank",
                        ],
                    )
                ),
                name="petitions_line_status_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="lineevent",
            constraint=models.CheckConstraint(
                condition=models.Q(("kind__in", ["edited", "reviewed", "transcription", "undone"])),
                name="petitions_event_kind_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="linetally",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "status__in",
                        [
                            "pending",
                            "valid",
                            "not_registered",
                            "address_mismatch",
                            "duplicate",
                            "canceled",
                            "out_of_jurisdiction",
                            "incomplete",
                            "withdrawn",
                            "registered_late",
                            "needs_review",
                            "blank",
                        ],
                    )
                ),
                name="petitions_tally_status_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="petition",
            constraint=models.CheckConstraint(
                condition=models.Q(("duplicate_rule__in", ["count_one", "reject_all"])),
                name="petitions_duplicate_rule_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="petition",
            constraint=models.CheckConstraint(
                condition=models.Q(("registration_rule__in", ["before_filing", "at_signing"])),
                name="petitions_registration_rule_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="petition",
            constraint=models.CheckConstraint(
                condition=models.Q(("sampling_rule__in", ["county", "statewide"])),
                name="petitions_sampling_rule_known",
            ),
        ),
    ]
