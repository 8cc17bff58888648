"""Reads for the calibration against the registrar: which line-level results calibrate a
petition, the fit, the calibrated projection for the dashboard and the calibration curve.

The fit's math is petitions/calibration.py (pure); this module fetches its data. A petition is
calibrated on the line-level results of the petitions of its county (the same registrar decides
them all: a district recall and the county's own are checked by one office), itself included;
a petition of several counties on those of the same counties.
"""

import hashlib
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from petitions.calibration import (
    Calibration,
    CurvePoint,
    curve,
    fit,
    project,
    simulate_calibrated,
    spread_between,
)
from petitions.models import LineStatus, Petition, RegistrarResult, RegistrarResultKind

# h3's selectors (SPEC22) replace these stand-ins at merge: this is their one import.
from petitions.selectors.registrar import latest_registrar_result, registrar_line_pairs
from recall.cache import forgiving_cache as cache
from recall.db_router import read_connection

CALIBRATED_TTL = 60  # seconds a calibrated projection is reused
FIT_TTL = 3600  # seconds a county's fit is kept (a new result changes its key)
VERDICT_DRAWS = 1000


def _same_registrar(petition: Petition, prefix: str = "") -> Q:
    """The petitions decided by the same registrar(s): a petition of one county, those of its
    county (the county's own recall and its districts' and cities'); a petition of several
    counties, those of the same counties (each county's registrar checks its sections)."""
    counties = sorted(petition.electorate_counties or ())
    if len(counties) > 1:
        return Q(**{f"{prefix}electorate_counties": counties})
    single = Q(**{f"{prefix}electorate_counties__len__lte": 1})
    return single & Q(**{f"{prefix}county_code": petition.county_code})


def calibration_pool(petition: Petition) -> list[Petition]:
    """The petitions whose line-level results calibrate this one: those of the same
    registrar (its own included) with a line-level result, oldest first."""
    return list(
        Petition.objects.filter(
            _same_registrar(petition), registrar_results__kind=RegistrarResultKind.LINES
        )
        .distinct()
        .order_by("created_at", "pk")
    )


def calibration_pairs(petitions: list[Petition]) -> list[tuple[str, str, bool]]:
    """(our status, our reason rule, valid for the registrar) for each line of the latest
    line-level result of each petition."""
    return [
        (status, rule, category == "valid")
        for _, status, rule, category in registrar_line_pairs(petitions)
    ]


def pool_calibration(petitions: list[Petition]) -> Calibration:
    """The fit on these petitions' line-level results, with how much their shares differ from
    one petition to the next (petitions.calibration.spread_between)."""
    per_petition = [calibration_pairs([p]) for p in petitions]
    calibration = fit(pair for rows in per_petition for pair in rows)
    return replace(calibration, spread=spread_between(per_petition))


def petition_calibration(petition: Petition) -> Calibration | None:
    """The fit on the same registrar's line-level results; None where there are none."""
    pool = calibration_pool(petition)
    return pool_calibration(pool) if pool else None


def line_cells(petition: Petition) -> dict[tuple[str, str], int]:
    """The petition's lines (blank ones aside, and those of held sections) by (status, reason
    rule or "")."""
    with read_connection().cursor() as cursor:
        cursor.execute(
            """
            SELECT l.status, coalesce(l.reason->>'rule', ''), count(*) FROM petitions_line l
            JOIN petitions_section s ON s.id = l.section_id
            WHERE l.petition_id = %s AND l.status <> %s AND s.held_at IS NULL GROUP BY 1, 2
            """,
            [petition.pk, LineStatus.BLANK],
        )
        return {(status, rule): int(n) for status, rule, n in cursor.fetchall()}


def _county_fit(petition: Petition, newest: int, results: int) -> tuple[Calibration, list[str]]:
    """The fit on the county's line-level results and the petitions behind it, cached until a
    result is added (results are kept, never changed: the newest and their number say which)."""
    counties = ",".join(sorted(petition.electorate_counties or ())) or petition.county_code
    key = f"petitions:calibration-fit:v3:{counties}:{newest}:{results}"
    cached: tuple[Calibration, list[str]] | None = cache.get(key)
    if cached is None:
        pool = calibration_pool(petition)
        cached = (pool_calibration(pool), [p.slug for p in pool])
        cache.set(key, cached, FIT_TTL)
    return cached


