"""The near-address pass: the signer at their own house number on a street written one typo
off anywhere in it, or on their street at a house number one digit misread, whatever the
surname (the surname passes leave common ones out), and the decision that follows."""

import pytest
from django.core.management import call_command

from matching.compare import line_keys
from matching.decide import Kind, decide
from tests.voters.factories import voter, write_canonical
from voters import matching
from voters.matching import (
    find_candidates,
    found_start,
    near_address_pass,
    near_streets,
    roll_streets,
    street_typo_pass,
)
from voters.models import VoterRoll

pytestmark = pytest.mark.django_db

_RESEDA = {"house_number": "8986", "street_predir": "", "street_name": "RESEDA",
           "street_type": "BLVD", "city": "LOS ANGELES", "zip": "91335"}  # fmt: skip
_BALBOA = {**_RESEDA, "house_number": "4755", "street_name": "BALBOA"}
ROLL = [
    voter("MW", first_name="MICHAEL", last_name="WILSON", **_RESEDA),
    voter("KW", first_name="KAREN", last_name="WILSON", **_RESEDA),
    voter("TR", first_name="TOMAS", last_name="RUIZ", **_RESEDA),
    voter("MB", first_name="MATTHEW", last_name="BROWN", **_BALBOA),
    # Brown at the same number of another street, and another Brown two digits off.
    voter("OB", first_name="OLIVIA", last_name="BROWN", **{**_BALBOA, "street_name": "RESEDA"}),
    voter("FB", first_name="FRANK", last_name="BROWN", **{**_BALBOA, "house_number": "4575"}),
    # More namesakes than the name pass reads (NAME_CAP): as MATTHEW BROWN at a million voters.
    *(voter(f"M{n}", first_name="MATTHEW", last_name="BROWN",
            **{**_BALBOA, "street_name": "ELM", "house_number": str(n)}) for n in range(10, 17)),
    voter("PL", first_name="ANA", last_name="PEREZ",
          **{**_RESEDA, "house_number": "11541", "street_name": "PLUMMER", "street_type": "ST"}),
]  # fmt: skip


@pytest.fixture
def roll_id(tmp_path) -> int:
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    return VoterRoll.objects.get(state=VoterRoll.State.ACTIVE).pk


def _search(search, roll_id, name, address):
    found = found_start(roll_id, {1: line_keys(name, address, "Los Angeles", "")})
    search(found, roll_id, [1])
    return set(found.candidates[1])


def test_the_roll_streets_one_typo_from_a_written_one(roll_id):
    streets = roll_streets(roll_id)
    assert near_streets(streets, "RSEEDA") == {"RESEDA"}  # two letters swapped
    assert near_streets(streets, "PLUUMMER") == {"PLUMMER"}  # one doubled
    assert near_streets(streets, "BALBOAS") == {"BALBOA"}
    assert near_streets(streets, "RESEDA") == set()  # the street itself is no typo of it
    assert near_streets(streets, "RSDEA") == set()  # two typos
    assert near_streets(streets, "BLBA") == set()  # BALBOA is two letters off
    assert near_streets(streets, "RSD") == set()  # too short to read this way


def test_a_street_misspelt_in_its_first_letters_finds_the_household(roll_id):
    assert _search(street_typo_pass, roll_id, "Wilson, M", "8986 Rseeda Blvd") == set()
    # Whose surname starts like a written word, or who bear its given name; not TOMAS RUIZ.
    assert _search(near_address_pass, roll_id, "Wilson, M", "8986 Rseeda Blvd") == {"MW", "KW"}
    assert _search(near_address_pass, roll_id, "Ana Perez", "11541 Pluummer St") == {"PL"}


def test_a_house_number_one_digit_misread_on_the_written_street(roll_id):
    # 74755 for 4755 (a digit added): not OLIVIA BROWN of 4755 Reseda, nor FRANK BROWN of
    # 4575 Balboa (two digits moved).
    assert _search(near_address_pass, roll_id, "Matthew Brown", "74755 Balboa Blvd") == {"MB"}
    assert _search(near_address_pass, roll_id, "Matthew Brown", "4757 Balboa Blvd") == {"MB"}


def _decided(roll_id, name, address):
    keys = line_keys(name, address, "Los Angeles", "")
    found = find_candidates(roll_id, {1: keys})
    return decide(keys, found.ranked(1), name_count=found.name_counts.get(1, 0),
                  places=found.places)  # fmt: skip


# The surname passes read a surname county-wide only when it is rare: in these tests every
# surname counts as common, as WILSON and BROWN are at a million voters.


def test_the_signer_of_a_common_surname_on_a_misspelt_street_counts(roll_id, monkeypatch):
    monkeypatch.setattr(matching, "SURNAME_AT_NUMBER_MAX", 0)
    outcome = _decided(roll_id, "Wilson, M", "8986 Rseeda Blvd")
    assert outcome.kind == Kind.MATCHED
    assert outcome.voter.registrant_id == "MW"


def test_an_initial_at_a_misread_house_number_is_found_beside_the_voter(roll_id, monkeypatch):
    # Counted as at the exact address (matching.decide._misread_number).
    monkeypatch.setattr(matching, "SURNAME_AT_NUMBER_MAX", 0)
    outcome = _decided(roll_id, "M Brown", "74755 Balboa Blvd")
    assert outcome.kind == Kind.MATCHED
    assert outcome.voter.registrant_id == "MB"
    assert "house number 4755 read as 74755" in outcome.summary
