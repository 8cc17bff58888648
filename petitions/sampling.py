"""The registrar's random sample (EC 11225, CCR 20530-20532): its formula, and a simulation.

Pure Python and numpy, no Django. The formula is the regulation's, step by step, with its
rounding (CCR 20540's worked example is a test). The simulation draws the registrar's sample many
times from a petition's lines as the campaign knows them and gives the chance of each outcome.
"""

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

MIN_SAMPLE = 500
SAMPLE_SHARE = {"county": Fraction(5, 100), "statewide": Fraction(3, 100)}
# V_proj above 110% of the requirement: sufficient; from the floor to 110%: every signature is
# verified (a full count); under the floor: insufficient.
SUFFICIENT_OVER = Fraction(110, 100)
FULL_COUNT_FLOOR = {"county": Fraction(90, 100), "statewide": Fraction(95, 100)}
SUFFICIENT, FULL_COUNT, INSUFFICIENT = "sufficient", "full_count", "insufficient"
BANDS = (SUFFICIENT, FULL_COUNT, INSUFFICIENT)


def sample_size(raw: int, rule: str = "county") -> int:
    """At least 500 or 5% (3% statewide) of the raw count, whichever is greater; all under 500."""
    if raw <= MIN_SAMPLE:
        return raw
    share = SAMPLE_SHARE[rule]
    return max(MIN_SAMPLE, -(-raw * share.numerator // share.denominator))


def projected_valid(*, raw: int, sample: int, valid: int, duplicates: int) -> int:
    """CCR 20540: projected valid signatures from a random sample.

    raw N, sample s, valid v and duplicates d found in the sample:
    r = v/s as a percentage to two decimals; V_unc = ceil(N r); A = N/s to four decimals;
    B = A (A - 1); D_est = ceil(d B); V_proj = V_unc - D_est.
    """
    if not 0 < sample <= raw or not 0 <= duplicates <= valid <= sample:
        raise ValueError(f"not a sample: N={raw}, s={sample}, v={valid}, d={duplicates}")
    percent = (Decimal(valid) * 100 / sample).quantize(Decimal("0.01"), ROUND_HALF_UP)
    unchecked = math.ceil(Fraction(raw) * Fraction(percent) / 100)
    a = Fraction((Decimal(raw) / sample).quantize(Decimal("0.0001"), ROUND_HALF_UP))
    return unchecked - math.ceil(duplicates * a * (a - 1))


def projected_valid_many(
    *, raw: int, sample: int, valid: npt.ArrayLike, duplicates: npt.ArrayLike
) -> np.ndarray:
    """projected_valid for many (v, d) draws of one sample size at once, same rounding: the
    percentage and A in integer hundredths and ten-thousandths, half up; D_est in Python ints
    (A (A - 1) d can pass 2**63 for a statewide petition)."""
    v = np.asarray(valid, dtype=np.int64)
    percent_x100 = (2 * v * 10_000 + sample) // (2 * sample)  # r in hundredths of a percent
    unchecked = -((-raw * percent_x100) // 10_000)  # ceil(N r)
    a = (2 * raw * 10_000 + sample) // (2 * sample)  # A in ten-thousandths
    b = a * (a - 10_000)  # B in 1e-8
    d = np.asarray(duplicates, dtype=object)
    estimated = -((-d * b) // 10**8)  # ceil(d B)
    return unchecked - estimated.astype(np.int64)


def band(projected: int, required: int, rule: str = "county") -> str:
    if projected > required * SUFFICIENT_OVER:
        return SUFFICIENT
    if projected >= required * FULL_COUNT_FLOOR[rule]:
        return FULL_COUNT
    return INSUFFICIENT


@dataclass(frozen=True)
class Population:
    """A petition's lines as the registrar would find them.

    raw: every signature filed; qualifying: lines whose signer is a voter who qualifies (the one
    that counts and each repeat of that voter: the registrar's sample finds each valid, and the
    repeats are what d corrects for); repeats: {m: voters with m qualifying lines}, m >= 2.
    """

    raw: int
    qualifying: int
    repeats: dict[int, int] = field(default_factory=dict)

    def scaled(self, raw: int) -> "Population":
        """The same mix of lines at another raw count (more signatures like these)."""
        factor = raw / self.raw if self.raw else 0
        return Population(
            raw, round(self.qualifying * factor),
            {m: round(n * factor) for m, n in self.repeats.items()},
        )  # fmt: skip

    def seed(self, *salt: object) -> int:
        """A seed drawn from these lines alone (and `salt`, say the petition): the same lines
        always give the same draws, so a verdict moves only when the lines do."""
        text = repr((self.raw, self.qualifying, sorted(self.repeats.items()), salt))
        return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


@dataclass
class Simulation:
    sample_size: int
    projected_valid: int  # the median draw's
    band: str
    probabilities: dict[str, float]
    draws: int
    # The middle 90% of the draws: the sample's own chance, what one real sample may say.
    projected_low: int = 0
    projected_high: int = 0


def simulate(
    population: Population,
    required: int,
    rule: str = "county",
    draws: int = 1000,
    seed: int | None = None,
) -> Simulation:
    """Draw the registrar's sample `draws` times: the projected valid count and each band's odds.

    Per draw, v is hypergeometric (s lines out of N without replacement, `qualifying` of them
    good), and each repeat signer of m lines has Binomial(m, s/N) of them in the sample; every one
    beyond the first is a duplicate found (d). v and d are drawn independently (d is small).
    """
    n = population.raw
    s = sample_size(n, rule)
    if s == 0:
        return Simulation(0, 0, INSUFFICIENT, {b: float(b == INSUFFICIENT) for b in BANDS}, 0)
    projected = _draws(population, rule, draws, np.random.default_rng(seed))

    def verdict(value: int) -> str:
        if s == n:  # counted in full: sufficient or not, nothing in between
            return SUFFICIENT if value >= required else INSUFFICIENT
        return band(value, required, rule)

    bands = [verdict(int(v)) for v in projected]
    median = int(np.median(projected))
    low, high = (int(q) for q in np.percentile(projected, [5, 95], method="nearest"))
    return Simulation(
        sample_size=s, projected_valid=median, band=verdict(median),
        probabilities={b: bands.count(b) / draws for b in BANDS}, draws=draws,
        projected_low=low, projected_high=high,
    )  # fmt: skip


def _draws(
    population: Population, rule: str, draws: int, rng: np.random.Generator
) -> npt.NDArray[np.int64]:
    """The projected valid count of `draws` registrar's samples of these lines (a full count
    when the sample is every line); the population has lines."""
    n = population.raw
    s = sample_size(n, rule)
    good = min(population.qualifying, n)
    valid = rng.hypergeometric(good, n - good, s, size=draws)
    duplicates = np.minimum(duplicates_found(population.repeats, s / n, draws, rng), valid)
    if s == n:  # a full count: every line checked, each voter counted once
        return np.asarray(valid - duplicates, dtype=np.int64)
    return projected_valid_many(raw=n, sample=s, valid=valid, duplicates=duplicates)


def duplicates_found(
    repeats: Mapping[int, int], p: float, draws: int, rng: np.random.Generator
) -> npt.NDArray[np.int64]:
    """Duplicates d a sample taking each line with probability p finds, `draws` times: each
    repeat signer of m lines ({m: voters}) has Binomial(m, p) of them in it, every one beyond
    the first a duplicate."""
    duplicates = np.zeros(draws, dtype=np.int64)
    for m, voters in repeats.items():
        if voters <= 0:
            continue
        counts = np.arange(m + 1)
        pmf = np.array([math.comb(m, j) * p**j * (1 - p) ** (m - j) for j in counts])
        found = rng.multinomial(voters, pmf / pmf.sum(), size=draws)
        duplicates += found @ np.maximum(counts - 1, 0)
    return duplicates


def raw_needed(
    population: Population,
    required: int,
    rule: str = "county",
    confidence: float = 0.95,
    draws: int = 400,
    seed: int = 11225,
) -> int:
    """More raw signatures (like those so far) needed for the sample to find the petition
    sufficient with this probability; 0 if it already is. None-like large if no mix can."""
    if population.raw == 0 or population.qualifying == 0:
        return 0 if required == 0 else -1

    def sure(extra: int) -> bool:
        grown = population.scaled(population.raw + extra)
        chance = simulate(grown, required, rule, draws, seed).probabilities[SUFFICIENT]
        return chance >= confidence

    if sure(0):
        return 0
    low, high = 0, max(1, population.raw)
    while not sure(high):
        low, high = high, high * 2
        if high > 1_000 * max(required, population.raw):
            return -1  # the mix cannot get there (too many duplicates)
    while high - low > max(1, population.raw // 2000):
        middle = (low + high) // 2
        low, high = (low, middle) if sure(middle) else (middle, high)
    return high


# Several counties (a statewide petition, EC 11047): each county's elections official takes the
# raw count and draws a random sample of its own sections' lines; the Secretary of State sums the
# counties' projections and judges the sum against the one requirement, on the statewide bands.


@dataclass(frozen=True)
class CountySample:
    """One county's simulated sample: its size and the projection (the median draw's, and the
    middle 90% of the draws)."""

    raw: int
    sample_size: int
    projected_valid: int
    projected_low: int
    projected_high: int


@dataclass
class Aggregate:
    """The Secretary of State's sum of the counties' projections and its verdict."""

    counties: dict[str, CountySample]
    projected_valid: int  # the sum of the counties' projections (each its median draw)
    band: str
    probabilities: dict[str, float]  # each band's share of the draws' sums
    draws: int
    projected_low: int = 0  # the middle 90% of the draws' sums
    projected_high: int = 0
    # Counties without whose projection the sum would fall into a lower band (deciding).
    deciding: list[str] = field(default_factory=list)


def aggregate_band(total: int, required: int, rule: str, *, counted_in_full: bool) -> str:
    """The sum against the requirement: over 110% sufficient, from the floor (95% statewide) to
    110% a full count, under it insufficient; every county counted in full: sufficient or not."""
    if counted_in_full:
        return SUFFICIENT if total >= required else INSUFFICIENT
    return band(total, required, rule)


def deciding_counties(
    projections: dict[str, int], required: int, rule: str, *, counted_in_full: bool = False
) -> list[str]:
    """The counties that decide the outcome: those without whose projection the sum would fall
    into a lower band (a sufficient petition would need a full count, or fail; one in a full
    count would fail). An insufficient sum has none: no county's absence can lower it further.
    Largest projection first."""
    total = sum(projections.values())
    verdict = aggregate_band(total, required, rule, counted_in_full=counted_in_full)
    return sorted(
        (
            county
            for county, projected in projections.items()
            if projected > 0
            and aggregate_band(total - projected, required, rule, counted_in_full=counted_in_full)
            != verdict
        ),
        key=lambda c: (-projections[c], c),
    )


def simulate_counties(
    populations: dict[str, Population],
    required: int,
    rule: str = "statewide",
    draws: int = 1000,
    seed: int | None = None,
) -> Aggregate:
    """Each county's sample drawn `draws` times on its own lines (its own raw count, its own 500
    or 3%), and the Secretary of State's sum: per draw, the counties' projections added up.

    A county's projection is its median draw; the aggregate is the sum of those (what the
    counties report), judged on the statewide bands; the odds of each band are the draws' sums'.
    One generator, the counties in code order: the same lines give the same draws.
    """
    rng = np.random.default_rng(seed)
    totals = np.zeros(draws, dtype=np.int64)
    counties: dict[str, CountySample] = {}
    in_full = True
    for county in sorted(populations):
        population = populations[county]
        s = sample_size(population.raw, rule)
        if s == 0:
            counties[county] = CountySample(0, 0, 0, 0, 0)
            continue
        in_full = in_full and s == population.raw
        projected = _draws(population, rule, draws, rng)
        totals += projected
        low, high = (int(q) for q in np.percentile(projected, [5, 95], method="nearest"))
        counties[county] = CountySample(population.raw, s, int(np.median(projected)), low, high)
    projections = {c: sample.projected_valid for c, sample in counties.items()}
    total = sum(projections.values())
    bands = [aggregate_band(int(t), required, rule, counted_in_full=in_full) for t in totals]
    low, high = (int(q) for q in np.percentile(totals, [5, 95], method="nearest"))
    return Aggregate(
        counties=counties,
        projected_valid=total,
        band=aggregate_band(total, required, rule, counted_in_full=in_full),
        probabilities={b: bands.count(b) / draws for b in BANDS},
        draws=draws,
        projected_low=low,
        projected_high=high,
        deciding=deciding_counties(projections, required, rule, counted_in_full=in_full),
    )
