import pytest
from django.contrib.auth.models import Group

from recall.roles import ROLE_PERMISSIONS, roles_sync


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(ROLE_PERMISSIONS))
def test_every_role_holds_exactly_its_permissions(role):
    roles_sync()
    group = Group.objects.get(name=role)
    held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert held == set(ROLE_PERMISSIONS[role])


def test_roles_nest_volunteer_within_organizer_within_admin():
    assert ROLE_PERMISSIONS["Volunteer"] < ROLE_PERMISSIONS["Organizer"] < ROLE_PERMISSIONS["Admin"]
    assert "voters.import_voterroll" not in ROLE_PERMISSIONS["Organizer"]
    assert "voters.lookup_voter" not in ROLE_PERMISSIONS["Reviewer"]
