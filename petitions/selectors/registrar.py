"""Reads of the registrar's results beside ours: the latest result of each kind, our counts as
they stood on its date, the confusion matrix and our accuracy on a line-by-line result, the lines
where we differ by our reason, and the challenge list.

Our counts "as they stood" on a date: the tallies of the lines entered up to that day (by the
day they were entered), at their statuses now; a line decided since counts as decided now.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from petitions.models import (
    LineStatus,
    Petition,
    RegistrarCategory,
    RegistrarLine,
    RegistrarResult,
    RegistrarResultKind,
)
from petitions.progress import _split, population_of, status_counts
from petitions.registrar import DECIDED, Accuracy, accuracy, category_label
from petitions.review import agreement_marks
from petitions.sampling import band, projected_valid, simulate
from recall.cache import forgiving_cache as cache  # Redis unreachable: computed afresh
from recall.db_router import read_connection

SIMULATION_DRAWS = 400  # our own sample simulated for a date (the dashboard's takes 1,000)


def latest_registrar_result(petition: Petition, kind: str) -> RegistrarResult | None:
    """The result of this kind that counts: the latest by its date, then by its import."""
    return (
        RegistrarResult.objects.filter(petition=petition, kind=kind)
        .order_by("-as_of", "-imported_at", "-id")
        .first()
    )


def registrar_results(petition: Petition) -> list[RegistrarResult]:
    """Every import for the petition, latest first."""
    return list(
        RegistrarResult.objects.filter(petition=petition)
        .select_related("imported_by")
        .order_by("-as_of", "-imported_at", "-id")
    )


def _latest_lines_results(petitions: Iterable[Petition]) -> list[int]:
    ids = []
    for petition in petitions:
        result = latest_registrar_result(petition, RegistrarResultKind.LINES)
        if result is not None:
            ids.append(result.pk)
    return ids


def registrar_line_pairs(petitions: Iterable[Petition]) -> Iterator[tuple[int, str, str, str]]:
    """(line id, our status, our reason code, the registrar's category) for every line of the
    latest line-by-line result of each petition given; our reason code is the engine rule that
    decided the line (Line.reason["rule"]), "" where there is none. Streamed (a server-side
    cursor): a county petition's result has 700,000 lines."""
    ids = _latest_lines_results(petitions)
    return _pairs(ids) if ids else iter(())


def _pairs(result_ids: list[int]) -> Iterator[tuple[int, str, str, str]]:
    # A server-side cursor (Django's chunked cursor): rows come 10,000 at a time.
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            """
            SELECT l.id, l.status, coalesce(l.reason->>'rule', ''), r.category
            FROM petitions_registrarline r JOIN petitions_line l ON l.id = r.line_id
            WHERE r.result_id = ANY(%s) ORDER BY l.id
            """,
            [result_ids],
        )
        while rows := cursor.fetchmany(10_000):
            yield from rows


# --- our counts on a date ---------------------------------------------------------------------


def _repeat_signers_as_of(petition: Petition, day: date) -> dict[int, int]:
    """{m: voters with m lines} among the lines entered up to `day` (progress._repeat_signers
    on a date: each counted voter's line plus their duplicates)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT m, count(*) FROM (
                SELECT voter_registrant_id, count(*) + 1 AS m FROM petitions_line
                WHERE petition_id = %s AND status = 'duplicate' AND voter_registrant_id <> ''
                  AND (timezone(%s, entered_at))::date <= %s
                GROUP BY voter_registrant_id
            ) AS repeats GROUP BY m
            """,
            [petition.pk, settings.TIME_ZONE, day],
        )
        return {int(m): int(n) for m, n in cursor.fetchall()}


@dataclass
class Ours:
    """Our figures as they stood on a date."""

    day: date
    by_status: dict[str, int]
    raw: int
    undecided: int
    decided: int
    valid: int
    projected_valid: int  # valid, plus the undecided at the decided lines' rate
    sample_projected: int | None  # our lines through the registrar's formula (median draw)
    sample_low: int | None = None
    sample_high: int | None = None
    filed: int | None = None  # lines of the sections marked filed by that day (None: none is)


