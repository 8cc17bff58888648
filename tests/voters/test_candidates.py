"""The candidate search, pass by pass: what each blocking pass finds on a small roll, and what it
leaves to the others."""

import pytest
from django.core.management import call_command

from matching.compare import line_keys
from tests.voters.factories import voter, write_canonical
from voters.matching import (
    NAME_CAP,
    address_pass,
    find_candidates,
    found_start,
    name_pass,
    surname_at_number_pass,
    surname_variant_pass,
    trigram_pass,
)
from voters.models import VoterRoll

pytestmark = pytest.mark.django_db


def _at(number, street, kind="ST", city="PASADENA", zip_code="91101") -> dict:
    return {"house_number": number, "street_name": street, "street_type": kind, "street_predir": "",
            "city": city, "zip": zip_code}  # fmt: skip


ROLL = [
    # 500 Elm St: a household, and a neighbour nothing like the line.
    voter("ROB", first_name="ROBERT", last_name="SMITHERS", **_at("500", "ELM")),
    voter("ANN", first_name="ANN", last_name="SMITHERS", **_at("500", "ELM")),
    voter("XUZ", first_name="ZED", last_name="XU", **_at("500", "ELM")),
    # The same surname at the same number on another street, and on the same street elsewhere.
    voter("OAK", first_name="PAUL", last_name="SMITHERS", **_at("500", "OAK", "AVE")),
    voter("502", first_name="ROBERT", last_name="SMITHERS", **_at("502", "ELM")),
    # A rare name that moved across the county, and its namesake of another given name.
    voter("ZEB", first_name="ZEBEDIAH", last_name="QUILLFEATHER",
          **_at("31", "PINE", city="LONG BEACH", zip_code="90802")),
    voter("ZAN", first_name="ANNA", last_name="QUILLFEATHER",
          **_at("31", "PINE", city="LONG BEACH", zip_code="90802")),
    # A compound surname, and its first part's bearer under another given name.
    voter("CMP", first_name="GRACIELA", last_name="MONTOYA LOPEZ", **_at("77", "FIGUEROA")),
    voter("CMX", first_name="TERESA", last_name="MONTOYA LOPEZ", **_at("77", "FIGUEROA")),
    # A common name: more namesakes than the name pass reads.
    *(voter(f"JS{n}", first_name="JOHN", last_name="SMITH", **_at(str(10 + n), "MAPLE"))
      for n in range(NAME_CAP + 3)),
]  # fmt: skip


@pytest.fixture
def roll_id(tmp_path) -> int:
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    return VoterRoll.objects.get(state=VoterRoll.State.ACTIVE).pk


def _run(search, roll_id: int, name: str, address: str, city: str = "") -> set[str]:
    """The voters one pass finds for one line, alone (no earlier pass)."""
    found = found_start(roll_id, {1: line_keys(name, address, city, "")})
    search(found, roll_id, [1])
    return set(found.candidates[1])


def test_address_pass_finds_the_household_not_the_neighbours_or_the_street(roll_id):
    # The line's relatives at its address (surname starts alike), not the neighbour XU, nor the
    # same name at another number or on another street.
    assert _run(address_pass, roll_id, "Robert Smithers", "500 Elm St") == {"ROB", "ANN"}
    # A neighbour sharing the given name only is fetched too (a surname misspelt from its start).
    assert _run(address_pass, roll_id, "Zed Quu", "500 Elm St") == {"XUZ"}
    assert _run(address_pass, roll_id, "Robert Smithers", "9 Elm St") == set()
    # The surname's first two letters swapped ("Msithers"): the household still.
    assert _run(address_pass, roll_id, "Rboert Msithers", "500 Elm St") == {"ROB", "ANN"}


