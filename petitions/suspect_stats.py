"""The chance arithmetic behind the suspect sections (petitions.suspects): no Django here.

Each pattern asks "how likely is a section at least this odd, if nothing were wrong?" and
answers with a probability; a section is flagged when that probability is below the pattern's
threshold, and its score adds up how unlikely each flagged reason is (-log10 of it).
"""

import math
from functools import cache

# An order test on more lines than this uses the normal approximation of the ascents (exact
# counts of permutations grow too large to be worth it; the approximation is close by then).
EXACT_ORDER_UP_TO = 120
# A probability's weight in the score: -log10(p), at most this (one reason never swamps all).
MAX_WEIGHT = 12.0


def _log_pmf(k: int, n: int, p: float) -> float:
    return (
        math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
        + k * math.log(p) + (n - k) * math.log1p(-p)
    )  # fmt: skip


def binomial_at_most(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p)."""
    if k < 0:
        return 0.0
    if k >= n or p <= 0.0:
        return 1.0
    if p >= 1.0:
        return 0.0
    return min(1.0, math.fsum(math.exp(_log_pmf(i, n, p)) for i in range(k + 1)))


def binomial_at_least(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p)."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    return min(1.0, math.fsum(math.exp(_log_pmf(i, n, p)) for i in range(k, n + 1)))


@cache
def _eulerian_tail(n: int) -> tuple[float, ...]:
    """P(ascents >= a) for a random order of n distinct values, a = 0..n-1 (Eulerian numbers:
    A(n, a) orders of n values have exactly a ascents)."""
    row = [1]  # A(1, 0)
    for m in range(2, n + 1):
        row = [
            (a + 1) * (row[a] if a < len(row) else 0) + (m - a) * (row[a - 1] if a >= 1 else 0)
            for a in range(m)
        ]
    total = math.factorial(n)
    tail, running = [0.0] * n, 0
    for a in range(n - 1, -1, -1):
        running += row[a]
        tail[a] = running / total
    return tuple(tail)


def ordered_run(pairs: int, up: int) -> float:
    """How likely lines in a random order are at least this much in one direction (two-sided).

    `pairs` consecutive lines whose keys differ (equal keys are left out), `up` of them rising.
    Under a random order of distinct values the number of rises (ascents) follows the Eulerian
    distribution, mean pairs/2 and variance (pairs+2)/12: far narrower than a coin's pairs/4,
    so a long ordered stretch is recognised sooner than by counting. A list copied downwards is
    as odd as one copied upwards, hence the larger of rises and falls, doubled.
    """
    if pairs <= 0:
        return 1.0
    most = max(up, pairs - up)
    n = pairs + 1
    if n <= EXACT_ORDER_UP_TO:
        p = _eulerian_tail(n)[most]
    else:
        mean, sd = (n - 1) / 2, math.sqrt((n + 1) / 12)
        p = 0.5 * math.erfc((most - 0.5 - mean) / (sd * math.sqrt(2)))
    return min(1.0, 2 * p)


def weight(p: float) -> float:
    """A probability's share of the score: -log10(p), between 0 and MAX_WEIGHT."""
    if p <= 0.0:
        return MAX_WEIGHT
    return max(0.0, min(MAX_WEIGHT, -math.log10(p)))
