"""A CHECK constraint behind the enum: an audit event's action is one the code knows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recall", "0005_audit_roll_pruned"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "action__in",
                        [
                            "login",
                            "login_failed",
                            "lockout",
                            "role_change",
                            "password_change",
                            "user_deleted",
                            "line_edited",
                            "line_reviewed",
                            "line_undone",
                            "line_transcription",
                            "petition_created",
                            "petition_changed",
                            "import",
                            "signature_import",
                            "roll_activated",
                            "roll_cancelled",
                            "roll_pruned",
                            "export",
                            "download",
                            "lookup_flag",
                        ],
                    )
                ),
                name="audit_action_known",
            ),
        ),
    ]
