"""python manage.py close_pay_period --period YYYY-MM-DD [--petition SLUG] [--payroll PATH]: close
a pay period of the circulators' ledger (petitions.services.pay) and say what it wrote."""

from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from petitions.models import PayEntryKind, Petition
from petitions.selectors.circulators import PAYROLL_HEADER, payroll_rows
from petitions.services.pay import pay_period_close
from recall.lib.cli import error_line
from recall.lib.csvsafe import csv_lines
from recall.models import AuditAction, audit, command_actor


class Command(BaseCommand):
    help = (
        "Close a pay period: earn, hold back, release, claw back and pay each paid circulator's "
        "lines from their statuses now (PAY_PERIOD, PAY_HOLDBACK_SHARE, PAY_SETTLE_DAYS). Closing "
        "a period again writes only what changed since."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="the period's first day, YYYY-MM-DD")
        parser.add_argument("--petition", help="only this petition's lines (its slug)")
        parser.add_argument("--payroll", help="also write the period's payroll CSV here")

    @command_actor("close_pay_period")  # the audit log names who ran it
    def handle(self, *args: Any, **options: Any) -> None:
        try:
            start = date.fromisoformat(options["period"])
        except ValueError:
            raise CommandError(
                f"--period must be a date, YYYY-MM-DD, got {options['period']!r}"
            ) from None
        petition = None
        if options["petition"]:
            petition = Petition.objects.filter(slug=options["petition"]).first()
            if petition is None:
                raise CommandError(f"no petition with slug {options['petition']!r} (--petition)")
        try:
            report = pay_period_close(period_start=start, user=None, petition=petition)
        except ValidationError as exc:
            raise CommandError(error_line(exc, {"period": "--period"})) from None
        out = self.stdout
        out.write(f"pay period {report.period_start} to {report.period_end} closed: "
                  f"{report.circulators} circulators with new entries")  # fmt: skip
        for kind, label in PayEntryKind.choices:
            out.write(f"  {label!s:<12} {report.totals.get(kind, 0):>12}")
        if options["payroll"]:
            path = Path(options["payroll"])
            with path.open("w", encoding="utf-8", newline="") as handle:
                rows = payroll_rows(start)
                handle.writelines(csv_lines([PAYROLL_HEADER, *rows]))
            audit(user=None, action=AuditAction.DOWNLOAD,
                  target=f"payroll of pay period {start.isoformat()}", rows=len(rows))  # fmt: skip
            out.write(f"payroll written to {path}")
