"""The audit log: who did what, when, to what. Append-only (the app never edits or deletes it)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """One accountable action: a download or export of signers, and (issue 7) the rest."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField(max_length=40)  # e.g. "download", "export"
    target = models.CharField(max_length=200)  # e.g. "petition demo-recall: not_registered"
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.target}"


def audit(*, user, action: str, target: str, **detail) -> AuditEvent:
    """Record one action in the audit log."""
    return AuditEvent.objects.create(
        user=user if user and user.is_authenticated else None, action=action, target=target,
        detail=detail,
    )  # fmt: skip


def _client_address(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "") if request is not None else ""


def audit_login(sender, request, user, **kwargs) -> None:
    audit(user=user, action="login", target=f"user {user.get_username()}",
          address=_client_address(request))  # fmt: skip


def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The attempted username only: never the password.
    username = str(credentials.get("username", ""))[:150]
    audit(user=None, action="login_failed", target=f"user {username}",
          address=_client_address(request))  # fmt: skip
