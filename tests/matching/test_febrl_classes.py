"""FEBRL4's copies as a registrar reads them (issue 17, bench/bench_febrl.py): one class of
corrupted line per test, its candidates, the outcome, and the negatives that must stay as they
are (a relative of another given name is not registered; a line of one name is never valid)."""

import pytest

from matching.compare import Level, compare, line_keys
from matching.decide import Kind
from tests.matching.roll import candidate, outcome, places


def _at(voter_id: str, first: str, last: str, **fields: str):
    return candidate(voter_id, first_name=first, last_name=last, street_predir="",
                     **{"house_number": "22", "street_name": "MCRAE", "street_type": "PL",
                        "city": "DAPTO", "zip": "04670", **fields})  # fmt: skip


ASHLEIGH = _at("ASH", "ASHLEIGH", "ROLLINS")
OTHER_TOWN = _at("OTH", "PETER", "NOLAN", house_number="5", street_name="ELM", city="SALE",
                 zip="05608")  # fmt: skip


# 1. The place: a short city name misspelt and the ZIP a digit off, or the whole name, number
# and street the voter's with the ZIP a digit off.
@pytest.mark.parametrize(
    ("name", "city", "zip_code", "level"),
    [
        ("Ashleigh Rollins", "Dato", "04672", Level.CLOSE),  # DAPTO 04670
        ("Ashleigh Rollins", "Dato", "04607", Level.CLOSE),  # two digits swapped
        ("Ashleigh Rollins", "Malvern", "04671", Level.UNKNOWN),  # another name, ZIP a digit off
        # Not the voter's place: the ZIP further off, or the name not theirs in full.
        ("Ashleigh Rollins", "Dato", "04612", Level.DIFFERENT),
        ("Ashleigh Rollins", "Malvern", "04612", Level.DIFFERENT),
        ("Ashley Rollins", "Malvern", "04671", Level.DIFFERENT),
    ],
)
def test_a_place_a_letter_and_a_digit_off_is_the_voters(name, city, zip_code, level):
    keys = line_keys(name, "22 Mcrae Place", city, zip_code)
    assert compare(keys, ASHLEIGH, places([ASHLEIGH, OTHER_TOWN])).place == level


def test_a_line_in_a_place_a_letter_and_a_digit_off_is_matched():
    got = outcome([ASHLEIGH, OTHER_TOWN], "Ashleigh Rollins", "22 Mcrae Place", "Dato", "04672")
    assert (got.kind, got.rule, got.voter.registrant_id) == (Kind.MATCHED, "match", "ASH")


# 2. One name only: incomplete, but linked to the one voter at the address it fits.
@pytest.mark.parametrize(
    ("name", "voter_id"),
    [("Rollins", "ASH"), ("Rollnis", "ASH"), ("Ashleigh", "ASH"), ("Ashleihg", "ASH")],
)
def test_a_line_of_one_name_is_incomplete_linked_to_the_one_voter_it_fits(name, voter_id):
    roll = [ASHLEIGH, _at("GRN", "KIEREN", "GREEN")]
    got = outcome(roll, name, "22 Mcrae Place", "Dapto", "04670")
    assert (got.kind, got.rule, got.voter.registrant_id) == (
        Kind.INCOMPLETE, "incomplete_linked", voter_id
    )  # fmt: skip
    assert got.summary.startswith("one name only")


@pytest.mark.parametrize("name", ["Rollins", "Ashleigh", "Nolan"])
def test_a_line_of_one_name_is_never_valid_nor_linked_when_several_or_none_fit(name):
    roll = [ASHLEIGH, _at("AR2", "ASHLEIGH", "ROLLINS", middle_name="J"),
            _at("DAD", "GREG", "ROLLINS")]  # fmt: skip
    got = outcome(roll, name, "22 Mcrae Place", "Dapto", "04670")
    assert got.kind != Kind.MATCHED
    assert got.voter is None


# 3. Typos: swapped order with a typo, a misspelt given name with a surname typo, a surname two
# letters off with the given name exact.
@pytest.mark.parametrize(
    ("name", "voter_id"),
    [
        ("Rollnis Ashleigh", "ASH"),  # swapped, a typo in the surname
        ("Rollins Ashlegih", "ASH"),  # swapped, a typo in the given name
        ("Ashleighf Rollnis", "ASH"),  # given name a letter too long, surname typo
        ("Ashleigh Rolin", "ASH"),  # surname two letters off
    ],
)
def test_typos_at_the_voters_exact_address_match(name, voter_id):
    roll = [ASHLEIGH, _at("DAD", "GREG", "ROLLINS")]
    got = outcome(roll, name, "22 Mcrae Place", "Dapto", "04670")
    assert (got.kind, got.voter.registrant_id) == (Kind.MATCHED, voter_id)


