"""The roles (Django groups) and the permissions behind them. The README's matrix mirrors this."""

from typing import Any

from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.db.models import Q
from django.utils.translation import gettext_noop

VOLUNTEER = "Volunteer"
REVIEWER = "Reviewer"
ORGANIZER = "Organizer"
ADMIN = "Admin"
ROLES = (VOLUNTEER, REVIEWER, ORGANIZER, ADMIN)
# The names are stored as the groups' names; pages show them translated ({% translate role %}).
ROLE_NAMES = (
    gettext_noop("Volunteer"), gettext_noop("Reviewer"), gettext_noop("Organizer"),
    gettext_noop("Admin"),
)  # fmt: skip

_VOLUNTEER = {
    "petitions.view_petition",
    "petitions.add_section",
    "petitions.change_section",
    "petitions.add_line",
    "petitions.change_line",
    "voters.lookup_voter",
}
_REVIEWER = {"petitions.view_petition", "petitions.review_line"}
_ORGANIZER = (
    _VOLUNTEER
    | _REVIEWER
    | {
        "petitions.add_petition",
        "petitions.change_petition",
        "petitions.view_dashboard",
        "petitions.export_signatures",
        "petitions.view_section",
        "petitions.view_line",
        # Circulators: their pages, contact and pay terms, merges; closing pay periods.
        "petitions.view_circulator",
        "petitions.change_circulator",
        "petitions.manage_pay",
    }
)
_ADMIN = _ORGANIZER | {
    "voters.view_voterroll",
    "voters.import_voterroll",
    "auth.view_user",
    "auth.add_user",
    "auth.change_user",
    "auth.view_group",
    "recall.view_auditevent",
    # Login lock-outs (django-axes): see them, and delete one to unlock a user early.
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    VOLUNTEER: frozenset(_VOLUNTEER),
    REVIEWER: frozenset(_REVIEWER),
    ORGANIZER: frozenset(_ORGANIZER),
    ADMIN: frozenset(_ADMIN),
}


def _permissions(names: frozenset[str]) -> list[Permission]:
    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


def roles_sync() -> None:
    """Create the role groups and set each one's permissions to exactly ROLE_PERMISSIONS."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions(names))


def sync_roles_after_migrate(**kwargs: Any) -> None:
    """post_migrate is sent once per app, in the order of INSTALLED_APPS, after each app's
    permissions are made: the roles are synced once, after the last app's (every permission
    exists by then). Each flush between transactional tests sends it too."""
    app_config = kwargs.get("app_config")
    if app_config is not None and app_config is _last_app_with_models():
        roles_sync()


def _last_app_with_models() -> Any:
    from django.apps import apps

    return [a for a in apps.get_app_configs() if a.models_module is not None][-1]


def role_of(user: User | AnonymousUser) -> str | None:
    """The highest role a user holds, for display."""
    if user.is_superuser:
        return ADMIN
    names = {g.name for g in user.groups.all()}
    return next((r for r in reversed(ROLES) if r in names), None)
