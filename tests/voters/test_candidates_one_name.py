"""The candidate search for a line of one name only (FEBRL4's copies with a name dropped): the
residents at its house number and street whose surname or given name it may be, so that
matching.decide can link it (incomplete) to the one voter it fits."""

import pytest
from django.core.management import call_command

from matching.compare import line_keys
from tests.voters.factories import voter, write_canonical
from voters.matching import address_pass, found_start
from voters.models import VoterRoll

pytestmark = pytest.mark.django_db

_AT = {"house_number": "31", "street_name": "PINE", "street_type": "ST", "street_predir": "",
       "city": "PASADENA", "zip": "91101"}  # fmt: skip
ROLL = [
    voter("CHL", first_name="CHLOE", last_name="GROSVENOR", **_AT),
    voter("PAR", first_name="SEO MIN", last_name="PARK", **_AT),
    voter("BOB", first_name="ROBERT", last_name="NOLAN", **_AT),
]


@pytest.fixture
def roll_id(tmp_path) -> int:
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    return VoterRoll.objects.get(state=VoterRoll.State.ACTIVE).pk


@pytest.mark.parametrize(
    ("name", "found"),
    [("Chloe", {"CHL"}), ("Chlgoe", {"CHL"}), ("Park", {"PAR"}), ("Grosvenor", {"CHL"})],
)
def test_a_line_of_one_name_finds_the_residents_it_may_name(roll_id, name, found):
    search = found_start(roll_id, {1: line_keys(name, "31 Pine St", "Pasadena", "")})
    address_pass(search, roll_id, [1])
    assert set(search.candidates[1]) == found


def test_a_line_of_two_names_is_not_searched_by_the_given_names_first_letter(roll_id):
    search = found_start(roll_id, {1: line_keys("Chad Nolan", "31 Pine St", "Pasadena", "")})
    address_pass(search, roll_id, [1])
    assert set(search.candidates[1]) == {"BOB"}
