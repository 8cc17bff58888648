"""The registrar's random sample (EC 11225, CCR 20530-20532): its formula, and a simulation.

Pure Python and numpy, no Django. The formula is the regulation's, step by step, with its
rounding (CCR 20540's worked example is a test). The simulation draws the registrar's sample many
times from a petition's lines as the campaign knows them and gives the chance of each outcome.
"""

import hashlib
import math
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
    rng = np.random.default_rng(seed)
    good = min(population.qualifying, n)
    valid = rng.hypergeometric(good, n - good, s, size=draws)
    duplicates = np.zeros(draws, dtype=np.int64)
    p = s / n
    for m, voters in population.repeats.items():
        if voters <= 0:
            continue
        counts = np.arange(m + 1)
        pmf = np.array([math.comb(m, j) * p**j * (1 - p) ** (m - j) for j in counts])
        found = rng.multinomial(voters, pmf / pmf.sum(), size=draws)
        duplicates += found @ np.maximum(counts - 1, 0)
    duplicates = np.minimum(duplicates, valid)
    if s == n:  # a full count: every line checked, each voter counted once
        projected = valid - duplicates
    else:
        projected = projected_valid_many(raw=n, sample=s, valid=valid, duplicates=duplicates)

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
