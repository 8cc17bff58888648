"""Reads of petitions, scoped to what the user may see, with their line counts."""

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet

from petitions.models import Line, LineStatus, Petition

# Statuses that are neither waiting (pending, needs review) nor valid; a blank line is no
# signature at all.
INVALID_STATUSES = tuple(
    s
    for s in LineStatus.values
    if s not in (LineStatus.PENDING, LineStatus.VALID, LineStatus.NEEDS_REVIEW, LineStatus.BLANK)
)


def petitions_for(user: User) -> QuerySet[Petition]:
    """The petitions the user may see: all of them with petitions.view_petition, else none."""
    if not user.has_perm("petitions.view_petition"):
        return Petition.objects.none()
    return Petition.objects.order_by("-created_at")


def petition_list(user: User) -> list[Petition]:
    """The user's petitions with their line counts by status, in one aggregate query.

    Each petition gets `lines_total`, `lines_<status>` for every status, `lines_invalid` and
    `invalid_counts`: (label, count) of the invalid statuses that occur, largest first.
    """
    counts = {
        f"lines_{status}": Count("lines", filter=Q(lines__status=status))
        for status in Line.Status.values
    }
    petitions = list(petitions_for(user).annotate(lines_total=Count("lines"), **counts))
    labels = {value: str(label) for value, label in Line.Status.choices}  # the reader's language
    for petition in petitions:
        invalid = [(labels[s], getattr(petition, f"lines_{s}")) for s in INVALID_STATUSES]
        petition.invalid_counts = sorted(((lb, n) for lb, n in invalid if n), key=lambda c: -c[1])
        petition.lines_invalid = sum(n for _, n in invalid)
    return petitions
