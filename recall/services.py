from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from recall.roles import ADMIN, ROLES


@transaction.atomic
def user_create_with_role(*, username: str, password: str, role: str, email: str = ""):
    """Create a user holding one role; admins also reach the user-management pages."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    user = get_user_model().objects.create_user(
        username=username, password=password, email=email, is_staff=(role == ADMIN)
    )
    user.groups.add(Group.objects.get(name=role))
    return user
