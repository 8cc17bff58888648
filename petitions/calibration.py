"""Calibration against the registrar: how often each of our decisions turns out valid for it.

Pure Python and numpy, no Django (the data comes from petitions.selectors.calibration). From
line-level results (our status and reason rule for a line, the registrar's category for it) we
fit, for each status, the share of its lines the registrar found valid, and, within a status,
the same share for each reason rule, shrunk toward the status's share (partial pooling: a rule
seen on few lines says little of its own):

    status s:       p_s ~ Beta(a0 mu_s + k_s, a0 (1 - mu_s) + n_s - k_s)
    rule r of s:    p_sr ~ Beta(m p_s + k_sr, m (1 - p_s) + n_sr - k_sr),  m = min(M, a0 + n_s)

mu_s is what our status says on its face (valid: nearly always valid; any other: nearly never;
needs review: a coin), a0 the weight of that belief in lines, M the most a status's share weighs
in a rule's (n lines valid k of them). With no data, a status keeps its face value (the
dashboard shows no calibrated figure until some line-level result exists).

The projection is the sum over our lines of their cells' probabilities; its band comes from
drawing the cells' probabilities from their posteriors, shifted as far as the petitions in the
data differ cell by cell beyond chance (spread_between), and each
line's outcome from them (our own uncertainty), and, for the simulated verdict, the
registrar's random sample on top.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from petitions.sampling import (
    BANDS,
    INSUFFICIENT,
    SUFFICIENT,
    band,
    duplicates_found,
    projected_valid_many,
    sample_size,
)

VALID = "valid"
PENDING = "pending"
NEEDS_REVIEW = "needs_review"
# What a status says on its face: the share of its lines valid for the registrar before any data.
FACE_VALID = 0.98
FACE_INVALID = 0.02
FACE_REVIEW = 0.5
STATUS_PRIOR_LINES = 4.0  # a0: the face value weighs as much as this many lines
RULE_PRIOR_LINES = 30.0  # M: a status's share weighs at most this much in one of its rules
DRAWS = 2000
BAND_LEVEL = 0.90  # the band: the middle 90% of the draws


def face_value(status: str) -> float:
    """What our status says of a line's chance to be valid, before any registrar's result."""
    if status == VALID:
        return FACE_VALID
    if status == NEEDS_REVIEW:
        return FACE_REVIEW
    return FACE_INVALID


@dataclass(frozen=True)
class Cell:
    """One of our decisions (a status, or a status and a rule) and its posterior share valid:
    Beta(alpha, beta) from `lines` registrar's decisions, `valid` of them valid."""

    status: str
    rule: str
    lines: int
    valid: int
    alpha: float
    beta: float

    @property
    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    @property
    def sd(self) -> float:
        a, b = self.alpha, self.beta
        return math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))

    @property
    def observed(self) -> float | None:
        """The registrar's share valid on these lines, as it was (None without any)."""
        return self.valid / self.lines if self.lines else None


@dataclass(frozen=True)
class Calibration:
    """The fitted shares: by status, and by status and rule (only cells with data)."""

    statuses: dict[str, Cell]
    rules: dict[tuple[str, str], Cell]
    lines: int = 0
    # Per (status, rule), how far its share valid differs from one petition to the next beyond
    # chance (a standard deviation, spread_between): a new petition's lines may sit anywhere in
    # it (the mix of lines behind one of our decisions varies by petition).
    spread: dict[tuple[str, str], float] = field(default_factory=dict)

    def status_cell(self, status: str) -> Cell:
        cell = self.statuses.get(status)
        if cell is not None:
            return cell
        face = face_value(status)
        return Cell(status, "", 0, 0, STATUS_PRIOR_LINES * face, STATUS_PRIOR_LINES * (1 - face))

    def cell(self, status: str, rule: str) -> Cell:
        """The posterior for lines of this status and rule (a rule never seen: the status's
        share, as wide as a rule's prior allows)."""
        found = self.rules.get((status, rule))
        if found is not None:
            return found
        return _rule_cell(self.status_cell(status), rule, 0, 0)

    def probability(self, status: str, rule: str) -> float:
        return self.cell(status, rule).mean

    def has_data(self, status: str) -> bool:
        return status in self.statuses


def _rule_cell(parent: Cell, rule: str, lines: int, valid: int) -> Cell:
    weight = min(RULE_PRIOR_LINES, parent.alpha + parent.beta)
    p = parent.mean
    return Cell(
        parent.status, rule, lines, valid,
        weight * p + valid, weight * (1 - p) + lines - valid,
    )  # fmt: skip


