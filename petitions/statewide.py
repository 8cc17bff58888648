"""A petition of several counties (a statewide one): each county verifies its own sections.

Each section is circulated in one county and filed with that county's elections official
(EC 11047), who takes its raw count and draws its own random sample (500 or 3%, EC 11225); the
Secretary of State sums the counties' projections against the one requirement (over 110%
qualifies, 95-110% means every signature is counted, under 95% fails). For a statewide officer
the petition must also hold signatures equal to 1% of the last vote for the office in each of at
least 5 counties (Const. art. II section 14(b)).

Counted with one GROUP BY over the petition's lines joined to their sections (by county and
status) and one over its duplicates: never a loop over lines. Computed by the scheduler every
few minutes (and on first use) and read from the cache, like the dashboard's breakdowns.
"""

import hashlib
import json
import math
from fractions import Fraction
from typing import Any, TypedDict

from django.db.models import Count
from django.utils import timezone

from petitions.counties import county_name
from petitions.holds import held_key
from petitions.models import Line, LineStatus, Petition, Section
from petitions.progress import (
    NO_LINES,
    NONE_DECIDED,
    PROJECTED,
    SIMULATION_DRAWS,
    _fetch,
    _percent,
    _split,
    population_of,
)
from petitions.sampling import (
    FULL_COUNT_FLOOR,
    SUFFICIENT_OVER,
    simulate_counties,
)
from recall.cache import forgiving_cache as cache

COUNTIES_TTL = 600  # seconds; the scheduler refreshes it every 5 minutes (refresh_breakdowns)
FIVE_COUNTIES = 5  # Const. art. II section 14(b): 1% of the last vote in each of 5 counties
ONE_PERCENT = Fraction(1, 100)


class CountyRow(TypedDict):
    county: str  # SoS code
    name: str
    sections: int
    raw: int
    decided: int
    valid: int
    validity_percent: float | None
    at_petition_rate: bool  # no line decided yet: projected at the whole petition's rate
    sample_size: int
    projected_valid: int
    projected_low: int
    projected_high: int
    share_percent: float | None  # of the counties' summed projection
    decides: bool
    # The five-county rule (None where the petition has no vote for the county)
    votes: int | None
    one_percent: int | None
    meets_valid: bool | None
    meets_projected: bool | None


class FiveCounty(TypedDict):
    applies: bool  # the petition has the office's last vote by county
    needed: int
    meeting_valid: int
    meeting_projected: int
    met_valid: bool
    met_projected: bool
    counties_without_votes: int  # of the electorate's


class CountiesVerdict(TypedDict):
    computed_at: str
    required: int
    rule: str
    rows: list[CountyRow]
    # Lines of sections with no county (none should exist: a section of such a petition must
    # name its county): no county verifies them, so they are left out of the sum.
    unassigned_lines: int
    unassigned_sections: int
    aggregate: dict[str, Any]
    five_county: FiveCounty


def is_multi_county(petition: Petition) -> bool:
    """Each county verifies on its own when the electorate spans more than one county."""
    return len(petition.electorate_counties or ()) > 1


def one_percent(votes: int) -> int:
    """Signatures equal to 1% of the vote, rounded up (none short of it)."""
    return math.ceil(votes * ONE_PERCENT)


def county_status_counts(petition_id: int) -> dict[str, dict[str, int]]:
    """{county code: {status: lines}} of the petition's lines by their section's county (held
    sections' aside: petitions.holds)."""
    counts: dict[str, dict[str, int]] = {}
    for county, status, n in _fetch(
        """
        SELECT s.county_code, l.status, count(*)
        FROM petitions_line l JOIN petitions_section s ON s.id = l.section_id
        WHERE l.petition_id = %s AND s.held_at IS NULL
        GROUP BY 1, 2
        """,
        [petition_id],
    ):
        counts.setdefault(county, dict.fromkeys(Line.Status.values, 0))[status] = int(n)
    return counts


def _county_repeats(petition_id: int) -> dict[str, dict[int, int]]:
    """{county: {m: voters with m lines}}: as progress._repeat_signers, by the sections' county
    (a voter's repeats are all in their own county's sections: elsewhere they are out of it)."""
    repeats: dict[str, dict[int, int]] = {}
    for county, m, n in _fetch(
        """
        SELECT county_code, m, count(*) FROM (
            SELECT s.county_code, l.voter_registrant_id, count(*) + 1 AS m
            FROM petitions_line l JOIN petitions_section s ON s.id = l.section_id
            WHERE l.petition_id = %s AND l.status = 'duplicate' AND l.voter_registrant_id <> ''
              AND s.held_at IS NULL
            GROUP BY 1, 2
        ) AS repeats GROUP BY 1, 2
        """,
        [petition_id],
    ):
        repeats.setdefault(county, {})[int(m)] = int(n)
    return repeats


def counties_verdict(
    petition: Petition, *, refresh: bool = False, held: str | None = None
) -> CountiesVerdict:
    """Every county's raw count, sample and projection, their sum's verdict, the deciding
    counties and the five-county rule (cached COUNTIES_TTL s; the key moves with the settings)."""
    settings_key = json.dumps(
        [petition.required_signatures, petition.sampling_rule, petition.county_votes,
         sorted(petition.electorate_counties or ())], sort_keys=True,
    )  # fmt: skip
    # A hold or release moves the counts (held: the held sections' key, if the caller has it).
    settings_key += f"|held:{held_key(petition) if held is None else held}"
    digest = hashlib.sha256(settings_key.encode()).hexdigest()[:16]
    key = f"petitions:counties:v1:{petition.pk}:{petition.created_at.timestamp()}:{digest}"
    cached: CountiesVerdict | None = None if refresh else cache.get(key)
    if cached is None:
        cached = _counties_verdict(petition)
        cache.set(key, cached, COUNTIES_TTL)
    return cached


