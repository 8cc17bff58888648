"""A household that moved together, read across the lines of a batch (petitions.validation.batch
hands matching.decide the voters its co-signers were found as)."""

import pytest
from django.core.management import call_command

from petitions.models import Petition, Section
from tests.matching.roll import JONESES as MOVED_JONESES
from tests.petitions.helpers import ROLL, add, decided, validate
from tests.voters.factories import many, voter, write_canonical

pytestmark = pytest.mark.django_db(transaction=True)


def _jones(voter_id, first, number, street, city):
    return voter(voter_id, first_name=first, last_name="JONES", house_number=number,
                 street_name=street, city=city, zip="90000")  # fmt: skip


JONESES = [_jones(*row) for row in MOVED_JONESES]


# Where a household moved from, and its members' namesakes elsewhere in the county.
_HOME = {"house_number": "3518", "street_name": "LAURA", "city": "COMPTON", "zip": "90000"}


def _namesakes(prefix: str, first: str, last: str, start: int = 0) -> list[dict]:
    """Six more voters of this name, on one street of Torrance (ids prefix2 to prefix7)."""
    return [
        voter(f"{prefix}{n}", first_name=first, last_name=last, house_number=str(start + n),
              street_name="OAK", city="TORRANCE", zip="90501")
        for n in range(2, 8)
    ]  # fmt: skip


def _petition_on(tmp_path, roll: list[dict], sections: int = 1) -> Petition:
    """A petition with its sections, against this roll."""
    call_command("import_voters", str(write_canonical(tmp_path / "r.csv", roll)))
    petition = Petition.objects.create(title="Test recall", slug="test", required_signatures=10)
    for serial in range(1, sections + 1):
        Section.objects.create(petition=petition, serial=serial)
    return petition


@pytest.fixture
def petition(tmp_path):
    return _petition_on(tmp_path, ROLL + JONESES, sections=2)


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
    petition = _petition_on(tmp_path, roll)
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
    # A county of some size: ROSA MEDINA, the one of her name, is rarer than her name's parts.
    roll = ROLL + medinas + many(100, start=9000)
    petition = _petition_on(tmp_path, roll)
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
    petition = _petition_on(tmp_path, ROLL + family + others)
    add(petition, "Olga Lopez", "17321 Valerio St", "Pasadena")
    carmen = add(petition, "Carmen Sanchez", "17321 Valerio St", "Pasadena")
    validate(petition)
    carmen = decided(carmen)
    assert (carmen.status, carmen.voter_registrant_id) == ("address_mismatch", "C1")


def test_a_household_of_common_names_is_found_by_the_one_address_holding_both(tmp_path):
    # Seven of each name, more than the name pass reads (NAME_CAP): the couples pass searches
    # the whole roll for the address where both are registered (7 x 7 pairs by chance over
    # about 90 voters: fewer than one expected).
    roll = [
        *ROLL, *many(60, start=9000),
        voter("S1", first_name="ANA", last_name="SOTO", **_HOME),
        voter("N1", first_name="HUONG", last_name="NGUYEN", **_HOME),
        *_namesakes("S", "ANA", "SOTO"), *_namesakes("N", "HUONG", "NGUYEN", start=100),
    ]  # fmt: skip
    petition = _petition_on(tmp_path, roll)
    ana = add(petition, "Ana Soto", "17321 Valerio St", "Pasadena")
    huong = add(petition, "Huong Nguyen", "17321 Valerio St", "Pasadena")
    alone = add(petition, "Ana Soto", "9 Birch St", "Pasadena")
    validate(petition)
    for line, voter_id in ((ana, "S1"), (huong, "N1")):
        line = decided(line)
        assert (line.status, line.reason["rule"], line.voter_registrant_id) == (
            "address_mismatch", "moved", voter_id,
        )  # fmt: skip
        assert "a co-signer's namesake is registered with them" in line.reason["summary"]
    assert (decided(alone).status, decided(alone).reason["rule"]) == (
        "not_registered", "common_name_elsewhere",
    )  # fmt: skip


