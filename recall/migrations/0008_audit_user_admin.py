"""Audit actions of the users page: a login unlocked by an admin, a set-password link made."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recall", "0007_audit_line_withdrawn"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="auditevent",
            name="audit_action_known",
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("login", "login"),
                    ("login_failed", "failed login"),
                    ("lockout", "login locked out"),
                    ("role_change", "role change"),
                    ("password_change", "password changed"),
                    ("user_deleted", "user deleted"),
                    ("unlock", "login unlocked"),
                    ("password_link", "set-password link made"),
                    ("line_edited", "line edited"),
                    ("line_reviewed", "line decided by hand"),
                    ("line_undone", "line change undone"),
                    ("line_transcription", "transcription chosen"),
                    ("line_withdrawn", "signature withdrawn"),
                    ("petition_created", "petition created"),
                    ("petition_changed", "petition settings changed"),
                    ("import", "voter import started"),
                    ("signature_import", "signature lines imported"),
                    ("roll_activated", "voter roll activated"),
                    ("roll_cancelled", "voter import cancelled"),
                    ("roll_pruned", "voter roll erased"),
                    ("export", "export"),
                    ("download", "download"),
                    ("lookup_flag", "unusual voter look-ups"),
                ],
                max_length=40,
            ),
        ),
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
                            "unlock",
                            "password_link",
                            "line_edited",
                            "line_reviewed",
                            "line_undone",
                            "line_transcription",
                            "line_withdrawn",
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
