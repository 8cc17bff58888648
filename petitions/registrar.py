"""After filing: the registrar's category names, its count files, our accuracy against its
decisions and the examination's clock. No database here but `examination_for`'s one query.

The registrar's names for its categories are a data file (data/registrar_categories.csv): a
county that words them otherwise adds rows, not code.
"""

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from petitions.models import (
    LineStatus,
    Petition,
    RegistrarCategory,
    RegistrarResult,
    RegistrarResultKind,
)

CATEGORIES_FILE = Path(__file__).resolve().parent / "data" / "registrar_categories.csv"
# The header each kind of file must have (its columns, in this order).
HEADERS = {
    "raw": ("raw_count",),
    "sample": ("category", "count"),
    "full": ("category", "count"),
    "lines": ("section", "line", "status"),
}
MAX_ERRORS = 20  # problems listed, the rest counted
MAX_COUNT = 2_147_483_647  # PositiveIntegerField's ceiling (California has 22 million voters)
_NUMBER = re.compile(r"[0-9]{1,10}")


def fold(name: str) -> str:
    """A category name as compared: case-insensitive, spaces folded ("Not  registered ")."""
    return " ".join(name.split()).lower()


@cache
def category_names() -> dict[str, str]:
    """{folded registrar name: our category code}, from the data file."""
    with CATEGORIES_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names: dict[str, str] = {}
    for number, row in enumerate(rows, start=2):
        category = (row.get("category") or "").strip()
        if category not in RegistrarCategory.values:
            raise ValueError(f"{CATEGORIES_FILE} line {number}: unknown category {category!r}")
        names[fold(row.get("name") or "")] = category
    return names


@cache
def known_names() -> tuple[str, ...]:
    """The registrar's names the data file knows, as it writes them."""
    with CATEGORIES_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(row["name"].strip() for row in csv.DictReader(handle))


def category_label(code: str) -> str:
    """A registrar category's name in the active language ("not_registered": "Not registered")."""
    try:
        return str(RegistrarCategory(code).label)
    except ValueError:
        return code


def unknown_name_message(row: int, field: str, name: str) -> str:
    return _(
        "row %(row)s, %(field)s: '%(name)s' is not a category name we know; known names: %(known)s"
    ) % {"row": row, "field": field, "name": name[:60], "known": ", ".join(known_names())}


def header_problem(kind: str, header: Sequence[str]) -> str | None:
    """What is wrong with a file's header row for its kind, or None."""
    names = [cell.strip().lstrip("\ufeff").strip().lower() for cell in header]
    expected = HEADERS[kind]
    if tuple(names) == expected:
        return None
    return _(
        "row 1 (the header): a %(kind)s file's header is %(expected)s, this one is %(got)s"
    ) % {
        "kind": str(RegistrarResultKind(kind).label).lower(),
        "expected": ",".join(expected),
        "got": ",".join(names) or _("empty"),
    }


def whole_number(text: str) -> int | None:
    """A count as a registrar writes it ("715,833" too); None if it is not one."""
    digits = re.sub(r"[,_ ]", "", text.strip())
    if not _NUMBER.fullmatch(digits) or int(digits) > MAX_COUNT:
        return None
    return int(digits)


@dataclass(frozen=True)
class Counts:
    """A parsed raw, sample or full count file."""

    raw_count: int | None = None
    counts: Mapping[str, int] | None = None
    written: Mapping[str, str] | None = None  # category code -> the registrar's name for it


def counts_parse(kind: str, text: str) -> Counts:
    """A raw (`raw_count`), sample or full (`category,count`) file's rows; every problem is
    named by its row and field (the header is row 1)."""
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise ValidationError(_("not a readable CSV: %(error)s") % {"error": exc}) from None
    if not rows:
        raise ValidationError(_("The file is empty: a header row is required."))
    problem = header_problem(kind, rows[0])
    if problem:
        raise ValidationError(problem)
    body = [
        (number, row)
        for number, row in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in row)
    ]
    # A count written with its thousands unquoted ("Valid,520,050") is split by the CSV reader:
    # the cells after the name are the count's (whole_number refuses what is not one).
    width = len(HEADERS[kind])
    problems = [
        _("row %(row)s: %(got)s values, the header has %(width)s")
        % {"row": number, "got": len(row), "width": width}
        for number, row in body
        if len(row) < width
    ]
    if problems:
        raise ValidationError(problems[:MAX_ERRORS])
    if kind == "raw":
        if len(body) != 1:
            raise ValidationError(
                _("A raw count file holds one row under its header; this one has %(n)s.")
                % {"n": len(body)}
            )
        number, cells = body[0]
        value = ",".join(cells)
        raw = whole_number(value)
        if raw is None:
            raise ValidationError(
                _("row %(row)s, raw_count: '%(value)s' is not a whole number")
                % {"row": number, "value": value[:40]}
            )
        return Counts(raw_count=raw)
    names = category_names()
    counts: dict[str, int] = {}
    written: dict[str, str] = {}
    first_row: dict[str, int] = {}
    for number, (name, *cells) in body:
        value = ",".join(cells)
        category = names.get(fold(name))
        if category is None:
            problems.append(unknown_name_message(number, "category", name))
        elif category in first_row:
            problems.append(
                _(
                    "row %(row)s, category: '%(name)s' is %(category)s again "
                    "(first in row %(first)s)"
                )
                % {
                    "row": number,
                    "name": name.strip(),
                    "category": category,
                    "first": first_row[category],
                }
            )
        else:
            first_row[category] = number
        count = whole_number(value)
        if count is None:
            problems.append(
                _("row %(row)s, count: '%(value)s' is not a whole number")
                % {"row": number, "value": value[:40]}
            )
        elif category is not None:
            counts[category] = count
            written[category] = name.strip()[:100]
    if problems:
        raise ValidationError(problems[:MAX_ERRORS] + _more(len(problems)))
    if not body:
        raise ValidationError(_("No category rows under the header."))
    if kind == "sample" and not sum(counts.values()):
        raise ValidationError(_("The sample's counts add up to 0: a sample has lines."))
    return Counts(counts=counts, written=written)