def test_a_member_written_as_an_initial_is_found_beside_a_couple_of_common_names(tmp_path):
    # TIMOTHY and PAMELA DAVIS, seven of each name in the county, are registered together at
    # one address only, with ALICE DAVIS; "A Davis" signing beside them is ALICE, found at the
    # couple's address (not at every namesake's, where another A DAVIS lives).
    davises = [
        voter("T1", first_name="TIMOTHY", last_name="DAVIS", **_HOME),
        voter("P1", first_name="PAMELA", last_name="DAVIS", **_HOME),
        voter("A1", first_name="ALICE", last_name="DAVIS", **_HOME),
        *_namesakes("T", "TIMOTHY", "DAVIS"), *_namesakes("P", "PAMELA", "DAVIS", start=100),
        voter("A2", first_name="ANDREW", last_name="DAVIS", house_number="2", street_name="OAK",
              city="TORRANCE", zip="90501"),
        # Other DAVISes: a surname common enough that TIMOTHY and PAMELA meet by chance less
        # than once (7 x 7 over 75).
        *(voter(f"D{n}", first_name=f"X{chr(65 + n // 26)}{chr(65 + n % 26)}", last_name="DAVIS",
                house_number=str(500 + n), street_name="ELM", city="POMONA", zip="91767")
          for n in range(60)),
    ]  # fmt: skip
    petition = _petition_on(tmp_path, ROLL + davises)
    lines = [add(petition, name, "77 Lemon Ave", "Pasadena")
             for name in ("Timothy Davis", "Pam Davis", "A Davis")]  # fmt: skip
    validate(petition)
    assert [(decided(ln).status, decided(ln).voter_registrant_id) for ln in lines] == [
        ("address_mismatch", "T1"), ("address_mismatch", "P1"), ("address_mismatch", "A1"),
    ]  # fmt: skip


def test_a_common_name_beside_a_co_signer_found_moved_is_their_housemate(tmp_path):
    # ZEBEDIAH QUILLFEATHER, the one of his name, is found moved, his given name misspelt (so
    # no couple of the names is looked up); "Linda Jones" beside him is the LINDA JONES
    # registered with him, one of seven in the county (more than the name pass reads).
    zeb = voter("Z1", first_name="ZEBEDIAH", last_name="QUILLFEATHER", house_number="2075",
                street_name="FIGUEROA", city="LOS ANGELES", zip="90000")  # fmt: skip
    lindas = [_jones(f"L{n}", "LINDA", str(n), "ASH", "POMONA") for n in range(4, 8)]
    roll = ROLL + JONESES + lindas + [zeb]
    petition = _petition_on(tmp_path, roll, sections=2)
    zebediah = add(petition, "Zebedaih Quillfeather", "12674 Greenwood Ln", "Pasadena")
    linda = add(petition, "Linda Jones", "12674 Greenwood Ln", "Pasadena")
    elsewhere = add(petition, "Linda Jones", "40 Elm St", "Pasadena", serial=2)
    validate(petition)
    assert decided(zebediah).voter_registrant_id == "Z1"
    linda = decided(linda)
    assert (linda.status, linda.voter_registrant_id) == ("address_mismatch", "L3")
    assert "registered with a co-signer found moved" in linda.reason["summary"]
    # Elsewhere, with no co-signer: a common name, not registered.
    assert decided(elsewhere).status == "not_registered"


def test_a_co_signer_found_moved_by_an_initial_vouches_for_no_one(tmp_path):
    # "J Phillips" is found moved to JOHN PHILLIPS because a PETER PHILLIPS (one of seven in
    # the county) is registered with him; that finding rests on PETER's namesakes, so it does
    # not in turn make "Peter Phillips" that PETER.
    phillipses = [
        voter("J1", first_name="JOHN", last_name="PHILLIPS", **_HOME),
        voter("P1", first_name="PETER", last_name="PHILLIPS", **_HOME),
        *_namesakes("P", "PETER", "PHILLIPS"),
    ]  # fmt: skip
    petition = _petition_on(tmp_path, ROLL + phillipses)
    initial = add(petition, "J Phillips", "8853 Hoover Ter", "Pasadena")
    peter = add(petition, "Peter Phillips", "8853 Hoover Ter", "Pasadena")
    validate(petition)
    assert decided(initial).voter_registrant_id == "J1"
    assert decided(peter).voter_registrant_id == ""
