"""A line not found at its address whose name a counted voter bears (petitions.validation.batch):
when no other voter bears the name, another person of it, not registered: the voter signed at
home, and a voter who signs twice does not write another address."""

import pytest
from django.core.management import call_command

from petitions.models import Petition, Section
from tests.petitions.helpers import ROLL, add, decided, validate
from tests.voters.factories import voter, write_canonical

pytestmark = pytest.mark.django_db(transaction=True)


def _petition(tmp_path, roll):
    call_command("import_voters", str(write_canonical(tmp_path / "r.csv", ROLL + roll)))
    petition = Petition.objects.create(title="Test recall", slug="test", required_signatures=10)
    Section.objects.create(petition=petition, serial=1)
    return petition


def _tran(voter_id, number, street, city, zip_code):
    return voter(voter_id, first_name="HUNG", last_name="TRAN", house_number=number,
                 street_name=street, city=city, zip=zip_code)  # fmt: skip


def test_a_name_two_voters_bear_is_not_the_counted_ones_repeat_elsewhere(tmp_path):
    petition = _petition(tmp_path, [_tran("T1", "70", "BIRCH", "BURBANK", "91502"),
                                    _tran("T2", "8", "CEDAR", "TORRANCE", "90501")])  # fmt: skip
    counted = add(petition, "Hung Tran", "70 Birch St", "Burbank")
    other = add(petition, "Hung Tran", "1200 Main St", "Long Beach")
    validate(petition)
    assert decided(counted).status == "valid"
    other = decided(other)
    assert (other.status, other.reason["rule"]) == ("not_registered", "common_name_elsewhere")


def test_a_name_one_voter_bears_signed_at_home_makes_the_line_elsewhere_a_namesakes(tmp_path):
    petition = _petition(tmp_path, [_tran("T1", "70", "BIRCH", "BURBANK", "91502")])
    counted = add(petition, "Hung Tran", "70 Birch St", "Burbank")
    other = add(petition, "Hung Tran", "1200 Main St", "Long Beach")
    validate(petition)
    assert decided(counted).status == "valid"
    other = decided(other)
    assert (other.status, other.reason["rule"]) == ("not_registered", "namesake_of_signer")
    assert (other.voter_registrant_id, other.counted) == ("", False)
    assert other.reason["summary"] == (
        "the one voter of this name signed this petition at their registered address: another "
        "person of the name; no registered voter of this name at this address"
    )
    # Who that voter is stays among the reason's refs, which only reviewers see.
    assert other.reason["refs"] == {"signed_as": "T1"}


def test_the_line_elsewhere_decided_first_is_a_mover_until_the_voter_signs_at_home(tmp_path):
    petition = _petition(tmp_path, [_tran("T1", "70", "BIRCH", "BURBANK", "91502")])
    Section.objects.create(petition=petition, serial=2)
    other = add(petition, "Hung Tran", "1200 Main St", "Long Beach")
    validate(petition)
    other = decided(other)
    assert (other.status, other.voter_registrant_id) == ("address_mismatch", "T1")
    counted = add(petition, "Hung Tran", "70 Birch St", "Burbank", serial=2)
    validate(petition)
    assert decided(counted).status == "valid"
    other = decided(other)
    assert (other.status, other.reason["rule"]) == ("not_registered", "namesake_of_signer")
    assert other.voter_registrant_id == ""


def test_lines_of_the_retired_duplicate_rule_are_decided_again(tmp_path):
    import importlib

    from django.db import connection

    petition = _petition(tmp_path, [_tran("T1", "70", "BIRCH", "BURBANK", "91502")])
    counted = add(petition, "Hung Tran", "70 Birch St", "Burbank")
    retired = {"rule": "signed_before_elsewhere",
               "summary": "a voter of this name already signed this petition; registered at "
               "another address"}  # fmt: skip
    stored = add(petition, "Hung Tran", "1200 Main St", "Long Beach", status="duplicate",
                 reason=retired)  # fmt: skip
    validate(petition)
    assert decided(stored).status == "duplicate"  # not pending: left alone by validation
    migration = importlib.import_module("petitions.migrations.0021_namesake_of_signer")
    with connection.cursor() as cursor:
        cursor.execute(migration.REOPEN)
    assert decided(stored).status == "pending"
    validate(petition)
    assert decided(counted).status == "valid"
    stored = decided(stored)
    assert (stored.status, stored.reason["rule"]) == ("not_registered", "namesake_of_signer")