def test_swapped_with_typos_is_review_when_another_member_is_as_close():
    roll = [_at("JMS", "JAMES", "LAVERTY"), _at("JMI", "JAMIS", "LAVERTY")]
    got = outcome(roll, "Lavety Jamds", "22 Mcrae Place", "Dapto", "04670")
    assert (got.kind, got.voter) == (Kind.TIE, None)


def test_swapped_with_typos_in_both_names_at_the_exact_address_matches():
    roll = [_at("JMS", "JAMES", "LAVERTY"), _at("SIS", "CHLOE", "LAVERTY")]
    got = outcome(roll, "Lavety Jamds", "22 Mcrae Place", "Dapto", "04670")
    assert (got.kind, got.voter.registrant_id) == (Kind.MATCHED, "JMS")
    assert got.summary.endswith("no one else registered here has a name this close")


def test_a_surname_two_letters_off_is_not_matched_when_two_share_the_given_name():
    roll = [ASHLEIGH, _at("AR2", "ASHLEIGH", "ROLLINGS")]
    got = outcome(roll, "Ashleigh Rolin", "22 Mcrae Place", "Dapto", "04670")
    assert got.kind != Kind.MATCHED


@pytest.mark.parametrize("name", ["Jack Rollins", "Madeline Rollins", "Jack Rolins"])
def test_a_relative_with_another_given_name_stays_not_registered(name):
    roll = [ASHLEIGH, _at("DAD", "GREG", "ROLLINS")]
    got = outcome(roll, name, "22 Mcrae Place", "Dapto", "04670")
    assert (got.kind, got.voter) == (Kind.NONE, None)


@pytest.mark.parametrize(
    ("name", "first"), [("Riy Howie", "ROY"), ("Sma Howie", "SAM"), ("Gs Howie", "GUS")]
)
def test_a_given_name_a_letter_off_and_no_name_of_its_own_is_the_household_members(name, first):
    roll = [_at("ONE", first, "HOWIE"), _at("MUM", "PATRICIA", "HOWIE")]
    got = outcome(roll, name, "22 Mcrae Place", "Dapto", "04670")
    assert (got.kind, got.voter.registrant_id) == (Kind.MATCHED, "ONE")
    assert "no name of its own" in got.summary


@pytest.mark.parametrize(
    ("name", "roll_firsts"),
    [
        ("Ada Howie", ("ADAM", "PATRICIA")),  # ADA is a name of its own: a relative
        ("Riy Howie", ("ROY", "RIA")),  # two members within two letters of what was written
    ],
)
def test_a_given_name_slip_is_not_read_when_it_may_be_a_relative(name, roll_firsts):
    roll = [_at(f"V{i}", first, "HOWIE") for i, first in enumerate(roll_firsts)]
    got = outcome(roll, name, "22 Mcrae Place", "Dapto", "04670")
    assert got.kind != Kind.MATCHED


# The signer on their own street at another house number (the number written is not theirs).
@pytest.mark.parametrize("name", ["Vianca Rya", "Edwafd Ryan", "Vianca Ryan"])
def test_the_one_voter_of_the_name_on_the_street_at_another_number_is_registered_there(name):
    roll = [_at("VIA", name.split()[0].upper().replace("EDWAFD", "EDWARD"), "RYAN",
                house_number="10"),
            _at("NEI", "PETER", "NOLAN")]  # fmt: skip
    got = outcome(roll, name, "22 Mcrae Place", "Dapto", "04670")
    assert (got.kind, got.rule, got.voter.registrant_id) == (Kind.ELSEWHERE, "moved", "VIA")
    assert got.summary.startswith("registered at another address")
    assert got.refs["registered_at"].startswith("10 MCRAE PL")


def test_two_voters_of_the_name_on_the_street_are_neither():
    roll = [_at("V10", "VIANCA", "RYAN", house_number="10"),
            _at("V12", "VIANCA", "RYAN", house_number="12")]  # fmt: skip
    got = outcome(roll, "Vianca Rya", "22 Mcrae Place", "Dapto", "04670")
    assert got.voter is None


def test_a_household_at_the_written_number_keeps_the_line_theirs_not_the_streets():
    roll = [_at("VIA", "VIANCA", "RYAN", house_number="10"), _at("DAD", "GREG", "RYAN")]
    got = outcome(roll, "Vianca Ryan", "22 Mcrae Place", "Dapto", "04670")
    assert (got.kind, got.voter) == (Kind.NONE, None)


