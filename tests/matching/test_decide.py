"""matching.decide on a small roll in memory: the hard cases of tests/petitions/test_validation.py
as (line, candidates, expected outcome), and each kind of outcome."""

import pytest

from matching.compare import Level, line_keys
from matching.decide import RARE_NAME, Kind, decide, relatives_here
from tests.matching.roll import HARD_CASE_VOTERS, candidate, graded, outcome, places

ROLL = [candidate(voter_id, **fields) for voter_id, fields in HARD_CASE_VOTERS]


@pytest.mark.parametrize(
    ("name", "address", "city", "kind", "rule", "voter_id", "phrase"),
    [
        ("Bob Smithers", "12 Oak Ave", "Glendale", Kind.MATCHED, "match", "BOB",
         "first name nickname"),
        ("Maria Garcia", "77 S Figueroa Street", "Los Angeles", Kind.MATCHED, "match", "CMP",
         "compound"),
        ("Jose Nunez", "8 Maple Drive", "LA", Kind.MATCHED, "match", "ACC", "surname exact"),
        ("MARTINEZ JOSE JR", "500 Elm St", "Pasadena", Kind.MATCHED, "match", "JR1",
         "suffix exact"),
        ("SMITHERS ROBERT", "12 Oak", "Glendale", Kind.MATCHED, "match", "BOB", "swapped"),
        ("Grace Okafor", "900 N Vermont Ave", "Hollywood", Kind.MATCHED, "match", "UNI",
         "unit missing"),
        ("Grace Okafor", "900 Vermont Ave #7", "Los Angeles", Kind.MATCHED, "match", "UNI",
         "unit different"),
        # No street type written: the last word is part of the name, not a suffix (HILL).
        ("Maria Maldonado Espinoza", "17019 Indian Hill", "Norwalk", Kind.MATCHED, "match", "HIL",
         "street agree"),
        ("Jimenez Pantoja Angelica", "9296 E Sunnyside Avenue", "Hawthorne", Kind.MATCHED, "match",
         "JPA", "swapped"),
        ("De La Fuente D", "9619 Stocker St # 72", "Florence-Graham", Kind.MATCHED, "match",
         "DLF", "swapped"),
        ("Gabriela Alvarezz Castaneda", "4524 Gordon Drive", "Lynwood", Kind.MATCHED, "match",
         "AVC", "compound"),
        ("Luis Smithers", "12 Oak Ave", "Glendale", Kind.NONE, "not_found", "", "household"),
        ("Zebediah Quillfeather", "1200 Main St", "Long Beach", Kind.ELSEWHERE, "moved", "MOV",
         "another address"),
        ("Pedro Garcia Lopez", "77 Figueroa St", "Los Angeles", Kind.NONE, "not_found", "",
         "household"),
        ("Ann Example", "1 Harbor Dr", "San Diego", Kind.OUTSIDE, "out_of_county", "",
         "not in the"),
        ("Harold Blumenthal", "4 Ash Ct", "Torrance", Kind.MATCHED, "cancelled", "CAN",
         "cancelled"),
        ("", "4 Ash Ct", "Torrance", Kind.INCOMPLETE, "incomplete", "", "no name"),
    ],
)  # fmt: skip
def test_hard_cases(name, address, city, kind, rule, voter_id, phrase):
    got = outcome(ROLL, name, address, city)
    assert (got.kind, got.rule) == (kind, rule), got
    assert (got.voter.registrant_id if got.voter else "") == voter_id
    assert phrase in got.summary


def test_a_cancelled_registration_is_a_match_that_says_so():
    got = outcome(ROLL, "Harold Blumenthal", "4 Ash Ct", "Torrance")
    assert got.cancelled
    assert not outcome(ROLL, "Bob Smithers", "12 Oak Ave", "Glendale").cancelled


def test_jr_and_sr_at_one_address_with_no_suffix_written_are_matched_as_namesakes():
    got = outcome(ROLL, "Jose Martinez", "500 Elm St", "Pasadena")
    assert (got.kind, got.rule) == (Kind.MATCHED, "namesakes_at_address")
    assert {got.voter.registrant_id, *(c.registrant_id for c in got.alternatives)} == {
        "SR1", "JR1",
    }  # fmt: skip


