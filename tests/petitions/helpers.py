"""Shared by the petitions tests: a small roll with the hard cases; adding, validating lines."""

from petitions.models import Line, Section
from petitions.validation import petition_validate_pending
from tests.voters.factories import voter

ROLL = [
    voter("SR1", first_name="JOSE", last_name="MARTINEZ", name_suffix="SR", house_number="500",
          street_name="ELM", street_type="ST", city="PASADENA", zip="91101"),
    voter("JR1", first_name="JOSE", last_name="MARTINEZ", name_suffix="JR", house_number="500",
          street_name="ELM", street_type="ST", city="PASADENA", zip="91101"),
    voter("BOB", first_name="ROBERT", last_name="SMITHERS", house_number="12", street_name="OAK",
          street_type="AVE", city="GLENDALE", zip="91201"),
    voter("CMP", first_name="MARIA", last_name="GARCIA LOPEZ", house_number="77",
          street_name="FIGUEROA", street_type="ST", city="LOS ANGELES", zip="90012"),
    voter("ACC", first_name="JOSÉ", last_name="NÚÑEZ", house_number="8", street_name="MAPLE",
          street_type="DR", city="LOS ANGELES", zip="90026"),
    voter("UNI", first_name="GRACE", last_name="OKAFOR", house_number="900", street_name="VERMONT",
          street_type="AVE", unit_type="APT", unit_number="4B", city="LOS ANGELES", zip="90029"),
    voter("MOV", first_name="ZEBEDIAH", last_name="QUILLFEATHER", house_number="31",
          street_name="PINE", street_type="ST", city="LONG BEACH", zip="90802"),
    voter("CAN", first_name="HAROLD", last_name="BLUMENTHAL", house_number="4", street_name="ASH",
          street_type="CT", city="TORRANCE", zip="90501", status="C"),
    voter("LAT", first_name="NORA", last_name="LINDQVIST", house_number="66", street_name="BIRCH",
          street_type="LN", city="BURBANK", zip="91502", registration_date="2026-09-01"),
    voter("HIL", first_name="MARIA", last_name="MALDONADO ESPINOZA", house_number="17019",
          street_name="INDIAN HILL", street_type="BLVD", city="NORWALK", zip="90650"),
    voter("JPA", first_name="ANGELICA", last_name="JIMENEZ PANTOJA", house_number="9296",
          street_name="SUNNYSIDE", street_type="AVE", city="HAWTHORNE", zip="90250"),
    voter("DLF", first_name="DOLORES", last_name="DE LA FUENTE", house_number="9619",
          street_name="STOCKER", street_type="ST", city="LOS ANGELES", zip="90001"),
    voter("AVC", first_name="GABRIELA", last_name="ÁLVAREZ CASTAÑEDA", house_number="4524",
          street_name="GORDON", street_type="DR", city="LYNWOOD", zip="90262"),
    voter("MI1", first_name="MICHELLE", last_name="MASON", house_number="8048",
          street_name="FOOTHILL", street_type="BLVD", city="POMONA", zip="91767"),
    voter("MA1", first_name="MARK", last_name="MASON", house_number="8048",
          street_name="FOOTHILL", street_type="BLVD", city="POMONA", zip="91767"),
]  # fmt: skip


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
