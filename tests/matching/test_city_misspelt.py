"""A city misspelt on the line (FEBRL4's copies, hurried hands): the place still agrees with the
voter's, so the voter is found at the address, whatever the ZIP written."""

import pytest

from matching.compare import Level, compare, line_keys
from tests.matching.roll import candidate, places

JAYDEN = candidate("JAY", first_name="JAYDEN", last_name="WHITE", house_number="10",
                   street_name="MCCLINTOCK", city="MELVILLE", zip="04380")  # fmt: skip
BOB = candidate("BOB", first_name="ROBERT", last_name="SMITHERS", house_number="12",
                street_name="OAK", street_type="AVE", city="GLENDALE", zip="91201")  # fmt: skip
OTHERS = [candidate("DN", city="DANDENONG NORTH", zip="03581"),
          candidate("BELL", city="BELL", zip="90201"),
          candidate("BG", city="BELL GARDENS", zip="90280")]  # fmt: skip
WHERE = places([JAYDEN, BOB, *OTHERS])


@pytest.mark.parametrize(
    ("voter", "name", "address", "city", "zip_code", "level"),
    [
        (JAYDEN, "Jayden White", "10 N Mcclintock St", "Melvilke", "04308", Level.CLOSE),
        (JAYDEN, "Jayden White", "10 N Mcclintock St", "Melvile", "", Level.CLOSE),
        (BOB, "Robert Smithers", "12 Oak Ave", "Glendal", "91200", Level.CLOSE),
        (OTHERS[0], "Maria Garcia", "123 N Main St", "Dandeno Ng North", "03582", Level.CLOSE),
        # Not a misspelling: another city, or too short to tell.
        (BOB, "Robert Smithers", "12 Oak Ave", "Burbank", "91502", Level.DIFFERENT),
        (OTHERS[1], "Maria Garcia", "123 Elm St", "Bel", "90202", Level.DIFFERENT),
        (OTHERS[2], "Maria Garcia", "123 N Main St", "Bell", "90202", Level.DIFFERENT),
    ],
)
def test_a_misspelt_city_agrees(voter, name, address, city, zip_code, level):
    got = compare(line_keys(name, address, city, zip_code), voter, WHERE)
    assert got.place == level
    assert got.at_address == (level != Level.DIFFERENT)


def test_the_reason_says_the_city_is_misspelt():
    got = compare(line_keys("Jayden White", "10 Mcclintock St", "Melvilke", "04308"), JAYDEN,
                  WHERE)  # fmt: skip
    assert "city misspelt" in got.describe()
