"""Importing keyed signature lines from a CSV file: every row checked, then written in batches."""

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO, TypedDict

from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from petitions.counties import county_code_of, county_name
from petitions.models import MAX_LINE_NUMBER, Line, Petition, Section
from petitions.services.circulators import circulators_link
from recall.lib.text import visible_text

REQUIRED_COLUMNS = ("section", "line", "printed_name", "residence_address", "city")
OPTIONAL_COLUMNS = ("zip", "signed", "circulator", "date_signed", "county")
BATCH_SIZE = 5_000
# An import of this many lines or more has the lines' statistics taken again before it commits.
ANALYZE_AFTER = 1_000
REJECTS_KEPT = 100
MAX_VALUE_LENGTH = 200
# Text columns and the longest value each takes (Line.city is narrower than the rest).
_TEXT_LIMITS = {
    "printed_name": MAX_VALUE_LENGTH,
    "residence_address": MAX_VALUE_LENGTH,
    "city": 100,
    "circulator": MAX_VALUE_LENGTH,
}
_MAX_NUMBER = 2_147_483_647  # PositiveIntegerField
_DIGITS = re.compile(r"[0-9]+")
_ZIP = re.compile(r"([0-9]{5})(?:-?([0-9]{4}))?")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_US_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_YES = frozenset({"", "yes", "y", "true", "1"})  # blank: a keyed line was signed unless noted
_NO = frozenset({"no", "n", "false", "0"})


class SignatureImportError(Exception):
    """The file cannot be imported at all (unreadable, bad header); the message is one line."""


class Reject(TypedDict):
    line: int
    reason: str


@dataclass
class ImportReport:
    rows_read: int = 0
    lines_created: int = 0
    lines_replaced: int = 0
    sections_created: int = 0
    existing: int = 0  # rows whose (section, line) was already stored and was left alone
    rows_rejected: int = 0
    rejects: list[Reject] = field(
        default_factory=list
    )  # the first REJECTS_KEPT: {"line", "reason"}
    written: bool = False

    def reject(self, line: int, reason: str) -> None:
        self.rows_rejected += 1
        if len(self.rejects) < REJECTS_KEPT:
            self.rejects.append({"line": line, "reason": reason})


@dataclass(slots=True)
class _Row:
    line: int  # the row's first line in the file (the header is line 1)
    section: int
    number: int
    printed_name: str
    residence_address: str
    city: str
    zip: str
    signed: bool
    date_signed: date | None
    circulator: str
    county: str = ""  # the SoS code of the section's county (EC 11047), "" when not given


def _column_name(text: str) -> str:
    return re.sub(r"[\s-]+", "_", text.strip().lower())


