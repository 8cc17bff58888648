"""A household that moved together, read across the lines of a batch (petitions.validation.batch
hands matching.decide the voters its co-signers were found as)."""

import pytest
from django.core.management import call_command

from petitions.models import Petition, Section
from tests.matching.roll import JONESES as MOVED_JONESES
from tests.petitions.helpers import ROLL, add, decided, validate
from tests.voters.factories import voter, write_canonical

pytestmark = pytest.mark.django_db(transaction=True)


def _jones(voter_id, first, number, street, city):
    return voter(voter_id, first_name=first, last_name="JONES", house_number=number,
                 street_name=street, city=city, zip="90000")  # fmt: skip


JONESES = [_jones(*row) for row in MOVED_JONESES]


@pytest.fixture
def petition(tmp_path):
    call_command("import_voters", str(write_canonical(tmp_path / "r.csv", ROLL + JONESES)))
    petition = Petition.objects.create(title="Test recall", slug="test", required_signatures=10)
    Section.objects.create(petition=petition, serial=1)
    Section.objects.create(petition=petition, serial=2)
    return petition


def test_a_household_signing_together_at_a_new_address_is_the_one_that_moved(petition):
    linda = add(petition, "Linda Jones", "12674 Greenwood Ln", "Pasadena")
    michael = add(petition, "MICHAEL JONES", "12674 Greenwood Lane", "Pasadena")
    validate(petition)
    for line, voter_id in ((linda, "L1"), (michael, "M1")):
        line = decided(line)
        assert (line.status, line.reason["rule"]) == ("address_mismatch", "moved")
        assert line.voter_registrant_id == voter_id


def test_the_same_names_on_other_sections_or_at_other_addresses_are_no_household(petition):
    linda = add(petition, "Linda Jones", "12674 Greenwood Ln", "Pasadena")
    other_section = add(petition, "Michael Jones", "12674 Greenwood Ln", "Pasadena", serial=2)
    other_address = add(petition, "Michael Jones", "40 Elm St", "Pasadena")
    validate(petition)
    for line in (linda, other_section, other_address):
        line = decided(line)
        assert (line.status, line.reason["rule"]) == ("not_registered", "common_name_elsewhere")


def test_flatmates_of_two_surnames_moved_together_too(tmp_path):
    roll = [*ROLL, *JONESES[:2], voter("K1", first_name="RAHUL", last_name="KUMAR",
                                       house_number="3518", street_name="LAURA", city="COMPTON",
                                       zip="90000"),
            voter("K2", first_name="RAHUL", last_name="KUMAR", house_number="7",
                  street_name="BIRCH", city="POMONA", zip="91767")]  # fmt: skip
    call_command("import_voters", str(write_canonical(tmp_path / "r.csv", roll)))
    petition = Petition.objects.create(title="Test recall", slug="test", required_signatures=10)
    Section.objects.create(petition=petition, serial=1)
    rahul = add(petition, "Kumar, Rahul", "12674 Greenwood Ln", "Pasadena")
    add(petition, "Linda Jones", "12674 Greenwood Ln", "Pasadena")
    validate(petition)
    rahul = decided(rahul)
    assert (rahul.status, rahul.voter_registrant_id) == ("address_mismatch", "K1")


def test_a_member_of_a_household_that_moved_is_found_by_an_initial(tmp_path):
    medinas = [voter(v, first_name=first, last_name="MEDINA", house_number=number,
                     street_name="HAZEL", city="BELL", zip="90201")
               for v, first, number in (("R1", "ROSA", "10945"), ("A1", "ALMA", "10945"),
                                        ("A2", "ALMA", "77"))]  # fmt: skip
    call_command("import_voters", str(write_canonical(tmp_path / "r.csv", ROLL + medinas)))
    petition = Petition.objects.create(title="Test recall", slug="test", required_signatures=10)
    Section.objects.create(petition=petition, serial=1)
    rosa = add(petition, "Rosa Medina", "44 Oak Ave", "Pasadena")
    alma = add(petition, "A Medina", "44 Oak Ave", "Pasadena")
    alone = add(petition, "A Medina", "9 Birch St", "Pasadena")
    validate(petition)
    assert (decided(rosa).status, decided(rosa).voter_registrant_id) == ("address_mismatch", "R1")
    alma = decided(alma)
    assert (alma.status, alma.reason["rule"], alma.voter_registrant_id) == (
        "address_mismatch", "moved", "A1",
    )  # fmt: skip
    assert decided(alone).status == "not_registered"


def test_a_member_of_a_household_that_moved_writing_part_of_a_compound_surname(tmp_path):
    family = [
        voter(v, first_name=first, last_name=last, house_number="9", street_name="ELM",
              city="BURBANK", zip="91502")
        for v, first, last in (("O1", "OLGA", "LOPEZ"), ("C1", "CARMEN", "SANCHEZ LOPEZ"))
    ]  # fmt: skip
    others = [
        voter(f"C{i}", first_name="CARMEN", last_name="SANCHEZ", house_number=str(i),
              street_name="OAK", city="TORRANCE", zip="90501")
        for i in range(2, 5)
    ]  # fmt: skip
    call_command("import_voters", str(write_canonical(tmp_path / "r.csv", ROLL + family + others)))
    petition = Petition.objects.create(title="Test recall", slug="test", required_signatures=10)
    Section.objects.create(petition=petition, serial=1)
    add(petition, "Olga Lopez", "17321 Valerio St", "Pasadena")
    carmen = add(petition, "Carmen Sanchez", "17321 Valerio St", "Pasadena")
    validate(petition)
    carmen = decided(carmen)
    assert (carmen.status, carmen.voter_registrant_id) == ("address_mismatch", "C1")
