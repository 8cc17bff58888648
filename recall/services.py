from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, Group, User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext, ngettext

from recall.auth import permissions_forget
from recall.models import AuditEvent, Profile, audit
from recall.roles import ADMIN, ROLES
from recall.validators import username_validate


@transaction.atomic
def user_create_with_role(
    *,
    username: str,
    password: str | None,
    role: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    created_by: User | None = None,
) -> User:
    """Create a user holding one role (password None: none usable until they set one through a
    set-password link); admins also reach the user-management pages."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    username_validate(username)
    user = get_user_model().objects.create_user(
        username=username, password=password, email=email,
        first_name=first_name, last_name=last_name,
    )  # fmt: skip
    user.groups.add(Group.objects.get(name=role))
    user_staff_sync(user)
    user_role_change_record(actor=created_by, user=user, before=None)
    return user


def role_state(user: User) -> dict[str, Any]:
    """What a user may do: roles (groups), own permissions and the account flags."""
    return {
        "roles": sorted(user.groups.values_list("name", flat=True)),
        "permissions": sorted(
            f"{app}.{codename}"
            for app, codename in user.user_permissions.values_list(
                "content_type__app_label", "codename"
            )
        ),
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
    }


def user_staff_sync(user: User) -> None:
    """Staff status (the admin site) follows the Admin role; a superuser keeps it."""
    staff = user.is_superuser or user.groups.filter(name=ADMIN).exists()
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])


def user_role_change_record(
    *, actor: User | AnonymousUser | None, user: User, before: dict[str, Any] | None
) -> AuditEvent | None:
    """Record a user's change of roles or rights (before None: a new user), if anything changed."""
    permissions_forget(user.pk)
    after = role_state(user)
    if before == after:
        return None
    return audit(user=actor, action=AuditEvent.Action.ROLE_CHANGE,
                 target=f"user {user.get_username()}", before=before, after=after)  # fmt: skip


def user_password_change_record(
    *, actor: User | AnonymousUser | None, user: AbstractBaseUser
) -> AuditEvent:
    """A password set: by its user (password page) or for them by an admin (admin site)."""
    return audit(user=actor, action=AuditEvent.Action.PASSWORD_CHANGE,
                 target=f"user {user.get_username()}", own=actor == user)  # fmt: skip


def user_delete_record(*, actor: User | AnonymousUser | None, user: User) -> AuditEvent:
    """Record a user's deletion with the rights they held (their own events keep the username)."""
    return audit(user=actor, action=AuditEvent.Action.USER_DELETED,
                 target=f"user {user.get_username()}", before=role_state(user))  # fmt: skip


def _may_manage(actor: User, user: User) -> None:
    """The users page's rules: nobody changes their own role or access (an admin could lock the
    campaign out of its last admin account), and only a superuser changes a superuser's (as on
    the admin site)."""
    if actor.pk == user.pk:
        raise PermissionDenied("Ask another admin to change your own account.")
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDenied("Only a superuser changes a superuser's account.")


@transaction.atomic
def user_role_set(*, actor: User, user: User, role: str) -> AuditEvent | None:
    """Give a user exactly one role, recorded as a role change (None: it was theirs already)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    _may_manage(actor, user)
    before = role_state(user)
    user.groups.set([Group.objects.get(name=role)])
    user_staff_sync(user)
    return user_role_change_record(actor=actor, user=user, before=before)


@transaction.atomic
def user_active_set(*, actor: User, user: User, active: bool) -> AuditEvent | None:
    """Deactivate (their sessions end at their next request) or reactivate a user, recorded as a
    role change of is_active, as the admin site records it."""
    _may_manage(actor, user)
    before = role_state(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user_role_change_record(actor=actor, user=user, before=before)


def user_unlock(*, actor: User, user: User) -> AuditEvent:
    """Forget a user's failed logins (django-axes), from every address: they may log in again
    before LOGIN_LOCKOUT_MINUTES have passed."""
    removed = AxesProxyHandler.reset_attempts(username=user.get_username())
    return audit(user=actor, action=AuditEvent.Action.UNLOCK,
                 target=f"user {user.get_username()}", attempts_forgotten=removed)  # fmt: skip


def user_password_link(*, actor: User, user: User, base_url: str) -> str:
    """A one-time link for a user to set their password (it stops working once a password is
    set, and after PASSWORD_RESET_TIMEOUT), recorded; e-mailed too when e-mail is configured
    and the user has an address.

    1. The link: Django's password-reset token, which hashes the current password and the last
       login, so setting a password (or logging in) spends it.
    2. Recorded without the link (the audit log must not hold a way into an account)."""
    _may_manage(actor, user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = base_url + reverse("set-password", kwargs={"uidb64": uid, "token": token})
    emailed = False
    if settings.EMAIL_HOST and user.email:
        hours = settings.PASSWORD_RESET_TIMEOUT // 3600
        body = ngettext(
            "%(admin)s made you a set-password link for your account (%(username)s) on the "
            "recall tracker. It works once, within %(hours)d hour:",
            "%(admin)s made you a set-password link for your account (%(username)s) on the "
            "recall tracker. It works once, within %(hours)d hours:",
            hours,
        ) % {"admin": actor.get_username(), "username": user.get_username(), "hours": hours}
        emailed = send_mail(
            gettext("Set your password for the recall tracker"),
            f"{body}\n\n{link}\n",
            None, [user.email], fail_silently=True,  # the admin hands the link over anyway
        ) > 0  # fmt: skip
    audit(user=actor, action=AuditEvent.Action.PASSWORD_LINK,
          target=f"user {user.get_username()}", emailed=emailed)  # fmt: skip
    return link


def user_language_set(*, user: User, language: str) -> None:
    """Keep the language a user chose (blank: the browser's) for their next logins."""
    Profile.objects.update_or_create(user=user, defaults={"language": language})