def test_namesakes_at_one_address_not_all_registered_are_a_tie():
    roll = [
        candidate("SR1", first_name="JOSE", last_name="MARTINEZ", name_suffix="SR",
                  house_number="500", street_name="ELM", city="PASADENA", zip="91101"),
        candidate("JR1", first_name="JOSE", last_name="MARTINEZ", name_suffix="JR",
                  house_number="500", street_name="ELM", city="PASADENA", zip="91101",
                  status="C"),
    ]  # fmt: skip
    got = outcome(roll, "Jose Martinez", "500 Elm St", "Pasadena")
    assert (got.kind, got.rule) == (Kind.TIE, "tie_at_address")
    assert got.voter is None
    assert got.summary == "2 voters at this address match about equally well (JR/SR?)"
    assert {c["voter_id"] for c in got.candidates} == {"SR1", "JR1"}


def test_a_shared_initial_in_one_household_is_matched_with_the_others_as_alternatives():
    got = outcome(ROLL, "M Mason", "8048 Foothill Blvd", "Pomona")
    assert (got.kind, got.rule) == (Kind.MATCHED, "household_initial")
    assert {got.voter.registrant_id, *(c.registrant_id for c in got.alternatives)} == {
        "MI1", "MA1",
    }  # fmt: skip
    assert got.summary.endswith("; 2 voters of this name live here")


def test_a_surname_alone_at_the_address_is_incomplete_linked_to_the_one_voter_of_it():
    got = outcome(ROLL, "Smithers", "12 Oak Ave", "Glendale")
    assert (got.kind, got.rule) == (Kind.INCOMPLETE, "incomplete_linked")
    assert got.voter is not None
    assert got.voter.registrant_id == "BOB"
    assert got.score == 0.685
    assert got.summary.startswith("one name only (the one voter at this address it may be: "
                                  "surname exact, first")  # fmt: skip


def test_a_common_name_found_only_elsewhere_is_none():
    roll = [
        candidate(f"V{i}", first_name="JOHN", last_name="SMITH", house_number=str(10 + i),
                  street_name="ELM", city="PASADENA", zip="91101")
        for i in range(3)
    ]  # fmt: skip
    got = outcome(roll, "John Smith", "999 Oak Ave", "Pasadena")
    assert (got.kind, got.rule) == (Kind.NONE, "common_name_elsewhere")
    assert "3+ voters of this name" in got.summary


@pytest.mark.parametrize(
    ("signed", "name", "address", "missing"),
    [(False, "Bob Smithers", "12 Oak Ave", "no signature"),
     (True, "Bob Smithers", "", "no address"),
     (False, "", "", "no signature or name or address")],
)  # fmt: skip
def test_an_incomplete_line_says_what_is_missing(signed, name, address, missing):
    got = outcome(ROLL, name, address, "Glendale", signed=signed)
    assert (got.kind, got.summary) == (Kind.INCOMPLETE, missing)
    assert got.candidates == ()


def test_an_outcome_carries_the_matched_voters_agreement_field_by_field():
    got = outcome(ROLL, "Bob Smithers", "12 Oak Ave", "Glendale")
    assert got.agreement is not None
    assert (got.agreement.surname, got.agreement.given) == (Level.EXACT, Level.NICKNAME)
    assert got.candidates[0]["fields"]["first"] == "nickname"


def test_where_a_moved_voter_is_registered_is_a_ref_not_in_the_summary():
    got = outcome(ROLL, "Zebediah Quillfeather", "1200 Main St", "Long Beach")
    assert got.refs == {"registered_at": "31 N PINE ST, LONG BEACH"}
    assert "PINE" not in got.summary


def test_an_outcome_is_frozen():
    got = outcome(ROLL, "Bob Smithers", "12 Oak Ave", "Glendale")
    with pytest.raises(AttributeError):
        got.kind = Kind.NONE  # type: ignore[misc]