def ours_as_of(petition: Petition, day: date) -> Ours:
    by_status = status_counts(petition, up_to=day)  # the tallies are by day entered
    raw, undecided, decided = _split(by_status)
    valid = by_status[LineStatus.VALID]
    projected = valid + round(undecided * valid / decided) if decided else valid
    ours = Ours(day, by_status, raw, undecided, decided, valid, projected, None,
                filed=_filed_lines(petition, day))  # fmt: skip
    if decided:
        population = population_of(by_status, _repeat_signers_as_of(petition, day))
        rule = petition.sampling_rule
        seed = population.seed(petition.pk, day.isoformat())
        simulation = simulate(
            population, petition.required_signatures, rule, SIMULATION_DRAWS, seed=seed
        )
        ours.sample_projected = simulation.projected_valid
        ours.sample_low, ours.sample_high = simulation.projected_low, simulation.projected_high
    return ours


def _filed_lines(petition: Petition, day: date) -> int | None:
    """The lines (blank ones aside) of the sections marked filed on or before `day`: what the
    registrar's raw count should match; None when no section is marked filed by then."""
    with read_connection().cursor() as cursor:
        cursor.execute(
            """
            SELECT count(DISTINCT s.id), count(l.id) FILTER (WHERE l.status <> 'blank')
            FROM petitions_section s LEFT JOIN petitions_line l ON l.section_id = s.id
            WHERE s.petition_id = %s AND s.filed_on <= %s
            """,
            [petition.pk, day],
        )
        sections, lines = cursor.fetchone() or (0, 0)
    return int(lines) if sections else None


# --- beside ours, by category ----------------------------------------------------------------


@dataclass
class CategoryRow:
    category: str
    label: str
    registrar: int | None  # the registrar's lines in this category (sample or full count)
    registrar_share: float | None
    scaled: int | None  # a sample's count scaled to the raw count (N / s)
    ours: int | None  # our lines of this status on the date (None: a category we never decide)
    ours_share: float | None


@dataclass
class Beside:
    """One of the registrar's results (sample or full count) beside our figures of its date."""

    result: RegistrarResult
    ours: Ours
    rows: list[CategoryRow]
    total: int  # the sample's size, or the full count's lines
    raw: int  # the raw count it is taken against (the registrar's, else ours)
    raw_from_registrar: bool = False
    projection: int | None = None  # CCR 20540 from the sample
    verdict: str | None = None  # sufficient / full_count / insufficient
    problem: str = ""  # why there is no projection


NEVER_OURS = {RegistrarCategory.SIGNATURE_MISMATCH, RegistrarCategory.OTHER}


def _beside(
    petition: Petition,
    result: RegistrarResult,
    raw_result: RegistrarResult | None,
) -> Beside:
    ours = ours_as_of(petition, result.as_of)
    counts = {k: int(v) for k, v in (result.counts or {}).items()}
    total = sum(counts.values())
    raw = raw_result.raw_count if raw_result is not None else None
    beside = Beside(
        result,
        ours,
        [],
        total,
        raw if raw is not None else ours.raw,
        raw_from_registrar=raw is not None,
    )
    # A sample's counts scaled to the registrar's raw count (none without it: ours is not its).
    sampled = result.kind == RegistrarResultKind.SAMPLE and total and raw is not None
    scale = beside.raw / total if sampled else None
    for category in RegistrarCategory:
        n = counts.get(category.value, 0)
        mine = None if category in NEVER_OURS else ours.by_status.get(category.value, 0)
        beside.rows.append(
            CategoryRow(
                category=category.value,
                label=str(category.label),
                registrar=n,
                registrar_share=n / total if total else None,
                scaled=round(n * scale) if scale is not None else None,
                ours=mine,
                ours_share=mine / ours.raw if mine is not None and ours.raw else None,
            )
        )
    if result.kind == RegistrarResultKind.SAMPLE:
        # The file's rows share the sample out, so its duplicates are not among its "Valid";
        # CCR 20540's v counts every valid signature, the duplicates found in the sample too
        # (v >= d), and takes them out again as D_est.
        duplicates = counts.get("duplicate", 0)
        valid = counts.get("valid", 0) + duplicates
        if raw is None:
            beside.problem = "no_raw"
        else:
            try:
                beside.projection = projected_valid(
                    raw=raw, sample=total, valid=valid, duplicates=duplicates
                )
            except ValueError:
                beside.problem = "not_a_sample"  # larger than the raw count
            else:
                beside.verdict = band(
                    beside.projection, petition.required_signatures, petition.sampling_rule
                )
    elif result.kind == RegistrarResultKind.FULL:
        beside.verdict = (
            "sufficient"
            if counts.get("valid", 0) >= petition.required_signatures
            else "insufficient"
        )
    return beside


