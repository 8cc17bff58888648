"""The home page's next steps: per petition, what this user's role has to do there now."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.db.models.functions import Coalesce

from petitions.assignment import (
    assigned_sections,
    scanned_sections_waiting,
    second_sections_waiting,
)
from petitions.entry import sections_for
from petitions.models import Petition, Section
from petitions.selectors.petitions import petitions_for
from petitions.selectors.review import review_queue_size
from petitions.selectors.sections import sections_awaiting_second_entry
from scans.models import LineImage

HOME_PETITIONS = 5  # the newest; the petitions page lists them all


@dataclass(frozen=True)
class NextSteps:
    petition: Petition
    own_sections: int = 0  # keyers: sections this user started
    others_sections: int = 0  # and those other people started
    latest_section: Section | None = None  # the one this user keyed last: to continue
    awaiting_second: int = 0  # double entry: others' sections nobody has keyed twice yet
    review_waiting: int | None = None  # reviewers: lines and transcriptions to decide
    has_scans: bool = False  # the petition has scanned sections: "Key the next" is offered
    scanned_waiting: int = 0  # scanned sections nobody holds or has started
    second_scanned_waiting: int = 0  # double entry: scanned sections waiting for a second keyer
    assigned: tuple[tuple[Section, str], ...] = ()  # handed to this user: (section, entry)


def next_steps_for(user: User) -> list[NextSteps]:
    """For each of the newest petitions the user sees: their sections and the latest of them,
    the sections waiting for a second keyer, the lines waiting for review (per permission)."""
    steps = []
    for petition in petitions_for(user)[:HOME_PETITIONS]:
        values: dict[str, object] = {}
        if user.has_perm("petitions.add_line"):
            values.update(_sections_of(user, petition))
        if user.has_perm("petitions.review_line"):
            values["review_waiting"] = review_queue_size(petition)
        steps.append(NextSteps(petition, **values))  # type: ignore[arg-type]
    return steps


def _sections_of(user: User, petition: Petition) -> dict[str, object]:
    counts = Section.objects.filter(petition=petition).aggregate(
        own=Count("id", filter=Q(entered_by=user)),
        others=Count("id", filter=~Q(entered_by=user) | Q(entered_by__isnull=True)),
        # In the same query: scanned sections, and those handed to this user (listed if any).
        scanned=Count("id", filter=Exists(LineImage.objects.filter(section=OuterRef("pk")))),
        assigned=Count("id", filter=Q(assigned_to=user) | Q(second_assigned_to=user)),
    )
    keyed_at = Coalesce(Max("lines__entered_at"), F("created_at"))
    latest = (
        sections_for(user, petition)
        .filter(Q(entered_by=user) | Q(assigned_to=user))
        .annotate(lines_total=Count("lines"), keyed_at=keyed_at)
        .order_by("-keyed_at", "-id")
        .first()
    )
    awaiting = (
        sections_awaiting_second_entry(user, petition).count() if petition.double_entry else 0
    )
    has_scans = bool(counts["scanned"])
    return {
        "has_scans": has_scans,
        "scanned_waiting": scanned_sections_waiting(petition).count() if has_scans else 0,
        "second_scanned_waiting": (
            second_sections_waiting(petition, user).count() if has_scans else 0
        ),
        "assigned": tuple(assigned_sections(user, petition)) if counts["assigned"] else (),
        "own_sections": counts["own"],
        "others_sections": counts["others"],
        "latest_section": latest,
        "awaiting_second": awaiting,
    }