class _SignatureFile:
    """A signatures CSV: the header is checked on opening; the rows can be read more than once."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        with self._open() as handle:
            reader = csv.reader(handle)
            try:
                header = next(reader, [])
            except (UnicodeDecodeError, csv.Error) as exc:
                raise SignatureImportError(_read_error(exc, 1)) from None
        names = [_column_name(visible_text(h)) for h in header]
        known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
        twice = sorted(n for n in known if names.count(n) > 1)
        if twice:
            raise SignatureImportError(f"the header repeats columns: {', '.join(twice)}")
        missing = [c for c in REQUIRED_COLUMNS if c not in names]
        if missing:
            raise SignatureImportError(f"the header lacks required columns: {', '.join(missing)}")
        self.index = {name: names.index(name) for name in known if name in names}
        self.width = len(header)

    def _open(self) -> TextIO:
        try:
            # utf-8-sig: spreadsheet programs start "CSV UTF-8" files with a byte-order mark.
            return self.path.open(encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise SignatureImportError(f"cannot read {self.path}: {exc.strerror}") from None

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(the row's first line in the file, its values); rows with no value at all skipped."""
        with self._open() as handle:
            reader = csv.reader(handle)
            last = 0
            try:
                next(reader, None)
                last = reader.line_num
                for values in reader:
                    start, last = last + 1, reader.line_num
                    if any(v.strip() for v in values):
                        yield start, values
            except (UnicodeDecodeError, csv.Error) as exc:
                raise SignatureImportError(_read_error(exc, last + 1)) from None

    def parse(self, values: list[str], line: int) -> _Row | str:
        """The row, or the reason it is rejected."""
        if len(values) != self.width:
            return f"has {len(values)} values, the header has {self.width}"
        index = self.index

        problems: list[str] = []

        def get(name: str) -> str:
            if name not in index:
                return ""
            value = values[index[name]]
            if "\x00" in value:  # a binary file, not a spreadsheet's: refused, not cleaned
                problems.append(f"{name} contains a NUL character")
            # As typed lines: invisible format and control characters stripped (entry.LineInput).
            return visible_text(value).strip()

        section = _positive_number("section", get("section"), problems)
        number = _positive_number("line", get("line"), problems)
        if number > MAX_LINE_NUMBER:
            problems.append(f"line {number} is past {MAX_LINE_NUMBER}, the last line of a section")
        text = {name: get(name) for name in _TEXT_LIMITS}
        for name, value in text.items():
            if len(value) > _TEXT_LIMITS[name]:
                problems.append(f"{name} is longer than {_TEXT_LIMITS[name]} characters")
        signed_text = get("signed").lower()
        if signed_text not in _YES and signed_text not in _NO:
            problems.append(f"signed must be yes or no, got {_show(get('signed'))}")
        zip_code = _zip(get("zip"), problems)
        date_signed = _date(get("date_signed"), problems)
        county = county_code_of(get("county")) if get("county") else ""
        if county is None:
            problems.append(
                f"county {_show(get('county'))} is not a California county (a code 1-58 or a name)"
            )
        if problems:
            return "; ".join(problems)
        return _Row(
            line=line, section=section, number=number, printed_name=text["printed_name"],
            residence_address=text["residence_address"], city=text["city"], zip=zip_code,
            signed=signed_text in _YES, date_signed=date_signed, circulator=text["circulator"],
            county=county or "",
        )  # fmt: skip


def _read_error(exc: Exception, line: int) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"the file is not UTF-8 text (near line {line}); save it as CSV UTF-8"
    # Usually a quote opened and never closed, which swallows the rest of the file.
    return f"line {line}: the CSV cannot be read ({exc}); nothing was imported"


def _show(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "...")


def _positive_number(name: str, value: str, problems: list[str]) -> int:
    if not value:
        problems.append(f"{name} is blank")
        return 0
    if not _DIGITS.fullmatch(value) or int(value) < 1:
        problems.append(f"{name} must be a whole number of 1 or more, got {_show(value)}")
        return 0
    if int(value) > _MAX_NUMBER:
        problems.append(f"{name} {value} is too large")
        return 0
    return int(value)


def zip_normalized(value: str) -> str | None:
    """A line's ZIP as stored ('90012' or '90012-1234'); '' when blank, None when not a ZIP."""
    if not value:
        return ""
    match = _ZIP.fullmatch(value)
    if not match:
        return None
    return f"{match[1]}-{match[2]}" if match[2] else match[1]


def _zip(value: str, problems: list[str]) -> str:
    normalized = zip_normalized(value)
    if normalized is None:
        problems.append(f"zip must be 5 or 9 digits, got {_show(value)}")
        return ""
    return normalized


def _date(value: str, problems: list[str]) -> date | None:
    if not value:
        return None
    parts = None
    if match := _ISO_DATE.fullmatch(value):
        parts = int(match[1]), int(match[2]), int(match[3])
    elif match := _US_DATE.fullmatch(value):
        parts = int(match[3]), int(match[1]), int(match[2])
    if parts:
        try:
            return date(*parts)
        except ValueError:
            pass
    problems.append(f"date_signed must be YYYY-MM-DD or MM/DD/YYYY, got {_show(value)}")
    return None


@dataclass
class _Plan:
    """What the check pass found: which rows to skip, and each section's circulator."""

    rejected: set[int] = field(default_factory=set)  # file lines of rejected rows
    keys: dict[tuple[int, int], int] = field(default_factory=dict)  # (section, line) -> file line
    circulators: dict[int, str] = field(default_factory=dict)  # section serial -> name
    counties: dict[int, str] = field(default_factory=dict)  # section serial -> county code
    existing: dict[tuple[int, int], int] = field(default_factory=dict)  # -> stored Line id


