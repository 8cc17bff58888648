"""The audit log: who did what, when, to what. Append-only (the app never edits or deletes it)."""

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recall.lib.client_ip import client_address


class AuditAction(models.TextChoices):
    LOGIN = "login", _("login")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOCKOUT = "lockout", _("login locked out")
    ROLE_CHANGE = "role_change", _("role change")
    PASSWORD_CHANGE = "password_change", _("password changed")
    USER_DELETED = "user_deleted", _("user deleted")
    UNLOCK = "unlock", _("login unlocked")
    PASSWORD_LINK = "password_link", _("set-password link made")
    LINE_EDITED = "line_edited", _("line edited")
    LINE_REVIEWED = "line_reviewed", _("line decided by hand")
    LINE_UNDONE = "line_undone", _("line change undone")
    LINE_TRANSCRIPTION = "line_transcription", _("transcription chosen")
    LINE_WITHDRAWN = "line_withdrawn", _("signature withdrawn")
    PETITION_CREATED = "petition_created", _("petition created")
    PETITION_CHANGED = "petition_changed", _("petition settings changed")
    IMPORT = "import", _("voter import started")
    SIGNATURE_IMPORT = "signature_import", _("signature lines imported")
    ROLL_ACTIVATED = "roll_activated", _("voter roll activated")
    ROLL_CANCELLED = "roll_cancelled", _("voter import cancelled")
    ROLL_PRUNED = "roll_pruned", _("voter roll erased")
    EXPORT = "export", _("export")
    DOWNLOAD = "download", _("download")
    LOOKUP_FLAG = "lookup_flag", _("unusual voter look-ups")
    SCANS_UPLOADED = "scans_uploaded", _("scans uploaded")
    SCAN_LAYOUT = "scan_layout", _("scan layout marked")
    SCAN_VIEWED = "scan_viewed", _("scan viewed")
    SCANS_ERASED = "scans_erased", _("scans erased")
    SECTION_ASSIGNED = "section_assigned", _("section assigned")
    CIRCULATOR_CHANGED = "circulator_changed", _("circulator changed")
    CIRCULATORS_MERGED = "circulators_merged", _("circulators merged")
    CIRCULATOR_MERGE_DISMISSED = "circulator_merge_dismissed", _("circulator merge dismissed")
    PAY_PERIOD_CLOSED = "pay_period_closed", _("pay period closed")
    SECTION_HELD = "section_held", _("section held")
    SECTION_RELEASED = "section_released", _("section released")
    SECTIONS_FILED = "sections_filed", _("sections filed")
    SECTIONS_UNFILED = "sections_unfiled", _("sections filed no more")
    REGISTRAR_IMPORTED = "registrar_imported", _("registrar's results imported")
    REGISTRAR_WITHDRAWN = "registrar_withdrawn", _("registrar's results withdrawn")


class AuditEvent(models.Model):
    """One accountable action: who (user and username as they were), when, what, on what, and
    the details (before and after where something changed).

    Append-only, in Postgres itself: a trigger refuses every UPDATE and DELETE but the one
    Django makes when a user is deleted (user set to NULL; the username stays)."""

    Action = AuditAction

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=40, choices=Action.choices)
    target = models.CharField(max_length=200)  # e.g. "petition demo-recall: not_registered"
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        # The admin's filter by action, newest first.
        indexes = [models.Index(fields=["action", "-at"], name="audit_action_at")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values), name="audit_action_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.target}"


# Who ran the management command in progress, for the events it records (no user is signed in).
_command_actor: ContextVar[str] = ContextVar("audit_command_actor", default="")


@contextmanager
def command_actor(command: str) -> Iterator[None]:
    """Inside (a `with` block, or a command's handle decorated with it), events recorded without a
    user name the operating-system account that ran this management command, e.g.
    "root (manage.py export_signatures)"."""
    try:
        account = getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment nor the password file
        account = "unknown account"
    token = _command_actor.set(f"{account} (manage.py {command})"[:150])
    try:
        yield
    finally:
        _command_actor.reset(token)


def audit(
    *, user: User | AnonymousUser | None, action: str, target: str, **detail: Any
) -> AuditEvent:
    """Record one action in the audit log (user None: a management command's account, the
    system, or an anonymous caller)."""
    actor = user if user is not None and user.is_authenticated else None
    return AuditEvent.objects.create(
        user=actor, username=actor.get_username() if actor else _command_actor.get(),
        action=action, target=target[:200], detail=detail,
    )  # fmt: skip


def _client_address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return client_address(request.META, settings.TRUSTED_PROXY_COUNT)


def audit_login(sender: object, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    audit(user=user, action=AuditAction.LOGIN, target=f"user {user.get_username()}",
          address=_client_address(request))  # fmt: skip


def audit_lockout(
    sender: object,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    audit(user=None, action=AuditEvent.Action.LOCKOUT, target=f"user {str(username)[:150]}",
          address=ip_address or _client_address(request))  # fmt: skip


def audit_login_failed(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The attempted username only: never the password.
    username = str(credentials.get("username", ""))[:150]
    audit(user=None, action=AuditAction.LOGIN_FAILED, target=f"user {username}",
          address=_client_address(request), page=request.path if request else "")  # fmt: skip


class Profile(models.Model):
    """What a user chose for themselves: the language of the app (blank: the browser's)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(max_length=10, blank=True, choices=settings.LANGUAGES)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(language__in=["", *(code for code, _ in settings.LANGUAGES)]),
                name="profile_language_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language or 'browser'}"