def _more(problems: int) -> list[str]:
    if problems <= MAX_ERRORS:
        return []
    return [_("and %(n)s more problems") % {"n": problems - MAX_ERRORS}]


# Our statuses that are decisions (the registrar's categories but two); the others are lines we
# have not decided (pending, needs review) or that are no signature (blank).
DECIDED = tuple(
    s
    for s in LineStatus.values
    if s not in (LineStatus.PENDING, LineStatus.NEEDS_REVIEW, LineStatus.BLANK)
)


@dataclass(frozen=True)
class Accuracy:
    """Our decisions against the registrar's on the lines both looked at.

    agreement: of the lines we decided, the share we put in the registrar's category;
    precision: of the lines we call valid, the share the registrar calls valid;
    recall: of the lines the registrar calls valid, the share we call valid (lines we have not
    decided count against it: we did not find them valid).
    """

    lines: int
    decided: int
    agreed: int
    we_valid: int
    registrar_valid: int
    both_valid: int

    @property
    def agreement(self) -> float | None:
        return self.agreed / self.decided if self.decided else None

    @property
    def precision(self) -> float | None:
        return self.both_valid / self.we_valid if self.we_valid else None

    @property
    def recall(self) -> float | None:
        return self.both_valid / self.registrar_valid if self.registrar_valid else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "decided": self.decided,
            "agreed": self.agreed,
            "we_valid": self.we_valid,
            "registrar_valid": self.registrar_valid,
            "both_valid": self.both_valid,
            "agreement": self.agreement,
            "precision": self.precision,
            "recall": self.recall,
        }


def accuracy(matrix: Mapping[tuple[str, str], int]) -> Accuracy:
    """Accuracy from the confusion matrix {(registrar category, our status): lines}."""
    lines = decided = agreed = we_valid = registrar_valid = both_valid = 0
    for (category, status), n in matrix.items():
        lines += n
        if status in DECIDED:
            decided += n
            agreed += n if status == category else 0
        we_valid += n if status == LineStatus.VALID else 0
        registrar_valid += n if category == RegistrarCategory.VALID else 0
        both_valid += n if status == category == LineStatus.VALID else 0
    return Accuracy(lines, decided, agreed, we_valid, registrar_valid, both_valid)


# The examination of the rejected lines (Gov. Code 7924.110(b)(2), as amended by SB 1441 of
# 2024): at most 60 days; the proponents pay the county's costs after 5 business days.
EXAMINATION_DAYS = 60
FREE_BUSINESS_DAYS = 5


@dataclass(frozen=True)
class ExaminationClock:
    starts_on: date
    last_day: date  # the 60th day, the start counted as the first
    free_until: date  # the 5th business day (weekdays; holidays not known here)
    days_left: int  # today included; 0 once it is over
    started: bool
    free_days_past: bool
    over: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "starts_on": self.starts_on.isoformat(),
            "last_day": self.last_day.isoformat(),
            "free_until": self.free_until.isoformat(),
            "days_left": self.days_left,
            "started": self.started,
            "free_days_past": self.free_days_past,
            "over": self.over,
        }


def examination_clock(starts_on: date, today: date) -> ExaminationClock:
    """The examination period from its first day: its last day, the last cost-free day, the
    days left (today included)."""
    last_day = starts_on + timedelta(days=EXAMINATION_DAYS - 1)
    free_until, business = starts_on, 0
    while True:
        if free_until.weekday() < 5:
            business += 1
            if business == FREE_BUSINESS_DAYS:
                break
        free_until += timedelta(days=1)
    started = today >= starts_on
    days_left = (last_day - max(today, starts_on)).days + 1
    return ExaminationClock(
        starts_on=starts_on,
        last_day=last_day,
        free_until=free_until,
        days_left=max(days_left, 0),
        started=started,
        free_days_past=today > free_until,
        over=today > last_day,
    )


def examination_for(petition: Petition, *, today: date) -> dict[str, Any] | None:
    """The examination's clock from the certificate date given with the latest import of the
    registrar's results that gives one (a later import corrects an earlier one; None without
    one). One query: the dashboard's hook."""
    starts_on = (
        RegistrarResult.objects.filter(petition=petition, certified_on__isnull=False)
        .order_by("-as_of", "-imported_at", "-id")
        .values_list("certified_on", flat=True)
        .first()
    )
    return examination_clock(starts_on, today).as_dict() if starts_on else None
