"""A street type misspelt or run into the name (FEBRL4's copies, and hurried hands): the street
still agrees with the roll's, read without it."""

import pytest

from matching.addresses import street_key_loose_type
from matching.compare import Level, compare, line_keys
from tests.matching.roll import candidate, places


@pytest.mark.parametrize(
    ("street_name", "expected"),
    [
        ("CARR CRSCENT", "CARR"),  # a letter missing
        ("ATHERTON TSREET", "ATHERTON"),  # two letters swapped
        ("GALLAGHER XTREET", "GALLAGHER"),  # a letter wrong
        ("KINGSCOTE RESCENT", "KINGSCOTE"),
        ("BEAGLEISTREET", "BEAGLEI"),  # run into the name
        ("LIVINGSTONAVENUE", "LIVINGSTON"),
        ("BRUNTO NSTREET", "BRUNTON"),  # the space shifted by one
        ("WESTO ATREET", "WESTO"),
        ("PAUL COE VRESCENT", "PAULCOE"),
        # Names that only look like it are left alone.
        ("MAIN", ""),
        ("FORREST", ""),
        ("SPRING VALLEY", ""),
        ("OLIVE", ""),
        ("LA BREA", ""),
        ("EL CAMINO REAL", ""),
        ("PLACE", ""),  # no name left
        ("ST", ""),  # too short to say
    ],
)
def test_a_misspelt_or_run_in_street_type_is_read_off(street_name, expected):
    assert street_key_loose_type(street_name) == expected


CARR = candidate("CAR", first_name="CAITLIN", last_name="BERRY", house_number="29",
                 street_name="CARR", street_type="CRES", city="CORRIMAL", zip="04075")  # fmt: skip
BRUNTON = candidate("BRU", first_name="AIDAN", last_name="WHITE", house_number="16",
                    street_name="BRUNTON", street_type="ST", city="KEW", zip="02800")  # fmt: skip


@pytest.mark.parametrize(
    ("voter", "name", "address", "level"),
    [
        (CARR, "caitlin berry", "29 carr crscent", Level.EXACT),
        (CARR, "caitlin berry", "29 carr crescent", Level.EXACT),
        (BRUNTON, "aidan white", "16 brunto nstreet", Level.EXACT),
        (BRUNTON, "aidan white", "16 bruntonstreet", Level.EXACT),
        (BRUNTON, "aidan white", "16 brunton xtreet", Level.EXACT),
        (BRUNTON, "aidan white", "16 bruntn street", Level.CLOSE),
    ],
)
def test_the_street_agrees_despite_its_type(voter, name, address, level):
    got = compare(line_keys(name, address, "", ""), voter, places([voter]))
    assert got.street == level
    assert got.at_address


def test_another_street_with_a_misspelt_type_still_differs():
    got = compare(line_keys("aidan white", "16 buxton xtreet", "", ""), BRUNTON, places([BRUNTON]))
    assert got.street == Level.DIFFERENT
    assert not got.at_address


@pytest.mark.parametrize(
    ("street_name", "street_type", "address"),
    # Bench 1M/100k seed 7: "3394 City Terrace" for CITY TERRACE DR was read as a street CITY
    # (TERRACE its type), and four valid lines were called moved or not registered; so too
    # "Valley Circle" for VALLEY CIRCLE BLVD.
    [("CITY TERRACE", "DR", "3394 City Terrace"),
     ("CITY TERRACE", "DR", "3394 CITY TERRACE UNIT 1003"),
     ("CITY TERRACE", "DR", "3394 City Terrace Dr"),
     ("VALLEY CIRCLE", "BLVD", "3394 Valley Circle #203"),
     # A street called Sherwood Terrace is still SHERWOOD TER.
     ("SHERWOOD", "TER", "3394 Sherwood Terrace"), ("SHERWOOD", "TER", "3394 Sherwood Ter")],
)  # fmt: skip
def test_terrace_or_circle_written_as_the_end_of_a_streets_name_agrees(
    street_name, street_type, address
):
    voter = candidate("CT", first_name="MARICEL", last_name="MENDOZA", house_number="3394",
                      street_name=street_name, street_type=street_type, city="EAST LOS ANGELES",
                      zip="90063")  # fmt: skip
    got = compare(line_keys("Maricel Mendoza", address, "", ""), voter, places([voter]))
    assert got.street == Level.EXACT
    assert got.at_address


@pytest.mark.parametrize("address", ["14538 e california", "14538 East California"])
def test_a_street_named_california_written_without_its_type_is_no_state(address):
    voter = candidate("TM", first_name="TATEVIK", last_name="MINASIAN", house_number="14538",
                      street_predir="E", street_name="CALIFORNIA", street_type="AVE",
                      city="GLENDALE", zip="91206")  # fmt: skip
    got = compare(line_keys("Tatevik Minasian", address, "Glendale", ""), voter, places([voter]))
    assert got.street == Level.EXACT
    assert got.at_address
