"""Reads of petitions, scoped to what the user may see, with their line counts."""

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

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

    Counted from the tallies the dashboard reads (petitions.progress.status_counts), so both
    pages give the same numbers. Each petition gets `lines_<status>` for every status,
    `lines_invalid`, `invalid_counts`: (label, count) of the invalid statuses that occur, largest
    first, and `lines_total`: the lines that are signatures, pending + valid + needs review +
    invalid, as the dashboard's raw lines; blank lines are apart, in `lines_blank`.
    """
    counts = {
        f"lines_{status}": Coalesce(Sum("linetally__lines", filter=Q(linetally__status=status)), 0)
        for status in Line.Status.values
    }
    petitions = list(petitions_for(user).annotate(**counts))
    labels = {value: str(label) for value, label in Line.Status.choices}  # the reader's language
    for petition in petitions:
        invalid = [(labels[s], getattr(petition, f"lines_{s}")) for s in INVALID_STATUSES]
        petition.invalid_counts = sorted(((lb, n) for lb, n in invalid if n), key=lambda c: -c[1])
        petition.lines_invalid = sum(n for _, n in invalid)
        petition.lines_total = sum(
            getattr(petition, f"lines_{s}") for s in Line.Status.values if s != LineStatus.BLANK
        )
    return petitions