def test_a_line_with_its_street_only_links_a_name_with_a_slip():
    roll = [_at("TAI", "TAI", "GARVEN"), _at("NEI", "PETER", "NOLAN")]
    got = outcome(roll, "Taiz Garven", "Mcrae Place", "Dapto", "04670")
    assert (got.kind, got.rule, got.voter.registrant_id) == (
        Kind.INCOMPLETE, "incomplete_linked", "TAI"
    )  # fmt: skip


def test_the_one_voter_of_the_name_at_the_number_in_the_place_on_another_street():
    roll = [_at("VIA", "VIANCA", "RYAN", street_name="BOGAN"), _at("NEI", "PETER", "NOLAN"),
            # Namesakes elsewhere: too common a name for a mover anywhere in the county.
            _at("VI2", "VIANCA", "RYAN", house_number="7", street_name="ELM"),
            _at("VI3", "VIANCA", "RYAN", house_number="9", street_name="OAK")]  # fmt: skip
    got = outcome(roll, "Vianca Ryan", "22 Mcrae Place", "Dapto", "04670")
    assert (got.kind, got.voter.registrant_id) == (Kind.ELSEWHERE, "VIA")
    assert got.refs["found_at"] == "this house number of another street in this place"
    assert "BOGAN" not in got.summary  # where the voter lives is not the keyer's to see


@pytest.mark.parametrize(
    ("city", "zip_code", "kind"),
    [
        ("Dapto", "04999", Kind.MATCHED),  # a city of the county, the ZIP off: the county's
        ("Dapton", "04999", Kind.MATCHED),  # a city a letter off one of the county's
        ("Wollongong", "02500", Kind.OUTSIDE),  # neither city nor ZIP the county's
        ("", "02500", Kind.OUTSIDE),
    ],
)
def test_a_line_is_out_of_the_county_only_when_neither_its_city_nor_its_zip_is_the_countys(
    city, zip_code, kind
):
    roll = [ASHLEIGH, OTHER_TOWN]
    got = outcome(roll, "Ashleigh Rollins", "22 Mcrae Place", city, zip_code)
    assert got.kind == kind


def test_a_surname_a_letter_off_with_a_given_name_typo_at_the_exact_address_matches():
    roll = [_at("BRI", "BRIANNA", "LOCK"), _at("DAD", "GREG", "LOCK")]
    got = outcome(roll, "Briannna Lockb", "22 Mcrae Place", "Dapto", "04670")
    assert (got.kind, got.voter.registrant_id) == (Kind.MATCHED, "BRI")


def test_a_line_of_one_name_that_is_a_voters_whole_name_on_their_street_is_never_valid():
    roll = [_at("EBE", "", "EBERT", house_number="96"), _at("NEI", "PETER", "NOLAN")]
    got = outcome(roll, "Ebert", "69 Mcrae Place", "Dapto", "04670")
    assert (got.kind, got.voter.registrant_id) == (Kind.INCOMPLETE, "EBE")
    got = outcome(roll, "Ebert", "69 Elm St", "Dapto", "04670")  # at their number? no: 96
    assert got.kind != Kind.MATCHED


def test_a_line_of_one_name_links_the_one_voter_of_it_on_its_street_where_is_a_ref():
    roll = [_at("NOB", "YANA", "NOBLE", house_number="76"), _at("NEI", "PETER", "NOLAN")]
    got = outcome(roll, "Noble", "10 Mcrae Place", "Dapto", "04670")
    assert (got.kind, got.rule, got.voter.registrant_id) == (
        Kind.INCOMPLETE, "incomplete_linked", "NOB"
    )  # fmt: skip
    assert "76" not in got.summary
    assert got.refs["registered_at"].startswith("76 MCRAE")
    roll.append(_at("NO2", "ANN", "NOBLE", house_number="80"))  # two on the street: neither
    assert outcome(roll, "Noble", "10 Mcrae Place", "Dapto", "04670").voter is None


