"""Reads for the organizer dashboard: will the petition qualify, and where to act.

Counts come from LineTally (kept exact by triggers), never from counting a million lines. The
registrar's simulated verdict is cached for a short while: it moves little between two refreshes.
"""

import logging
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NotRequired, TypedDict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from petitions.holds import Held, held_by_day, held_lines, repeats_without_held, without_held
from petitions.models import Line, LineStatus, LineTally, Petition
from petitions.registrar import examination_for
from petitions.sampling import Population, raw_needed, simulate
from petitions.services.petitions import APPROVAL_AHEAD, DATES_BACK, LONGEST_CIRCULATION
from petitions.suspects import RollOrderSection, roll_order_sections
from recall.cache import forgiving_cache as cache  # Redis unreachable: computed afresh
from recall.db_router import read_connection

log = logging.getLogger(__name__)

SIMULATION_DRAWS = 1000
SIMULATION_TTL = 30  # seconds a simulated verdict is reused
# What the registrar found in the LA County DA recall's full count, 2022 (share of raw).
DATES_AHEAD = APPROVAL_AHEAD + LONGEST_CIRCULATION  # the latest plausible deadline from today
LA_2022_SHARES: dict[str, float] = {
    LineStatus.VALID: 0.7265, LineStatus.NOT_REGISTERED: 0.1236, LineStatus.DUPLICATE: 0.0609,
    LineStatus.ADDRESS_MISMATCH: 0.0450, LineStatus.CANCELED: 0.0103,
    LineStatus.OUT_OF_JURISDICTION: 0.0075,
}  # fmt: skip


class Progress(TypedDict):
    """The dashboard's headline (progress.json)."""

    petition: str
    required: int
    raw: int
    pending: int
    needs_review: int
    decided: int
    valid: int
    by_status: dict[str, int]
    validity_rate: float | None
    projected_valid: int
    percent_of_required: float
    deadline: str | None
    days_left: int | None
    # Lines (blank ones aside) gathered in all, and of them on held sections: every figure
    # above leaves the held ones out (petitions.holds).
    gathered: int
    held: int
    registrar: dict[str, Any]  # Simulation's fields and more: see registrar_verdict
    # After filing: the examination's clock, from the registrar's certificate date (or None).
    examination: dict[str, Any] | None
    # Against the registrar's line-level results, where the county has any (issue 22): see
    # petitions.selectors.calibration.calibrated_projection; None without them.
    calibrated: dict[str, Any] | None


class PacePoint(TypedDict):
    day: str
    raw: int
    valid: int
    cumulative_valid: int | None
    target: NotRequired[int]  # only when the petition has a deadline


class Pace(TypedDict):
    series: list[PacePoint]
    valid_needed: int
    valid_per_day_needed: int | None
    raw_per_day_needed: int | None


class Reason(TypedDict):
    status: str
    label: str
    lines: int
    share: float
    share_percent: float
    la_2022: float | None
    la_2022_percent: float


class Rates(TypedDict):
    lines: int
    decided: int
    valid: int
    validity_rate: float | None
    duplicate_rate: float | None
    not_registered_rate: float | None
    out_of_county_rate: float | None


class CirculatorRates(Rates):
    circulator: str
    circulator_id: int | None  # the record (circulators:detail), None for sections without one
    flagged: NotRequired[bool]  # set once the median of all circulators is known


class AreaRates(Rates):
    area: str
    validity_percent: float | None  # valid of decided, from these two counts


class Breakdowns(TypedDict):
    computed_at: str
    circulators: list[CirculatorRates]
    circulator_count: int
    roll_order_sections: list[RollOrderSection]
    areas: dict[str, list[AreaRates]]
    # {dimension: the lines in no area of that kind (matched to no voter, or none written)}
    areas_unattributed: dict[str, AreaRates]


def status_counts(petition: Petition, *, up_to: date | None = None) -> dict[str, int]:
    """Every status slug with its count of lines (from the tallies: exact, and cheap); up_to:
    only the lines entered up to that day (the tallies are by day entered)."""
    counts = dict.fromkeys(Line.Status.values, 0)
    tallies = LineTally.objects.filter(petition=petition)
    if up_to is not None:
        tallies = tallies.filter(day__lte=up_to)
    rows = tallies.values("status").annotate(n=Sum("lines")).values_list("status", "n")
    for status, n in rows:
        counts[status] = int(n)
    return counts


