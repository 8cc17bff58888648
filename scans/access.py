"""Who may see a section's scans: its keyers (first and second entry, and the volunteers it is
assigned to), reviewers, organizers and admins. Anyone else gets 404, as for the section."""

from django.contrib.auth.models import AnonymousUser, User

from petitions.models import Section


def is_keyer(user: User | AnonymousUser, section: Section) -> bool:
    return user.is_authenticated and user.pk in {
        section.entered_by_id, section.second_entered_by_id, section.assigned_to_id,
        section.second_assigned_to_id,
    }  # fmt: skip


def can_view_scans(user: User | AnonymousUser, section: Section) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if is_keyer(user, section):
        return user.has_perm("petitions.add_line")
    return user.has_perm("petitions.review_line") or user.has_perm("petitions.view_section")