def _check(
    source: _SignatureFile,
    sections: dict[int, tuple[int, str]],
    replace: bool,
    report: ImportReport,
    petition: Petition,
    stored_counties: dict[int, str],
) -> _Plan:
    """Read every row once and decide its fate; nothing is written."""
    plan = _Plan(counties={serial: code for serial, code in stored_counties.items() if code})
    allowed = set(petition.electorate_counties or ())
    # Where each section's circulator was first named: a file line, or 0 for a stored section.
    named_on: dict[int, int] = {}
    if not replace:
        for serial, (_, name) in sections.items():
            if name:
                plan.circulators[serial], named_on[serial] = name, 0
    for line, values in source.rows():
        report.rows_read += 1
        row = source.parse(values, line)
        reason = row if isinstance(row, str) else _clash(row, plan, named_on, allowed)
        if isinstance(row, str) or reason:  # parse's reason (never empty), or a clash
            plan.rejected.add(line)
            report.reject(line, reason)
            continue
        plan.keys[row.section, row.number] = line
        if row.circulator and row.section not in plan.circulators:
            plan.circulators[row.section], named_on[row.section] = row.circulator, line
        if row.county:
            plan.counties.setdefault(row.section, row.county)
    if len(allowed) > 1:  # each section counts in its own county: one without is refused
        for (serial, _number), line in sorted(plan.keys.items(), key=lambda item: item[1]):
            if serial not in plan.counties:
                plan.rejected.add(line)
                report.reject(line, f"section {serial} has no county: the petition has "
                                    "several, give it in the county column (EC 11047)")  # fmt: skip
        plan.keys = {k: v for k, v in plan.keys.items() if v not in plan.rejected}
        report.rejects.sort(key=lambda reject: reject["line"])  # in the file's order
    return plan


def _clash(row: _Row, plan: _Plan, named_on: dict[int, int], allowed: set[str]) -> str:
    """Why the row contradicts an earlier accepted row (or a stored section), or the
    petition's counties, or ""."""
    first = plan.keys.get((row.section, row.number))
    if first is not None:
        return f"duplicate of line {first} (section {row.section}, line {row.number})"
    known = plan.circulators.get(row.section)
    if row.circulator and known and row.circulator != known:
        where = f"on line {named_on[row.section]}" if named_on[row.section] else "(already stored)"
        return f"section {row.section} has circulator {known} {where}"
    county = plan.counties.get(row.section)
    if row.county and county and row.county != county:
        return f"section {row.section} is of {county_name(county)}, not {county_name(row.county)}"
    if row.county and allowed and row.county not in allowed:
        return f"{county_name(row.county)} is not one of the petition's counties"
    return ""


def _stored_lines(plan: _Plan, sections: dict[int, tuple[int, str]]) -> None:
    """Find the file's (section, line) pairs that are already stored, with their Line ids."""
    serial_of = {
        sections[serial][0]: serial for serial in {s for s, _ in plan.keys} if serial in sections
    }
    if not serial_of:
        return
    stored = Line.objects.filter(section_id__in=serial_of).values_list("section_id", "number", "id")
    for section_id, number, line_id in stored.iterator(chunk_size=BATCH_SIZE):
        key = (serial_of[section_id], number)
        if key in plan.keys:
            plan.existing[key] = line_id


_REPLACE_SQL = """
    UPDATE petitions_line AS l SET
        printed_name = v.printed_name, residence_address = v.residence_address, city = v.city,
        zip = v.zip, signed = v.signed, date_signed = v.date_signed,
        status = %s, counted = false, score = NULL, reason = '{}'::jsonb,
        voter_registrant_id = '', validated_roll_id = NULL, validated_at = NULL,
        entered_by_id = %s, updated_at = %s
    FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::boolean[],
                %s::date[])
        AS v(id, printed_name, residence_address, city, zip, signed, date_signed)
    WHERE l.id = v.id
"""


