"""Each county's own sample and the Secretary of State's sum (sampling.simulate_counties): no
database."""

import pytest

from petitions.sampling import (
    FULL_COUNT,
    INSUFFICIENT,
    SUFFICIENT,
    Population,
    aggregate_band,
    deciding_counties,
    simulate,
    simulate_counties,
)


@pytest.mark.parametrize(
    ("total", "verdict"),
    [
        (1101, SUFFICIENT),  # over 110%
        (1100, FULL_COUNT),  # exactly 110%: not over it, every signature is counted
        (950, FULL_COUNT),  # exactly 95%: the statewide floor is in the full count
        (949, INSUFFICIENT),
        (0, INSUFFICIENT),
    ],
)
def test_the_sum_against_the_statewide_thresholds(total, verdict):
    assert aggregate_band(total, 1000, "statewide", counted_in_full=False) == verdict


def test_the_county_rule_floor_is_90_and_a_full_count_has_no_band_between():
    assert aggregate_band(900, 1000, "county", counted_in_full=False) == FULL_COUNT
    assert aggregate_band(900, 1000, "statewide", counted_in_full=False) == INSUFFICIENT
    # Every county counted every line: the count is exact, sufficient or not.
    assert aggregate_band(1000, 1000, "statewide", counted_in_full=True) == SUFFICIENT
    assert aggregate_band(999, 1000, "statewide", counted_in_full=True) == INSUFFICIENT


def test_deciding_counties_are_those_without_which_the_verdict_falls():
    # 1,130 of 1,000 required: sufficient, 29 above 1,101 (the least over 110%).
    projections = {"19": 700, "30": 420, "37": 10}
    assert deciding_counties(projections, 1000, "statewide") == ["19", "30"]
    # 29 is the margin: a county projecting 30 decides (1,100 is not over 110%).
    assert deciding_counties({"19": 700, "30": 400, "37": 30}, 1000, "statewide") == [
        "19", "30", "37",
    ]  # fmt: skip
    # In a full count (1,000 of 1,000): without Orange's 420, 580 is under 95%.
    assert deciding_counties({"19": 580, "30": 420}, 1000, "statewide") == ["19", "30"]
    assert deciding_counties({"19": 900, "30": 60}, 1000, "statewide") == ["19", "30"]
    assert deciding_counties({"19": 990, "30": 5}, 1000, "statewide") == ["19"]
    # Insufficient: no county's absence can lower it.
    assert deciding_counties({"19": 500, "30": 400}, 1000, "statewide") == []


def test_each_county_draws_its_own_sample_and_the_sum_is_of_their_projections():
    populations = {
        "19": Population(raw=20_000, qualifying=16_000),  # 3%: 600
        "30": Population(raw=10_000, qualifying=7_000),  # 500 (3% is 300)
        "37": Population(raw=300, qualifying=240),  # under 500: every line
    }
    result = simulate_counties(populations, 21_000, "statewide", draws=400, seed=7)
    sizes = {county: sample.sample_size for county, sample in result.counties.items()}
    assert sizes == {"19": 600, "30": 500, "37": 300}  # not 3% of the 30,300 together (909)
    assert result.counties["37"].projected_valid == 240  # counted in full: exact
    assert abs(result.counties["19"].projected_valid - 16_000) < 800
    assert abs(result.counties["30"].projected_valid - 7_000) < 600
    projections = {county: s.projected_valid for county, s in result.counties.items()}
    assert result.projected_valid == sum(projections.values())
    # About 23,240 of 21,000 (110.7%): near the 110% line, either side by the samples' luck.
    assert result.band == aggregate_band(result.projected_valid, 21_000, "statewide",
                                         counted_in_full=False)  # fmt: skip
    assert result.projected_low < result.projected_valid < result.projected_high
    assert sum(result.probabilities.values()) == pytest.approx(1)
    assert 0.2 < result.probabilities[SUFFICIENT] < 0.95
    assert result.probabilities[FULL_COUNT] > 0.05
    assert result.deciding == deciding_counties(projections, 21_000, "statewide")
    assert result.deciding[:2] == ["19", "30"]
    again = simulate_counties(populations, 21_000, "statewide", draws=400, seed=7)
    assert again == result  # the same lines, the same draws


def test_one_county_alone_projects_as_the_one_county_simulation():
    population = Population(raw=24_034, qualifying=17_200, repeats={2: 40})
    alone = simulate(population, 15_000, "statewide", draws=300, seed=11)
    counties = simulate_counties({"19": population}, 15_000, "statewide", draws=300, seed=11)
    sample = counties.counties["19"]
    assert sample.sample_size == alone.sample_size
    assert sample.projected_valid == alone.projected_valid
    assert (sample.projected_low, sample.projected_high) == (
        alone.projected_low, alone.projected_high,
    )  # fmt: skip
    assert counties.probabilities == alone.probabilities


def test_counties_without_lines_project_nothing():
    result = simulate_counties(
        {"19": Population(raw=0, qualifying=0), "30": Population(raw=0, qualifying=0)}, 100
    )
    assert result.projected_valid == 0
    assert result.band == INSUFFICIENT
    assert result.probabilities[INSUFFICIENT] == 1
