"""The couples pass: the one address in the county where voters of two co-signers' names are
registered together, searched through the whole roll (the name pass reads a common name's first
few bearers only), with how many such pairs chance would give."""

import pytest
from django.core.management import call_command

from matching.compare import line_keys
from tests.voters.factories import write_canonical
from voters.matching import NAME_CAP, couples_pass, found_start
from voters.models import VoterRoll

pytestmark = pytest.mark.django_db

_HOME = {"house_number": "3518", "street_predir": "", "street_name": "LAURA",
         "street_type": "ST", "city": "COMPTON", "zip": "90221"}  # fmt: skip
_BEARERS = NAME_CAP + 4  # more of each name than the name pass reads


def _elsewhere(voter_id: str, first: str, last: str, n: int) -> dict:
    return {"voter_id": voter_id, "first_name": first, "last_name": last, "status": "A",
            "house_number": str(1000 + n), "street_predir": "", "street_name": "ELM",
            "street_type": "ST", "city": "LOS ANGELES", "zip": "90001"}  # fmt: skip


ROLL = [
    {"voter_id": "L1", "first_name": "LINDA", "last_name": "JONES", "status": "A", **_HOME},
    {"voter_id": "M1", "first_name": "MIGUEL", "last_name": "PEREZ", "status": "A", **_HOME},
    {"voter_id": "MJ", "first_name": "MICHAEL", "last_name": "JONES", "status": "A", **_HOME},
    *(_elsewhere(f"L{n}", "LINDA", "JONES", n) for n in range(2, _BEARERS + 1)),
    *(_elsewhere(f"M{n}", "MIGUEL", "PEREZ", 100 + n) for n in range(2, _BEARERS + 1)),
    *(_elsewhere(f"J{n}", "ROBERT", "JONES", 200 + n) for n in range(10)),
]  # fmt: skip


@pytest.fixture
def roll_id(tmp_path) -> int:
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    return VoterRoll.objects.get(state=VoterRoll.State.ACTIVE).pk


def _found(roll_id: int, *names: str):
    return found_start(roll_id, {
        i: line_keys(name, "12674 N Greenwood Ln", "Whittier", "90605")
        for i, name in enumerate(names, start=1)
    })  # fmt: skip


def test_the_one_address_holding_both_names_is_found_however_common_they_are(roll_id):
    found = _found(roll_id, "Linda Jones", "Miguel Perez")
    couples = couples_pass(found, roll_id, {1: {2}, 2: {1}})
    assert {i: c.voter for i, c in couples.items()} == {1: "L1", 2: "M1"}
    # The namesake there is the line's candidate, found by this pass.
    assert "couple" in found.candidates[1]["L1"].passes
    # Two surnames: the pairs chance would give are those of random voters (10 x 10 over the
    # roll's voters).
    assert couples[1].chance == pytest.approx(_BEARERS * _BEARERS / len(ROLL))


def test_the_chance_of_a_pair_of_one_surname_is_over_that_surname_s_voters(roll_id):
    # Households gather a surname: LINDA JONES (10) and MICHAEL JONES (1) among 21 JONESes.
    found = _found(roll_id, "Linda Jones", "Michael Jones")
    couples = couples_pass(found, roll_id, {1: {2}, 2: {1}})
    assert (couples[1].voter, couples[2].voter) == ("L1", "MJ")
    assert couples[1].chance == pytest.approx(_BEARERS * 1 / (_BEARERS + 1 + 10))
    # ROBERT JONES and LINDA JONES live together nowhere: no couple.
    found = _found(roll_id, "Linda Jones", "Robert Jones")
    assert couples_pass(found, roll_id, {1: {2}, 2: {1}}) == {}


def test_two_addresses_holding_both_names_settle_nothing(roll_id, tmp_path):
    # A second MIGUEL PEREZ where LINDA JONES L2 lives (1002 ELM ST).
    roll = [*ROLL, _elsewhere("M99", "MIGUEL", "PEREZ", 2)]
    call_command("import_voters", str(write_canonical(tmp_path / "again.csv", roll)), force=True)
    again = VoterRoll.objects.get(state=VoterRoll.State.ACTIVE).pk
    found = _found(again, "Linda Jones", "Miguel Perez")
    assert couples_pass(found, again, {1: {2}, 2: {1}}) == {}


def test_an_initial_or_a_line_without_partners_is_not_looked_up(roll_id):
    found = _found(roll_id, "L Jones", "Miguel Perez")
    assert couples_pass(found, roll_id, {1: {2}, 2: {1}}) == {}
    assert couples_pass(found, roll_id, {}) == {}


def test_two_flats_of_one_building_are_two_households(tmp_path):
    flat = {**_HOME, "house_number": "15371", "street_name": "KENWOOD", "city": "LYNWOOD"}
    roll = [
        *ROLL[1:],  # LINDA JONES of 3518 LAURA ST gone: only the flats hold both names
        {"voter_id": "LF", "first_name": "LINDA", "last_name": "JONES", "status": "A",
         **flat, "unit_number": "1007"},
        {"voter_id": "MF", "first_name": "MIGUEL", "last_name": "PEREZ", "status": "A",
         **flat, "unit_number": "810"},
    ]  # fmt: skip
    call_command("import_voters", str(write_canonical(tmp_path / "flats.csv", roll)))
    roll_id = VoterRoll.objects.get(state=VoterRoll.State.ACTIVE).pk
    found = _found(roll_id, "Linda Jones", "Miguel Perez")
    assert couples_pass(found, roll_id, {1: {2}, 2: {1}}) == {}
    # In one flat, they are a household.
    roll[-1] = {**roll[-1], "unit_number": "1007"}
    call_command("import_voters", str(write_canonical(tmp_path / "flat.csv", roll)), force=True)
    roll_id = VoterRoll.objects.get(state=VoterRoll.State.ACTIVE).pk
    found = _found(roll_id, "Linda Jones", "Miguel Perez")
    assert couples_pass(found, roll_id, {1: {2}, 2: {1}})[1].voter == "LF"