def fit(pairs: Iterable[tuple[str, str, bool]]) -> Calibration:
    """Fit on (our status, our reason rule, valid for the registrar) for each line."""
    by_status: dict[str, list[int]] = {}
    by_rule: dict[tuple[str, str], list[int]] = {}
    total = 0
    for status, rule, valid in pairs:
        total += 1
        for counts in (
            by_status.setdefault(status, [0, 0]),
            by_rule.setdefault((status, rule or ""), [0, 0]),
        ):
            counts[0] += 1
            counts[1] += int(valid)
    statuses = {}
    for status, (n, k) in by_status.items():
        face = face_value(status)
        statuses[status] = Cell(
            status, "", n, k,
            STATUS_PRIOR_LINES * face + k, STATUS_PRIOR_LINES * (1 - face) + n - k,
        )  # fmt: skip
    rules = {
        (status, rule): _rule_cell(statuses[status], rule, n, k)
        for (status, rule), (n, k) in by_rule.items()
    }
    return Calibration(statuses, rules, total)


MIN_PETITIONS_FOR_SPREAD = 3


def spread_between(
    petitions: Iterable[Iterable[tuple[str, str, bool]]],
) -> dict[tuple[str, str], float]:
    """Per (status, rule), the standard deviation of its share valid between petitions beyond
    what chance explains: the method-of-moments estimate of a random effect (DerSimonian and
    Laird's, for proportions), from each petition's (status, rule, valid) lines; none for a
    cell seen in fewer than MIN_PETITIONS_FOR_SPREAD petitions.

    With n_j lines, k_j valid, in petition j and p the pooled share: Q = sum n_j (k_j/n_j - p)^2
    is (J - 1) p (1 - p) by chance alone; what exceeds it, over sum n_j - sum n_j^2 / sum n_j,
    is the between-petition variance."""
    groups: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for rows in petitions:
        counts: dict[tuple[str, str], list[int]] = {}
        for status, rule, valid in rows:
            c = counts.setdefault((status, rule or ""), [0, 0])
            c[0] += 1
            c[1] += int(valid)
        for key, (n, k) in counts.items():
            groups.setdefault(key, []).append((n, k))
    spread = {}
    for key, found in groups.items():
        if len(found) < MIN_PETITIONS_FOR_SPREAD:
            continue
        total = sum(n for n, _ in found)
        p = sum(k for _, k in found) / total
        q = sum(n * (k / n - p) ** 2 for n, k in found)
        weight = total - sum(n * n for n, _ in found) / total
        excess = q - (len(found) - 1) * p * (1 - p)
        if weight > 0 and excess > 0:
            spread[key] = math.sqrt(excess / weight)
    return spread


