"""The one voter of a line's common name registered in the place the line gives, the whole roll
searched, with how many of the name chance alone would put there: the name's voters times the
place's share of the roll (voters.matching.place_pass; matching.decide takes them for the mover
when that chance is small)."""

import pytest
from django.core.management import call_command

from matching.compare import line_keys
from tests.voters.factories import pine_voter, write_canonical
from voters.matching import find_candidates, roll_city_voters
from voters.models import VoterPlace, VoterRoll

pytestmark = pytest.mark.django_db

_voter = pine_voter


def _roll(*avalon: dict) -> list[dict]:
    """Four MARIA LOPEZes in Long Beach, what Avalon holds, and Long Beach filled to 100."""
    rows = [*(_voter(f"L{n}", "MARIA", "LOPEZ", 10 + n) for n in range(4)), *avalon]
    return rows + [_voter(f"F{n}", "ANN", f"FILL{n:02d}", 100 + n) for n in range(100 - len(rows))]


def _import(tmp_path, rows: list[dict]) -> int:
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", rows)))
    return VoterRoll.objects.get(state=VoterRoll.State.ACTIVE).pk


def _in_place(roll_id: int, city: str = "Avalon", address: str = "5 Oak St"):
    found = find_candidates(roll_id, {1: line_keys("Maria Lopez", address, city, "")})
    return found, found.in_place.get(1)


def test_the_one_bearer_of_a_common_name_in_a_small_place_is_found_with_its_chance(tmp_path):
    roll_id = _import(tmp_path, _roll(_voter("AV", "MARIA", "LOPEZ", 7, city="AVALON")))
    found, in_place = _in_place(roll_id)
    assert in_place is not None
    assert in_place.voter == "AV"
    # Five MARIA LOPEZes, Avalon one voter in a hundred.
    assert in_place.chance == pytest.approx(5 * 1 / 100)
    assert "AV" in found.candidates[1]
    assert roll_city_voters(roll_id) == ({"LONG BEACH": 99, "AVALON": 1}, 100)


def test_two_bearers_in_the_place_or_none_single_no_one_out(tmp_path):
    two = [_voter(f"AV{n}", "MARIA", "LOPEZ", 7 + n, city="AVALON") for n in range(2)]
    assert _in_place(_import(tmp_path, _roll(*two)))[1] is None
    VoterRoll.objects.all().delete()
    none = _voter("AV", "ROSA", "DIAZ", 7, city="AVALON")
    assert _in_place(_import(tmp_path, _roll(none)))[1] is None


def test_a_place_too_large_for_its_share_to_say_anything_is_not_searched(tmp_path):
    roll_id = _import(tmp_path, _roll(_voter("AV", "MARIA", "LOPEZ", 7, city="AVALON")))
    # Long Beach holds 99 of the 100 voters: chance alone puts a MARIA LOPEZ there.
    assert _in_place(roll_id, city="Long Beach")[1] is None


def test_a_name_too_common_for_the_place_s_share_is_read_no_further(tmp_path):
    # Eleven MARIA LOPEZes in 100 voters: 0.11 expected in Avalon by chance, too many.
    more = [_voter(f"M{n}", "MARIA", "LOPEZ", 50 + n) for n in range(6)]
    roll_id = _import(tmp_path, _roll(_voter("AV", "MARIA", "LOPEZ", 7, city="AVALON"), *more))
    assert _in_place(roll_id)[1] is None


def test_a_household_of_the_surname_at_the_address_keeps_the_line_a_relative(tmp_path):
    home = _voter("HL", "JORGE", "LOPEZ", 5, city="AVALON")
    home["street_name"] = "OAK"
    roll_id = _import(tmp_path, _roll(_voter("AV", "MARIA", "LOPEZ", 7, city="AVALON"), home))
    assert _in_place(roll_id)[1] is None


def test_an_initial_and_a_surname_find_the_one_of_that_initial_in_the_place(tmp_path):
    roll_id = _import(tmp_path, _roll(_voter("AV", "MIGUEL", "LOPEZ", 7, city="AVALON")))
    found = find_candidates(roll_id, {1: line_keys("M Lopez", "5 Oak St", "Avalon", "")})
    assert found.in_place[1].voter == "AV"
    # Five LOPEZes of the initial M (the four MARIAs and MIGUEL), Avalon one voter in a hundred.
    assert found.in_place[1].chance == pytest.approx(5 / 100)
    # An initial no one in the place bears: none.
    found = find_candidates(roll_id, {1: line_keys("R Lopez", "5 Oak St", "Avalon", "")})
    assert 1 not in found.in_place


def test_an_initial_of_a_surname_too_common_to_read_is_not_searched(tmp_path, monkeypatch):
    roll_id = _import(tmp_path, _roll(_voter("AV", "MIGUEL", "LOPEZ", 7, city="AVALON")))
    monkeypatch.setattr("voters.matching.SURNAME_AT_NUMBER_MAX", 4)  # five LOPEZes
    found = find_candidates(roll_id, {1: line_keys("M Lopez", "5 Oak St", "Avalon", "")})
    assert 1 not in found.in_place


def test_a_place_the_table_of_places_counts_no_voter_in_is_not_searched(tmp_path):
    roll_id = _import(tmp_path, _roll(_voter("AV", "MARIA", "LOPEZ", 7, city="AVALON")))
    VoterPlace.objects.filter(roll_id=roll_id, city_key="AVALON").update(voters=0)
    assert _in_place(roll_id)[1] is None  # no share to weigh chance by: not a division by 0


def test_a_line_without_a_city_has_no_place_even_where_voters_lack_one_too(tmp_path):
    no_city = {**_voter("NC", "MARIA", "LOPEZ", 7, city="AVALON"), "city": ""}  # ZIP only
    roll_id = _import(tmp_path, _roll(no_city))
    found = find_candidates(roll_id, {1: line_keys("Maria Lopez", "5 Oak St", "", "")})
    assert 1 not in found.in_place
