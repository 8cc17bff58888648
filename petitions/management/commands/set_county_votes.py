"""python manage.py set_county_votes --petition SLUG FILE.csv: the last vote for the office in each
county, for the five-county rule (Const. art. II section 14(b)): columns county,votes."""

import csv
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from petitions.counties import county_code_of, county_name
from petitions.models import Petition
from petitions.services import petition_county_votes_set
from recall.lib.cli import error_line
from recall.models import command_actor

COLUMNS = ("county", "votes")
MAX_ROWS = 1000  # California has 58 counties: a larger file is not this one


def read_votes(path: Path, counties: Sequence[str] = ()) -> dict[str, int]:
    """{county code: votes} from the CSV, each county one of `counties` (if any given); every
    problem named by its row (the header is row 1)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))[: MAX_ROWS + 2]
    except FileNotFoundError:
        raise CommandError(f"no such file: {path}") from None
    except UnicodeDecodeError:
        raise CommandError(f"{path} is not UTF-8 text: save it as CSV (UTF-8)") from None
    except csv.Error as exc:
        raise CommandError(f"{path} is not a readable CSV: {exc}") from None
    if not rows:
        raise CommandError(f"{path} is empty: give a header row county,votes and a row a county")
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise CommandError(
            f"row 1 (the header): no column {' or '.join(missing)}; the header must name "
            f"county and votes (it has: {', '.join(header) or 'nothing'})"
        )
    if len(rows) > MAX_ROWS + 1:
        raise CommandError(f"{path} has more than {MAX_ROWS} rows: California has 58 counties")
    at_county, at_votes = header.index("county"), header.index("votes")
    votes: dict[str, int] = {}
    seen: dict[str, int] = {}
    problems: list[str] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        county = row[at_county].strip() if at_county < len(row) else ""
        count = row[at_votes].strip() if at_votes < len(row) else ""
        code = county_code_of(county) if county else None
        if code is None:
            problems.append(f"row {number}: {county!r} is not a California county (a name or "
                            "SoS code)" if county else f"row {number}: no county")  # fmt: skip
            continue
        if counties and code not in counties:
            problems.append(f"row {number}: {county_name(code)} is not one of the petition's "
                            "counties")  # fmt: skip
            continue
        if code in seen:
            problems.append(f"row {number}: {county_name(code)} again (first in row {seen[code]})")
            continue
        seen[code] = number
        digits = re.sub(r"[,_ ]", "", count)
        if not re.fullmatch(r"[0-9]{1,10}", digits) or int(digits) == 0:
            problems.append(f"row {number}: votes {count!r} for {county_name(code)} is not a "
                            "positive whole number")  # fmt: skip
            continue
        votes[code] = int(digits)
    if problems:
        raise CommandError("; ".join(problems))
    if not votes:
        raise CommandError(f"{path} has no county rows under its header")
    return votes


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
        votes = read_votes(Path(options["file"]), petition.electorate_counties or ())
        try:
            petition_county_votes_set(petition=petition, votes=votes)
        except ValidationError as exc:
            raise CommandError(error_line(exc, {"county_votes": options["file"]})) from None
        self.stdout.write(f"{petition.slug}: the last vote for the office in {len(votes)} counties")
