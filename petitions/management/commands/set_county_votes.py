"""python manage.py set_county_votes --petition SLUG FILE.csv: the last vote for the office in each
county, for the five-county rule (Const. art. II section 14(b)): columns county,votes."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from petitions.county_votes import votes_parse, votes_rows
from petitions.models import Petition
from petitions.services import petition_county_votes_set
from recall.lib.cli import error_line
from recall.models import command_actor


def read_votes(path: Path, counties: list[str]) -> dict[str, int]:
    """{county code: votes} from the file; every problem named by its row (the header is row 1)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"no such file: {path}") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path} is not UTF-8 text: save it as CSV (UTF-8)") from None
    try:
        return votes_parse(votes_rows(text), counties)
    except ValidationError as exc:
        raise CommandError(f"{path}: " + "; ".join(exc.messages)) from None


class Command(BaseCommand):
    help = (
        "Store the last vote for the office in each county (a CSV with columns county,votes; a "
        "county by name or SoS code), replacing any stored before: the dashboard then shows which "
        "counties have signatures equal to 1% of it, and whether at least 5 do (Const. art. II "
        "section 14(b))."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--petition", required=True, help="the petition's slug")
        parser.add_argument("file", help="CSV with columns county,votes")

    @command_actor("set_county_votes")  # the audit log names who ran it
    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["petition"]
        petition = Petition.objects.filter(slug=slug).first()
        if petition is None:
            raise CommandError(f"no petition with slug {slug!r} (--petition)")
        votes = read_votes(Path(options["file"]), petition.electorate_counties or [])
        try:
            petition_county_votes_set(petition=petition, votes=votes)
        except ValidationError as exc:
            raise CommandError(error_line(exc, {"county_votes": options["file"]})) from None
        self.stdout.write(f"{petition.slug}: the last vote for the office in {len(votes)} counties")
