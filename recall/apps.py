from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RecallConfig(AppConfig):
    name = "recall"
    verbose_name = "Recall signature tracker"

    def ready(self) -> None:
        from recall import checks  # noqa: F401  (registers the system checks)
        from recall.roles import sync_roles_after_migrate

        # Permissions are created by post_migrate too, app by app: the sync runs after each and
        # grants whatever exists by then, so the last app's signal leaves every role complete.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="recall-roles")

        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from recall.models import audit_lockout, audit_login, audit_login_failed

        user_logged_in.connect(audit_login, dispatch_uid="recall-audit-login")
        user_login_failed.connect(audit_login_failed, dispatch_uid="recall-audit-login-failed")
        user_locked_out.connect(audit_lockout, dispatch_uid="recall-audit-lockout")

        from recall.middleware import language_at_login, session_activity_start

        user_logged_in.connect(session_activity_start, dispatch_uid="recall-session-activity")
        user_logged_in.connect(language_at_login, dispatch_uid="recall-language-at-login")

        # Usernames in ASCII only, on every path that validates a user (admin forms through the
        # model's validation, createsuperuser through the field's): see recall/validators.py.
        from django.contrib.auth import get_user_model

        from recall.validators import PlainUsernameValidator

        username = get_user_model()._meta.get_field("username")
        if not any(isinstance(v, PlainUsernameValidator) for v in username.validators):
            username.validators.append(PlainUsernameValidator())