def _split(counts: dict[str, int]) -> tuple[int, int, int]:
    """(raw, waiting, decided) of status counts: raw leaves blank lines out, waiting is pending
    or in review, decided is the rest."""
    raw = sum(counts.values()) - counts.get(LineStatus.BLANK, 0)
    waiting = counts.get(LineStatus.PENDING, 0) + counts.get(LineStatus.NEEDS_REVIEW, 0)
    return raw, waiting, raw - waiting


def petition_progress(petition: Petition, *, today: date | None = None) -> Progress:
    """The dashboard's headline and the registrar's simulated verdict (progress.json), the
    held sections' lines left out."""
    today = today or timezone.localdate()
    gathered = status_counts(petition)
    held = held_lines(petition)
    by_status = without_held(gathered, held)
    raw, waiting, decided = _split(by_status)
    valid = by_status[LineStatus.VALID]
    rate = valid / decided if decided else None
    projected = valid + round(waiting * rate) if rate is not None else valid
    days_left = max((petition.deadline - today).days, 0) if petition.deadline else None
    return {
        "petition": petition.slug,
        "required": petition.required_signatures,
        "raw": raw,
        "pending": by_status[LineStatus.PENDING],
        "needs_review": by_status[LineStatus.NEEDS_REVIEW],
        "decided": decided,
        "valid": valid,
        "by_status": by_status,
        "validity_rate": round(rate, 4) if rate is not None else None,
        "projected_valid": projected,
        "percent_of_required": round(100 * projected / petition.required_signatures, 1),
        "deadline": petition.deadline.isoformat() if petition.deadline else None,
        "days_left": days_left,
        "examination": examination_for(petition, today=today),
        "calibrated": _calibrated(petition, by_status, projected, held.key),
        "gathered": _split(gathered)[0],
        "held": held.lines,
        "registrar": registrar_verdict(petition, by_status, held),
    }


# What the registrar's verdict can say (registrar["state"]): nothing without lines, nothing
# either before a first line is decided (no rate to project with), else a projection.
NO_LINES, NONE_DECIDED, PROJECTED = "no_lines", "none_decided", "projected"


def registrar_verdict(
    petition: Petition, by_status: dict[str, int], held: Held | None = None
) -> dict[str, Any]:
    """The registrar's random sample drawn SIMULATION_DRAWS times (cached SIMULATION_TTL s).

    The draws are seeded from the petition and its lines' counts (all the simulation reads of
    them), so the same lines give the same verdict on every recompute. A petition of several
    counties gets the Secretary of State's sum of the counties' own samples instead
    (petitions.statewide). `by_status` leaves out the lines of the sections `held`.
    """
    if len(petition.electorate_counties or ()) > 1:  # each county verifies its own sections
        from petitions.statewide import counties_verdict

        return counties_verdict(petition, held=held.key if held else None)["aggregate"]
    key = _registrar_key(petition) + (f":held:{held.key}" if held and held.key else "")
    cached: dict[str, Any] | None = cache.get(key)
    if cached is not None:
        return cached
    population = registrar_population(petition, by_status, held)
    rule, required = petition.sampling_rule, petition.required_signatures
    seed = population.seed(petition.pk, required, rule, SIMULATION_DRAWS)
    result = simulate(population, required, rule, SIMULATION_DRAWS, seed=seed)
    raw, _, decided = _split(by_status)
    verdict = {
        **asdict(result),
        "raw_needed_for_95": raw_needed(population, required, rule),
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "state": NO_LINES if not raw else NONE_DECIDED if not decided else PROJECTED,
        "qualifying": population.qualifying,
    }
    cache.set(key, verdict, SIMULATION_TTL)
    return verdict


def _registrar_key(petition: Petition) -> str:
    return f"petitions:registrar:v2:{petition.pk}:{petition.created_at.timestamp()}"


def registrar_forget(petition: Petition) -> None:
    """Drop the cached verdict: a hold or a release changes the lines it is drawn from."""
    cache.delete(_registrar_key(petition))


def registrar_population(
    petition: Petition, by_status: dict[str, int], held: Held | None = None
) -> Population:
    """The lines as the registrar's sample would find them; lines not decided yet are taken to
    qualify at the rate of those decided."""
    repeats = _repeat_signers(petition.pk)
    if held is not None:
        repeats = repeats_without_held(repeats, held)
    return population_of(by_status, repeats)


