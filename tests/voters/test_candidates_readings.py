"""The second name pass: a name with its spaces shifted or dropped is looked up as the roll's names
its letters may be ("TeresaJ ohnson" as TERESA JOHNSON), for the whole batch at once, and only for
lines nothing matched as written."""

import pytest
from django.core.management import call_command

from matching.compare import line_keys
from tests.voters.factories import voter, write_canonical
from voters.matching import find_candidates, found_start, name_pass
from voters.models import VoterRoll

pytestmark = pytest.mark.django_db


def _at(number, street, kind="ST", city="PASADENA", zip_code="91101") -> dict:
    return {"house_number": number, "street_name": street, "street_type": kind, "street_predir": "",
            "city": city, "zip": zip_code}  # fmt: skip


ROLL = [
    voter("TJ", first_name="TERESA", last_name="JOHNSON", **_at("640", "LARCH")),
    voter("FR", first_name="FELIX", last_name="ROSALES", **_at("12", "OAK", "AVE")),
    voter("TP", first_name="TIGRAN", middle_name="LEVON", last_name="PETROSYAN",
          **_at("77", "FIGUEROA", city="GLENDALE", zip_code="91205")),
    voter("MS", first_name="MICHAEL", last_name="SCHMIDT", **_at("9", "PINE")),
    voter("JO", first_name="JOSE", last_name="ORTIZ", **_at("31", "ELM")),
    voter("AR", first_name="ADRIANA", last_name="ROJAS MONTOYA", **_at("1549", "9TH")),
    voter("JG", first_name="JAMES", last_name="GREEN", **_at("88", "ASH")),
    voter("AC", first_name="ANTHONY", middle_name="E", last_name="COOK", **_at("2895", "KENWOOD")),
    voter("EC", first_name="EVELYN", last_name="COOK", **_at("2895", "KENWOOD")),
    voter("DB", first_name="DERRICK", last_name="BATTLE", **_at("9738", "67TH")),
    voter("DF", first_name="DAVID", last_name="FORDGOOD", **_at("11988", "CLEARVIEW")),
]  # fmt: skip


@pytest.fixture
def roll_id(tmp_path) -> int:
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    return VoterRoll.objects.get(state=VoterRoll.State.ACTIVE).pk


LINES = {
    1: ("TeresaJ ohnson", "640 Larch St", "Pasadena"),  # at her address
    2: ("FelixRosales", "12 Oak Ave", "Pasadena"),
    3: ("tigranlpetrosyan", "5 Brand Blvd", "Glendale"),  # moved: another address
    4: ("Michae lSchmidt", "9 Pine St", "Pasadena"),
    5: ("Jose Ortiz", "31 Elm St", "Pasadena"),  # written right
    6: ("ADRIAN AROJAS", "1549 9th St", "Pasadena"),  # a compound surname, written in part
    7: ("JGreen", "88 Ash St", "Pasadena"),  # an initial run into the surname
}
# The space shifted and a typo or a nickname beside it: not in the name index as read, so looked
# up among the residents of the address by the reading's surname.
AT_HOME = {
    8: ("ANTHNOY  ECOOK", "2895 Kenwood St", "Pasadena"),  # ANTHONY E COOK, typo in the given name
    9: ("RICK YBATTLE", "9738 67th St", "Pasadena"),  # RICKY (DERRICK's nickname) BATTLE
    10: ("Davi dForddgood", "11988 Clearview St", "Pasadena"),  # and FORDGOOD misspelt
}


def _found(roll_id: int):
    lines = {i: line_keys(name, address, city, "") for i, (name, address, city) in LINES.items()}
    return find_candidates(roll_id, lines)


def test_the_readings_pass_finds_the_voter_of_a_misspaced_name(roll_id):
    found = _found(roll_id)
    expected = {1: "TJ", 2: "FR", 3: "TP", 4: "MS", 6: "AR", 7: "JG"}
    for line_id, voter_id in expected.items():
        assert voter_id in found.candidates[line_id], line_id
        # Found by the readings pass, or at the address by the pass that fetches a one-word
        # line's residents by their first letter (FelixRosales, JGreen): read as a name either way.
        assert found.candidates[line_id][voter_id].passes & {"reading", "address"}
        best = found.ranked(line_id)[0]
        assert best.candidate.registrant_id == voter_id
        assert best.reading  # the reason says how the name was read
    assert found.ranked(3)[0].reading == "TIGRAN L PETROSYAN"
    assert found.ranked(6)[0].reading == "ADRIANA ROJAS"
    assert found.name_counts[3] == 1  # one voter of that reading: rare enough to be them, moved


def test_a_reading_with_a_slip_beside_the_shifted_space_is_found_at_the_address(roll_id):
    lines = {i: line_keys(name, address, city, "") for i, (name, address, city) in AT_HOME.items()}
    found = find_candidates(roll_id, lines)
    assert "reading" in found.candidates[8]["AC"].passes
    best = found.ranked(8)[0]
    assert best.candidate.registrant_id == "AC"
    assert best.reading == "ANTHNOY E COOK"
    assert "reading" in found.candidates[9]["DB"].passes
    assert found.ranked(9)[0].candidate.registrant_id == "DB"
    # No surname of the roll ends the letters: found at the address by the surname's start
    # after the letter run onto it (FO), and read as DAVID FORDDGOOD.
    assert "address" in found.candidates[10]["DF"].passes
    assert found.ranked(10)[0].reading == "DAVID FORDDGOOD"
    # Elsewhere, such a reading is no name to look up county-wide.
    elsewhere = {1: line_keys("ANTHNOY  ECOOK", "5 Brand Blvd", "Glendale", "")}
    assert "AC" not in find_candidates(roll_id, elsewhere).candidates[1]


def test_a_line_matched_as_written_is_never_reread(roll_id):
    found = _found(roll_id)
    assert found.candidates[5]["JO"].passes == {"address"}
    assert all("reading" not in c.passes for c in found.candidates[5].values())


def test_readings_are_looked_up_for_the_whole_batch_in_three_queries(
    roll_id, django_assert_num_queries
):
    lines = {i: line_keys(name, address, city, "") for i, (name, address, city) in LINES.items()}
    found = found_start(roll_id, lines)
    # Compound surnames at the address; the readings' surnames on the roll's distinct surnames,
    # then the voters of those names.
    with django_assert_num_queries(3):
        name_pass(found, roll_id, [1, 2, 3, 4, 6, 7], readings=True)
    assert {i for i in found.candidates if found.candidates[i]} == {1, 2, 3, 4, 6, 7}


def test_no_reading_is_worked_out_when_no_cut_of_the_letters_is_a_surname_of_the_roll(roll_id):
    # "Teresa Ortiz" is nobody here; ORTIZ is the surname as written, and no other start or end
    # of TERESAORTIZ is a surname of the roll.
    lines = {1: line_keys("Teresa Ortiz", "640 Larch St", "Pasadena", "")}
    found = find_candidates(roll_id, lines)
    assert all("reading" not in c.passes for c in found.candidates[1].values())
    assert "readings" not in vars(lines[1])  # never even worked out