def _replace(rows: list[tuple[int, _Row]], entered_by_id: int | None) -> None:
    """Overwrite stored lines with the file's values and send them back to pending: one UPDATE."""
    with connection.cursor() as cursor:
        cursor.execute(
            _REPLACE_SQL,
            [str(Line.Status.PENDING), entered_by_id, timezone.now(), *_columns(rows, "id")],
        )


def _columns(rows: list[tuple[int, _Row]], first: str) -> list[list[Any]]:
    """The rows as the SQL's unnest arrays: the line's id (or its section's id, `first` says
    which the int is), then the written fields; _INSERT_SQL takes the line number too."""
    written: list[list[Any]] = [
        [r.printed_name for _, r in rows], [r.residence_address for _, r in rows],
        [r.city for _, r in rows], [r.zip for _, r in rows], [r.signed for _, r in rows],
        [r.date_signed for _, r in rows],
    ]  # fmt: skip
    ids: list[Any] = [key for key, _ in rows]
    return [ids, *written] if first == "id" else [ids, [r.number for _, r in rows], *written]


# Every column of a new line, in the order _INSERT_SQL writes them (a test checks the list
# against the model's columns, so a new field cannot be left out silently).
INSERTED_COLUMNS = (
    "petition_id", "section_id", "number", "printed_name", "residence_address", "city", "zip",
    "signed", "date_signed", "withdrawn", "status", "voter_registrant_id", "counted",
    "namesakes", "options", "score", "reason", "validated_roll_id", "validated_at",
    "client_token", "entered_by_id", "entered_at", "updated_at",
)  # fmt: skip
# New lines in one INSERT ... SELECT: bulk_create compiled each value through the ORM (10,000
# lines: 2.7 s, most of an import). Ids in the file's order, as bulk_create gave them.
_INSERT_SQL = f"""
    INSERT INTO petitions_line ({", ".join(INSERTED_COLUMNS)})
    SELECT %s, v.section_id, v.number, v.printed_name, v.residence_address, v.city, v.zip,
           v.signed, v.date_signed, false, %s, '', false, '{{}}', '{{}}', NULL, '{{}}'::jsonb,
           NULL, NULL, gen_random_uuid(), %s, %s, %s
    FROM unnest(%s::bigint[], %s::integer[], %s::text[], %s::text[], %s::text[], %s::text[],
                %s::boolean[], %s::date[])
        WITH ORDINALITY AS v(section_id, number, printed_name, residence_address, city, zip,
                             signed, date_signed, position)
    ORDER BY v.position
"""  # noqa: S608 - fixed SQL, values are parameters


