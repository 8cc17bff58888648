"""Reads of petitions and their lines, scoped to what the user may see."""

import csv
from collections.abc import Iterable, Iterator

from django.db.models import Count, Q, QuerySet
from django.db.models.fields.json import KT

from petitions.models import Line, Petition

EXPORT_HEADER = ("section", "line", "printed_name", "status", "voter_id", "score", "reason")
EXPORT_CHUNK = 5_000
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Statuses that are neither waiting (pending, needs review) nor valid.
INVALID_STATUSES = tuple(
    s
    for s in Line.Status.values
    if s not in (Line.Status.PENDING, Line.Status.VALID, Line.Status.NEEDS_REVIEW)
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


def _cell(value: str) -> str:
    """Text as a spreadsheet shows it, never as a formula it would run."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def petition_export_rows(petition: Petition) -> Iterator[tuple]:
    """The header, then one row per line in section and line order, streamed from the database."""
    yield EXPORT_HEADER
    lines = (
        Line.objects.filter(petition=petition)
        .order_by("section__serial", "number")
        # Only the matcher's one-sentence summary: the rest of `reason` can be large.
        .annotate(summary=KT("reason__summary"))
        .values_list(
            "section__serial", "number", "printed_name", "status", "voter_registrant_id", "score",
            "summary",
        )
    )  # fmt: skip
    for serial, number, name, status, voter_id, score, summary in lines.iterator(
        chunk_size=EXPORT_CHUNK
    ):
        yield (
            serial, number, _cell(name), _cell(status), _cell(voter_id),
            "" if score is None else f"{score:.2f}", _cell(summary or ""),
        )  # fmt: skip


class _Echo:
    """A file-like object whose write returns the text: csv.writer then yields lines."""

    def write(self, text: str) -> str:
        return text


def csv_lines(rows: Iterable[tuple]) -> Iterator[str]:
    """Rows as CSV text, one line at a time (for streaming responses and commands)."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)
