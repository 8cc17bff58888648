"""Keying in paper sections: starting a section and saving its lines, one at a time.

Each save is idempotent: the entry page gives every line form a client token (a UUID), and a save
sent again with the same token (a retry after a network hiccup, a double press) returns the line
already stored instead of a second one. A saved line is validated by the workers after commit.
"""

import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet

from petitions.models import Line, Petition, Section
from petitions.services import zip_normalized


def sections_for(user, petition: Petition) -> QuerySet[Section]:
    """The sections a user may open: a volunteer their own, an organizer every one."""
    sections = Section.objects.filter(petition=petition)
    if user.has_perm("petitions.view_section"):
        return sections
    return sections.filter(entered_by=user)


@transaction.atomic
def section_create(
    *,
    petition: Petition,
    serial: int,
    entered_by,
    circulator_name: str = "",
    circulator_address: str = "",
    circulated_from: date | None = None,
    circulated_to: date | None = None,
    declaration_signed: bool = True,
    received_on: date | None = None,
) -> Section:
    """A new section of the petition; a serial number already entered is refused."""
    if circulated_from and circulated_to and circulated_to < circulated_from:
        raise ValidationError({"circulated_to": "The circulation cannot end before it starts."})
    if Section.objects.filter(petition=petition, serial=serial).exists():
        raise ValidationError({"serial": f"Section {serial} has already been entered."})
    try:
        with transaction.atomic():
            return Section.objects.create(
                petition=petition, serial=serial, entered_by=entered_by,
                circulator_name=circulator_name.strip(),
                circulator_address=circulator_address.strip(),
                circulated_from=circulated_from, circulated_to=circulated_to,
                declaration_signed=declaration_signed, received_on=received_on,
            )  # fmt: skip
    except IntegrityError as exc:  # entered by someone else at the same moment
        raise ValidationError({"serial": f"Section {serial} has already been entered."}) from exc


@dataclass(frozen=True)
class LineInput:
    printed_name: str
    residence_address: str
    city: str = ""
    zip: str = ""
    signed: bool = True
    number: int | None = None  # the next free number when not given


def line_save(*, section: Section, data: LineInput, client_token: uuid.UUID, entered_by) -> Line:
    """Store one keyed line (or return the one this token already stored) and queue its check.

    A line with neither a name nor an address is refused (a blank line is not keyed); an
    unsigned or half-filled line is stored and decided `incomplete`, as the registrar would.
    """
    existing = Line.objects.filter(client_token=client_token).first()
    if existing is not None:
        if existing.section_id != section.pk:
            raise ValidationError("This entry belongs to another section; reload the page.")
        return existing
    _check(data)
    from petitions.validation import validation_enqueue

    try:
        with transaction.atomic():
            # One volunteer per section at a time is the rule; the lock makes "next number"
            # safe when two tabs save at once anyway.
            Section.objects.select_for_update().get(pk=section.pk)
            number = data.number or _next_number(section)
            if Line.objects.filter(section=section, number=number).exists():
                raise ValidationError(
                    {"number": f"Line {number} of this section is already entered."}
                )
            line = Line.objects.create(
                petition_id=section.petition_id, section=section, number=number,
                printed_name=data.printed_name.strip(),
                residence_address=data.residence_address.strip(), city=data.city.strip(),
                zip=zip_normalized(data.zip.strip()), signed=data.signed, client_token=client_token,
                entered_by=entered_by,
            )  # fmt: skip
            transaction.on_commit(lambda: validation_enqueue(petition_id=section.petition_id))
    except IntegrityError:
        # The same token saved by a concurrent retry: that save won; return its line.
        existing = Line.objects.filter(client_token=client_token).first()
        if existing is None:
            raise
        return existing
    return line


def _next_number(section: Section) -> int:
    top = Line.objects.filter(section=section).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def _check(data: LineInput) -> None:
    problems: dict[str, str] = {}
    if not data.printed_name.strip() and not data.residence_address.strip():
        problems["printed_name"] = "Type the printed name or the address (or skip the line)."
    if zip_normalized(data.zip.strip()) is None:  # the same rule as the CSV import
        problems["zip"] = f"'{data.zip.strip()}' is not a ZIP code (5 digits, or ZIP+4)."
    if data.number is not None and not 1 <= data.number <= 1000:
        problems["number"] = "Line numbers run from 1 to 1000."
    for name, limit in (("printed_name", 200), ("residence_address", 300), ("city", 100)):
        if len(getattr(data, name)) > limit:
            problems[name] = f"At most {limit} characters."
    if problems:
        raise ValidationError(problems)