@pytest.mark.parametrize(
    ("name", "address", "city"),
    [("Robert Smithers", "Oak Ave", "Glendale"),  # no house number
     ("Bob Smithers", "12", "Glendale"),  # no street
     ("Robert Smithers", "Oak Avenue", "")],  # no house number, no place either
)  # fmt: skip
def test_a_line_missing_its_number_or_street_stays_incomplete_but_names_its_voter(
    name, address, city
):
    got = outcome(ROLL, name, address, city)
    assert (got.kind, got.rule) == (Kind.INCOMPLETE, "incomplete_linked")
    assert got.voter is not None
    assert got.voter.registrant_id == "BOB"
    assert got.summary.startswith("no address (house number or street missing; surname exact")


@pytest.mark.parametrize(
    ("name", "address", "city"),
    [("Luis Smithers", "Oak Ave", "Glendale"),  # another given name: a relative
     ("Robert Smithers", "Oak Ave", "Pasadena")],  # another place
)  # fmt: skip
def test_a_line_missing_a_part_is_linked_only_when_the_rest_agrees(name, address, city):
    got = outcome(ROLL, name, address, city)
    assert (got.kind, got.rule, got.voter) == (Kind.INCOMPLETE, "incomplete", None)


@pytest.mark.parametrize("address", ["14", "Elm St"])  # the number, or the street, not theirs
def test_a_line_missing_a_part_against_theirs_is_linked_only_by_a_rare_name(address):
    keys = line_keys("Robert Smithers", address, "Glendale", "")
    found = graded(keys, ROLL)
    where = places(ROLL)
    rare = decide(keys, found, name_count=RARE_NAME, places=where)
    assert (rare.kind, rare.rule, rare.voter.registrant_id) == (
        Kind.INCOMPLETE, "incomplete_linked", "BOB"
    )  # fmt: skip
    # A common name: an unregistered namesake in the place as likely as the one found.
    common = decide(keys, found, name_count=RARE_NAME + 1, places=where)
    assert (common.kind, common.rule, common.voter) == (Kind.INCOMPLETE, "incomplete", None)


def test_a_line_missing_its_number_is_not_linked_when_two_namesakes_fit():
    twins = [candidate(f"T{i}", first_name="ROBERT", last_name="SMITHERS", house_number=str(i),
                       street_name="OAK", street_type="AVE", city="GLENDALE", zip="91201")
             for i in (12, 14)]  # fmt: skip
    got = outcome(twins, "Robert Smithers", "Oak Ave", "Glendale")
    assert (got.kind, got.rule, got.voter) == (Kind.INCOMPLETE, "incomplete", None)


def _home(voter_id: str, first: str, last: str = "LITTLE", **fields: str):
    """A voter of the household at 12 Oak Ave, Glendale."""
    return candidate(voter_id, first_name=first, last_name=last, house_number="12",
                     street_name="OAK", street_type="AVE", city="GLENDALE", zip="91201",
                     **fields)  # fmt: skip


LITTLES = [_home("STE", "STEPHANIE"), _home("ROG", "ROGER"), _home("ERC", "ERIC"),
           _home("MIR", "MIRIAM")]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "voter_id"),
    [("Stephine Little", "STE"), ("Miriat Little", "MIR"), ("Roge T Little", "ROG")],
)  # fmt: skip
def test_a_given_name_misspelt_at_the_voters_own_address_is_theirs(name, voter_id):
    got = outcome(LITTLES, name, "12 Oak Ave", "Glendale")
    assert (got.kind, got.rule, got.voter.registrant_id) == (Kind.MATCHED, "match", voter_id)
    assert "first name misspelt" in got.summary
    assert got.summary.endswith("; no one else registered here has a first name this close")


def test_the_unregistered_relative_with_a_name_of_their_own_stays_not_registered():
    # ERIN is one letter off ERIC, but a given name of its own: ERIC's relative, not ERIC.
    got = outcome(LITTLES, "Erin Little", "12 Oak Ave", "Glendale")
    assert (got.kind, got.rule, got.voter) == (Kind.NONE, "not_found", None)
    assert got.summary.endswith("(others of the household are registered here)")


