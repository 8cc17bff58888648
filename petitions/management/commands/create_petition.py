"""python manage.py create_petition --title T [--slug S] [--required N | --registration-base N]
[--approved YYYY-MM-DD] [--deadline YYYY-MM-DD] [--officer NAME] [--district COLUMN=VALUE ...]
[--city NAME] [--counties CODE,...]: create a petition (without --required or --registration-base,
the base is the active roll's voters in the electorate)."""

import re
from datetime import date
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from petitions import rules
from petitions.counties import COUNTY_NAMES, county_code_of
from petitions.electorate import Electorate
from petitions.models import Petition
from petitions.services import petition_create
from recall.lib.cli import error_line
from recall.models import command_actor

# The flag that sets each of the petition's fields, to name it in error messages.
FLAGS = {
    "title": "--title",
    "slug": "--slug",
    "required_signatures": "--required",
    "registration_base": "--registration-base",
    "approved_on": "--approved",
    "deadline": "--deadline",
    "officer": "--officer",
    "jurisdiction": "--jurisdiction",
    "electorate_counties": "--counties",
    "electorate_city": "--city",
    "electorate_districts": "--district",
}


def _districts(texts: list[str]) -> dict[str, list[str]]:
    """--district COLUMN=VALUE, repeatable: several values of one column are any of them."""
    out: dict[str, list[str]] = {}
    for text in texts:
        column, sep, value = text.partition("=")
        if not sep or not column.strip() or not value.strip():
            raise CommandError(f"--district must be COLUMN=VALUE, e.g. SupDist=3; got {text!r}")
        out.setdefault(column.strip(), []).append(value.strip())
    return out


def _counties(text: str | None) -> list[str]:
    """--counties 19,30 or names ('Los Angeles,Orange'), or 'all' for the 58."""
    if not text:
        return []
    if text.strip().lower() == "all":
        return sorted(COUNTY_NAMES)
    codes = []
    for part in text.split(","):
        code = county_code_of(part)
        if code is None:
            raise CommandError(
                f"--counties: {part.strip()!r} is not a California county (a code 1-58 or a name)"
            )
        codes.append(code)
    return codes


def _number(flag: str, text: str | None) -> int | None:
    if text is None:
        return None
    digits = text.replace(",", "").replace("_", "").strip()
    if not re.fullmatch(r"[0-9]+", digits):
        raise CommandError(f"{flag} must be a whole number, got {text!r}")
    return int(digits)


def _date(flag: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text.strip()):
            raise ValueError
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"{flag} must be a date as YYYY-MM-DD, got {text!r}") from None


class Command(BaseCommand):
    help = (
        "Create a petition. Give --required, or --registration-base to compute it by EC 11221 "
        "(with both, --required wins and the base is kept for the record). The deadline defaults "
        "to --approved plus the EC 11220 circulation window."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Checked by the service rather than argparse, so a missing one is a one-line error.
        parser.add_argument(
            "--slug", default="", help="short name used in URLs (default: made from the title)"
        )
        parser.add_argument("--title", default="", help="e.g. 'Recall of the DA' (required)")
        parser.add_argument("--required", help="signatures required, e.g. 566857")
        parser.add_argument("--registration-base", help="registered voters, e.g. 5668570")
        parser.add_argument("--approved", help="day the petition form was approved, YYYY-MM-DD")
        parser.add_argument("--deadline", help="last day to file, YYYY-MM-DD")
        parser.add_argument("--officer", default="", help="the officer to be recalled")
        parser.add_argument(
            "--jurisdiction", default="",
            help="its name (default: after the electorate, e.g. 'Los Angeles County', "
            "'State of California')",
        )  # fmt: skip
        parser.add_argument(
            "--district", action="append", default=[], metavar="COLUMN=VALUE",
            help="only voters of this district may sign (a district column of the roll, e.g. "
            "supervisorial_district=3); repeat for several values or columns",
        )  # fmt: skip
        parser.add_argument(
            "--city", default="", help="only voters registered in this city of the roll may sign"
        )
        parser.add_argument(
            "--counties", metavar="CODE,...",
            help="the counties of the electorate, by SoS code or name, or 'all' for a statewide "
            "office; each section then belongs to one of them",
        )  # fmt: skip
        parser.add_argument(
            "--double-entry", action="store_true",
            help="require blind double entry: each section keyed twice, disagreements reviewed",
        )  # fmt: skip

    @command_actor("create_petition")  # the audit log names who ran it
    def handle(self, *args: Any, **options: Any) -> None:
        required = _number("--required", options["required"])
        base = _number("--registration-base", options["registration_base"])
        self._base_given = base is not None
        try:
            petition = petition_create(
                title=options["title"], slug=options["slug"], required=required,
                registration_base=base, approved_on=_date("--approved", options["approved"]),
                deadline=_date("--deadline", options["deadline"]), officer=options["officer"],
                jurisdiction=options["jurisdiction"], double_entry=options["double_entry"],
                electorate_districts=_districts(options["district"]),
                electorate_city=options["city"], electorate_counties=_counties(options["counties"]),
            )  # fmt: skip
        except ValidationError as exc:
            raise CommandError(error_line(exc, FLAGS)) from None
        self._report(petition, given_required=required is not None)

    def _report(self, petition: Petition, *, given_required: bool) -> None:
        out = self.stdout
        base = petition.registration_base
        out.write(f"Created petition {petition.slug} (id {petition.pk}): {petition.title}")
        out.write(f"  jurisdiction         {petition.jurisdiction}")
        out.write(f"  electorate           {Electorate.of(petition).label(petition)}")
        if petition.officer:
            out.write(f"  officer              {petition.officer}")
        if base and not given_required and not self._base_given:
            out.write(
                f"  registration base    {base:,} (the active roll's voters in the electorate)"
            )
        else:
            out.write(f"  registration base    {f'{base:,}' if base else 'not given'}")
        if not given_required:
            # Required computed from the base: petition_create refuses neither being given.
            share = rules.signature_share(cast(int, base))
            how = f"{share.numerator * 100 // share.denominator}% of the base, rounded up, EC 11221"
        elif base:
            how = f"as given; EC 11221 gives {rules.required_signatures(base):,} for the base"
        else:
            how = "as given"
        out.write(f"  required signatures  {petition.required_signatures:,} ({how})")
        out.write(f"  approved             {petition.approved_on or 'not given'}")
        if petition.deadline and petition.approved_on:
            days = (petition.deadline - petition.approved_on).days
            out.write(f"  deadline             {petition.deadline} ({days} days after approval)")
        else:
            out.write(f"  deadline             {petition.deadline or 'not set'}")
        out.write(f"  double entry         {'required' if petition.double_entry else 'no'}")
