"""The review queue: what waits for a reviewer, the next item, the pace, a line's history."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from petitions.models import Line, LineEvent, Petition, SecondEntry


@dataclass
class ReviewItem:
    """One entry of the review queue: a line to decide, or two transcriptions to settle."""

    line: Line
    second: SecondEntry | None = None


def review_queue(petition: Petition) -> tuple[QuerySet[Line], QuerySet[SecondEntry]]:
    """Lines in needs_review and open double-entry disagreements, each oldest first."""
    lines = Line.objects.filter(petition=petition, status=Line.Status.NEEDS_REVIEW).order_by("id")
    seconds = SecondEntry.objects.filter(
        section__petition=petition, agrees=False, resolved_at__isnull=True
    ).order_by("entered_at", "id")
    return lines, seconds


def review_queue_size(petition: Petition) -> int:
    lines, seconds = review_queue(petition)
    return lines.count() + seconds.count()


def review_next(petition: Petition, skipped: Collection[int] = ()) -> ReviewItem | None:
    """The oldest queue entry the reviewer has not skipped (by line id)."""
    lines, seconds = review_queue(petition)
    line = lines.exclude(pk__in=skipped).select_related("section").first()
    disagreement = None
    # Of the first len(skipped) + 1 disagreements, at least one is not skipped.
    for second in seconds.select_related("section")[: len(skipped) + 1]:
        first = (
            Line.objects.select_related("section")
            .filter(section=second.section, number=second.number)
            .first()
        )
        if first is not None and first.pk not in skipped:
            disagreement = ReviewItem(first, second)
            break
    if line is None or (
        disagreement is not None
        and disagreement.second is not None
        and disagreement.second.entered_at < line.entered_at
    ):
        return disagreement
    return ReviewItem(line)


def review_idle(petition: Petition) -> dict[str, int | bool]:
    """Why the queue is empty: whether the petition has lines at all, and how many are still
    waiting for the checker (those it is unsure of come to the queue)."""
    return {
        "any_lines": Line.objects.filter(petition=petition).exists(),
        "pending": Line.objects.filter(petition=petition, status=Line.Status.PENDING).count(),
    }


def review_pace(petition: Petition, hours: int = 1) -> int:
    """Review decisions (candidates picked, statuses set, transcriptions settled) of late."""
    since = timezone.now() - timedelta(hours=hours)
    return LineEvent.objects.filter(
        petition=petition,
        kind__in=[LineEvent.Kind.REVIEWED, LineEvent.Kind.TRANSCRIPTION],
        at__gte=since,
    ).count()


def line_history(line: Line) -> list[LineEvent]:
    """The line's events, newest first, each marked whether it can still be undone (the latest
    change, unless it is a withdrawal: see review.event_undo)."""
    events = list(
        LineEvent.objects.filter(line=line)
        .select_related("user", "undone_by")
        .order_by("-at", "-id")
    )
    open_events = [e for e in events if e.kind != LineEvent.Kind.UNDONE and not _undone(e)]
    for event in events:
        event.undoable = (
            bool(open_events) and event is open_events[0] and event.kind != LineEvent.Kind.WITHDRAWN
        )
    return events


def _undone(event: LineEvent) -> bool:
    try:
        return event.undone_by is not None
    except LineEvent.DoesNotExist:
        return False


# A reviewer's own calls: what the review page offers to undo and lists as recent.
DECISION_KINDS = (LineEvent.Kind.REVIEWED, LineEvent.Kind.TRANSCRIPTION)


def review_decision_open(line_id: int, user: User) -> LineEvent | None:
    """The line's latest change if it is this reviewer's decision and can still be undone (an
    undo goes newest first: see review.event_undo); None once it is undone or changed since."""
    latest = (
        LineEvent.objects.filter(line_id=line_id, undone_by__isnull=True)
        .exclude(kind=LineEvent.Kind.UNDONE)
        .select_related("line__section")
        .order_by("-at", "-id")
        .first()
    )
    if latest is None or latest.kind not in DECISION_KINDS or latest.user_id != user.pk:
        return None
    return latest


def review_decisions(petition: Petition, user: User, limit: int = 10) -> list[LineEvent]:
    """The reviewer's latest decisions on a petition, newest first, each with its line."""
    return list(
        LineEvent.objects.filter(petition=petition, user=user, kind__in=DECISION_KINDS)
        .select_related("line__section", "undone_by")
        .order_by("-at", "-id")[:limit]
    )


def section_lines(line: Line) -> QuerySet[Line]:
    """The lines of a line's section, for a reviewer to read beside it (no entry form)."""
    return (
        Line.objects.filter(section_id=line.section_id)
        .only("number", "printed_name", "residence_address", "city", "status", "section_id")
        .order_by("number")
    )
