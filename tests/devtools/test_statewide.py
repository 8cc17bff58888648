"""The synthetic statewide roll: the state's shape, the extract's columns, lines by county."""

import csv
import itertools

import pytest

from devtools.synthetic.statewide import (
    COUNTY_VOTERS,
    MIN_COUNTY_VOTERS,
    SOS_HEADER,
    county_lines,
    county_sizes,
    write_statewide,
    write_statewide_lines,
)
from petitions.counties import COUNTY_NAMES
from voters.voterfile import CA_SOS, CA_SOS_COLUMNS, inspect_voter_file


def test_the_counties_are_californias_58_summing_to_about_22_and_a_half_million():
    assert sorted(COUNTY_VOTERS) == sorted(COUNTY_NAMES)
    assert 22_000_000 < sum(COUNTY_VOTERS.values()) < 23_000_000
    assert max(COUNTY_VOTERS, key=COUNTY_VOTERS.__getitem__) == "19"  # Los Angeles
    sizes = county_sizes(0.001)
    assert sizes["19"] == 5_700
    assert sizes["02"] == MIN_COUNTY_VOTERS


def test_lines_are_shared_in_proportion_and_sum_exactly():
    sizes = county_sizes(0.01)
    shares = county_lines(sizes, 20_000)
    assert sum(shares.values()) == 20_000
    assert min(shares.values()) >= 1
    assert shares["19"] == pytest.approx(20_000 * sizes["19"] / sum(sizes.values()), rel=0.01)


def test_the_extract_is_an_sos_file_with_every_county_and_unique_registrants(tmp_path):
    sizes = write_statewide(tmp_path / "roll.tsv", tmp_path, scale=0.0001, seed=1, workers=1)
    assert SOS_HEADER[: len(CA_SOS_COLUMNS)] == CA_SOS_COLUMNS
    info = inspect_voter_file(tmp_path / "roll.tsv")
    assert info.format == CA_SOS
    assert info.attribute_columns == ("SupDist",)
    with open(tmp_path / "roll.tsv", encoding="latin-1", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert len(rows) == sum(sizes.values())
    assert {len(row) for row in rows} == {len(SOS_HEADER)}
    by_county: dict[str, int] = {}
    for row in rows:
        by_county[row["CountyCode"]] = by_county.get(row["CountyCode"], 0) + 1
        assert row["RegistrantID"].startswith(str(int(row["CountyCode"])))
    assert by_county == sizes
    assert len({row["RegistrantID"] for row in rows}) == len(rows)
    # Each county's canonical roll holds the same voters.
    with open(tmp_path / "county-19.csv", newline="") as f:
        canonical = [row["voter_id"] for row in csv.DictReader(f)]
    assert canonical == [row["RegistrantID"] for row in rows if row["CountyCode"] == "19"]

    ranges = write_statewide_lines(tmp_path, tmp_path / "lines.csv", sizes, 200, seed=1, workers=1)
    assert sorted(ranges) == sorted(sizes)
    with open(tmp_path / "lines.csv", newline="") as f:
        lines = list(csv.DictReader(f))
    assert len(lines) == 200
    # Sections are numbered on from county to county: each in exactly one county's range.
    serials = sorted({int(line["section"]) for line in lines})
    bounds = sorted(ranges.values())
    assert serials[0] == 1
    assert serials[-1] == bounds[-1][1]
    for (_, last), (first, _) in itertools.pairwise(bounds):
        assert first == last + 1