# 4. Lines with part of the address only: incomplete, linked when the rest contradicts nothing.
@pytest.mark.parametrize(
    ("name", "address", "voter_id"),
    [
        ("Zimmermann", "Mcrae Place", "ZIM"),  # one name, the street only
        ("Tayah Zimmermann", "1304", "ZIM"),  # a number of four digits, two swapped
    ],
)
def test_a_line_with_part_of_its_address_links_the_one_voter_it_fits(name, address, voter_id):
    roll = [_at("ZIM", "TAYAH", "ZIMMERMANN", house_number="1340"), _at("NEI", "PETER", "NOLAN")]
    got = outcome(roll, name, address, "Dapto", "04670")
    assert (got.kind, got.rule, got.voter.registrant_id) == (
        Kind.INCOMPLETE, "incomplete_linked", voter_id
    )  # fmt: skip


@pytest.mark.parametrize(("name", "address"), [("Tayah Zimmermann", "17"),
                                               ("Tayah Zimmermanm", "Elm St")])  # fmt: skip
def test_a_line_with_part_of_its_address_against_theirs_links_a_name_rare_in_the_county(
    name, address
):
    roll = [_at("ZIM", "TAYAH", "ZIMMERMANN", house_number="1340"),
            _at("ZI2", "MARK", "ZIMMERMANN", house_number="5")]  # fmt: skip
    got = outcome(roll, name, address, "Dapto", "04670")
    assert (got.kind, got.rule, got.voter.registrant_id) == (
        Kind.INCOMPLETE, "incomplete_linked", "ZIM"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("name", "address"), [("Zimmermann", "Mcrae Place"), ("Tayah Zimmermann", "17")]
)
def test_a_line_with_part_of_its_address_is_not_linked_when_two_fit(name, address):
    roll = [_at("ZIM", "TAYAH", "ZIMMERMANN", house_number="1340"),
            _at("ZI2", "MARK", "ZIMMERMANN", house_number="5"),
            _at("ZI3", "TAYAH", "ZIMMERMANN", house_number="9", street_name="ELM")]  # fmt: skip
    got = outcome(roll, name, address, "Dapto", "04670")
    assert (got.kind, got.rule, got.voter) == (Kind.INCOMPLETE, "incomplete", None)


def test_a_name_misspelt_at_the_number_and_street_with_the_zip_digits_swapped_is_the_voters():
    roll = [ASHLEIGH, OTHER_TOWN]
    got = outcome(roll, "Ashleig Rollins", "22 Mcrae Place", "Bronte", "04760")
    assert (got.kind, got.voter.registrant_id) == (Kind.MATCHED, "ASH")


def test_a_city_and_zip_of_another_place_of_the_county_stay_that_place():
    roll = [ASHLEIGH, _at("SAL", "PETER", "NOLAN", city="SALE", zip="04671")]
    keys = line_keys("Ashleigh Rollins", "22 Mcrae Place", "Sale", "04671")
    assert compare(keys, ASHLEIGH, places(roll)).place == Level.DIFFERENT


# 5. A record with one name only (a roll's row missing its given name or its surname): the line
# that gives the other name too is theirs, when no one else registered there fits it.
@pytest.mark.parametrize(
    ("name", "first", "last", "missing"),
    [
        ("Tyron Klemm", "", "KLEMM", "first name none on record"),
        ("Tyron Klemn", "", "KLEMM", "first name none on record"),  # a surname typo too
        ("Charlotte Fingas", "CHARLOTTE", "", "surname none on record"),
        ("Charlote Fingas", "CHARLOTTE", "", "surname none on record"),  # a given name typo
    ],
)
def test_a_record_of_one_name_is_the_line_that_gives_both(name, first, last, missing):
    roll = [_at("ONE", first, last), OTHER_TOWN]
    got = outcome(roll, name, "22 Mcrae Place", "Dapto", "04670")
    assert (got.kind, got.rule, got.voter.registrant_id) == (Kind.MATCHED, "match", "ONE")
    assert missing in got.summary
    assert got.summary.endswith("; no one else registered here fits")


@pytest.mark.parametrize(
    ("name", "roll"),
    [
        # Another of the surname registered there: the line may be a relative's.
        ("Tyron Klemm", [_at("ONE", "", "KLEMM"), _at("MAR", "MARIA", "KLEMM")]),
        # Another of the given name there.
        ("Charlotte Fingas", [_at("ONE", "CHARLOTTE", ""), _at("CHA", "CHARLOTTE", "NOLAN")]),
        # The other name does not agree: another person.
        ("Tyron Nolan", [_at("ONE", "", "KLEMM")]),
        ("Peter Fingas", [_at("ONE", "CHARLOTTE", "")]),
        # Two records of one name only that the line fits.
        ("Charlotte Klemm", [_at("ONE", "CHARLOTTE", ""), _at("TWO", "", "KLEMM")]),
    ],
)
def test_a_record_of_one_name_is_not_the_line_when_someone_else_fits_or_it_differs(name, roll):
    got = outcome([*roll, OTHER_TOWN], name, "22 Mcrae Place", "Dapto", "04670")
    assert got.voter is None or got.voter.registrant_id not in ("ONE", "TWO")


