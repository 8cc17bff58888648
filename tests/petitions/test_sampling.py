"""The registrar's sampling formula (CCR 20540) and the simulation of its random sample."""

import pytest

from petitions.sampling import (
    FULL_COUNT,
    INSUFFICIENT,
    SUFFICIENT,
    Population,
    band,
    projected_valid,
    projected_valid_many,
    raw_needed,
    sample_size,
    simulate,
)


def test_the_ccr_20540_worked_example():
    assert projected_valid(raw=24_034, sample=722, valid=516, duplicates=2) == 15_028


def test_the_vectorised_formula_agrees_with_the_regulations_step_by_step():
    import numpy as np

    rng = np.random.default_rng(20540)
    for raw, sample in ((24_034, 722), (715_833, 35_792), (22_000_000, 660_000), (1_000, 500)):
        valid = rng.integers(0, sample + 1, size=300)
        duplicates = np.minimum(rng.integers(0, 40, size=300), valid)
        many = projected_valid_many(raw=raw, sample=sample, valid=valid, duplicates=duplicates)
        one_by_one = [
            projected_valid(raw=raw, sample=sample, valid=int(v), duplicates=int(d))
            for v, d in zip(valid, duplicates, strict=True)
        ]
        assert many.tolist() == one_by_one
    assert projected_valid_many(raw=24_034, sample=722, valid=[516], duplicates=[2]).tolist() == [
        15_028
    ]


def test_no_duplicates_is_the_plain_proportion():
    # r = 80.00%, V_unc = ceil(10,000 * 0.8) = 8,000, nothing to subtract.
    assert projected_valid(raw=10_000, sample=500, valid=400, duplicates=0) == 8_000


@pytest.mark.parametrize(
    ("raw", "sample", "valid", "duplicates"),
    [
        (100, 0, 0, 0),
        (100, 200, 10, 0),
        (1000, 500, 501, 0),
        (1000, 500, 10, 11),
        (1000, 500, 5, -1),
    ],
)
def test_impossible_samples_are_refused(raw, sample, valid, duplicates):
    with pytest.raises(ValueError, match="not a sample"):
        projected_valid(raw=raw, sample=sample, valid=valid, duplicates=duplicates)


@pytest.mark.parametrize(
    ("raw", "rule", "expected"),
    [(400, "county", 400), (500, "county", 500), (501, "county", 500), (10_000, "county", 500),
     (10_001, "county", 501), (715_833, "county", 35_792), (1_000_000, "statewide", 30_000),
     (16_000, "statewide", 500)],
)  # fmt: skip
def test_sample_size_is_500_or_the_share_whichever_is_greater(raw, rule, expected):
    assert sample_size(raw, rule) == expected


@pytest.mark.parametrize(
    ("projected", "rule", "expected"),
    [(1101, "county", SUFFICIENT), (1100, "county", FULL_COUNT), (900, "county", FULL_COUNT),
     (899, "county", INSUFFICIENT), (949, "statewide", INSUFFICIENT),
     (950, "statewide", FULL_COUNT)],
)  # fmt: skip
def test_bands_at_their_boundaries(projected, rule, expected):
    assert band(projected, 1000, rule) == expected


def test_la_county_2022_simulated_goes_to_a_full_count():
    # 715,833 filed; 520,050 valid voters, 43,593 of whom signed twice; 566,857 required.
    la = Population(raw=715_833, qualifying=520_050 + 43_593, repeats={2: 43_593})
    result = simulate(la, 566_857, draws=1000, seed=2022)
    assert result.sample_size == 35_792
    assert result.band == FULL_COUNT
    assert result.probabilities[FULL_COUNT] > 0.95
    assert sum(result.probabilities.values()) == pytest.approx(1.0)
    # Without the duplicate correction the sample would have said about 563,600.
    assert 515_000 < result.projected_valid < 530_000
    more = raw_needed(la, 566_857)
    grown = la.scaled(la.raw + more)
    assert simulate(grown, 566_857, draws=1000, seed=7).probabilities[SUFFICIENT] >= 0.9
    smaller = la.scaled(la.raw + more - more // 10)
    assert simulate(smaller, 566_857, draws=400, seed=11225).probabilities[SUFFICIENT] < 0.95


def test_a_petition_already_sufficient_needs_nothing_more():
    strong = Population(raw=200_000, qualifying=190_000, repeats={2: 1_000})
    assert simulate(strong, 100_000, seed=1).probabilities[SUFFICIENT] == 1.0
    assert raw_needed(strong, 100_000) == 0


def test_under_500_lines_every_line_is_checked_and_each_voter_counted_once():
    small = Population(raw=300, qualifying=250, repeats={2: 10})
    result = simulate(small, 200, seed=3)
    assert result.sample_size == 300
    assert result.projected_valid == 240
    assert result.band == SUFFICIENT
    # A full count has no band in between: the petition has the signatures or it has not.
    assert simulate(small, 241, seed=3).probabilities == {
        SUFFICIENT: 0.0, FULL_COUNT: 0.0, INSUFFICIENT: 1.0,
    }  # fmt: skip