def population_of(
    by_status: dict[str, int], repeats: dict[int, int], rate_if_none_decided: float | None = None
) -> Population:
    """Lines by status and their repeat signers ({m: voters with m lines}) as a Population;
    lines not decided yet qualify at the rate of those decided, or, where none is (a county
    whose sections were just keyed), at `rate_if_none_decided` (the whole petition's)."""
    repeat_lines = sum((m - 1) * n for m, n in repeats.items())
    raw, waiting, decided = _split(by_status)
    qualifying = by_status[LineStatus.VALID] + repeat_lines
    if decided:
        qualifying += round(waiting * qualifying / decided)
    elif rate_if_none_decided is not None:
        qualifying += round(waiting * rate_if_none_decided)
    return Population(raw=raw, qualifying=qualifying, repeats=repeats)


def _repeat_signers(petition_id: int) -> dict[int, int]:
    """{m: voters with m lines}: each counted voter's line plus their duplicates found at their
    address (a repeat elsewhere is an invalid line to the registrar, not a duplicate)."""
    rows = _fetch(
        """
        SELECT m, count(*) FROM (
            SELECT voter_registrant_id, count(*) + 1 AS m FROM petitions_line
            WHERE petition_id = %s AND status = 'duplicate' AND voter_registrant_id <> ''
            GROUP BY voter_registrant_id
        ) AS repeats GROUP BY m
        """,
        [petition_id],
    )
    return {int(m): int(n) for m, n in rows}


