"""Who may see a section's scans: its keyers (first and second entry, and the volunteers it is
assigned to), reviewers, organizers and admins. Anyone else gets 404, as for the section.

A scan holds signatures and home addresses: a volunteer sees the sections they key, never the
others'; a keyer whose role was taken away loses their sections' scans with it."""

from django.contrib.auth.models import AnonymousUser, User

from petitions.models import Section


def is_keyer(user: User | AnonymousUser, section: Section) -> bool:
    """The user keys this section (first or second entry, or it is assigned to them): their
    views of its scans are their work, not audited."""
    if not user.is_authenticated or user.pk is None:
        return False
    return user.pk in {
        section.entered_by_id, section.second_entered_by_id, section.assigned_to_id,
        section.second_assigned_to_id,
    }  # fmt: skip


def can_view_scans(user: User | AnonymousUser, section: Section) -> bool:
    """A keyer still holding a keyer's permission, or anyone who reviews or oversees sections
    (reviewers, organizers, admins; a superuser holds every permission)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_perm("petitions.review_line") or user.has_perm("petitions.view_section"):
        return True
    return is_keyer(user, section) and user.has_perm("petitions.add_line")