@dataclass
class Comparison:
    raw: RegistrarResult | None
    raw_ours: Ours | None
    sample: Beside | None
    full: Beside | None
    lines: RegistrarResult | None
    matrix: "Matrix | None" = None
    differing: list["ReasonGroup"] = field(default_factory=list)
    line_figures_at: str = ""  # when the matrix and the differing lines were counted


# The matrix and the differing lines count every line of a result (about 8 s at 700,000): kept a
# few minutes per result. After filing our statuses change little; the page says as of when.
LINE_FIGURES_TTL = 300


def line_figures(result: RegistrarResult) -> tuple["Matrix", list["ReasonGroup"], str]:
    """A line-by-line result's confusion matrix and differing lines (cached LINE_FIGURES_TTL s;
    no signer's name in them)."""
    key = f"petitions:registrar:lines:v1:{result.pk}:{result.imported_at.timestamp()}"
    cached = cache.get(key)
    if cached is None:
        cached = (
            confusion_matrix(result),
            differing_by_reason(result),
            timezone.now().isoformat(timespec="seconds"),
        )
        cache.set(key, cached, LINE_FIGURES_TTL)
    return cached


def registrar_comparison(petition: Petition) -> Comparison:
    """The latest raw count, sample and full count beside our figures of their dates, and the
    latest line-by-line result's confusion matrix, accuracy and differing lines."""
    raw = latest_registrar_result(petition, RegistrarResultKind.RAW)
    sample = latest_registrar_result(petition, RegistrarResultKind.SAMPLE)
    full = latest_registrar_result(petition, RegistrarResultKind.FULL)
    lines = latest_registrar_result(petition, RegistrarResultKind.LINES)
    comparison = Comparison(
        raw=raw,
        raw_ours=ours_as_of(petition, raw.as_of) if raw else None,
        sample=_beside(petition, sample, raw) if sample else None,
        full=_beside(petition, full, raw) if full else None,
        lines=lines,
    )
    if lines is not None:
        comparison.matrix, comparison.differing, comparison.line_figures_at = line_figures(lines)
    return comparison


# --- line by line ------------------------------------------------------------------------------

# Our statuses as the matrix's columns: the decided ones in the registrar's order, then ours alone.
MATRIX_STATUSES = (
    *(c.value for c in RegistrarCategory if c.value in DECIDED),
    LineStatus.PENDING.value,
    LineStatus.NEEDS_REVIEW.value,
    LineStatus.BLANK.value,
)


@dataclass
class Matrix:
    """The registrar's categories (rows) against our statuses (columns)."""

    cells: dict[tuple[str, str], int]
    categories: list[str]  # rows with lines, the registrar's order
    statuses: list[str]  # columns with lines, our order
    accuracy: Accuracy

    def table(self) -> list[tuple[str, list[tuple[str, int, bool]], int]]:
        """(category's name, [(status, lines, agrees)], row total) for the template."""
        return [
            (
                category_label(category),
                [(s, self.cells.get((category, s), 0), s == category) for s in self.statuses],
                sum(self.cells.get((category, s), 0) for s in self.statuses),
            )
            for category in self.categories
        ]

    def column_totals(self) -> list[int]:
        return [sum(self.cells.get((c, s), 0) for c in self.categories) for s in self.statuses]


def confusion_matrix(result: RegistrarResult) -> Matrix:
    rows = (
        RegistrarLine.objects.filter(result=result)
        .values("category", "line__status")
        .annotate(n=Count("id"))  # grouped by both: one aggregate query
        .values_list("category", "line__status", "n")
        .order_by()
    )
    cells = {(category, status): int(n) for category, status, n in rows}
    categories = [c.value for c in RegistrarCategory if any(k[0] == c.value for k in cells)]
    statuses = [s for s in MATRIX_STATUSES if any(k[1] == s for k in cells)]
    return Matrix(cells, categories, statuses, accuracy(cells))


