"""Paying circulators: pay periods and the append-only ledger a period's close writes.

Each close compares every line's current status with what the ledger already holds for it and
writes only the difference, set-based (PayEntry per circulator and kind, PayEntryLine per line or
shift behind it):

- earn: a paid circulator's line that qualifies under their pay basis (per line gathered: any
  line not blank; per valid line: a valid line) and was never earned, at their rate; hourly pay
  earns each shift not earned yet (hours x rate). Unique indexes make a second earn impossible.
- hold: PAY_HOLDBACK_SHARE of a line's pay, kept until its validation settles (it has stood
  decided PAY_SETTLE_DAYS before the period's end, or its petition is filed).
- release: a held amount once its line settles, or once it is clawed back (it nets against it).
- clawback: the whole pay of an earned line that no longer qualifies (a review, a duplicate found
  later, a new roll); a line waiting for a decision again (pending, needs review) is left alone.
  A line clawed back is not earned again.
- payment: what became payable (earned - held + released - clawed back) and is not paid yet,
  per line, when a circulator's total is positive; a negative total waits for later earnings.

Closing a period twice writes nothing the second time unless statuses changed in between.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

from petitions.models import LineStatus, PayBasis, PayEntryKind, Petition
from recall.models import AuditAction, audit

# Biweekly periods are counted from this Monday (ISO week 1 of 2024).
BIWEEKLY_ANCHOR = date(2024, 1, 1)
# The information-return threshold: payments to a non-employee of $600 or more in a calendar
# year are reported to the IRS on Form 1099-NEC.
INFORMATION_RETURN_THRESHOLD = Decimal(600)


def period_start_of(day: date, period: str | None = None) -> date:
    """The first day of the pay period (PAY_PERIOD) that holds this day."""
    period = period or settings.PAY_PERIOD
    if period == "monthly":
        return day.replace(day=1)
    monday = day - timedelta(days=day.weekday())
    if period == "biweekly":
        return monday - timedelta(days=((monday - BIWEEKLY_ANCHOR).days // 7) % 2 * 7)
    return monday


def period_end(start: date, period: str | None = None) -> date:
    """The last day of the pay period starting on this day."""
    period = period or settings.PAY_PERIOD
    if period == "monthly":
        following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        return following - timedelta(days=1)
    return start + timedelta(days=13 if period == "biweekly" else 6)


def period_sql(day_sql: str) -> str:
    """SQL for the pay-period start of a date expression (the same as period_start_of)."""
    if settings.PAY_PERIOD == "monthly":
        return f"date_trunc('month', {day_sql})::date"
    monday = f"date_trunc('week', {day_sql})::date"
    if settings.PAY_PERIOD == "biweekly":
        anchor = f"DATE '{BIWEEKLY_ANCHOR.isoformat()}'"
        return f"({monday} - mod(({monday} - {anchor}) / 7, 2) * 7)"
    return monday


# The day a line was gathered, for pay periods and trends: the end of its section's
# circulation, else the day the section was received, else the day it was entered.
GATHERED_SQL = "coalesce(s.circulated_to, s.received_on, (s.created_at AT TIME ZONE %(tz)s)::date)"


def period_problem(start: date, today: date | None = None) -> str | None:
    """Why a pay period cannot be closed (not a period's first day, not over yet), or None."""
    today = today or timezone.localdate()
    if period_start_of(start) != start:
        return _("%(day)s is not the first day of a pay period (this one starts on "
                 "%(start)s).") % {"day": start.isoformat(),
                                   "start": period_start_of(start).isoformat()}  # fmt: skip
    end = period_end(start)
    if end >= today:
        return _("The period %(start)s to %(end)s is not over yet: close it from %(next)s on.") % {
            "start": start.isoformat(), "end": end.isoformat(),
            "next": (end + timedelta(days=1)).isoformat()}  # fmt: skip
    return None


@dataclass
class CloseReport:
    period_start: date
    period_end: date
    totals: dict[str, Decimal] = field(default_factory=dict)  # by PayEntryKind
    circulators: int = 0  # circulators with an entry from this close


# Whether a line still earns its pay under a basis, and whether its decision may yet change.
_QUALIFIES = f"""CASE %(basis)s WHEN '{PayBasis.PER_RAW_LINE}' THEN l.status <> '{LineStatus.BLANK}'
                 ELSE l.status = '{LineStatus.VALID}' END"""
_UNSETTLED = f"l.status IN ('{LineStatus.PENDING}', '{LineStatus.NEEDS_REVIEW}')"
_SETTLED = f"""(NOT {_UNSETTLED} AND ((p.filed_on IS NOT NULL AND p.filed_on <= %(end)s)
               OR coalesce(l.validated_at, l.entered_at) <= %(settled_before)s))"""
_PETITION = "(%(petition)s::bigint IS NULL OR l.petition_id = %(petition)s)"


_EARN_SQL = """
    INSERT INTO pay_close_rows (circulator_id, kind, basis, line_id, shift_id, amount)
    SELECT c.id, k.kind, c.pay_basis, l.id, NULL,
           CASE k.kind WHEN 'earn' THEN c.rate ELSE round(c.rate * %(share)s, 2) END
    FROM petitions_line l
    JOIN petitions_section s ON s.id = l.section_id
    JOIN petitions_circulator c ON c.id = s.circulator_id
    JOIN petitions_petition p ON p.id = l.petition_id
    CROSS JOIN (VALUES ('earn'), ('hold')) AS k(kind)
    WHERE c.kind = 'paid' AND c.rate > 0 AND c.pay_basis IN ('per_raw_line', 'per_valid_line')
      AND {gathered} <= %(end)s AND {petition} AND {qualifies}
      -- A held section's lines (suspect: petitions.suspects) earn nothing while it is held; a
      -- release lets the next close pay them.
      AND s.held_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM petitions_payentryline e
                      WHERE e.line_id = l.id AND e.kind = 'earn')
      AND (k.kind = 'earn' OR (round(c.rate * %(share)s, 2) > 0 AND NOT {settled}))
"""
_HOURLY_SQL = """
    INSERT INTO pay_close_rows (circulator_id, kind, basis, line_id, shift_id, amount)
    SELECT c.id, 'earn', 'hourly', NULL, sh.id, round(sh.hours * c.rate, 2)
    FROM petitions_circulatorshift sh
    JOIN petitions_circulator c ON c.id = sh.circulator_id
    WHERE c.kind = 'paid' AND c.pay_basis = 'hourly' AND sh.day <= %(end)s
      AND round(sh.hours * c.rate, 2) > 0
      AND NOT EXISTS (SELECT 1 FROM petitions_payentryline e
                      WHERE e.shift_id = sh.id AND e.kind = 'earn')
"""
# Earned (or held) lines of the ledger whose line now says otherwise.
_LEDGER_SQL = """
    INSERT INTO pay_close_rows (circulator_id, kind, basis, line_id, shift_id, amount)
    SELECT pe.circulator_id, %(kind)s, r.basis, r.line_id, NULL, r.amount
    FROM petitions_payentryline r
    JOIN petitions_payentry pe ON pe.id = r.entry_id
    JOIN petitions_line l ON l.id = r.line_id
    JOIN petitions_section s ON s.id = l.section_id
    JOIN petitions_petition p ON p.id = l.petition_id
    WHERE r.kind = %(from_kind)s AND {petition}
      AND NOT EXISTS (SELECT 1 FROM petitions_payentryline o
                      WHERE o.line_id = r.line_id AND o.basis = r.basis AND o.kind = %(kind)s)
      AND ({when})
"""
# What a close found, written as one entry per circulator and kind and a row per line or shift.
_WRITE_SQL = """
    WITH entries AS (
        INSERT INTO petitions_payentry (circulator_id, period_start, kind, amount, created_by_id,
                                        created_at)
        SELECT circulator_id, %(start)s, kind, sum(amount), %(user)s, now()
        FROM pay_close_rows GROUP BY circulator_id, kind HAVING sum(amount) > 0
        RETURNING id, circulator_id, kind
    )
    INSERT INTO petitions_payentryline (entry_id, kind, basis, line_id, shift_id, amount)
    SELECT e.id, r.kind, r.basis, r.line_id, r.shift_id, r.amount
    FROM pay_close_rows r JOIN entries e USING (circulator_id, kind)
"""
# What each line and shift of the ledger made payable and is not paid yet; paid when its
# circulator's total is positive.
_PAYMENT_SQL = """
    INSERT INTO pay_close_rows (circulator_id, kind, basis, line_id, shift_id, amount)
    WITH unpaid AS (
        SELECT pe.circulator_id, r.basis, r.line_id, r.shift_id,
               sum(CASE WHEN r.kind IN ('earn', 'release') THEN r.amount ELSE -r.amount END)
                   AS amount
        FROM petitions_payentryline r
        JOIN petitions_payentry pe ON pe.id = r.entry_id
        LEFT JOIN petitions_line l ON l.id = r.line_id
        WHERE (%(petition)s::bigint IS NULL OR l.petition_id = %(petition)s)
        GROUP BY pe.circulator_id, r.basis, r.line_id, r.shift_id
        HAVING sum(CASE WHEN r.kind IN ('earn', 'release') THEN r.amount ELSE -r.amount END) <> 0
    )
    SELECT circulator_id, 'payment', basis, line_id, shift_id, amount FROM unpaid
    WHERE circulator_id IN (SELECT circulator_id FROM unpaid GROUP BY 1 HAVING sum(amount) > 0)
"""


def _run(cursor: CursorWrapper, sql: str, params: dict[str, Any]) -> None:
    cursor.execute(sql, params)


def pay_period_close(
    *, period_start: date, user: User | None, petition: Petition | None = None
) -> CloseReport:
    """Close a pay period: the ledger's earn, hold, release, clawback and payment entries for
    every circulator, from the lines' statuses now (see the module's docstring).

    1. Refuse a day that starts no period, and a period not over yet.
    2. One close at a time (an advisory lock): two closes never both see a line unearned.
    3. Gather the difference between the lines and the ledger in a temporary table; write it
       as entries and their lines; then the payments of what is payable and unpaid.
    4. Record the close in the audit log with its totals.
    """
    if problem := period_problem(period_start):
        raise ValidationError({"period": problem})
    end = period_end(period_start)
    report = CloseReport(period_start=period_start, period_end=end)
    settled_before = timezone.make_aware(
        datetime.combine(end + timedelta(days=1), time.min)
    ) - timedelta(days=settings.PAY_SETTLE_DAYS)
    params: dict[str, Any] = {
        "start": period_start, "end": end, "share": settings.PAY_HOLDBACK_SHARE,
        "settled_before": settled_before, "tz": settings.TIME_ZONE,
        "petition": petition.pk if petition else None, "user": user.pk if user else None,
    }  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('petitions.pay_period_close'))")
        # Entries are written by closes alone, one at a time: this close's have larger ids.
        cursor.execute("SELECT coalesce(max(id), 0) FROM petitions_payentry")
        last_id = cursor.fetchone()[0]
        cursor.execute(
            "CREATE TEMPORARY TABLE pay_close_rows (circulator_id bigint, kind text, basis text, "
            "line_id bigint, shift_id bigint, amount numeric(10, 2)) ON COMMIT DROP"
        )
        qualifies_own = _QUALIFIES.replace("%(basis)s", "c.pay_basis")
        earn = _EARN_SQL.format(gathered=GATHERED_SQL, petition=_PETITION,
                                qualifies=qualifies_own, settled=_SETTLED)  # fmt: skip
        _run(cursor, earn, params)
        if petition is None:  # shifts belong to no petition
            _run(cursor, _HOURLY_SQL, params)
        qualifies = _QUALIFIES.replace("%(basis)s", "r.basis")
        lost = f"NOT {qualifies} AND NOT {_UNSETTLED}"
        _run(cursor, _LEDGER_SQL.format(petition=_PETITION, when=lost),
             {**params, "kind": PayEntryKind.CLAWBACK, "from_kind": PayEntryKind.EARN})  # fmt: skip
        # A held section's share stays held while it is (its lines are suspect), unless lost.
        released = f"({lost}) OR ({qualifies} AND {_SETTLED} AND s.held_at IS NULL)"
        _run(cursor, _LEDGER_SQL.format(petition=_PETITION, when=released),
             {**params, "kind": PayEntryKind.RELEASE, "from_kind": PayEntryKind.HOLD})  # fmt: skip
        _run(cursor, _WRITE_SQL, params)
        cursor.execute("TRUNCATE pay_close_rows")
        _run(cursor, _PAYMENT_SQL, params)
        _run(cursor, _WRITE_SQL, params)
        cursor.execute(
            "SELECT kind, sum(amount) FROM petitions_payentry WHERE id > %s GROUP BY kind",
            [last_id],
        )
        report.totals = dict(cursor.fetchall())
        cursor.execute(
            "SELECT count(DISTINCT circulator_id) FROM petitions_payentry WHERE id > %s",
            [last_id],
        )
        report.circulators = cursor.fetchone()[0]
        # ON COMMIT DROP alone leaves it to a second close in the same transaction (a caller's).
        cursor.execute("DROP TABLE pay_close_rows")
        audit(
            user=user, action=AuditAction.PAY_PERIOD_CLOSED,
            target=f"pay period {period_start.isoformat()} to {end.isoformat()}"
                   + (f" of petition {petition.slug}" if petition else ""),
            totals={kind: str(total) for kind, total in report.totals.items()},
            circulators=report.circulators,
        )  # fmt: skip
    return report