def calibrated_projection(
    petition: Petition, by_status: dict[str, int], uncalibrated: int, held_key: str = ""
) -> dict[str, Any] | None:
    """The dashboard's calibrated figures (None when no petition of the county has line-level
    results, or this one has no line): the projection with its band, our uncalibrated
    projection beside it, and the simulated verdict drawn on calibrated lines (a one-county
    petition). Cached briefly, as the simulated verdict is: its lines are counted by status and
    rule, every line read."""
    if not any(n for status, n in by_status.items() if status != LineStatus.BLANK):
        return None  # no line to project
    results = RegistrarResult.objects.filter(
        _same_registrar(petition, "petition__"), kind=RegistrarResultKind.LINES
    ).aggregate(newest=Max("pk"), results=Count("pk"))
    if not results["results"]:
        return None
    key = f"petitions:calibrated:v2:{petition.pk}:{petition.created_at.timestamp()}"
    key = f"{key}:{results['newest']}" + (f":held:{held_key}" if held_key else "")
    cached: dict[str, Any] | None = cache.get(key)
    if cached is not None:
        return cached
    calibration, pool = _county_fit(petition, results["newest"], results["results"])
    cells = line_cells(petition)
    # The same lines and results give the same draws (as the simulated verdict's seed does).
    text = repr((petition.pk, results["newest"], sorted(cells.items())))
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")
    projection = project(calibration, cells, seed=seed)
    verdict = None
    if len(petition.electorate_counties or ()) <= 1 and projection.lines:
        from petitions.progress import registrar_population  # (it imports this module)

        repeats = registrar_population(petition, by_status).repeats
        verdict = asdict(
            simulate_calibrated(
                calibration,
                cells,
                repeats,
                petition.required_signatures,
                petition.sampling_rule,
                draws=VERDICT_DRAWS,
                seed=seed,
            )
        )
    calibrated = {
        "projected_valid": projection.projected,
        "low": projection.low,
        "high": projection.high,
        "uncalibrated": uncalibrated,
        "difference": projection.projected - uncalibrated,
        "lines_behind": calibration.lines,
        "petitions": pool,
        "verdict": verdict,
        "computed_at": timezone.now().isoformat(timespec="seconds"),
    }
    cache.set(key, calibrated, CALIBRATED_TTL)
    return calibrated


@dataclass(frozen=True)
class CellRow:
    status: str
    rule: str
    lines: int
    valid: int
    observed: float | None
    calibrated: float
    sd: float
    ours: int  # this petition's lines in the cell


@dataclass(frozen=True)
class CurvePage:
    # each petition, its lines with a registrar's decision, and the date of that result
    pool: list[tuple[Petition, int, date | None]]
    lines: int
    held_out: bool  # each petition's points predicted by a fit on the others
    points: list[CurvePoint]
    cells: list[CellRow]


def calibration_curve(petition: Petition) -> CurvePage:
    """The calibration page: our predicted probability of valid (binned) against the
    registrar's share valid, with the lines behind each point, and the fitted cells.

    With two or more petitions in the county's pool, each petition's lines are predicted by a
    fit on the others (held out, what the fit is worth on a new petition); with one, by the fit
    on its own lines (in-sample: the curve then says only how the shares were pooled)."""
    pool = calibration_pool(petition)
    by_petition = {p.pk: calibration_pairs([p]) for p in pool}
    held_out = len(pool) >= 2
    predictions: list[tuple[float, bool]] = []
    for p in pool:
        others = [pair for pk, rows in by_petition.items() if pk != p.pk for pair in rows]
        calibration = fit(others if held_out else by_petition[p.pk])
        predictions.extend(
            (calibration.probability(status, rule), valid)
            for status, rule, valid in by_petition[p.pk]
        )
    everything = fit(pair for rows in by_petition.values() for pair in rows)
    ours = line_cells(petition)
    cells = [
        CellRow(
            cell.status,
            cell.rule,
            cell.lines,
            cell.valid,
            cell.observed,
            cell.mean,
            cell.sd,
            ours.get((cell.status, cell.rule), 0),
        )
        for cell in sorted(everything.rules.values(), key=lambda c: (-c.lines, c.status, c.rule))
    ]
    return CurvePage(
        pool=[(p, len(by_petition[p.pk]), _as_of(p)) for p in pool],
        lines=everything.lines,
        held_out=held_out,
        points=curve(predictions),
        cells=cells,
    )


def _as_of(petition: Petition) -> date | None:
    result = latest_registrar_result(petition, RegistrarResultKind.LINES)
    return result.as_of if result else None


__all__ = [
    "calibrated_projection",
    "calibration_curve",
    "calibration_pairs",
    "calibration_pool",
    "line_cells",
    "petition_calibration",
    "pool_calibration",
]
