"""Reads of petitions and their lines, scoped to what the user may see."""

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.fields.json import KT
from django.utils import timezone

from petitions.models import Line, LineEvent, LineStatus, Petition, SecondEntry, Section

EXPORT_HEADER = ("section", "line", "printed_name", "status", "voter_id", "score", "reason")
EXPORT_CHUNK = 5_000
# Statuses that are neither waiting (pending, needs review) nor valid; a blank line is no
# signature at all.
INVALID_STATUSES = tuple(
    s
    for s in LineStatus.values
    if s not in (LineStatus.PENDING, LineStatus.VALID, LineStatus.NEEDS_REVIEW, LineStatus.BLANK)
)


def petitions_for(user) -> QuerySet[Petition]:
    """The petitions the user may see: all of them with petitions.view_petition, else none."""
    if not user.has_perm("petitions.view_petition"):
        return Petition.objects.none()
    return Petition.objects.order_by("-created_at")


def petition_list(user) -> list[Petition]:
    """The user's petitions with their line counts by status, in one aggregate query.

    Each petition gets `lines_total`, `lines_<status>` for every status, `lines_invalid` and
    `invalid_counts`: (label, count) of the invalid statuses that occur, largest first.
    """
    counts = {
        f"lines_{status}": Count("lines", filter=Q(lines__status=status))
        for status in Line.Status.values
    }
    petitions = list(petitions_for(user).annotate(lines_total=Count("lines"), **counts))
    labels = dict(Line.Status.choices)
    for petition in petitions:
        invalid = [(labels[s], getattr(petition, f"lines_{s}")) for s in INVALID_STATUSES]
        petition.invalid_counts = sorted(((lb, n) for lb, n in invalid if n), key=lambda c: -c[1])
        petition.lines_invalid = sum(n for _, n in invalid)
    return petitions


def _streamed(lines: QuerySet[Line], *fields: str) -> Iterator[tuple]:
    """(section serial, line number, *fields, the matcher's summary) per line, in section and
    line order, streamed from the database in chunks."""
    return (
        lines.order_by("section__serial", "number")
        # Only the matcher's one-sentence summary: the rest of `reason` can be large.
        .annotate(summary=KT("reason__summary"))
        .values_list("section__serial", "number", *fields, "summary")
        .iterator(chunk_size=EXPORT_CHUNK)
    )


def petition_export_rows(petition: Petition) -> Iterator[tuple]:
    """The header, then one row per line in section and line order, streamed from the database."""
    yield EXPORT_HEADER
    for serial, number, name, status, voter_id, score, refs, summary in _streamed(
        Line.objects.filter(petition=petition), "printed_name", "status", "voter_registrant_id",
        "score", "reason__refs",
    ):  # fmt: skip
        yield (
            serial, number, name, status, voter_id, "" if score is None else f"{score:.2f}",
            reason_with_refs(summary or "", refs),
        )  # fmt: skip


def reason_with_refs(summary: str, refs: dict | None) -> str:
    """A decision's summary with the facts of the roll behind it (registrant ids, registration
    dates), for the roles that may see them: "...; registered after filing ... [registered_on
    2026-09-01]"."""
    if not refs:
        return summary
    return f"{summary} [{'; '.join(f'{key} {value}' for key, value in refs.items())}]"


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
    if line is None or (disagreement and disagreement.second.entered_at < line.entered_at):
        return disagreement
    return ReviewItem(line)


def review_pace(petition: Petition, hours: int = 1) -> int:
    """Review decisions (candidates picked, statuses set, transcriptions settled) of late."""
    since = timezone.now() - timedelta(hours=hours)
    return LineEvent.objects.filter(
        petition=petition,
        kind__in=[LineEvent.Kind.REVIEWED, LineEvent.Kind.TRANSCRIPTION],
        at__gte=since,
    ).count()


def line_history(line: Line) -> list[LineEvent]:
    """The line's events, newest first, each marked whether it can still be undone."""
    events = list(
        LineEvent.objects.filter(line=line)
        .select_related("user", "undone_by")
        .order_by("-at", "-id")
    )
    open_events = [e for e in events if e.kind != LineEvent.Kind.UNDONE and not _undone(e)]
    for event in events:
        event.undoable = bool(open_events) and event is open_events[0]
    return events


def _undone(event: LineEvent) -> bool:
    try:
        return event.undone_by is not None
    except LineEvent.DoesNotExist:
        return False


def section_list(sections: QuerySet[Section]) -> list[Section]:
    """Sections with their line counts (total, pending, valid), in serial order."""
    return list(
        sections.annotate(
            lines_total=Count("lines"),
            lines_pending=Count("lines", filter=Q(lines__status=LineStatus.PENDING)),
            lines_valid=Count("lines", filter=Q(lines__status=LineStatus.VALID)),
        )
        .select_related("entered_by", "second_entered_by")
        .order_by("serial")
    )


def sections_awaiting_second_entry(user, petition: Petition) -> QuerySet[Section]:
    """Double entry: others' sections nobody has keyed a second time yet (serials only)."""
    if not petition.double_entry:
        return Section.objects.none()
    return (
        Section.objects.filter(petition=petition, second_entered_by__isnull=True)
        .exclude(entered_by=user)
        .order_by("serial")
    )


SIGNER_LIST_HEADER = ("section", "line", "printed_name", "residence_address", "city", "zip",
                      "status", "reason")  # fmt: skip
SIGNER_LISTS = {
    LineStatus.NOT_REGISTERED: "not registered",
    LineStatus.ADDRESS_MISMATCH: "different address",
}


def signer_list_rows(petition: Petition, status: str) -> Iterator[tuple]:
    """Signers of one status with their name and address as written (for registration drives)."""
    yield SIGNER_LIST_HEADER
    lines = Line.objects.filter(petition=petition, status=status)
    for serial, number, *texts, summary in _streamed(
        lines, "printed_name", "residence_address", "city", "zip", "status"
    ):
        yield (serial, number, *texts, summary or "")
