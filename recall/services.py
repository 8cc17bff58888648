from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, Group, User
from django.db import transaction

from recall.auth import permissions_forget
from recall.models import AuditEvent, Profile, audit
from recall.roles import ADMIN, ROLES
from recall.validators import username_validate


@transaction.atomic
def user_create_with_role(
    *, username: str, password: str, role: str, email: str = "", created_by: User | None = None
) -> User:
    """Create a user holding one role; admins also reach the user-management pages."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    username_validate(username)
    user = get_user_model().objects.create_user(username=username, password=password, email=email)
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


def user_language_set(*, user: User, language: str) -> None:
    """Keep the language a user chose (blank: the browser's) for their next logins."""
    Profile.objects.update_or_create(user=user, defaults={"language": language})