def tallies_reconcile() -> list[tuple[Any, ...]]:
    """Check every tally against a full count of the lines; log and correct any drift.

    Both are read in one REPEATABLE READ snapshot: a tally changes in the same transaction as
    its lines, so within one snapshot they agree exactly unless something went wrong. The fix
    adds the difference (not the count), so lines changed since the snapshot stay counted.
    Returns (petition id, day, status, counted, tallied) for each drifted tally.
    """
    nested = connection.in_atomic_block  # (a caller's transaction keeps its own snapshot rules)
    with transaction.atomic(), connection.cursor() as cursor:
        if not nested:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute(
            """
            SELECT coalesce(c.petition_id, t.petition_id), coalesce(c.day, t.day),
                   coalesce(c.status, t.status), coalesce(c.n, 0), coalesce(t.lines, 0)
            FROM (SELECT petition_id, (timezone(%s, entered_at))::date AS day, status,
                         count(*) AS n
                  FROM petitions_line GROUP BY 1, 2, 3) AS c
            FULL JOIN petitions_linetally AS t
                ON t.petition_id = c.petition_id AND t.day = c.day AND t.status = c.status
            WHERE coalesce(c.n, 0) <> coalesce(t.lines, 0)
            ORDER BY 1, 2, 3
            """,
            [settings.TIME_ZONE],
        )
        drift = cursor.fetchall()
    if not drift:
        return []
    for petition_id, day, status, counted, tallied in drift:
        log.warning("tally drift: petition %s, %s, %s: %s lines counted, %s tallied; corrected",
                    petition_id, day, status, counted, tallied)  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO petitions_linetally AS t (petition_id, day, status, lines)
            SELECT * FROM unnest(%s::bigint[], %s::date[], %s::text[], %s::bigint[])
            ON CONFLICT (petition_id, day, status) DO UPDATE SET lines = t.lines + excluded.lines
            """,
            [[d[0] for d in drift], [d[1] for d in drift], [d[2] for d in drift],
             [d[3] - d[4] for d in drift]],
        )  # fmt: skip
    return drift


def pace(petition: Petition, progress: Progress, *, today: date | None = None) -> Pace:
    """Lines entered and valid per day, cumulative valid against the straight line to the
    requirement by the deadline, and what is needed per day from now on (from the tallies; the
    held sections' lines taken out by the day they were entered, when any is held)."""
    today = today or timezone.localdate()
    days: dict[date, dict[str, int]] = {}
    tallied = LineTally.objects.filter(petition=petition, lines__gt=0).values_list(
        "day", "status", "lines"
    )
    held = held_by_day(petition) if progress.get("held") else []
    for day, status, n in [*tallied, *((d, st, -k) for d, st, k in held)]:
        entry = days.setdefault(day, {"raw": 0, "valid": 0})
        if status != Line.Status.BLANK:
            entry["raw"] += n
        if status == Line.Status.VALID:
            entry["valid"] += n
    # Every day from the start (approval, else the first line) to the deadline (else today).
    start = petition.approved_on or (min(days) if days else today)
    start = min([start, *days])
    end = max([petition.deadline or today, today, *days])
    origin, span = start, (petition.deadline - start).days if petition.deadline else 0
    # Within the dates a petition may be given (services.petition_date_problems): a date stored
    # before they were checked (a year 0226, 9999-12-31) never makes a series of centuries.
    start, end = max(start, today - DATES_BACK), min(end, today + DATES_AHEAD)
    series: list[PacePoint] = []
    day = start
    cumulative = sum(counts["valid"] for d, counts in days.items() if d < start)
    while day <= end:
        counts = days.get(day, {"raw": 0, "valid": 0})
        cumulative += counts["valid"]
        point: PacePoint = {"day": day.isoformat(), "raw": counts["raw"], "valid": counts["valid"],
                 "cumulative_valid": cumulative if day <= today else None}  # fmt: skip
        if span > 0:
            point["target"] = round(petition.required_signatures * (day - origin).days / span)
        series.append(point)
        day += timedelta(days=1)
    missing = max(petition.required_signatures - progress["projected_valid"], 0)
    days_left = progress["days_left"]
    rate = progress["validity_rate"]
    per_day_valid = missing / days_left if days_left else None
    return {
        "series": series,
        "valid_needed": missing,
        "valid_per_day_needed": round(per_day_valid) if per_day_valid is not None else None,
        "raw_per_day_needed": round(per_day_valid / rate) if per_day_valid and rate else None,
    }


def reasons(progress: Progress) -> list[Reason]:
    """Lines by status, with each one's share of the raw lines and LA County 2022's."""
    raw = progress["raw"] or 1
    return [
        {"status": status, "label": str(Line.Status(status).label), "lines": n,
         "share": round(n / raw, 4), "share_percent": 100 * n / raw,
         "la_2022": LA_2022_SHARES.get(status),
         "la_2022_percent": 100 * LA_2022_SHARES.get(status, 0)}
        for status, n in progress["by_status"].items() if status != Line.Status.BLANK
    ]  # fmt: skip


SHOWN = 60  # circulators and areas of each kind kept for the page (the weakest, the largest)
BREAKDOWN_TTL = 600  # seconds; the scheduler refreshes it every 5 minutes
FAR_BELOW = 0.20  # a circulator this far (20 points) under the median validity is flagged
MIN_LINES_TO_FLAG = 20


def breakdowns(petition: Petition, *, refresh: bool = False) -> Breakdowns:
    """By circulator, by area, and sections in the roll's order: counted over every line, so
    computed by the scheduler every few minutes (and on first use) and read from the cache."""
    key = f"petitions:breakdowns:v4:{petition.pk}:{petition.created_at.timestamp()}"
    cached: Breakdowns | None = None if refresh else cache.get(key)
    if cached is None:
        from voters.selectors import active_roll

        roll = active_roll()
        circulators = _circulators(petition.pk)
        areas, unattributed = _areas(petition.pk, roll.pk if roll else None)
        cached = {
            "computed_at": timezone.now().isoformat(timespec="seconds"),
            # The page shows the weakest first; every flagged one is kept.
            "circulators": [c for i, c in enumerate(circulators) if i < SHOWN or c["flagged"]],
            "circulator_count": len(circulators),
            "roll_order_sections": roll_order_sections(petition.pk),
            "areas": areas,
            "areas_unattributed": unattributed,
        }
        cache.set(key, cached, BREAKDOWN_TTL)
    return cached


def _rates(counts: dict[str, int]) -> Rates:
    raw, _, decided = _split(counts)

    def share(status: str) -> float | None:
        # Six places: shown as a percentage to one place, a share rounded to four would be
        # rounded twice (50 of 62, 80.645%, read 80.7% here and 80.6% on the circulator's page).
        return round(counts.get(status, 0) / decided, 6) if decided else None

    return {"lines": raw, "decided": decided, "valid": counts.get(LineStatus.VALID, 0),
            "validity_rate": share(LineStatus.VALID),
            "duplicate_rate": share(LineStatus.DUPLICATE),
            "not_registered_rate": share(LineStatus.NOT_REGISTERED),
            "out_of_county_rate": share(LineStatus.OUT_OF_JURISDICTION)}  # fmt: skip


def _fetch(sql: str, params: Sequence[int | str]) -> list[tuple[Any, ...]]:
    # The replica when the dashboard reads through recall.db_router.on_replica, else the primary.
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _circulators(petition_id: int) -> list[CirculatorRates]:
    # By circulator record (names typed alike, or merged, are one); a section not linked to a
    # record yet (written straight to the table) by its typed name; sections without a name
    # together as "(not given)".
    grouped: dict[tuple[int | None, str], dict[str, int]] = {}
    for circulator_id, name, status, n in _fetch(
        """
        SELECT c.id,
               coalesce(upper(c.name), nullif(upper(trim(s.circulator_name)), ''), '(not given)'),
               l.status, count(*)
        FROM petitions_line l JOIN petitions_section s ON s.id = l.section_id
        LEFT JOIN petitions_circulator c ON c.id = s.circulator_id
        WHERE l.petition_id = %s AND l.status <> %s
        GROUP BY 1, 2, 3
        """,
        [petition_id, LineStatus.BLANK],
    ):
        grouped.setdefault((circulator_id, name), {})[status] = n
    rows: list[CirculatorRates] = [
        {"circulator": name, "circulator_id": circulator_id, **_rates(counts)}
        for (circulator_id, name), counts in grouped.items()
    ]
    rates = sorted(r["validity_rate"] for r in rows if r["validity_rate"] is not None)
    median = rates[len(rates) // 2] if rates else None
    for row in rows:
        row["flagged"] = bool(
            median is not None and row["validity_rate"] is not None
            and row["decided"] >= MIN_LINES_TO_FLAG and row["validity_rate"] < median - FAR_BELOW
        )  # fmt: skip
    rows.sort(key=lambda r: (r["validity_rate"] is None, r["validity_rate"] or 0, r["circulator"]))
    return rows


# The areas every line falls in by the roll (city, ZIP, precinct); district columns follow.
AREA_DIMENSIONS = ("city", "zip", "precinct")


def _areas(
    petition_id: int, roll_id: int | None
) -> tuple[dict[str, list[AreaRates]], dict[str, AreaRates]]:
    """Lines by area, on one rule: the matched voter's city, ZIP, precinct and districts (the
    roll's columns); where no voter matched, the city and ZIP written on the line (a community
    or shortening as the city it is part of); a voter registered outside the petition's
    electorate, in none (the areas are those inside it). A line with no area of a kind is not
    attributed to any of that kind, and counted apart: before, such lines made an area "(none)"
    at 0% valid and every real area looked better than the petition.

    Returns ({dimension: areas, most lines first}, {dimension: the lines not attributed}).
    """
    # Without a roll, the join finds nobody and every line counts under what it says.
    join = (
        f"LEFT JOIN voters_voter_roll_{int(roll_id)} v ON v.roll_id = {int(roll_id)} "
        "AND v.registrant_id = l.voter_registrant_id AND l.voter_registrant_id <> ''"
        if roll_id
        else "LEFT JOIN voters_voter v ON false"
    )
    rows = _fetch(
        f"""
        SELECT v.registrant_id IS NOT NULL, nullif(v.city_key, ''), nullif(v.zip5, ''),
               nullif(btrim(v.precinct), ''), v.attribute_set,
               -- what the line says, only where no voter matched (fewer groups)
               CASE WHEN v.registrant_id IS NULL THEN upper(btrim(l.city)) END,
               CASE WHEN v.registrant_id IS NULL THEN substring(btrim(l.zip) from '^[0-9]{{5}}')
               END, l.status, count(*)
        FROM petitions_line l {join}
        WHERE l.petition_id = %s AND l.status <> %s
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        """,  # noqa: S608 - fixed SQL; the partition name is an integer
        [petition_id, LineStatus.BLANK],
    )
    from voters.models import VoterAttributeSet

    districts: dict[int, dict[str, str]] = (
        dict(VoterAttributeSet.objects.filter(roll_id=roll_id).values_list("number", "attributes"))
        if roll_id else {}
    )  # fmt: skip
    columns = sorted({column for values in districts.values() for column in values or {}})
    dimensions: dict[str, dict[str | None, dict[str, int]]] = {
        dimension: {} for dimension in (*AREA_DIMENSIONS, *columns)
    }
    written = _WrittenCities()
    for matched, city, zip5, precinct, attribute_set, line_city, line_zip, status, n in rows:
        if matched and status == LineStatus.OUT_OF_JURISDICTION:
            # A voter registered outside the electorate (another district, city or county):
            # in no area of the petition's, so counted apart, never as an area of its own.
            keys: dict[str, str | None] = {}
        elif matched:
            keys = {"city": city, "zip": zip5, "precinct": precinct}
            for column, value in (districts.get(attribute_set) or {}).items():
                keys[column] = str(value or "").strip() or None
        else:
            keys = {"city": written.city(line_city), "zip": line_zip}
        for dimension, values in dimensions.items():
            counts = values.setdefault(keys.get(dimension), {})
            counts[status] = counts.get(status, 0) + n
    areas, unattributed = {}, {}
    for dimension, values in dimensions.items():
        apart = values.pop(None, {})
        if not values:  # a kind of area no line has (no roll: no precinct)
            continue
        areas[dimension] = sorted(
            (_area_rates(value, counts) for value, counts in values.items() if value is not None),
            key=lambda r: (-r["lines"], r["area"]),
        )[:SHOWN]
        unattributed[dimension] = _area_rates("", apart)
    return areas, unattributed


class _WrittenCities:
    """A city as written on a line, as the roll's city key: a county community or an
    unambiguous shortening as the city it is part of ("Van Nuys", "LA": LOS ANGELES)."""

    def __init__(self) -> None:
        from matching.addresses import city_key
        from matching.places import county_places

        self._key = city_key
        self._places = county_places(str(settings.MATCHING_PLACES))
        self._seen: dict[str | None, str | None] = {}

    def city(self, written: str | None) -> str | None:
        if written not in self._seen:
            key = self._key(written or "")
            if key in self._places.community_city:
                key = self._places.community_city[key]
            elif len(self._places.aliases.get(key, ())) == 1:
                key = next(iter(self._places.aliases[key]))
            self._seen[written] = key or None
        return self._seen[written]


def _area_rates(area: str, counts: dict[str, int]) -> AreaRates:
    rates = _rates(counts)
    return {"area": area, **rates,
            "validity_percent": _percent(rates["valid"], rates["decided"])}  # fmt: skip


def _percent(part: int, whole: int) -> float | None:
    """part of whole as a percentage to one decimal, rounded half up from the two counts
    themselves (937 of 1,126: 83.2), never from a rate already rounded."""
    if not whole:
        return None
    return float((Decimal(100 * part) / whole).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _calibrated(
    petition: Petition, by_status: dict[str, int], projected: int, held_key: str
) -> Any:
    """The projection calibrated against the registrar (petitions.selectors.calibration), which
    reads the registrar's results, whose comparison reads this module's figures: imported here."""
    from petitions.selectors.calibration import calibrated_projection

    return calibrated_projection(petition, by_status, projected, held_key)


class Filing(TypedDict):
    """Lines gathered, held and filed (blank ones aside), and their sections."""

    gathered: int
    held: int
    filed: int
    to_file: int  # gathered, neither held nor filed yet
    sections: int
    sections_held: int
    sections_filed: int
    last_filed_on: str | None


def filing(petition: Petition, progress: Progress) -> Filing:
    """The dashboard's filing panel: the headline's gathered and held lines, and one count of
    the lines on filed sections (an index-only range per section)."""
    rows = _fetch(
        """
        SELECT count(*), count(*) FILTER (WHERE held_at IS NOT NULL),
               count(*) FILTER (WHERE filed_on IS NOT NULL), max(filed_on),
               (SELECT count(*) FROM petitions_line l JOIN petitions_section f
                    ON f.id = l.section_id
                WHERE f.petition_id = %s AND f.filed_on IS NOT NULL AND l.status <> 'blank')
        FROM petitions_section WHERE petition_id = %s
        """,
        [petition.pk, petition.pk],
    )
    sections, held, filed, last, filed_lines = rows[0]
    gathered = progress["gathered"]
    return {
        "gathered": gathered,
        "held": progress["held"],
        "filed": int(filed_lines),
        "to_file": gathered - progress["held"] - int(filed_lines),
        "sections": sections,
        "sections_held": held,
        "sections_filed": filed,
        "last_filed_on": last.isoformat() if last else None,
    }