def test_surname_at_number_pass_finds_the_surname_on_any_street_at_that_number(roll_id):
    # A misspelt street: the surname at number 500, whatever the street; not at 502, nor XU.
    assert _run(surname_at_number_pass, roll_id, "Robert Smithers", "500 Elem") == {
        "ROB", "ANN", "OAK",
    }  # fmt: skip
    assert _run(surname_at_number_pass, roll_id, "Robert Smithers", "7 Elm St") == set()


def test_surname_at_number_pass_finds_a_compound_surname_written_in_part(roll_id):
    # "Graciela Montoya" at a misspelt street: the household of MONTOYA LOPEZ at that number.
    assert _run(surname_at_number_pass, roll_id, "Graciela Montoya", "77 Figuroa") == {
        "CMP", "CMX",
    }  # fmt: skip


def test_name_pass_finds_the_name_anywhere_and_in_swapped_order(roll_id):
    found = _run(name_pass, roll_id, "Zebediah Quillfeather", "1 Nowhere St", "Pasadena")
    assert found == {"ZEB"}  # not ANNA QUILLFEATHER
    swapped = _run(name_pass, roll_id, "QUILLFEATHER ZEBEDIAH", "1 Nowhere St", "Pasadena")
    assert swapped == {"ZEB"}


def test_name_pass_reads_a_common_name_up_to_its_cap_own_house_number_first(roll_id):
    found = found_start(roll_id, {1: line_keys("John Smith", "18 Maple St", "", "")})
    name_pass(found, roll_id, [1])
    assert len(found.candidates[1]) == NAME_CAP
    assert found.name_counts[1] == NAME_CAP
    assert "JS8" in found.candidates[1]  # 18 Maple St, read before the cap cuts


def test_surname_variant_pass_finds_a_compound_surname_written_in_part(roll_id):
    found = _run(surname_variant_pass, roll_id, "Graciela Montoya", "1 Nowhere St")
    assert found == {"CMP"}  # not TERESA MONTOYA LOPEZ


def test_surname_variant_pass_skips_the_first_part_when_the_name_pass_found_the_name(roll_id):
    found = found_start(roll_id, {1: line_keys("Graciela Montoya", "1 Nowhere St", "", "")})
    found.name_counts[1] = 1  # a voter bears the name as written: no compound to guess
    surname_variant_pass(found, roll_id, [1])
    assert set(found.candidates[1]) == set()


def test_surname_variant_pass_finds_a_misspelling_that_sounds_alike(roll_id):
    assert _run(surname_variant_pass, roll_id, "Robert Smythers", "1 Nowhere St") == {
        "ROB", "502",
    }  # fmt: skip


def test_trigram_pass_finds_a_surname_spelt_too_differently(roll_id):
    assert _run(trigram_pass, roll_id, "Zebediah Kwilfeather", "1 Nowhere St") == {"ZEB"}
    # A surname the roll knows is not a misspelling to repair.
    assert _run(trigram_pass, roll_id, "Anna Quillfeather", "1 Nowhere St") == set()


def test_find_candidates_stops_at_the_first_pass_that_resolves_a_line(roll_id):
    found = find_candidates(roll_id, {
        1: line_keys("Robert Smithers", "500 Elm St", "Pasadena", "91101"),
        2: line_keys("Zebediah Quillfeather", "1 Nowhere St", "Pasadena", ""),
        3: line_keys("Zebediah Quilfether", "1 Nowhere St", "Pasadena", ""),  # sounds alike
        4: line_keys("Zebediah Kwilfeather", "1 Nowhere St", "Pasadena", ""),  # does not
        5: line_keys("", "", "", ""),
    })  # fmt: skip
    passes = {
        line_id: {voter_id: c.passes for voter_id, c in candidates.items()}
        for line_id, candidates in found.candidates.items()
    }
    assert passes[1] == {"ROB": {"address"}, "ANN": {"address"}}
    assert passes[2] == {"ZEB": {"name"}}
    assert passes[3] == {"ZEB": {"surname_variant"}}
    assert passes[4] == {"ZEB": {"trigram"}}
    assert not found.candidates.get(5)