def _insert(rows: list[tuple[int, _Row]], petition: Petition, entered_by_id: int | None) -> None:
    """Create new pending lines (section id, row): one INSERT."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _INSERT_SQL,
            [petition.pk, str(Line.Status.PENDING), entered_by_id, now, now,
             *_columns(rows, "section_id")],
        )  # fmt: skip


def _write(
    source: _SignatureFile,
    plan: _Plan,
    sections: dict[int, tuple[int, str]],
    petition: Petition,
    replace: bool,
    entered_by: User | None,
    report: ImportReport,
) -> None:
    """Create the new sections, then stream the file again into new and replaced lines."""
    new_serials = sorted({serial for serial, _ in plan.keys} - set(sections))
    created = Section.objects.bulk_create(
        [
            Section(
                petition=petition,
                serial=serial,
                entered_by=entered_by,
                circulator_name=plan.circulators.get(serial, ""),
                county_code=plan.counties.get(serial, ""),
            )
            for serial in new_serials
        ],
        batch_size=BATCH_SIZE,
    )
    report.sections_created = len(created)
    section_ids = {serial: section_id for serial, (section_id, _) in sections.items()}
    section_ids.update((s.serial, s.pk) for s in created)
    # A stored section takes the file's circulator when it had none (or on replace); _check
    # rejected any other disagreement. A handful of sections at most: one UPDATE each.
    for serial in {serial for serial, _ in plan.keys} & set(sections):
        section_id, name = sections[serial]
        new_name = plan.circulators.get(serial, "")
        if new_name and new_name != name:
            Section.objects.filter(pk=section_id).update(circulator_name=new_name)
        if county := plan.counties.get(serial, ""):  # a stored section's county, or the file's
            Section.objects.filter(pk=section_id, county_code="").update(county_code=county)
    # The sections' circulators matched to their records (made for names new to the campaign).
    circulators_link(section_ids=sorted({section_ids[serial] for serial, _ in plan.keys}))

    entered_by_id = entered_by.pk if entered_by is not None else None
    new_lines: list[tuple[int, _Row]] = []
    replaced: list[tuple[int, _Row]] = []
    for line, values in source.rows():
        if line in plan.rejected:
            continue
        row = source.parse(values, line)
        if isinstance(row, str):  # the file changed since it was checked
            raise SignatureImportError(f"line {line} changed during the import; run it again")
        line_id = plan.existing.get((row.section, row.number))
        if line_id is not None:
            if replace:
                replaced.append((line_id, row))
                if len(replaced) == BATCH_SIZE:
                    _replace(replaced, entered_by_id)
                    report.lines_replaced += len(replaced)
                    replaced = []
            continue
        new_lines.append((section_ids[row.section], row))
        if len(new_lines) == BATCH_SIZE:
            _insert(new_lines, petition, entered_by_id)
            report.lines_created += len(new_lines)
            new_lines = []
    if new_lines:
        _insert(new_lines, petition, entered_by_id)
        report.lines_created += len(new_lines)
    if replaced:
        _replace(replaced, entered_by_id)
        report.lines_replaced += len(replaced)


def signatures_import(
    *,
    petition: Petition,
    path: Path | str,
    replace: bool = False,
    skip_bad: bool = False,
    entered_by: User | None = None,
) -> ImportReport:
    """Import keyed petition lines from a CSV file: all or nothing unless skip_bad.

    1. Check the header: a missing column raises SignatureImportError before any row is read.
    2. With the petition locked (one import of it at a time), check every row: its values, a
       (section, line) already in the file, a second circulator for a section. Nothing written.
    3. Any reject without skip_bad: return the report; nothing is written.
    4. Read the file again and write in batches of BATCH_SIZE: new sections, new lines (pending),
       and with replace the stored lines the file repeats (pending again, decision cleared).
       Without replace, stored lines are left alone and counted in `existing`.
    5. After commit, queue validation of the petition's pending lines.
    """
    source = _SignatureFile(path)
    report = ImportReport()
    try:
        with transaction.atomic():
            # Serialises imports of one petition: the stored lines checked in step 2 stay so.
            Petition.objects.select_for_update().get(pk=petition.pk)
            sections = {
                serial: (section_id, name)
                for serial, section_id, name in Section.objects.filter(
                    petition=petition
                ).values_list("serial", "id", "circulator_name")
            }
            stored_counties = dict(
                Section.objects.filter(petition=petition).values_list("serial", "county_code")
            )
            plan = _check(source, sections, replace, report, petition, stored_counties)
            _stored_lines(plan, sections)
            report.existing = 0 if replace else len(plan.existing)
            if (report.rows_rejected and not skip_bad) or not plan.keys:
                return report
            _write(source, plan, sections, petition, replace, entered_by, report)
            report.written = True
            if report.lines_created + report.lines_replaced >= ANALYZE_AFTER:
                # The workers plan their queries on the lines' statistics as soon as this
                # commits, and autovacuum may be off or late: without these lines in them, the
                # planner's idea of the petition is whatever it was before the import.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE petitions_line")
            if report.lines_created or report.lines_replaced:
                from petitions.validation import validation_enqueue

                transaction.on_commit(lambda: validation_enqueue(petition_id=petition.pk))
    except IntegrityError as exc:
        # Lines entered by hand into the same sections while the import ran.
        first = (str(exc).strip().splitlines() or ["integrity error"])[0]
        raise SignatureImportError(
            f"the petition's lines changed during the import ({first}); nothing was imported, "
            "run it again"
        ) from None
    return report
