"""Namesakes at one address (matching.decide._namesakes, _their_unit): a given name a typo off
the name they share ("Jmes Lee" for JAMES LEE SR and JR) is one of them; the unit written singles
out the one registered there (a building of many households)."""

import pytest

from matching.decide import Kind
from tests.matching.roll import candidate, outcome

HOME = {"house_number": "7556", "street_predir": "E", "street_name": "43RD", "street_type": "PL",
        "city": "LOS ANGELES", "zip": "90011"}  # fmt: skip


def test_a_typo_of_a_name_two_namesakes_share_is_one_of_them():
    roll = [
        candidate(suffix, first_name="JAMES", last_name="LEE", name_suffix=suffix, **HOME)
        for suffix in ("SR", "JR")
    ]
    got = outcome(roll, "Jmes Lee", "7556 E 43rd Pl", "Los Angeles")
    assert (got.kind, got.rule) == (Kind.MATCHED, "namesakes_at_address")
    assert {got.voter.registrant_id, *(c.registrant_id for c in got.alternatives)} == {"SR", "JR"}


def test_a_typo_two_household_members_of_different_names_are_as_close_to_stays_a_tie():
    roll = [candidate("JA", first_name="JAMES", last_name="LEE", **HOME),
            candidate("JO", first_name="JAMIE", last_name="LEE", **HOME)]  # fmt: skip
    got = outcome(roll, "Jmes Lee", "7556 E 43rd Pl", "Los Angeles")
    assert got.rule != "namesakes_at_address"


BUILDING = {**HOME, "house_number": "1009", "street_predir": "", "street_name": "PINE",
            "street_type": "AVE"}  # fmt: skip


def _briana(voter_id: str, unit: str):
    return candidate(voter_id, first_name="BRIANA", last_name="DOMINGUEZ", unit_number=unit,
                     **BUILDING)  # fmt: skip


def test_of_namesakes_in_one_building_the_one_at_the_unit_written_signed():
    roll = [_briana("B704", "704"), _briana("B2102", "2102")]
    got = outcome(roll, "Briana Domínguez", "1009 Pine Ave #2102", "Los Angeles")
    assert (got.kind, got.rule, got.voter.registrant_id) == (Kind.MATCHED, "match", "B2102")
    assert "the unit written is theirs" in got.summary
    assert got.alternatives == ()


def test_namesakes_with_no_unit_written_or_one_of_neither_stay_one_of_them():
    roll = [_briana("B704", "704"), _briana("B2102", "2102")]
    for address in ("1009 Pine Ave", "1009 Pine Ave #12"):
        got = outcome(roll, "Briana Domínguez", address, "Los Angeles")
        assert got.rule == "namesakes_at_address", address
    # A namesake with no unit recorded may live at the unit written too.
    roll = [_briana("B704", ""), _briana("B2102", "2102")]
    got = outcome(roll, "Briana Domínguez", "1009 Pine Ave #2102", "Los Angeles")
    assert got.rule == "namesakes_at_address"


