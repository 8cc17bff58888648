"""The last vote for the office by county (the five-county rule, Const. art. II section 14(b)),
read from CSV rows `county,votes`: a county by name or SoS code, each problem named by its row.

Shared by `manage.py set_county_votes` (a file) and the County votes page (pasted text)."""

import csv
import io
import re
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from petitions.counties import county_code_of, county_name

COLUMNS = ("county", "votes")
MAX_ROWS = 1000  # California has 58 counties: a larger file is not this one


def votes_rows(text: str) -> list[list[str]]:
    """CSV text as rows (at most MAX_ROWS + 2 kept: enough to say there are too many)."""
    try:
        return list(csv.reader(io.StringIO(text)))[: MAX_ROWS + 2]
    except csv.Error as exc:
        raise ValidationError(_("not a readable CSV: %(error)s") % {"error": exc}) from None


def votes_parse(rows: Sequence[Sequence[str]], counties: Sequence[str] = ()) -> dict[str, int]:
    """{county code: votes}, each county one of `counties` (if any given), each vote a positive
    whole number ("2,910,000" too); every problem named by its row (the header is row 1)."""
    if not rows:
        raise ValidationError(_("Nothing given: a header row county,votes and a row a county."))
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ValidationError(
            _("row 1 (the header): no column %(missing)s; the header must name county and votes "
              "(it has: %(header)s)")
            % {"missing": " / ".join(missing), "header": ", ".join(header) or "-"}
        )  # fmt: skip
    if len(rows) > MAX_ROWS + 1:
        raise ValidationError(_("more than %(max)s rows: California has 58 counties")
                              % {"max": MAX_ROWS})  # fmt: skip
    at_county, at_votes = header.index("county"), header.index("votes")
    votes: dict[str, int] = {}
    first_row: dict[str, int] = {}
    problems: list[str] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        county = row[at_county].strip() if at_county < len(row) else ""
        count = row[at_votes].strip() if at_votes < len(row) else ""
        code = county_code_of(county) if county else None
        where = {"row": number, "county": county_name(code) if code else county}
        if not county:
            problems.append(_("row %(row)s: no county") % where)
        elif code is None:
            problems.append(
                _("row %(row)s: '%(county)s' is not a California county (a name or SoS code)")
                % where
            )
        elif counties and code not in counties:
            problems.append(_("row %(row)s: %(county)s is not one of the petition's counties")
                            % where)  # fmt: skip
        elif code in first_row:
            problems.append(_("row %(row)s: %(county)s again (first in row %(first)s)")
                            % {**where, "first": first_row[code]})  # fmt: skip
        else:
            first_row[code] = number
            digits = re.sub(r"[,_ ]", "", count)
            if re.fullmatch(r"[0-9]{1,10}", digits) and int(digits) > 0:
                votes[code] = int(digits)
            else:
                problems.append(
                    _("row %(row)s: votes '%(votes)s' for %(county)s is not a positive whole "
                      "number") % {**where, "votes": count}
                )  # fmt: skip
    if problems:
        raise ValidationError(problems)
    if not votes:
        raise ValidationError(_("No county rows under the header."))
    return votes


def votes_text(votes: dict[str, int]) -> str:
    """Stored votes as the CSV text the page and the command read."""
    return "county,votes\n" + "".join(
        f"{county_name(code).removesuffix(' County')},{count}\n"
        for code, count in sorted(votes.items())
    )
