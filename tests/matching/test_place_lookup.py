"""matching.places' look-ups of a line's place among the county's (county_zip, place_slip):
indexed once per PlaceZips, the same answers as comparing the place with every name."""

import random

import pytest

from matching.places import PlaceZips, city_slip, county_zip, place_slip, place_zips

PAIRS = [("LOS ANGELES", "90011"), ("EAST PRESTON", "91001"), ("SHOALHAVEN HEADS", "91002"),
         ("DAPTO", "91003"), ("PASADENA", "91101"), ("LA VERNE", "91750")]  # fmt: skip


@pytest.fixture(scope="module")
def places() -> PlaceZips:
    return place_zips(PAIRS)


@pytest.mark.parametrize(
    ("written", "slip"),
    [
        ("EAST PRSETON", True),  # two letters swapped
        ("EAST PRESTN", True),  # one dropped
        ("EAST PRESSTON", True),  # one doubled
        ("EASTPRESTON", True),  # a space dropped
        ("SHOALHAVE NHEADS", True),  # a space shifted
        ("PASADNA", True),
        ("PASEDENA", True),  # one changed
        ("PSADNA", False),  # two off
        ("DAPT", False),  # a short name is not taken a letter off
        ("DATPO", True),  # five letters: long enough
        ("LAVERNE", True),
        ("GLENDALE", False),
    ],
)  # fmt: skip
def test_a_place_a_letter_off_one_of_the_countys_is_found(places, written, slip):
    assert place_slip(written, places) is slip
    # A plain dict (a caller's own) gets the same answer the long way.
    assert place_slip(written, dict(places)) is slip


def test_the_index_answers_as_comparing_every_name_would(places):
    rng = random.Random(7)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ "
    for _ in range(3000):
        name = rng.choice(list(places))
        chars = list(name)
        for _ in range(rng.randint(0, 2)):
            i = rng.randrange(len(chars) + 1)
            r = rng.random()
            if r < 0.33 and i < len(chars):
                del chars[i]
            elif r < 0.66:
                chars.insert(i, rng.choice(letters))
            elif i + 1 < len(chars):
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
        written = "".join(chars).strip()
        expected = any(city_slip(written, place) for place in places)
        assert place_slip(written, places) is expected, written


def test_a_zip_of_any_place_is_the_countys(places):
    assert county_zip("91750", places)
    assert county_zip("91750", dict(places))
    assert not county_zip("90210", places)
    assert not county_zip("90210", dict(places))
