"""Reads of circulators: the list with each one's yearly pay, a circulator's figures and trend,
merge proposals, and the pay ledger (periods, a circulator's ledger, payroll rows)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet

from petitions.models import Circulator, LineStatus, PayEntryKind, Section
from petitions.services.pay import (
    GATHERED_SQL,
    INFORMATION_RETURN_THRESHOLD,
    period_end,
    period_sql,
)

# Two names this alike (pg_trgm similarity of the folded names) are proposed for merging.
SIMILAR_NAMES = 0.55
ZERO = Decimal("0.00")


def _rows(sql: str, params: dict[str, Any] | list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass
class Figures:
    """A circulator's lines by outcome (blank lines left out), over every petition."""

    sections: int = 0
    lines: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def waiting(self) -> int:
        return self.by_status.get(LineStatus.PENDING, 0) + self.by_status.get(
            LineStatus.NEEDS_REVIEW, 0
        )

    @property
    def decided(self) -> int:
        return self.lines - self.waiting

    @property
    def valid(self) -> int:
        return self.by_status.get(LineStatus.VALID, 0)

    @property
    def validity_rate(self) -> float | None:
        return self.valid / self.decided if self.decided else None

    def get(self, status: str) -> int:
        return self.by_status.get(status, 0)


@dataclass
class ListRow:
    circulator: Circulator
    figures: Figures
    paid_this_year: Decimal

    @property
    def information_return(self) -> bool:
        return self.paid_this_year >= INFORMATION_RETURN_THRESHOLD


def _paid_in(year: int) -> dict[int, Decimal]:
    """Each circulator's payments in a calendar year (the day they were made, campaign time)."""
    return dict(_rows(
        "SELECT circulator_id, sum(amount) FROM petitions_payentry WHERE kind = %s "
        "AND extract(year FROM created_at AT TIME ZONE %s) = %s GROUP BY 1",
        [PayEntryKind.PAYMENT, settings.TIME_ZONE, year],
    ))  # fmt: skip


def circulator_list(year: int) -> list[ListRow]:
    """Every circulator with their sections, lines by outcome and this year's payments."""
    figures: dict[int, Figures] = {}
    for circulator_id, sections in _rows(
        "SELECT circulator_id, count(*) FROM petitions_section WHERE circulator_id IS NOT NULL "
        "GROUP BY 1", [],
    ):  # fmt: skip
        figures[circulator_id] = Figures(sections=sections)
    for circulator_id, status, n in _rows(
        "SELECT s.circulator_id, l.status, count(*) FROM petitions_line l "
        "JOIN petitions_section s ON s.id = l.section_id "
        "WHERE s.circulator_id IS NOT NULL AND l.status <> %s GROUP BY 1, 2",
        [LineStatus.BLANK],
    ):
        row = figures.setdefault(circulator_id, Figures())
        row.by_status[status] = n
        row.lines += n
    paid = _paid_in(year)
    return [
        ListRow(c, figures.get(c.pk, Figures()), paid.get(c.pk, ZERO))
        for c in Circulator.objects.order_by("name_key", "pk")
    ]


def circulator_figures(circulator: Circulator) -> Figures:
    figures = Figures(sections=circulator.sections.count())
    for status, n in _rows(
        "SELECT l.status, count(*) FROM petitions_line l "
        "JOIN petitions_section s ON s.id = l.section_id "
        "WHERE s.circulator_id = %s AND l.status <> %s GROUP BY 1",
        [circulator.pk, LineStatus.BLANK],
    ):
        figures.by_status[status] = n
        figures.lines += n
    return figures


@dataclass(frozen=True)
class TrendWeek:
    week: date
    lines: int
    decided: int
    valid: int

    @property
    def validity_rate(self) -> float | None:
        return self.valid / self.decided if self.decided else None


def circulator_trend(circulator: Circulator) -> list[TrendWeek]:
    """Lines, decided and valid by week (Monday) of the day gathered (GATHERED_SQL)."""
    rows = _rows(
        f"""
        SELECT date_trunc('week', {GATHERED_SQL})::date AS week,
               count(*),
               count(*) FILTER (WHERE l.status NOT IN (%(pending)s, %(review)s)),
               count(*) FILTER (WHERE l.status = %(valid)s)
        FROM petitions_line l JOIN petitions_section s ON s.id = l.section_id
        WHERE s.circulator_id = %(circulator)s AND l.status <> %(blank)s
        GROUP BY 1 ORDER BY 1
        """,  # noqa: S608 - fixed SQL, values are parameters
        {"tz": settings.TIME_ZONE, "pending": LineStatus.PENDING,
         "review": LineStatus.NEEDS_REVIEW, "valid": LineStatus.VALID,
         "blank": LineStatus.BLANK, "circulator": circulator.pk},
    )  # fmt: skip
    return [TrendWeek(week, lines, decided, valid) for week, lines, decided, valid in rows]