def test_a_misspelt_name_of_two_household_namesakes_is_either_of_them():
    roll = [
        _home("SR", "LEROY", "ROBINSON", name_suffix="SR"),
        _home("JR", "LEROY", "ROBINSON", name_suffix="JR"),
        _home("W", "WILLIAM", "ROBINSON"),
    ]
    got = outcome(roll, "Lero Robinson", "12 Oak Ave", "Glendale")
    assert (got.kind, got.rule) == (Kind.MATCHED, "namesakes_at_address")
    assert {got.voter.registrant_id, *(c.registrant_id for c in got.alternatives)} == {"SR", "JR"}


def test_a_misspelt_name_with_part_of_a_compound_surname_is_the_voters():
    roll = [_home("PAT", "PATRICIA", "CASTILLO LARA"), _home("ROS", "ROSA", "CASTILLO LARA")]
    got = outcome(roll, "Patrici Castillo", "12 Oak Ave", "Glendale")
    assert (got.kind, got.rule, got.voter.registrant_id) == (Kind.MATCHED, "match", "PAT")
    assert got.summary.startswith("surname compound, first name misspelt")


def test_a_misspelling_two_household_members_are_as_close_to_is_a_tie():
    roll = [_home("KY", "KIMBERLY", "MOODY"), _home("KE", "KIMBERLEE", "MOODY")]
    got = outcome(roll, "Kimberl Moody", "12 Oak Ave", "Glendale")
    assert (got.kind, got.rule, got.voter) == (Kind.TIE, "tie_at_address", None)
    assert {c["voter_id"] for c in got.candidates} == {"KY", "KE"}


def test_a_misspelling_with_the_surname_a_typo_off_counts_when_no_one_else_is_as_close():
    # Both names misspelt ("Marcu Campbel", "JAME BRROWN" on the benchmark): the surname agrees
    # (a typo) at the voter's own address and no one else registered there is as close.
    roll = [_home("STE", "STEPHANIE", middle_name="ANN"), _home("ROG", "ROGER")]
    got = outcome(roll, "Stephine Littel", "12 Oak Ave", "Glendale")
    assert (got.kind, got.rule, got.voter.registrant_id) == (Kind.MATCHED, "match", "STE")
    assert got.summary.startswith("surname close, first name misspelt")


@pytest.mark.parametrize(
    ("name", "why"),
    [("Stephine Q Little", "middle initial differs")],
)  # fmt: skip
def test_a_misspelling_the_engine_cannot_settle_goes_to_review(name, why):
    roll = [_home("STE", "STEPHANIE", middle_name="ANN"), _home("ROG", "ROGER")]
    got = outcome(roll, name, "12 Oak Ave", "Glendale")
    assert (got.kind, got.rule, got.voter) == (Kind.GREY, "grey_misspelt", None)
    assert got.summary.startswith("a voter at this address may be the signer, the first name")
    assert why in got.summary
    assert got.candidates[0]["voter_id"] == "STE"  # the reading, first among the candidates


def test_a_first_name_two_letters_off_a_household_members_goes_to_review():
    roll = [_home("EDU", "EDUARDO", "SALAS"), _home("MAR", "MARTA", "SALAS")]
    got = outcome(roll, "Edwrdo Salas", "12 Oak Ave", "Glendale")
    assert (got.kind, got.rule) == (Kind.GREY, "grey_misspelt")
    assert "two letters off" in got.summary
    assert got.candidates[0]["voter_id"] == "EDU"
    # A name of its own that far off is a relative: not registered.
    assert outcome(roll, "Emilio Salas", "12 Oak Ave", "Glendale").kind == Kind.NONE


def _elsewhere(voter_id: str, number: str, **fields: str):
    return candidate(voter_id, first_name="ZEBEDIAH", last_name="QUILLFEATHER",
                     house_number=number, street_name="PINE", city="LONG BEACH", zip="90802",
                     **fields)  # fmt: skip


