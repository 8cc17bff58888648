"""How many voters of a line's name chance alone would give, for a name found only at another
address in another place: the voters of its given name times those of its surname, over the
roll's (voters.matching.name_chance_pass; matching.decide weighs a mover by it)."""

import pytest
from django.core.management import call_command

from matching.compare import line_keys
from tests.voters.factories import pine_voter, write_canonical
from voters.matching import find_candidates, roll_given_names
from voters.models import VoterRoll

pytestmark = pytest.mark.django_db


_voter = pine_voter


ROLL = [
    _voter("JK", "JOSE", "KIM", 1),
    *(_voter(f"J{n}", "JOSE", "GARCIA", 10 + n) for n in range(5)),  # 6 JOSEs
    *(_voter(f"K{n}", "MIN", "KIM", 20 + n) for n in range(3)),  # 4 KIMs
    _voter("W1", "ANNA", "SMITH", 30, city="WHITTIER"),
]  # 10 voters


@pytest.fixture
def roll_id(tmp_path) -> int:
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    return VoterRoll.objects.get(state=VoterRoll.State.ACTIVE).pk


def test_a_name_found_only_in_another_place_gets_the_chance_of_its_parts(roll_id):
    found = find_candidates(roll_id, {1: line_keys("Jose Kim", "77 Elm St", "Whittier", "")})
    assert "JK" in found.candidates[1]
    assert found.name_chances[1] == pytest.approx(6 * 4 / 10)
    assert roll_given_names(roll_id) == ({"JOSE": 6, "MIN": 3, "ANNA": 1}, 10)


def test_a_name_found_in_the_line_s_own_place_needs_no_chance(roll_id):
    found = find_candidates(roll_id, {1: line_keys("Jose Kim", "77 Elm St", "Long Beach", "")})
    assert "JK" in found.candidates[1]
    assert 1 not in found.name_chances