def circulator_sections(circulator: Circulator) -> QuerySet[Section]:
    """The circulator's sections, every petition's, with their lines' counts."""
    not_blank = ~Q(lines__status=LineStatus.BLANK)
    return (
        circulator.sections.select_related("petition")
        .annotate(
            lines_total=Count("lines", filter=not_blank),
            lines_valid=Count("lines", filter=Q(lines__status=LineStatus.VALID)),
            lines_waiting=Count("lines", filter=Q(lines__status__in=[
                LineStatus.PENDING, LineStatus.NEEDS_REVIEW])),
        )
        .order_by("petition__title", "serial")
    )  # fmt: skip


@dataclass(frozen=True)
class MergeProposal:
    first: Circulator
    second: Circulator
    similarity: float
    why: str  # "similar" or "initial"


_PROPOSALS_SQL = """
    SELECT a.id, b.id, similarity(a.name_key, b.name_key), 'similar'
    FROM petitions_circulator a
    JOIN petitions_circulator b ON a.id < b.id AND a.name_key %% b.name_key
    WHERE similarity(a.name_key, b.name_key) >= %(similar)s
    UNION
    -- The same surname, and a given name that is the other's initial ("J SMITH", "JOHN SMITH").
    SELECT a.id, b.id, similarity(a.name_key, b.name_key), 'initial'
    FROM petitions_circulator a
    JOIN petitions_circulator b ON a.id < b.id
         AND regexp_replace(a.name_key, '^.* ', '') = regexp_replace(b.name_key, '^.* ', '')
    WHERE position(' ' IN a.name_key) > 0 AND position(' ' IN b.name_key) > 0
      AND (   (length(split_part(a.name_key, ' ', 1)) = 1
               AND left(split_part(b.name_key, ' ', 1), 1) = split_part(a.name_key, ' ', 1))
           OR (length(split_part(b.name_key, ' ', 1)) = 1
               AND left(split_part(a.name_key, ' ', 1), 1) = split_part(b.name_key, ' ', 1)))
"""


def merge_proposals(limit: int = 200) -> list[MergeProposal]:
    """Pairs of records whose names are nearly the same (a typo, an initial), most alike first,
    but those an organizer dismissed."""
    dismissed = set(_rows("SELECT first_id, second_id FROM petitions_circulatormergedismissal", []))
    found: dict[tuple[int, int], tuple[float, str]] = {}
    for first, second, similarity, why in _rows(_PROPOSALS_SQL, {"similar": SIMILAR_NAMES}):
        if (first, second) not in dismissed and (first, second) not in found:
            found[(first, second)] = (similarity, why)
    pairs = sorted(found.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
    records = Circulator.objects.in_bulk({pk for pair, _ in pairs for pk in pair})
    return [
        MergeProposal(records[first], records[second], similarity, why)
        for (first, second), (similarity, why) in pairs
    ]


def _kind_totals(rows: list[tuple[Any, ...]]) -> dict[Any, dict[str, Decimal]]:
    totals: dict[Any, dict[str, Decimal]] = {}
    for key, kind, amount in rows:
        totals.setdefault(key, dict.fromkeys(PayEntryKind.values, ZERO))[kind] = amount
    return totals


@dataclass
class LedgerPeriod:
    """A circulator's pay period: the lines gathered in it and the ledger's entries."""

    start: date
    lines: int = 0
    valid: int = 0
    waiting: int = 0
    projected_valid: int = 0
    amounts: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(
        PayEntryKind.values, ZERO))  # fmt: skip

    @property
    def end(self) -> date:
        return period_end(self.start)

    @property
    def has_entries(self) -> bool:
        return any(self.amounts.values())

    @property
    def payable(self) -> Decimal:
        a = self.amounts
        return a["earn"] - a["hold"] + a["release"] - a["clawback"]


def circulator_ledger(circulator: Circulator) -> list[LedgerPeriod]:
    """By pay period, newest first: lines gathered, valid, waiting, projected valid (waiting
    lines at the circulator's own validity so far), and the ledger's amounts by kind."""
    figures = circulator_figures(circulator)
    rate = figures.validity_rate or 0.0
    periods: dict[date, LedgerPeriod] = {}
    for start, lines, valid, waiting in _rows(
        f"""
        SELECT {period_sql(GATHERED_SQL)}, count(*),
               count(*) FILTER (WHERE l.status = %(valid)s),
               count(*) FILTER (WHERE l.status IN (%(pending)s, %(review)s))
        FROM petitions_line l JOIN petitions_section s ON s.id = l.section_id
        WHERE s.circulator_id = %(circulator)s AND l.status <> %(blank)s
        GROUP BY 1
        """,  # noqa: S608 - fixed SQL, values are parameters
        {"tz": settings.TIME_ZONE, "pending": LineStatus.PENDING,
         "review": LineStatus.NEEDS_REVIEW, "valid": LineStatus.VALID,
         "blank": LineStatus.BLANK, "circulator": circulator.pk},
    ):  # fmt: skip
        periods[start] = LedgerPeriod(start, lines, valid, waiting, valid + round(waiting * rate))
    totals = _kind_totals(_rows(
        "SELECT period_start, kind, sum(amount) FROM petitions_payentry WHERE circulator_id = %s "
        "GROUP BY 1, 2", [circulator.pk],
    ))  # fmt: skip
    for start, amounts in totals.items():
        periods.setdefault(start, LedgerPeriod(start)).amounts = amounts
    return sorted(periods.values(), key=lambda p: p.start, reverse=True)