def test_namesakes_at_one_other_address_are_one_mover():
    roll = [_elsewhere("SR", "31", name_suffix="SR"), _elsewhere("JR", "31", name_suffix="JR")]
    got = outcome(roll, "Zebediah Quillfeather", "1200 Main St", "Long Beach")
    assert (got.kind, got.rule) == (Kind.ELSEWHERE, "moved")
    assert got.refs == {"registered_at": "31 N PINE ST, LONG BEACH"}
    # At two addresses, either may be the signer (or neither): not registered here.
    roll = [_elsewhere("A", "31"), _elsewhere("B", "77")]
    got = outcome(roll, "Zebediah Quillfeather", "1200 Main St", "Long Beach")
    assert (got.kind, got.rule) == (Kind.NONE, "common_name_elsewhere")


def test_a_middle_initial_singles_out_a_mover_among_namesakes():
    roll = [_elsewhere(f"V{m}", str(10 + i), middle_name=m) for i, m in enumerate("ABC")]
    got = outcome(roll, "Zebediah B Quillfeather", "1200 Main St", "Long Beach")
    assert (got.kind, got.rule, got.voter.registrant_id) == (Kind.ELSEWHERE, "moved", "VB")
    got = outcome(roll, "Zebediah Quillfeather", "1200 Main St", "Long Beach")
    assert (got.kind, got.rule) == (Kind.NONE, "common_name_elsewhere")


def test_a_namesake_elsewhere_is_no_mover_when_the_lines_household_is_registered_here():
    roll = [_elsewhere("MOV", "31"),
            candidate("HH", first_name="MARGARET", last_name="QUILLFEATHER", house_number="1200",
                      street_name="MAIN", city="LONG BEACH", zip="90802")]  # fmt: skip
    got = outcome(roll, "Zebediah Quillfeather", "1200 Main St", "Long Beach")
    assert (got.kind, got.rule) == (Kind.NONE, "common_name_elsewhere")
    assert got.summary.endswith("(others of the household are registered here)")


def test_a_cancelled_registration_elsewhere_is_no_mover():
    got = outcome([_elsewhere("C", "31", status="C")], "Zebediah Quillfeather", "1200 Main St",
                  "Long Beach")  # fmt: skip
    assert (got.kind, got.voter) == (Kind.NONE, None)


def test_an_address_outside_the_county_is_out_of_jurisdiction_whoever_signed():
    got = outcome(ROLL, "Zebediah Quillfeather", "1 Harbor Dr", "San Diego")
    assert (got.kind, got.rule) == (Kind.OUTSIDE, "out_of_county")


def test_relatives_here_are_voters_of_the_lines_surname_at_its_address():
    keys = line_keys("Zebediah Quillfeather", "12 Oak Ave", "Glendale", "")
    assert relatives_here(graded(keys, [*LITTLES, _home("QF", "MARGARET", "QUILLFEATHER")]))
    assert not relatives_here(graded(keys, LITTLES))
    # A namesake elsewhere is no relative here.
    assert not relatives_here(graded(keys, [_elsewhere("MOV", "31")]))


def test_a_hyphenated_surname_written_first_with_a_typo_is_read_swapped():
    # Bench 1M/100k seed 7: "HERNANDZ-NUNEZ ELIZABETH" was not registered.
    home = {"house_number": "16634", "street_predir": "", "street_name": "SATSUMA",
            "street_type": "AVE", "city": "LOS ANGELES", "zip": "91406"}  # fmt: skip
    voter = candidate("EHN", first_name="ELIZABETH", last_name="HERNANDEZ-NUNEZ", **home)
    other = candidate("GS", first_name="GAIL", last_name="SAKAMOTO", **home)
    got = outcome([voter, other], "HERNANDZ-NUNEZ ELIZABETH", "16634 Satsuma Ave", "Van Nuys")
    assert (got.kind, got.voter) == (Kind.MATCHED, voter)
    assert "surname close, first name exact, first and last name swapped" in got.summary
    # Two words short: no surname of its own to read a typo into (MARIA-JOSE is a given name).
    maria = candidate("MJ", first_name="MARIA JOSE", last_name="GARCIA", **home)
    assert outcome([maria], "Maria-Jose Garcia", "16634 Satsuma Ave", "").voter == maria
