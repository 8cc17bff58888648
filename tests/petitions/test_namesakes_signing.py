"""A line not found at its address whose name a counted voter bears (petitions.validation.batch):
that voter signing again only when no other voter bears the name."""

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


def test_a_name_one_voter_bears_is_that_voter_signing_again_elsewhere(tmp_path):
    petition = _petition(tmp_path, [_tran("T1", "70", "BIRCH", "BURBANK", "91502")])
    counted = add(petition, "Hung Tran", "70 Birch St", "Burbank")
    again = add(petition, "Hung Tran", "1200 Main St", "Long Beach")
    validate(petition)
    assert decided(counted).status == "valid"
    again = decided(again)
    assert (again.status, again.reason["rule"]) == ("duplicate", "signed_before_elsewhere")
