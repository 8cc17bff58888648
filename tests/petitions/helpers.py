"""Shared by the petitions tests: a small roll with the hard cases; adding, validating lines."""

from petitions.models import Line, Section
from petitions.validation import petition_validate_pending
from tests.matching.roll import HARD_CASE_VOTERS
from tests.voters.factories import voter

ROLL = [voter(voter_id, **fields) for voter_id, fields in HARD_CASE_VOTERS]


def add(petition, name, address, city="", zip_code="", serial=1, signed=True, **extra) -> Line:
    section = Section.objects.get(petition=petition, serial=serial)
    number = Line.objects.filter(section=section).count() + 1
    return Line.objects.create(
        petition=petition, section=section, number=number, printed_name=name,
        residence_address=address, city=city, zip=zip_code, signed=signed, **extra,
    )  # fmt: skip


def validate(petition) -> None:
    while petition_validate_pending(petition_id=petition.pk):
        pass


def decided(line: Line) -> Line:
    line.refresh_from_db()
    return line