@dataclass
class DifferingLine:
    line_id: int
    serial: int
    number: int
    status: str
    category: str
    written: str
    summary: str

    @property
    def category_label(self) -> str:
        return category_label(self.category)


@dataclass
class ReasonGroup:
    rule: str
    lines: int
    pairs: list[tuple[str, str, int]]  # (our status, registrar's category, lines), most first
    shown: list[DifferingLine]

    @property
    def pair_labels(self) -> list[tuple[str, str, int]]:
        """The pairs with the registrar's category by name, for the page."""
        return [(status, category_label(category), n) for status, category, n in self.pairs]


DIFFERING_SHOWN = 25  # lines listed under each reason


def differing_by_reason(result: RegistrarResult) -> list[ReasonGroup]:
    """The lines whose status is not the registrar's category, grouped by the rule that decided
    them (most lines first), with the first DIFFERING_SHOWN lines of each in paper order."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT coalesce(l.reason->>'rule', ''), l.status, r.category, count(*)
            FROM petitions_registrarline r JOIN petitions_line l ON l.id = r.line_id
            WHERE r.result_id = %s AND l.status <> r.category
            GROUP BY 1, 2, 3
            """,
            [result.pk],
        )
        pairs = cursor.fetchall()
        cursor.execute(
            """
            SELECT rule, line_id, serial, number, status, category, written, summary FROM (
                SELECT coalesce(l.reason->>'rule', '') AS rule, l.id AS line_id, s.serial,
                       l.number, l.status, r.category, r.written,
                       coalesce(l.reason->>'summary', '') AS summary,
                       row_number() OVER (PARTITION BY coalesce(l.reason->>'rule', '')
                                          ORDER BY s.serial, l.number) AS nth
                FROM petitions_registrarline r
                JOIN petitions_line l ON l.id = r.line_id
                JOIN petitions_section s ON s.id = l.section_id
                WHERE r.result_id = %s AND l.status <> r.category
            ) AS ranked WHERE nth <= %s ORDER BY serial, number
            """,
            [result.pk, DIFFERING_SHOWN],
        )
        shown = cursor.fetchall()
    groups: dict[str, ReasonGroup] = {}
    for rule, status, category, n in pairs:
        group = groups.setdefault(rule, ReasonGroup(rule, 0, [], []))
        group.lines += n
        group.pairs.append((status, category, n))
    for rule, *values in shown:
        groups[rule].shown.append(DifferingLine(*values))
    for group in groups.values():
        group.pairs.sort(key=lambda p: (-p[2], p[0], p[1]))
    return sorted(groups.values(), key=lambda g: (-g.lines, g.rule))


# --- the challenge list ------------------------------------------------------------------------

STRONG_CANDIDATE = 0.85  # matching.compare.MATCH: a person match, left to review by a tie
MARK_POINTS = {"agree": 1.0, "partial": 0.5, "differs": 0.0}


@dataclass
class Challenge:
    """A line the registrar rejected that our evidence says is valid."""

    rank: int
    line_id: int
    serial: int
    number: int
    printed_name: str
    residence_address: str
    city: str
    zip: str
    status: str  # ours: valid, or needs review with a strong candidate
    category: str  # the registrar's
    written: str  # the registrar's name for it, as in its file
    voter: dict[str, Any]  # the candidate: voter_id, name, address, city, registration
    marks: dict[str, str]  # name, address, city: agree / partial / differs
    score: float
    strength: int  # 0-100: our score and the field agreements
    summary: str
    refs: dict[str, Any]

    @property
    def category_label(self) -> str:
        return category_label(self.category)


