"""A mover signing twice at one new address, on any section, in any batch: the line not found
at that written address whose name fits the voter another line there was found to be is that
voter again (petitions.validation.batch._signed_again, matching.decide's signed_again)."""

import itertools

import pytest
from django.core.management import call_command

from petitions.models import Line, Petition, Section
from petitions.validation import petition_validate_pending
from tests.petitions.helpers import ROLL, add, decided, validate
from tests.voters.factories import voter, write_canonical

pytestmark = pytest.mark.django_db(transaction=True)

MOVERS = [
    voter("AM", first_name="ALMA", last_name="MEDINA", house_number="812",
          street_name="CENTRAL", city="COMPTON", zip="90220"),
    voter("EA", first_name="EVELYN", last_name="ACOSTA", house_number="55",
          street_name="FLORENCE", city="COMPTON", zip="90220"),
]  # fmt: skip


@pytest.fixture
def roll(tmp_path):
    call_command("import_voters", str(write_canonical(tmp_path / "r.csv", ROLL + MOVERS)))


def _petition(slug: str = "test") -> Petition:
    petition = Petition.objects.create(title=slug, slug=slug, required_signatures=10)
    for serial in (1, 2, 3):
        Section.objects.create(petition=petition, serial=serial)
    return petition


def test_the_same_mover_on_two_sections_is_found_twice(roll):
    petition = _petition()
    whole = add(petition, "Alma Medina", "10945 Hazel Ave", "Pasadena")
    initial = add(petition, "a medina", "10945 hazel ave", "Pasadena", "91101", serial=2)
    relative = add(petition, "Elena Acosta", "3761 E Newport Ave", "Long Beach", serial=2)
    evelyn = add(petition, "EVELYN ACOSTA", "3761 E NEWPORT AVE", "LONG BEACH", serial=3)
    e_initial = add(petition, "E Acosta", "3761 e newport ave", "long beach", serial=1)
    validate(petition)
    for line, voter_id in ((whole, "AM"), (initial, "AM"), (evelyn, "EA"), (e_initial, "EA")):
        line = decided(line)
        assert (line.status, line.reason["rule"], line.voter_registrant_id) == (
            "address_mismatch", "moved", voter_id,
        ), line.printed_name  # fmt: skip
    assert "another line at this address is theirs too" in decided(initial).reason["summary"]
    # A given name of her own at his address: a relative, not registered.
    assert decided(relative).status == "not_registered"


def test_an_initial_at_another_address_is_not_the_mover(roll):
    petition = _petition()
    add(petition, "Alma Medina", "10945 Hazel Ave", "Pasadena")
    elsewhere = add(petition, "a medina", "9 Birch St", "Pasadena", serial=2)
    validate(petition)
    assert decided(elsewhere).status == "not_registered"


LINES = [
    (2, "a medina", "10945 hazel ave", "Pasadena"),
    (1, "Alma Medina", "10945 Hazel Ave", "Pasadena"),
    (3, "E Acosta", "3761 e newport ave", "long beach"),
    (1, "Elena Acosta", "3761 E Newport Ave", "Long Beach"),
    (2, "EVELYN ACOSTA", "3761 E NEWPORT AVE", "LONG BEACH"),
]


def _validated_in_order(slug: str, order: tuple[int, ...], batch_size: int) -> dict:
    petition = _petition(slug)
    for i in order:
        add(petition, *LINES[i][1:], serial=LINES[i][0])
    while petition_validate_pending(petition_id=petition.pk, batch_size=batch_size):
        pass
    return {
        name: (status, voter)
        for name, status, voter in Line.objects.filter(petition=petition).values_list(
            "printed_name", "status", "voter_registrant_id"
        )
    }


def test_whichever_line_is_decided_first_the_decisions_are_the_same(roll):
    at_once = _validated_in_order("at-once", tuple(range(len(LINES))), 1000)
    assert at_once["a medina"] == ("address_mismatch", "AM")
    assert at_once["E Acosta"] == ("address_mismatch", "EA")
    orders = list(itertools.permutations(range(len(LINES))))[::17]
    for n, order in enumerate(orders):
        for batch_size in (1, 2):
            got = _validated_in_order(f"o{n}-{batch_size}", order, batch_size)
            assert got == at_once, (order, batch_size)
