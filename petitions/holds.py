"""What held sections take out of the counts (reads; the writes are services.sections).

The tallies (LineTally) count every line gathered, held or not, and stay as they are: holding a
section changes no line, so no trigger fires and tallies_reconcile needs no exception. What the
dashboard counts is the tallies minus the held sections' lines by status, counted afresh on each
read from those sections alone (few: an organizer holds them one by one; the partial index
petitions_held finds them, the (section, number) index their lines). Exact, and cheap.

One correction goes with it: under the count-one rule a voter whose counted line is on a held
section and who signed again on a section not held counts there instead (one of those duplicate
lines becomes their valid one, as the registrar would find it among the lines filed), and the
repeat signers the registrar's duplicate estimate reads lose the held lines.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from petitions.models import DuplicateRule, LineStatus, Petition
from recall.db_router import read_connection


@dataclass(frozen=True)
class Held:
    """The held sections' share of a petition's lines."""

    sections: int = 0
    key: str = ""  # the held sections' ids, for a cache key that a hold or release changes
    by_status: dict[str, int] = field(default_factory=dict)  # their lines by status
    recovered: int = 0  # voters counted on a held section who count elsewhere instead
    # {m: change in the voters with m lines} for the registrar's repeat signers
    repeats_delta: dict[int, int] = field(default_factory=dict)

    @property
    def lines(self) -> int:
        """Their lines that are signatures (blank ones aside)."""
        return sum(n for s, n in self.by_status.items() if s != LineStatus.BLANK)


def held_key(petition: Petition) -> str:
    """The held sections' ids, for a cache key a hold or release changes ("" when none): one
    look-up of the partial index of held sections."""
    with read_connection().cursor() as cursor:
        cursor.execute(
            "SELECT string_agg(id::text, ',' ORDER BY id) FROM petitions_section"
            " WHERE petition_id = %s AND held_at IS NOT NULL",
            [petition.pk],
        )
        row = cursor.fetchone()
    return row[0] or "" if row else ""


def held_lines(petition: Petition) -> Held:
    """The petition's held sections, their lines by status and what taking them out changes."""
    with read_connection().cursor() as cursor:
        cursor.execute(
            """
            SELECT s.id, l.status, count(l.id)
            FROM petitions_section s LEFT JOIN petitions_line l ON l.section_id = s.id
            WHERE s.petition_id = %s AND s.held_at IS NOT NULL
            GROUP BY 1, 2
            """,
            [petition.pk],
        )
        rows = cursor.fetchall()
        if not rows:
            return Held()
        by_status: Counter[str] = Counter()
        for _, status, n in rows:
            if status is not None:
                by_status[status] += n
        # The voters with a counted or duplicate line on a held section, and all their lines.
        cursor.execute(
            """
            WITH voters AS (
                SELECT DISTINCT l.voter_registrant_id AS voter
                FROM petitions_section s JOIN petitions_line l ON l.section_id = s.id
                WHERE s.petition_id = %s AND s.held_at IS NOT NULL
                  AND l.voter_registrant_id <> '' AND (l.counted OR l.status = 'duplicate')
            )
            SELECT count(*) FILTER (WHERE l.status = 'duplicate'),
                   count(*) FILTER (WHERE l.status = 'duplicate' AND s.held_at IS NULL),
                   bool_or(l.counted), bool_or(l.counted AND s.held_at IS NULL)
            FROM voters v
            JOIN petitions_line l ON l.petition_id = %s AND l.voter_registrant_id = v.voter
            JOIN petitions_section s ON s.id = l.section_id
            GROUP BY v.voter
            """,
            [petition.pk, petition.pk],
        )
        voters = cursor.fetchall()
    count_one = petition.duplicate_rule == DuplicateRule.COUNT_ONE
    recovered = 0
    delta: Counter[int] = Counter()
    for dups, dups_kept, has_counted, counted_kept in voters:
        before = dups + 1 if dups else None  # as progress._repeat_signers counts them
        if has_counted and not counted_kept and count_one:
            # Their counted line is held: a duplicate line not held counts instead.
            recovered += 1 if dups_kept else 0
            after = dups_kept if dups_kept >= 2 else None
        else:
            after = dups_kept + 1 if dups_kept else None
        if before != after:
            if before:
                delta[before] -= 1
            if after:
                delta[after] += 1
    ids = sorted({section_id for section_id, _, _ in rows})
    return Held(
        sections=len(ids),
        key=",".join(map(str, ids)),
        by_status=dict(by_status),
        recovered=recovered,
        repeats_delta={m: n for m, n in delta.items() if n},
    )


def held_by_day(petition: Petition) -> list[tuple[date, str, int]]:
    """The held sections' lines by the day they were entered (the tallies' day) and status."""
    with read_connection().cursor() as cursor:
        cursor.execute(
            """
            SELECT (timezone(%s, l.entered_at))::date, l.status, count(*)
            FROM petitions_section s JOIN petitions_line l ON l.section_id = s.id
            WHERE s.petition_id = %s AND s.held_at IS NOT NULL
            GROUP BY 1, 2
            """,
            [settings.TIME_ZONE, petition.pk],
        )
        return [(day, status, int(n)) for day, status, n in cursor.fetchall()]


def without_held(by_status: dict[str, int], held: Held) -> dict[str, int]:
    """Lines by status as if the held sections had not been gathered."""
    counts = {status: n - held.by_status.get(status, 0) for status, n in by_status.items()}
    counts[LineStatus.VALID] += held.recovered
    counts[LineStatus.DUPLICATE] -= held.recovered
    return counts


def repeats_without_held(repeats: dict[int, int], held: Held) -> dict[int, int]:
    merged = Counter(repeats)
    merged.update(held.repeats_delta)
    return {m: n for m, n in merged.items() if n > 0}