def challenge_list(petition: Petition, result: RegistrarResult | None = None) -> list[Challenge]:
    """The lines of the latest line-by-line result the registrar rejected while we found them
    valid, or found a strong candidate for (a person match left to review), strongest first:
    our valid decisions before candidates, signature mismatches (which our evidence cannot speak
    to) after the other rejections, then by strength (half our score, half the share of
    name, address and city that agree). Ties in paper order. `rank` numbers them."""
    result = result or latest_registrar_result(petition, RegistrarResultKind.LINES)
    if result is None:
        return []
    rows = (
        RegistrarLine.objects.filter(result=result)
        .exclude(category=RegistrarCategory.VALID)
        .filter(line__status__in=[LineStatus.VALID, LineStatus.NEEDS_REVIEW])
        .values_list(
            "line_id",
            "line__section__serial",
            "line__number",
            "line__printed_name",
            "line__residence_address",
            "line__city",
            "line__zip",
            "line__status",
            "category",
            "written",
            "line__score",
            "line__voter_registrant_id",
            "line__reason",
        )
    )
    found: list[Challenge] = []
    for (
        line_id,
        serial,
        number,
        name,
        address,
        city,
        zip_code,
        status,
        category,
        written,
        score,
        voter_id,
        reason,
    ) in rows:
        reason = reason or {}
        candidates = reason.get("candidates") or []
        voter = next(
            (c for c in candidates if voter_id and c.get("voter_id") == voter_id),
            candidates[0] if candidates else {},
        )
        person = float(
            score if score is not None and status == LineStatus.VALID else voter.get("score") or 0
        )
        if status == LineStatus.NEEDS_REVIEW and (not voter or person < STRONG_CANDIDATE):
            continue
        marks = (
            agreement_marks(voter.get("fields", {}))
            if voter
            else {"name": "differs", "address": "differs", "city": "differs"}
        )
        agreement = sum(MARK_POINTS[m] for m in marks.values()) / len(marks)
        found.append(
            Challenge(
                rank=0,
                line_id=line_id,
                serial=serial,
                number=number,
                printed_name=name,
                residence_address=address,
                city=city,
                zip=zip_code,
                status=status,
                category=category,
                written=written,
                voter={
                    k: voter.get(k, "")
                    for k in ("voter_id", "name", "address", "city", "registration")
                },
                marks=marks,
                score=round(person, 3),
                strength=round(100 * (0.5 * min(person, 1.0) + 0.5 * agreement)),
                summary=reason.get("summary", ""),
                refs=reason.get("refs") or {},
            )
        )
    # A signature the registrar found not matching is a question our evidence cannot answer
    # (a campaign has no signature images): such lines come after those it rejected otherwise.
    found.sort(
        key=lambda c: (c.status != LineStatus.VALID,
                       c.category == RegistrarCategory.SIGNATURE_MISMATCH,
                       -c.strength, -c.score, c.serial, c.number)
    )  # fmt: skip
    for rank, challenge in enumerate(found, start=1):
        challenge.rank = rank
    return found


def challenges_by_section(challenges: list[Challenge]) -> list[tuple[int, list[Challenge]]]:
    """The challenge list grouped by section (as the examination goes through the sections):
    the section of the strongest line first, each section's lines strongest first."""
    sections: dict[int, list[Challenge]] = {}
    for challenge in challenges:  # already by rank: each section's first is its strongest
        sections.setdefault(challenge.serial, []).append(challenge)
    return list(sections.items())


CHALLENGE_HEADER = (
    "rank",
    "section",
    "line",
    "printed_name",
    "residence_address",
    "city",
    "zip",
    "registrar_category",
    "registrar_wrote",
    "our_status",
    "voter_id",
    "voter_name",
    "voter_address",
    "voter_city",
    "name_agrees",
    "address_agrees",
    "city_agrees",
    "score",
    "strength",
    "reason",
)


def challenge_rows(challenges: list[Challenge]) -> Iterator[tuple[Any, ...]]:
    """The challenge list as CSV rows, grouped by section as the page shows it."""
    yield CHALLENGE_HEADER
    for _serial, lines in challenges_by_section(challenges):
        for c in lines:
            yield (
                c.rank,
                c.serial,
                c.number,
                c.printed_name,
                c.residence_address,
                c.city,
                c.zip,
                c.category,
                c.written,
                c.status,
                c.voter["voter_id"],
                c.voter["name"],
                c.voter["address"],
                c.voter["city"],
                c.marks["name"],
                c.marks["address"],
                c.marks["city"],
                f"{c.score:.3f}",
                c.strength,
                c.summary,
            )
