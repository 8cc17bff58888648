"""A petition's sections: their line counts, and those awaiting a second entry."""

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet

from petitions.models import LineStatus, Petition, Section


def section_list(sections: QuerySet[Section]) -> list[Section]:
    """Sections with their line counts (total, pending, valid), in serial order."""
    return list(
        sections.annotate(
            lines_total=Count("lines"),
            lines_pending=Count("lines", filter=Q(lines__status=LineStatus.PENDING)),
            lines_valid=Count("lines", filter=Q(lines__status=LineStatus.VALID)),
        )
        .select_related(
            "petition", "entered_by", "second_entered_by", "assigned_to", "second_assigned_to"
        )
        .order_by("serial")
    )


def sections_awaiting_second_entry(user: User, petition: Petition) -> QuerySet[Section]:
    """Double entry: others' sections nobody has keyed a second time yet (serials only)."""
    if not petition.double_entry:
        return Section.objects.none()
    return (
        Section.objects.filter(
            petition=petition, second_entered_by__isnull=True, second_assigned_to__isnull=True
        )
        .exclude(Q(entered_by=user) | Q(assigned_to=user))
        .order_by("serial")
    )


def sections_of_others(user: User, petition: Petition) -> int:
    """How many of the petition's sections other people started: a volunteer's empty list of
    sections says so rather than look as if the petition had none."""
    return Section.objects.filter(petition=petition).exclude(entered_by=user).count()
