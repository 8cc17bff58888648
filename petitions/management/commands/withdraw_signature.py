"""python manage.py withdraw_signature --petition SLUG --section N --line M [--note TEXT]: record
a signer's written withdrawal (EC 11303), filed before the petition is."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from petitions.models import Line, Petition, Section
from petitions.validation import line_withdraw
from recall.lib.cli import error_line
from recall.models import command_actor

# The flag naming each field the service may refuse, for error messages.
FLAGS = {"petition": "--petition", "line": "--line"}


def _number(flag: str, text: str) -> int:
    if not re.fullmatch(r"[0-9]+", text.strip()):
        raise CommandError(f"{flag} must be a whole number, got {text!r}")
    return int(text)


class Command(BaseCommand):
    help = (
        "Withdraw a signature at the signer's written request (EC 11303), before the petition is "
        "filed: the line stops counting and, if it was the voter's counted line, the voter's next "
        "line counts instead. The line's history and the audit log record it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--petition", required=True, help="the petition's slug")
        parser.add_argument("--section", required=True, help="the section's serial number")
        parser.add_argument("--line", required=True, help="the line's number in the section")
        parser.add_argument(
            "--note", default="", help="e.g. where the written request is filed (300 characters)"
        )

    @command_actor("withdraw_signature")  # the audit log names who ran it
    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["petition"]
        serial = _number("--section", options["section"])
        number = _number("--line", options["line"])
        note = options["note"].strip()
        if len(note) > 300:
            raise CommandError(f"--note is {len(note)} characters long; at most 300")
        petition = Petition.objects.filter(slug=slug).first()
        if petition is None:
            raise CommandError(f"no petition with slug {slug!r} (--petition)")
        section = Section.objects.filter(petition=petition, serial=serial).first()
        if section is None:
            raise CommandError(f"petition {slug} has no section {serial} (--section)")
        line = Line.objects.filter(section=section, number=number).first()
        if line is None:
            raise CommandError(f"section {serial} of petition {slug} has no line {number} (--line)")
        try:
            line = line_withdraw(line_id=line.pk, note=note)
        except ValidationError as exc:
            raise CommandError(error_line(exc, FLAGS)) from None
        self.stdout.write(f"Withdrew section {serial} line {number} of petition {slug}.")
        replacement = (
            Line.objects.filter(petition=petition, counted=True,
                                voter_registrant_id=line.voter_registrant_id)
            .select_related("section")
            .first()
            if line.voter_registrant_id
            else None
        )  # fmt: skip
        if replacement is not None:
            self.stdout.write(
                f"The voter's line that counts now: section {replacement.section.serial} "
                f"line {replacement.number}."
            )