def test_a_record_of_one_name_in_another_unit_of_the_building_is_not_the_line():
    roll = [_at("ONE", "", "KLEMM", unit_number="5"), OTHER_TOWN]
    got = outcome(roll, "Tyron Klemm", "22 Mcrae Place Apt 7", "Dapto", "04670")
    assert got.voter is None or got.voter.registrant_id != "ONE"
    got = outcome(roll, "Tyron Klemm", "22 Mcrae Place Apt 5", "Dapto", "04670")
    assert (got.kind, got.voter.registrant_id) == (Kind.MATCHED, "ONE")


def test_a_line_of_one_given_name_is_linked_to_the_record_of_that_name_only():
    got = outcome([_at("ONE", "ISABELLA", ""), OTHER_TOWN], "Isabella", "22 Mcrae Place",
                  "Dapto", "04670")  # fmt: skip
    assert (got.kind, got.rule, got.voter.registrant_id) == (
        Kind.INCOMPLETE, "incomplete_linked", "ONE"
    )  # fmt: skip


# 6. A changed surname: the given name exact at the voter's house number and street, the
# surname another, and no one else registered there of either name.
@pytest.mark.parametrize(("unit", "address"), [("", "22 Mcrae Place"),
                                              ("12", "22 Mcrae Place Apt 12")])  # fmt: skip
def test_a_changed_surname_at_the_voters_own_address_is_theirs(unit, address):
    roll = [_at("KER", "RACHEL", "KERSLAKE", unit_number=unit), _at("BOB", "ROBERT", "NOLAN"),
            OTHER_TOWN]  # fmt: skip
    got = outcome(roll, "Rachel Dinnison", address, "Dapto", "04670")
    assert (got.kind, got.rule, got.voter.registrant_id) == (Kind.MATCHED, "match", "KER")
    assert got.summary.startswith("surname different, first name exact")
    assert got.summary.endswith(
        "; the surname written is not theirs (a changed name?); no one else registered here "
        "has either name"
    )


@pytest.mark.parametrize(
    ("name", "roll"),
    [
        # A household of the written surname registered there: the line is one of them.
        ("Rachel Dinnison", [_at("KER", "RACHEL", "KERSLAKE"), _at("DIN", "PAUL", "DINNISON")]),
        # Another of a given name that agrees even in part (a spelling of it) there.
        ("Rachel Dinnison", [_at("KER", "RACHEL", "KERSLAKE"), _at("RAE", "RACHAEL", "NOLAN")]),
        ("Rachel Dinnison", [_at("KER", "RACHEL", "KERSLAKE"), _at("RAC", "RACHEL", "NOLAN")]),
        # The given name not exact: a misspelling, a nickname, a middle initial against it.
        ("Rachal Dinnison", [_at("KER", "RACHEL", "KERSLAKE")]),
        ("Rae Dinnison", [_at("KER", "RACHEL", "KERSLAKE")]),
        ("Rachel B Dinnison", [_at("KER", "RACHEL", "KERSLAKE", middle_name="ANN")]),
        # A suffix written that the voter lacks.
        ("Rachel Dinnison Jr", [_at("KER", "RACHEL", "KERSLAKE")]),
        # In a building, another unit than hers (or none written): a neighbour of her name.
        ("Rachel Dinnison", [_at("KER", "RACHEL", "KERSLAKE", unit_number="12")]),
    ],
)
def test_a_changed_surname_is_not_read_when_the_address_holds_another_reading(name, roll):
    got = outcome([*roll, OTHER_TOWN], name, "22 Mcrae Place", "Dapto", "04670")
    assert got.voter is None or got.voter.registrant_id != "KER"


def test_a_written_name_registered_elsewhere_is_not_read_as_a_changed_surname():
    # RACHEL DINNISON is registered at another address: she, moved, or a namesake; never
    # RACHEL KERSLAKE renamed.
    roll = [_at("KER", "RACHEL", "KERSLAKE"), _at("DIN", "RACHEL", "DINNISON", house_number="5",
                                                 street_name="ELM")]  # fmt: skip
    got = outcome([*roll, OTHER_TOWN], "Rachel Dinnison", "22 Mcrae Place", "Dapto", "04670")
    assert got.voter is None or got.voter.registrant_id != "KER"