MURPHYS = [
    candidate("JR", first_name="WILLIAM", middle_name="B", last_name="MURPHY", name_suffix="JR",
              house_number="11345", street_name="BIRCHWOOD", street_type="AVE", city="LOS ANGELES",
              zip="91344"),
    candidate("SR", first_name="WILLIAM", last_name="MURPHY", name_suffix="SR",
              house_number="11345", street_name="BIRCHWOOD", street_type="AVE", city="LOS ANGELES",
              zip="91344"),
]  # fmt: skip
ADDERRIDGES = [
    candidate("J", first_name="JAMES", last_name="ADDERRIDGE", name_suffix="JR",
              house_number="14860", street_name="IMPERIAL", street_type="HWY", city="LOS ANGELES",
              zip="90011"),
    candidate("S", first_name="JESSICA", last_name="ADDERRIDGE", house_number="14860",
              street_name="IMPERIAL", street_type="HWY", city="LOS ANGELES", zip="90011"),
]  # fmt: skip
ALLENS = [
    candidate("MA", first_name="MARY", last_name="MOORE-ALLEN", house_number="14727",
              street_name="PALM", street_type="DR", city="LOS ANGELES", zip="91606"),
    candidate("A", first_name="MARY", last_name="ALLEN", house_number="14727",
              street_name="PALM", street_type="DR", city="LOS ANGELES", zip="91606"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("roll", "name", "address", "voter_id", "phrase"),
    [
        # The middle initial written is on record for one namesake only: theirs.
        (MURPHYS, "William B Murphy", "11345 Birchwood Ave", "JR", "middle initial"),
        (MURPHYS, "wil b murphy", "11345 Birchwood", "JR", "middle initial"),
        # Every word of the surname written is one namesake's; the other bears only a part.
        (ALLENS, "mary moore-allen", "14727 Palm Dr", "MA", "whole surname"),
        (ALLENS, "Moore Allen, Mary", "14727 Palm Dr", "MA", "whole surname"),
        # The suffix written is on record for one of those the initial fits; the other has none.
        (ADDERRIDGES, "ADDERRIDGE JR, J", "14860 Imperial Hwy", "J", "suffix written"),
        (ADDERRIDGES, "j adderridge jr", "14860 imperial", "J", "suffix written"),
        # Nothing written for the other: still theirs alone, as before.
        (ALLENS, "Mary Allen", "14727 Palm Dr", "A", "surname exact"),
    ],
)  # fmt: skip
def test_what_is_written_marks_one_namesake_out(roll, name, address, voter_id, phrase):
    got = outcome(roll, name, address, "Los Angeles")
    assert (got.kind, got.rule) == (Kind.MATCHED, "match"), got
    assert got.voter.registrant_id == voter_id
    assert not got.alternatives
    assert phrase in got.summary


def test_no_middle_written_leaves_the_namesakes_tied():
    got = outcome(MURPHYS, "William Murphy", "11345 Birchwood Ave", "Los Angeles")
    assert got.rule == "namesakes_at_address"
    assert {got.voter.registrant_id, *(c.registrant_id for c in got.alternatives)} == {"JR", "SR"}


def test_no_suffix_written_leaves_an_initial_shared_tied():
    got = outcome(ADDERRIDGES, "Adderridge, J", "14860 Imperial Hwy", "Los Angeles")
    assert got.rule == "household_initial"
    assert {got.voter.registrant_id, *(c.registrant_id for c in got.alternatives)} == {"J", "S"}


def test_a_tie_names_the_namesake_with_no_middle_name_on_record_first():
    roll = [
        candidate("A1", first_name="LINDA", middle_name="JENNIFER", last_name="MARTIN", **HOME),
        candidate("Z9", first_name="LINDA", last_name="MARTIN", **HOME),
    ]  # fmt: skip
    got = outcome(roll, "Linda Martin", "7556 E 43rd Pl", "Los Angeles")
    assert got.rule == "namesakes_at_address"
    assert (got.voter.registrant_id, [c.registrant_id for c in got.alternatives]) == ("Z9", ["A1"])


TRUMAN_BUILDING = {"house_number": "5626", "street_name": "TRUMAN", "street_type": "AVE",
            "city": "SIERRA MADRE", "zip": "91024"}  # fmt: skip
LIUS = [
    candidate("D51", first_name="DAVID", middle_name="JIMMY", last_name="LIU", unit_number="51",
              **TRUMAN_BUILDING),
    candidate("R77", first_name="ROBERT", last_name="LIU", unit_number="77", **TRUMAN_BUILDING),
    candidate("E77", first_name="ELIZABETH", last_name="LIU", unit_number="77", **TRUMAN_BUILDING),
]  # fmt: skip


def test_a_name_written_with_another_households_unit_of_its_surname_is_for_review():
    got = outcome(LIUS, "DAVID LIU", "5626 Truman Ave #77", "Sierra Madre")
    assert (got.kind, got.rule) == (Kind.GREY, "grey_other_unit"), got
    assert "another household" in got.summary


@pytest.mark.parametrize("address", ["5626 Truman Ave #51", "5626 Truman Ave", "5626 Truman #12"])
def test_a_unit_of_no_household_of_the_surname_still_counts(address):
    # Its own unit, none, or a unit where no LIU lives: a different unit does not invalidate.
    got = outcome(LIUS, "DAVID LIU", address, "Sierra Madre")
    assert (got.kind, got.voter.registrant_id) == (Kind.MATCHED, "D51"), got


GARFIELD = {**HOME, "house_number": "17104", "street_predir": "", "street_name": "GARFIELD",
            "street_type": "AVE", "city": "WEST COVINA", "zip": "91791"}  # fmt: skip
# Of one initial in a building, her registration cancelled: not namesakes who both count.
JAMESES = [
    candidate("LT", first_name="LATOYA", last_name="JAMES", unit_number="403", status="C",
              **GARFIELD),
    candidate("LK", first_name="LAKISHA", last_name="JAMES", unit_number="12", **GARFIELD),
]  # fmt: skip
TAYLOR = {**HOME, "house_number": "11879", "street_predir": "N", "street_name": "TAYLOR",
          "street_type": "ST", "city": "SOUTH WHITTIER", "zip": "90605"}  # fmt: skip
# Of one initial in a building, both surnames a typo off the one written (GARCIA LON).
GARCIAS = [
    candidate("CM", first_name="CARMEN", last_name="GARCÍA LEÓN", unit_number="92", **TAYLOR),
    candidate("CS", first_name="CARLOS", middle_name="SERGIO", last_name="GARCIA CRUZ",
              unit_number="7", **TAYLOR),
]  # fmt: skip
MARTINS = [
    candidate("LJ", first_name="LINDA", middle_name="JENNIFER", last_name="MARTIN", **HOME),
    candidate("L", first_name="LINDA", last_name="MARTIN", **HOME),
]  # fmt: skip


@pytest.mark.parametrize(
    ("roll", "name", "address", "voter_id", "phrase"),
    [
        # Two of one initial in a building: the unit written is one's, the other's another.
        (GARCIAS, "C García Lón", "11879 N. Taylor St # 92", "CM", "the unit written is theirs"),
        # A nickname of two LINDAs: the middle name written is on record for one alone.
        (MARTINS, "Martin, Lynn Jennifer", "7556 E 43rd Pl", "LJ", "middle initial written"),
    ],
)  # fmt: skip
def test_what_is_written_marks_out_one_of_two_the_name_fits_as_well(
    roll, name, address, voter_id, phrase
):
    got = outcome(roll, name, address, "Los Angeles")
    assert (got.kind, got.voter.registrant_id) == (Kind.MATCHED, voter_id), got
    assert "2 voters here fit the name" in got.summary
    assert phrase in got.summary


@pytest.mark.parametrize(
    ("roll", "name", "address"),
    [(GARCIAS, "C Garcia Lon", "11879 N Taylor St"), (GARCIAS, "C Garcia Lon", "11879 N Taylor #9"),
     (MARTINS, "Lynn Martin", "7556 E 43rd Pl"),
     # A cancelled registration in the unit written, an active one of the initial in another:
     # often one person registered anew in the building, for a reviewer.
     (JAMESES, "L James", "17104 Garfield Av Unit 403")],
)  # fmt: skip
def test_with_nothing_written_to_mark_one_out_the_two_stay_a_tie(roll, name, address):
    got = outcome(roll, name, address, "Los Angeles")
    assert (got.kind, got.rule) == (Kind.TIE, "tie_at_address"), got