@dataclass(frozen=True)
class EntryLine:
    kind: str
    amount: Decimal
    petition: str = ""
    section: int | None = None
    number: int | None = None
    status: str = ""
    shift_day: date | None = None
    hours: Decimal | None = None


def ledger_lines(circulator: Circulator, period_start: date) -> list[EntryLine]:
    """The lines (and shifts) behind a circulator's entries for a pay period."""
    rows = _rows(
        """
        SELECT r.kind, r.amount, p.title, s.serial, l.number, l.status, sh.day, sh.hours
        FROM petitions_payentryline r
        JOIN petitions_payentry e ON e.id = r.entry_id
        LEFT JOIN petitions_line l ON l.id = r.line_id
        LEFT JOIN petitions_section s ON s.id = l.section_id
        LEFT JOIN petitions_petition p ON p.id = l.petition_id
        LEFT JOIN petitions_circulatorshift sh ON sh.id = r.shift_id
        WHERE e.circulator_id = %s AND e.period_start = %s
        ORDER BY p.title, s.serial, l.number, sh.day, r.id
        """,
        [circulator.pk, period_start],
    )
    return [EntryLine(kind, amount, title or "", serial, number, status or "", day, hours)
            for kind, amount, title, serial, number, status, day, hours in rows]  # fmt: skip


@dataclass(frozen=True)
class ClosedPeriod:
    start: date
    circulators: int
    amounts: dict[str, Decimal]

    @property
    def end(self) -> date:
        return period_end(self.start)


def pay_periods() -> list[ClosedPeriod]:
    """The periods closed so far, newest first, with their totals by kind."""
    totals = _kind_totals(
        _rows("SELECT period_start, kind, sum(amount) FROM petitions_payentry GROUP BY 1, 2", [])
    )
    counts = dict(_rows(
        "SELECT period_start, count(DISTINCT circulator_id) FROM petitions_payentry GROUP BY 1",
        []))  # fmt: skip
    return [ClosedPeriod(start, counts[start], amounts)
            for start, amounts in sorted(totals.items(), reverse=True)]  # fmt: skip


PAYROLL_HEADER = ("payee", "address", "phone", "email", "kind", "pay_basis", "rate", "earned",
                  "held_back", "released", "clawed_back", "net", "paid", "paid_this_year",
                  "information_return")  # fmt: skip


def period_closed(period_start: date) -> bool:
    return bool(_rows("SELECT 1 FROM petitions_payentry WHERE period_start = %s LIMIT 1",
                      [period_start]))  # fmt: skip


def payroll_rows(period_start: date) -> list[list[str]]:
    """The payroll of a closed period: a row per circulator with entries in it, the amounts by
    kind, the net (what became payable), what was paid, this year's payments and whether they
    reach the 1099-NEC threshold ($600)."""
    totals = _kind_totals(_rows(
        "SELECT circulator_id, kind, sum(amount) FROM petitions_payentry WHERE period_start = %s "
        "GROUP BY 1, 2", [period_start]))  # fmt: skip
    # This year is the year the period's payments were made (its close), as the IRS counts.
    ((closed_at,),) = _rows(
        "SELECT max(created_at AT TIME ZONE %s) FROM petitions_payentry WHERE period_start = %s",
        [settings.TIME_ZONE, period_start],
    )
    paid_year = _paid_in(closed_at.year if closed_at else period_end(period_start).year)
    rows = []
    for c in Circulator.objects.filter(pk__in=totals).order_by("name_key", "pk"):
        a = totals[c.pk]
        net = a["earn"] - a["hold"] + a["release"] - a["clawback"]
        this_year = paid_year.get(c.pk, ZERO)
        rows.append([c.name, c.address, c.phone, c.email, c.kind, c.pay_basis, str(c.rate),
                     str(a["earn"]), str(a["hold"]), str(a["release"]), str(a["clawback"]),
                     str(net), str(a["payment"]), str(this_year),
                     "1099-NEC" if this_year >= INFORMATION_RETURN_THRESHOLD else ""])  # fmt: skip
    return rows
