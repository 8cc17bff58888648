"""Importing the registrar's results for a petition: a raw count, a sample's or a full count's
counts by category, or its decision line by line. Each import is a new row, kept; nothing of
ours (lines, statuses) is touched. All or nothing: a bad file writes nothing.

A line-by-line result can hold every line of a county petition (700,000 and more): the file is
COPYed into a temporary table, checked there with a few set-based queries, and written with one
INSERT ... SELECT joined to the lines by (section serial, line number).
"""

import csv
import re
from datetime import date
from typing import IO

import psycopg2
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

from petitions.models import Petition, RegistrarResult, RegistrarResultKind
from petitions.registrar import (
    MAX_ERRORS,
    category_names,
    counts_parse,
    header_problem,
    known_names,
)
from recall.models import AuditAction, audit

MAX_COUNTS_BYTES = 1 << 20  # a count file is a few rows; a larger one is not one
_COPY_LINE = re.compile(r"line (\d+)")


def registrar_result_import(
    *,
    petition: Petition,
    kind: str,
    source: IO[bytes],
    source_name: str = "",
    as_of: date,
    certified_on: date | None = None,
    by: User | None = None,
) -> RegistrarResult:
    """Store one of the registrar's results (a new row; the earlier ones are kept).

    Raises ValidationError naming the row and field of every problem (the header is row 1);
    nothing is written then.
    """
    if kind not in RegistrarResultKind.values:
        raise ValidationError(
            _("Unknown kind %(kind)s: one of %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(RegistrarResultKind.values)}
        )
    problems = _date_problems(petition, as_of, certified_on)
    if problems:
        raise ValidationError(problems)
    fields = {
        "petition": petition,
        "kind": kind,
        "as_of": as_of,
        "certified_on": certified_on,
        "imported_by": by,
        "source_name": source_name[:255],
    }
    if kind != RegistrarResultKind.LINES:
        data = source.read(MAX_COUNTS_BYTES + 1)
        if len(data) > MAX_COUNTS_BYTES:
            raise ValidationError(
                _("A %(kind)s file is a few rows: this one is over 1 MB.") % {"kind": kind}
            )
        counts = counts_parse(kind, _text(data))
        with transaction.atomic():
            result = RegistrarResult.objects.create(
                **fields, raw_count=counts.raw_count, counts=dict(counts.counts or {})
            )
            _audit_import(result, by)
        return result
    with transaction.atomic():
        result = RegistrarResult.objects.create(**fields)
        result.lines = _lines_import(result, source)
        if not result.lines:
            raise ValidationError(_("No lines under the header: nothing to import."))
        result.save(update_fields=["lines"])
        _audit_import(result, by)
    return result


def _date_problems(petition: Petition, as_of: date, certified_on: date | None) -> dict[str, str]:
    """A result dated in the future, or before the petition was approved, is a typing mistake
    that would stand as "the latest" result (and start the examination's clock) for good."""
    today = timezone.localdate()
    approved = petition.approved_on
    problems: dict[str, str] = {}
    for field, day in (("as_of", as_of), ("certified_on", certified_on)):
        if day is None:
            continue
        if day > today:
            problems[field] = _("%(date)s is in the future.") % {"date": day.isoformat()}
        elif approved is not None and day < approved:
            problems[field] = _(
                "%(date)s is before the petition was approved (%(approved)s)."
            ) % {"date": day.isoformat(), "approved": approved.isoformat()}  # fmt: skip
    return problems


@transaction.atomic
def registrar_result_withdraw(*, result: RegistrarResult, by: User | None) -> None:
    """Take back an import made by mistake (the wrong file, the wrong date): the result and its
    lines go; the audit log keeps what it was and who withdrew it."""
    audit(
        user=by, action=AuditAction.REGISTRAR_WITHDRAWN,
        target=f"petition {result.petition.slug}", kind=result.kind,
        as_of=result.as_of.isoformat(), source=result.source_name, raw_count=result.raw_count,
        counts=result.counts, lines=result.lines, imported_at=result.imported_at.isoformat(),
    )  # fmt: skip
    result.delete()


def _audit_import(result: RegistrarResult, by: User | None) -> None:
    audit(
        user=by, action=AuditAction.REGISTRAR_IMPORTED, target=f"petition {result.petition.slug}",
        kind=result.kind, as_of=result.as_of.isoformat(), source=result.source_name,
        raw_count=result.raw_count, counts=result.counts, lines=result.lines,
    )  # fmt: skip


def _text(data: bytes) -> str:
    try:
        # utf-8-sig: spreadsheet programs start "CSV UTF-8" files with a byte-order mark.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file is not UTF-8 text: save it as CSV (UTF-8).")) from None


def _lines_import(result: RegistrarResult, source: IO[bytes]) -> int:
    """COPY the file into a temporary table, check it, INSERT ... SELECT its lines (in the
    caller's transaction: a problem raised here rolls everything back)."""
    first = source.readline(64 * 1024)
    try:
        header = next(csv.reader([_text(first)]), [])
    except csv.Error:
        header = []
    problem = header_problem(RegistrarResultKind.LINES, header)
    if problem:
        raise ValidationError(problem)
    with connection.cursor() as cursor:
        # Dropped on commit; dropped first too, should one import follow another in a transaction.
        cursor.execute("DROP TABLE IF EXISTS pg_temp.registrar_in, pg_temp.registrar_names")
        cursor.execute(
            # row_no counts the data rows in the file's order (the header is row 1, so a data
            # row's number in the file is row_no + 1).
            "CREATE TEMPORARY TABLE registrar_in (row_no bigint GENERATED ALWAYS AS IDENTITY, "
            "section text, line text, status text) ON COMMIT DROP"
        )
        cursor.execute(
            "CREATE TEMPORARY TABLE registrar_names (name text PRIMARY KEY, category text) "
            "ON COMMIT DROP"
        )
        names = category_names()
        cursor.execute(
            "INSERT INTO registrar_names SELECT * FROM unnest(%s::text[], %s::text[])",
            [list(names), list(names.values())],
        )
        try:
            # The header line was read already: the rest streams straight into COPY.
            cursor.copy_expert(
                "COPY registrar_in (section, line, status) FROM STDIN "
                "WITH (FORMAT csv, ENCODING 'UTF8')",
                source,
                1 << 20,
            )
        except (DatabaseError, psycopg2.Error) as exc:
            raise ValidationError(_copy_problem(exc)) from None
        _check_numbers(cursor)
        # Each row once: its category by name and its line by (section serial, line number),
        # both NULL where there is none; the checks and the insert read this table.
        cursor.execute(
            """
            CREATE TEMPORARY TABLE registrar_rows ON COMMIT DROP AS
            SELECT i.row_no, i.serial, i.number, coalesce(btrim(i.status), '') AS written,
                   n.category, s.id AS section_id, l.id AS line_id
            FROM (SELECT row_no, btrim(section)::bigint AS serial, btrim(line)::bigint AS number,
                         status FROM registrar_in) AS i
            LEFT JOIN registrar_names n
                ON n.name = lower(regexp_replace(btrim(i.status), '\\s+', ' ', 'g'))
            LEFT JOIN petitions_section s ON s.petition_id = %s AND s.serial = i.serial
            LEFT JOIN petitions_line l ON l.section_id = s.id AND l.number = i.number
            """,
            [result.petition_id],
        )
        cursor.execute("ANALYZE registrar_rows")
        problems = _unknown_names(cursor) + _missing_lines(cursor) + _repeated_lines(cursor)
        if problems:
            problems.sort()
            shown = [text for _, text in problems[:MAX_ERRORS]]
            if len(problems) > MAX_ERRORS:
                shown.append(_("and %(n)s more problems") % {"n": len(problems) - MAX_ERRORS})
            raise ValidationError(shown)
        cursor.execute(
            """
            INSERT INTO petitions_registrarline (result_id, line_id, category, written)
            SELECT %s, line_id, category, left(written, 100) FROM registrar_rows
            """,
            [result.pk],
        )
        written = cursor.rowcount
        cursor.execute(
            "DROP TABLE pg_temp.registrar_in, pg_temp.registrar_names, pg_temp.registrar_rows"
        )
        return written


def _copy_problem(exc: Exception) -> str:
    """PostgreSQL's complaint about a row of the file, in our words, with the row (COPY counts
    the file's lines after the header we read: its line 1 is the file's row 2)."""
    error = exc if isinstance(exc, psycopg2.Error) else exc.__cause__ or exc
    context = getattr(getattr(error, "diag", None), "context", None) or ""
    found = _COPY_LINE.search(context)
    row = int(found.group(1)) + 1 if found else None
    text = (str(error).splitlines() or [""])[0]
    if "extra data after last expected column" in text:
        what = _("more values than the header's section,line,status")
    elif "missing data for column" in text:
        what = _("fewer values than the header's section,line,status (a blank line?)")
    elif "invalid byte sequence" in text:
        what = _("not UTF-8 text: save the file as CSV (UTF-8)")
    elif "unterminated CSV quoted field" in text:
        what = _("a quote opened and never closed")
    else:
        what = text
    if row is None:
        return _("The file cannot be read: %(what)s") % {"what": what}
    return _("row %(row)s: %(what)s") % {"row": row, "what": what}


def _check_numbers(cursor: CursorWrapper) -> None:
    """Section serials and line numbers must be whole numbers: the queries after cast them."""
    cursor.execute(
        """
        SELECT row_no + 1, coalesce(section, ''), coalesce(line, ''),
               coalesce(btrim(section), '') !~ '^[0-9]{1,9}$',
               coalesce(btrim(line), '') !~ '^[0-9]{1,9}$',
               count(*) OVER ()
        FROM registrar_in
        WHERE coalesce(btrim(section), '') !~ '^[0-9]{1,9}$'
           OR coalesce(btrim(line), '') !~ '^[0-9]{1,9}$'
        ORDER BY row_no LIMIT %s
        """,
        [MAX_ERRORS],
    )
    rows = cursor.fetchall()
    if not rows:
        return
    problems = []
    for row, section, line, bad_section, bad_line, _total in rows:
        if bad_section:
            problems.append(
                _("row %(row)s, section: '%(value)s' is not a whole number")
                % {"row": row, "value": section[:40]}
            )
        if bad_line:
            problems.append(
                _("row %(row)s, line: '%(value)s' is not a whole number")
                % {"row": row, "value": line[:40]}
            )
    total = rows[0][-1]
    if total > MAX_ERRORS:
        problems.append(_("and %(n)s more rows like these") % {"n": total - len(rows)})
    raise ValidationError(problems)


def _unknown_names(cursor: CursorWrapper) -> list[tuple[int, str]]:
    cursor.execute(
        """
        SELECT min(row_no) + 1, written, count(*) FROM registrar_rows WHERE category IS NULL
        GROUP BY written ORDER BY 1 LIMIT %s
        """,
        [MAX_ERRORS],
    )
    known = ", ".join(known_names())
    problems = []
    for row, name, n in cursor.fetchall():
        if not name:
            text = _("row %(row)s, status: blank") % {"row": row}
        else:
            text = _(
                "row %(row)s, status: '%(name)s' is not a category name we know "
                "(rows with it: %(n)s); known names: %(known)s"
            ) % {"row": row, "name": name[:60], "n": n, "known": known}
        problems.append((row, text))
    return problems


def _missing_lines(cursor: CursorWrapper) -> list[tuple[int, str]]:
    cursor.execute(
        """
        SELECT row_no + 1, serial, number, section_id IS NULL FROM registrar_rows
        WHERE line_id IS NULL ORDER BY row_no LIMIT %s
        """,
        [MAX_ERRORS],
    )
    problems = []
    for row, section, line, no_section in cursor.fetchall():
        if no_section:
            text = _("row %(row)s, section: the petition has no section %(section)s") % {
                "row": row,
                "section": section,
            }
        else:
            text = _("row %(row)s, line: section %(section)s has no line %(line)s") % {
                "row": row,
                "section": section,
                "line": line,
            }
        problems.append((row, text))
    return problems


def _repeated_lines(cursor: CursorWrapper) -> list[tuple[int, str]]:
    cursor.execute(
        """
        SELECT (array_agg(row_no + 1 ORDER BY row_no))[2], min(row_no) + 1, serial, number
        FROM registrar_rows GROUP BY serial, number HAVING count(*) > 1
        ORDER BY 1 LIMIT %s
        """,
        [MAX_ERRORS],
    )
    return [
        (
            row,
            _("row %(row)s, line: section %(section)s line %(line)s again (first in row %(first)s)")
            % {"row": row, "section": section, "line": line, "first": first},
        )
        for row, first, section, line in cursor.fetchall()
    ]
