"""The 30-day reports (EC 11104): per county and per 30 days from the petition's approval, the
signatures submitted and found valid, and both cumulated.

A line is dated by when it was submitted: its section's received day (the day the campaign had
the signed section in hand, the nearest the campaign knows to filing it with the county), else
the day it was keyed (campaign time). A line dated before the approval day counts in the first
period. Valid: the lines decided valid so far (each voter once). Blank lines are not signatures.
One GROUP BY over the lines joined to their sections, never a loop over lines.
"""

from datetime import date, timedelta
from typing import TypedDict

from django.conf import settings
from django.utils import timezone

from petitions.counties import county_name
from petitions.models import LineStatus, Petition
from petitions.progress import _fetch
from petitions.statewide import is_multi_county

PERIOD_DAYS = 30


class ReportRow(TypedDict):
    county: str  # SoS code; "" for sections with no county in a petition of several
    name: str
    submitted: int
    cumulative_submitted: int
    valid: int
    cumulative_valid: int


class Period(TypedDict):
    number: int  # 1, 2, ...
    start: date
    end: date
    rows: list[ReportRow]
    total: ReportRow


class Report(TypedDict):
    start: date | None  # the first period's first day (the approval day, else the first line's)
    from_approval: bool
    periods: list[Period]


def thirty_day_report(petition: Petition, *, today: date | None = None) -> Report:
    """Every county of the petition, every 30-day period from its approval up to today's (or
    the last with lines), submitted and valid lines with their running totals."""
    today = today or timezone.localdate()
    # A one-county petition's sections name no county: they are the petition's.
    default_county = "" if is_multi_county(petition) else petition.county_code
    rows = _fetch(
        """
        SELECT coalesce(nullif(s.county_code, ''), %s),
               coalesce(s.received_on, (timezone(%s, l.entered_at))::date) AS submitted_on,
               count(*), count(*) FILTER (WHERE l.status = %s)
        FROM petitions_line l JOIN petitions_section s ON s.id = l.section_id
        WHERE l.petition_id = %s AND l.status <> %s AND s.held_at IS NULL
        GROUP BY 1, 2
        """,
        [default_county, settings.TIME_ZONE, LineStatus.VALID, petition.pk, LineStatus.BLANK],
    )
    start = petition.approved_on or min((row[1] for row in rows), default=None)
    if start is None:
        return {"start": None, "from_approval": False, "periods": []}
    counts: dict[tuple[str, int], list[int]] = {}
    for county, day, submitted, valid in rows:
        number = max((day - start).days // PERIOD_DAYS, 0)
        entry = counts.setdefault((county, number), [0, 0])
        entry[0] += submitted
        entry[1] += valid
    last_day = min(today, petition.deadline) if petition.deadline else today
    last = max([(last_day - start).days // PERIOD_DAYS, *(n for _, n in counts)], default=0)
    counties = sorted(
        {*(petition.electorate_counties or [default_county]), *(c for c, _ in counts)}
    )
    running = {county: [0, 0] for county in counties}
    periods: list[Period] = []
    for number in range(max(last, 0) + 1):
        period_rows: list[ReportRow] = []
        for county in counties:
            submitted, valid = counts.get((county, number), (0, 0))
            running[county][0] += submitted
            running[county][1] += valid
            period_rows.append({
                "county": county, "name": county_name(county) if county else "",
                "submitted": submitted, "cumulative_submitted": running[county][0],
                "valid": valid, "cumulative_valid": running[county][1],
            })  # fmt: skip
        first = start + timedelta(days=PERIOD_DAYS * number)
        periods.append({
            "number": number + 1, "start": first, "end": first + timedelta(days=PERIOD_DAYS - 1),
            "rows": period_rows, "total": _total(period_rows),
        })  # fmt: skip
    return {"start": start, "from_approval": petition.approved_on is not None, "periods": periods}


def _total(rows: list[ReportRow]) -> ReportRow:
    return {"county": "", "name": "", "submitted": sum(r["submitted"] for r in rows),
            "cumulative_submitted": sum(r["cumulative_submitted"] for r in rows),
            "valid": sum(r["valid"] for r in rows),
            "cumulative_valid": sum(r["cumulative_valid"] for r in rows)}  # fmt: skip


CSV_HEADER = (
    "period", "period_start", "period_end", "county_code", "county", "submitted",
    "cumulative_submitted", "valid", "cumulative_valid",
)  # fmt: skip


def report_csv_rows(report: Report) -> list[list[object]]:
    """The report as CSV rows: a header, then each period's counties (no total rows: a
    spreadsheet sums them)."""
    lines: list[list[object]] = [list(CSV_HEADER)]
    for period in report["periods"]:
        for row in period["rows"]:
            lines.append([
                period["number"], period["start"].isoformat(), period["end"].isoformat(),
                row["county"], row["name"], row["submitted"], row["cumulative_submitted"],
                row["valid"], row["cumulative_valid"],
            ])  # fmt: skip
    return lines