# -- The projection ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """Calibrated projected valid lines: the sum of the lines' probabilities, and the band that
    our uncertainty gives it (the middle BAND_LEVEL of the draws)."""

    projected: int
    low: int
    high: int
    lines: int  # the lines projected
    draws: int


def _undecided(status: str, calibration: Calibration) -> bool:
    """Pending lines, and lines in review where no result says what review lines become, take
    the share of the decided ones (as the uncalibrated projection does)."""
    return status == PENDING or (status == NEEDS_REVIEW and not calibration.has_data(status))


def _draw_valid(
    calibration: Calibration,
    counts: Mapping[tuple[str, str], int],
    draws: int,
    rng: np.random.Generator,
) -> tuple[npt.NDArray[np.float64], float, npt.NDArray[np.float64]]:
    """Per draw, the valid lines among these (decided, then undecided at the decided share);
    the expectation; per draw, the share of our valid lines that are valid (for the repeats)."""
    valid = np.zeros(draws)
    decided_lines = 0
    expected = 0.0
    undecided = 0
    status_draws: dict[str, npt.NDArray[np.float64]] = {}
    for (status, rule), n in sorted(counts.items()):
        if n <= 0:
            continue
        if _undecided(status, calibration):
            undecided += n
            continue
        parent = calibration.status_cell(status)
        if status not in status_draws:
            # (a small Beta's draw can round to exactly 0 or 1, which no Beta takes as a mean)
            status_draws[status] = np.clip(
                rng.beta(parent.alpha, parent.beta, size=draws), 1e-9, 1 - 1e-9
            )
        p_s = status_draws[status]
        cell = calibration.rules.get((status, rule))
        lines, k = (cell.lines, cell.valid) if cell else (0, 0)
        weight = min(RULE_PRIOR_LINES, parent.alpha + parent.beta)
        p = rng.beta(weight * p_s + k, weight * (1 - p_s) + lines - k)
        spread = calibration.spread.get((status, rule))
        if spread:  # this petition's own share, somewhere among the petitions' shares
            p = np.clip(p + rng.normal(0, spread, size=draws), 0, 1)
        valid += rng.binomial(n, p)
        expected += n * calibration.probability(status, rule)
        decided_lines += n
    share = valid / decided_lines if decided_lines else np.zeros(draws)
    if undecided:
        valid += rng.binomial(undecided, np.clip(share, 0, 1))
        expected += undecided * (expected / decided_lines if decided_lines else 0.0)
    valid_share = status_draws.get(VALID)
    if valid_share is None:
        valid_share = np.full(draws, calibration.status_cell(VALID).mean)
    return valid, expected, valid_share


def project(
    calibration: Calibration,
    counts: Mapping[tuple[str, str], int],
    *,
    draws: int = DRAWS,
    seed: int = 0,
) -> Projection:
    """Calibrated projected valid for lines counted by (our status, rule): the expectation, and
    the band from the posteriors (each cell's share drawn, then its lines' outcomes)."""
    rng = np.random.default_rng(seed)
    valid, expected, _ = _draw_valid(calibration, counts, draws, rng)
    low, high = _band(valid)
    lines = sum(n for n in counts.values() if n > 0)
    return Projection(round(expected), low, high, lines, draws)


def _band(values: npt.NDArray[np.float64] | npt.NDArray[np.int64]) -> tuple[int, int]:
    tail = 100 * (1 - BAND_LEVEL) / 2
    low, high = np.percentile(values, [tail, 100 - tail])
    return math.floor(low), math.ceil(high)


@dataclass
class CalibratedVerdict:
    """The registrar's sample drawn on calibrated lines: each draw takes the lines' outcomes from
    the calibration, then the sample from them (both uncertainties in the band)."""

    sample_size: int
    projected_valid: int  # the median draw's
    band: str
    probabilities: dict[str, float] = field(default_factory=dict)
    projected_low: int = 0
    projected_high: int = 0
    draws: int = 0


def simulate_calibrated(
    calibration: Calibration,
    counts: Mapping[tuple[str, str], int],
    repeats: Mapping[int, int],
    required: int,
    rule: str = "county",
    *,
    draws: int = DRAWS,
    seed: int = 0,
) -> CalibratedVerdict:
    """The simulated verdict with calibrated lines. The lines the sample finds valid are those
    the registrar would count plus each repeat signer's further lines where the signer is
    valid (the sample cannot tell a repeat unless both lines fall in it: d corrects for that);
    the duplicates d are drawn from the repeats as petitions.sampling does."""
    rng = np.random.default_rng(seed)
    raw = sum(n for (status, _), n in counts.items() if n > 0)
    s = sample_size(raw, rule)
    if s == 0:
        return CalibratedVerdict(0, 0, INSUFFICIENT, {b: float(b == INSUFFICIENT) for b in BANDS})
    valid, _, valid_share = _draw_valid(calibration, counts, draws, rng)
    repeat_lines = sum((m - 1) * n for m, n in repeats.items())
    extra = rng.binomial(repeat_lines, np.clip(valid_share, 0, 1)) if repeat_lines else 0
    qualifying = np.minimum(np.rint(valid + extra).astype(np.int64), raw)
    found = rng.hypergeometric(qualifying, raw - qualifying, s)
    duplicates = np.minimum(duplicates_found(repeats, s / raw, draws, rng), found)
    if s == raw:
        projected = found - duplicates
    else:
        projected = projected_valid_many(raw=raw, sample=s, valid=found, duplicates=duplicates)

    def verdict(value: int) -> str:
        if s == raw:
            return SUFFICIENT if value >= required else INSUFFICIENT
        return band(value, required, rule)

    bands = [verdict(int(v)) for v in projected]
    median = int(np.median(projected))
    low, high = _band(projected)
    return CalibratedVerdict(
        sample_size=s, projected_valid=median, band=verdict(median),
        probabilities={b: bands.count(b) / draws for b in BANDS},
        projected_low=low, projected_high=high, draws=draws,
    )  # fmt: skip


# -- The calibration curve ---------------------------------------------------------------------


@dataclass(frozen=True)
class CurvePoint:
    """Lines whose predicted probability of valid fell in [low, high): how many, their mean
    prediction, and the registrar's share valid among them."""

    low: float
    high: float
    lines: int
    predicted: float
    observed: float


def curve(predictions: Iterable[tuple[float, bool]], bins: int = 10) -> list[CurvePoint]:
    """Predicted probability of valid (binned in `bins` equal widths) against the registrar's
    observed share valid; bins without lines are left out."""
    lines, predicted_sum, valid = [0] * bins, [0.0] * bins, [0] * bins
    for predicted, is_valid in predictions:
        i = min(int(predicted * bins), bins - 1)
        lines[i] += 1
        predicted_sum[i] += predicted
        valid[i] += int(is_valid)
    return [
        CurvePoint(i / bins, (i + 1) / bins, n, predicted_sum[i] / n, valid[i] / n)
        for i, n in enumerate(lines)
        if n
    ]
