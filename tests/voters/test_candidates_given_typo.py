"""The given-name typo pass: a mover whose given name was mistyped, found by the surname and a
given name within two edits (voters.matching.given_typo_pass), and read as a mover."""

import pytest
from django.core.management import call_command

from matching.compare import line_keys
from petitions.models import Petition, Section
from tests.petitions.helpers import ROLL, add, decided, validate
from tests.voters.factories import voter, write_canonical
from voters.matching import find_candidates
from voters.models import VoterRoll

pytestmark = pytest.mark.django_db(transaction=True)

ALLENS = [
    voter("KEN", first_name="KENNETH", middle_name="W", last_name="ALLEN", house_number="70",
          street_name="BIRCH", city="BURBANK", zip="91502"),
    voter("KAT", first_name="KATHERINE", last_name="ALLEN", house_number="8", street_name="CEDAR",
          city="TORRANCE", zip="90501"),
]  # fmt: skip


@pytest.fixture
def roll(tmp_path):
    call_command("import_voters", str(write_canonical(tmp_path / "r.csv", ROLL + ALLENS)))
    return VoterRoll.objects.get(state="active")


def _found(roll, name):
    found = find_candidates(roll.id, {1: line_keys(name, "1200 Main St", "Long Beach", "")})
    return {c.registrant_id: c.passes for c in found.candidates[1].values()}, found.name_counts


def test_a_mistyped_given_name_finds_the_voter_of_the_surname_two_edits_away(roll):
    found, counts = _found(roll, "Kennth W Allen")
    assert "given_typo" in found["KEN"]
    assert "KAT" not in found
    assert counts[1] == 1


def test_a_given_name_of_its_own_is_not_read_as_a_typo(roll):
    # KAREN is a name of its own (1990 Census), not KATHERINE mistyped: the pass does not run.
    found, _ = _found(roll, "Karen Allen")
    assert not any("given_typo" in passes for passes in found.values())


def test_the_mover_with_a_mistyped_given_name_is_address_mismatch(roll):
    petition = Petition.objects.create(title="Test recall", slug="test", required_signatures=10)
    Section.objects.create(petition=petition, serial=1)
    line = add(petition, "Kennth W Allen", "1200 Main St", "Long Beach")
    validate(petition)
    line = decided(line)
    assert (line.status, line.reason["rule"], line.voter_registrant_id) == (
        "address_mismatch", "moved", "KEN",
    )  # fmt: skip
