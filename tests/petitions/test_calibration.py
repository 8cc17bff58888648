"""The calibration's math, without a database (petitions/calibration.py)."""

from dataclasses import replace

import pytest

from petitions.calibration import (
    FACE_INVALID,
    FACE_VALID,
    RULE_PRIOR_LINES,
    curve,
    fit,
    project,
    simulate_calibrated,
    spread_between,
)
from petitions.sampling import sample_size


def pairs(status: str, rule: str, lines: int, valid: int) -> list[tuple[str, str, bool]]:
    return [(status, rule, i < valid) for i in range(lines)]


def test_with_no_data_a_status_keeps_its_face_value_and_the_projection_is_the_uncalibrated_one():
    calibration = fit([])
    assert calibration.probability("valid", "match") == pytest.approx(FACE_VALID)
    assert calibration.probability("not_registered", "not_found") == pytest.approx(FACE_INVALID)
    projection = project(calibration, {("valid", "match"): 1000, ("duplicate", "duplicate"): 50})
    assert projection.projected == round(1000 * FACE_VALID + 50 * FACE_INVALID)


def test_a_rule_with_few_lines_shrinks_to_its_status_share():
    data = pairs("valid", "match", 2000, 1800) + pairs("valid", "household_initial", 3, 0)
    calibration = fit(data)
    status = calibration.status_cell("valid").mean
    few = calibration.probability("valid", "household_initial")
    # Three lines, none valid: pulled far toward the status's 90%, not to 0.
    assert few > 0.75
    assert few < status
    assert status == pytest.approx(1800 / 2000, abs=0.01)


def test_a_rule_with_many_lines_follows_them():
    data = pairs("valid", "match", 2000, 1900) + pairs("valid", "household_initial", 1000, 600)
    calibration = fit(data)
    assert calibration.probability("valid", "household_initial") == pytest.approx(0.6, abs=0.01)
    assert calibration.probability("valid", "match") == pytest.approx(0.95, abs=0.01)


def test_a_rule_never_seen_takes_its_status_share():
    calibration = fit(pairs("address_mismatch", "moved", 400, 100))
    assert calibration.probability("address_mismatch", "grey_moved_together") == pytest.approx(
        calibration.status_cell("address_mismatch").mean
    )


def test_the_band_widens_with_fewer_data():
    counts = {("valid", "match"): 10_000, ("not_registered", "not_found"): 2_000}
    many = fit(pairs("valid", "match", 5000, 4600) + pairs("not_registered", "not_found", 1000, 50))
    few = fit(pairs("valid", "match", 50, 46) + pairs("not_registered", "not_found", 10, 0))
    wide, narrow = project(few, counts, seed=1), project(many, counts, seed=1)
    assert wide.high - wide.low > 2 * (narrow.high - narrow.low)
    assert narrow.low <= narrow.projected <= narrow.high
    assert wide.low <= wide.projected <= wide.high


def test_pending_lines_take_the_decided_lines_calibrated_share():
    calibration = fit(pairs("valid", "match", 1000, 900) + pairs("duplicate", "duplicate", 100, 0))
    decided = {("valid", "match"): 800, ("duplicate", "duplicate"): 200}
    alone = project(calibration, decided).projected
    with_pending = project(calibration, {**decided, ("pending", ""): 1000}).projected
    assert with_pending == pytest.approx(2 * alone, abs=2)


def test_the_rule_prior_never_weighs_more_than_the_status_posterior():
    calibration = fit(pairs("canceled", "cancelled", 2, 1))
    cell = calibration.cell("canceled", "other_rule")
    status = calibration.status_cell("canceled")
    assert cell.alpha + cell.beta == pytest.approx(
        min(RULE_PRIOR_LINES, status.alpha + status.beta)
    )


def test_the_calibrated_verdict_adds_the_samples_uncertainty():
    calibration = fit(pairs("valid", "match", 5000, 4500) + pairs("not_registered", "", 500, 0))
    counts = {("valid", "match"): 80_000, ("not_registered", "not_found"): 20_000}
    verdict = simulate_calibrated(calibration, counts, {2: 1000}, required=60_000, seed=3)
    lines_only = project(calibration, counts, seed=3)
    assert verdict.sample_size == sample_size(100_000)
    assert verdict.projected_high - verdict.projected_low > lines_only.high - lines_only.low
    assert verdict.band == "sufficient"
    assert sum(verdict.probabilities.values()) == pytest.approx(1)


def test_the_curve_bins_predictions_and_counts_lines():
    points = curve([(0.95, True)] * 9 + [(0.95, False)] + [(0.05, False)] * 4 + [(1.0, True)])
    assert [(p.low, p.lines) for p in points] == [(0.0, 4), (0.9, 11)]
    assert points[1].observed == pytest.approx(10 / 11)
    assert points[0].observed == 0


def test_petitions_alike_but_for_chance_have_no_spread_between_them():
    alike = [pairs("valid", "match", 2000, 1800 + d) for d in (-12, 5, 9, -3)]
    assert spread_between(alike).get(("valid", "match"), 0) < 0.004


def test_petitions_that_differ_have_a_spread_and_a_wider_band():
    differ = [pairs("valid", "match", 2000, k) for k in (1700, 1800, 1900, 1760)]
    spread = spread_between(differ)[("valid", "match")]
    assert 0.03 < spread < 0.06
    assert spread_between(differ[:2]) == {}  # too few petitions to tell
    calibration = fit(pair for rows in differ for pair in rows)
    counts = {("valid", "match"): 3000}
    narrow = project(calibration, counts, seed=2)
    wide = project(replace(calibration, spread={("valid", "match"): spread}), counts, seed=2)
    assert wide.projected == narrow.projected
    assert wide.high - wide.low > 3 * (narrow.high - narrow.low)