def _counties_verdict(petition: Petition) -> CountiesVerdict:
    counts = county_status_counts(petition.pk)
    repeats = _county_repeats(petition.pk)
    sections = dict(
        Section.objects.filter(petition=petition)
        .values("county_code")
        .annotate(n=Count("id"))
        .values_list("county_code", "n")
    )
    empty = dict.fromkeys(Line.Status.values, 0)
    codes = sorted({*(petition.electorate_counties or ()), *counts, *sections} - {""})
    # A county with no line decided yet is projected at the whole petition's rate, as the
    # dashboard's own projection takes its pending lines (not as none valid).
    totals = {s: sum(by.get(s, 0) for by in counts.values()) for s in Line.Status.values}
    _, _, decided_total = _split(totals)
    repeat_total = sum((m - 1) * n for by in repeats.values() for m, n in by.items())
    rate = (totals[LineStatus.VALID] + repeat_total) / decided_total if decided_total else None
    populations = {c: population_of(counts.get(c, empty), repeats.get(c, {}), rate) for c in codes}
    rule, required = petition.sampling_rule, petition.required_signatures
    seed_text = repr((petition.pk, required, rule, SIMULATION_DRAWS,
                      [(c, p.raw, p.qualifying, sorted(p.repeats.items()))
                       for c, p in populations.items()]))  # fmt: skip
    seed = int.from_bytes(hashlib.sha256(seed_text.encode()).digest()[:8], "big")
    result = simulate_counties(populations, required, rule, SIMULATION_DRAWS, seed=seed)
    total = result.projected_valid
    votes: dict[str, int] = {str(c): int(v) for c, v in (petition.county_votes or {}).items()}
    deciding = set(result.deciding)
    rows: list[CountyRow] = []
    for code in codes:
        raw, _, decided = _split(counts.get(code, empty))
        valid = counts.get(code, empty)[LineStatus.VALID]
        sample = result.counties[code]
        need = one_percent(votes[code]) if code in votes else None
        rows.append({
            "county": code, "name": county_name(code), "sections": sections.get(code, 0),
            "raw": raw, "decided": decided, "valid": valid,
            "at_petition_rate": raw > 0 and not decided and rate is not None,
            "validity_percent": _percent(valid, decided),
            "sample_size": sample.sample_size, "projected_valid": sample.projected_valid,
            "projected_low": sample.projected_low, "projected_high": sample.projected_high,
            "share_percent": _percent(sample.projected_valid, total),
            "decides": code in deciding, "votes": votes.get(code), "one_percent": need,
            "meets_valid": None if need is None else valid >= need,
            "meets_projected": None if need is None else sample.projected_valid >= need,
        })  # fmt: skip
    rows.sort(key=lambda r: (-r["projected_valid"], -r["raw"], r["county"]))
    raw_all = sum(p.raw for p in populations.values())
    decided_all = sum(r["decided"] for r in rows)
    unassigned_raw, _, _ = _split(counts.get("", empty))
    sufficient_from = math.floor(required * SUFFICIENT_OVER) + 1  # "over 110%"
    full_count_from = math.ceil(required * FULL_COUNT_FLOOR[rule])
    meeting_valid = sum(1 for r in rows if r["meets_valid"])
    meeting_projected = sum(1 for r in rows if r["meets_projected"])
    return {
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "required": required,
        "rule": rule,
        "rows": rows,
        "unassigned_lines": unassigned_raw,
        "unassigned_sections": sections.get("", 0),
        "aggregate": {
            "state": NO_LINES if not raw_all else NONE_DECIDED if not decided_all else PROJECTED,
            "by_county": True,
            "counties": len(rows),
            "counties_at_petition_rate": sum(1 for r in rows if r["at_petition_rate"]),
            "sections": sum(r["sections"] for r in rows),
            "raw": raw_all,
            "valid": sum(r["valid"] for r in rows),
            "sample_size": sum(r["sample_size"] for r in rows),
            "projected_valid": total,
            "percent_of_required": round(100 * total / required, 1),
            "band": result.band,
            "probabilities": result.probabilities,
            "draws": result.draws,
            "projected_low": result.projected_low,
            "projected_high": result.projected_high,
            "deciding": result.deciding,
            "sufficient_from": sufficient_from,
            "full_count_from": full_count_from,
            "full_count_floor_percent": int(FULL_COUNT_FLOOR[rule] * 100),
            "to_sufficient": max(sufficient_from - total, 0),
            "to_full_count": max(full_count_from - total, 0),
            # What the sum may lose and keep its verdict (a deciding county projects more).
            "margin": (
                total - sufficient_from
                if total >= sufficient_from
                else total - full_count_from
                if total >= full_count_from
                else None
            ),
            "computed_at": timezone.now().isoformat(timespec="seconds"),
        },
        "five_county": {
            "applies": bool(votes),
            "needed": FIVE_COUNTIES,
            "meeting_valid": meeting_valid,
            "meeting_projected": meeting_projected,
            "met_valid": meeting_valid >= FIVE_COUNTIES,
            "met_projected": meeting_projected >= FIVE_COUNTIES,
            "counties_without_votes": sum(
                1 for c in petition.electorate_counties or () if c not in votes
            ),
        },
    }
