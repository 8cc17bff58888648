"""python manage.py import_signatures PATH --petition SLUG [--replace] [--skip-bad]: import keyed
petition lines from a CSV file, all or nothing unless --skip-bad, and print the report."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from petitions.models import Petition
from petitions.services import ImportReport, SignatureImportError, signatures_import
from recall.models import AuditEvent, audit, command_actor

REJECTS_SHOWN = 20


class Command(BaseCommand):
    help = (
        "Import petition lines from a UTF-8 CSV with columns section, line, printed_name, "
        "residence_address, city (and optionally zip, signed, circulator, date_signed). Any bad "
        "row stops the whole import unless --skip-bad; lines already stored are left alone "
        "unless --replace."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--petition", required=True, help="the petition's slug")
        parser.add_argument(
            "--replace", action="store_true", help="overwrite stored lines (back to pending)"
        )
        parser.add_argument(
            "--skip-bad", action="store_true", help="import the good rows, skip the rejected"
        )

    @command_actor("import_signatures")  # the audit log names who ran it
    def handle(self, *args: Any, **options: Any) -> None:
        path, slug = options["path"], options["petition"]
        petition = Petition.objects.filter(slug=slug).first()
        if petition is None:
            raise CommandError(f"no petition with slug {slug!r}")
        started = time.monotonic()
        try:
            report = signatures_import(
                petition=petition, path=path, replace=options["replace"],
                skip_bad=options["skip_bad"],
            )  # fmt: skip
        except SignatureImportError as exc:
            raise CommandError(f"{path}: {exc}") from None
        if report.written:
            audit(user=None, action=AuditEvent.Action.SIGNATURE_IMPORT,
                  target=f"petition {petition.slug}: {path}"[:200], path=str(path),
                  created=report.lines_created, replaced=report.lines_replaced,
                  rejected=report.rows_rejected, replace=options["replace"])  # fmt: skip
        self._report(report, path, petition, time.monotonic() - started)
        if report.rows_rejected and not report.written and not options["skip_bad"]:
            raise CommandError(
                f"{report.rows_rejected:,} rows rejected, nothing imported; "
                "see above or use --skip-bad"
            )

    def _report(self, report: ImportReport, path: str, petition: Petition, seconds: float) -> None:
        out = self.stdout
        done = "Imported" if report.written else "Nothing imported from"
        out.write(f"{done} {path} into petition {petition.slug}")
        out.write(f"  rows read         {report.rows_read:>10,}")
        out.write(f"  lines created     {report.lines_created:>10,}")
        out.write(f"  lines replaced    {report.lines_replaced:>10,}")
        note = "  (left alone; --replace overwrites them)" if report.existing else ""
        out.write(f"  already stored    {report.existing:>10,}{note}")
        out.write(f"  sections created  {report.sections_created:>10,}")
        out.write(f"  rows rejected     {report.rows_rejected:>10,}")
        rate = report.rows_read / max(seconds, 1e-6)
        out.write(f"  time              {seconds:>9.1f}s ({rate:,.0f} rows/s)")
        if report.rejects:
            out.write(f"first rejected rows (of {report.rows_rejected:,}):")
            for reject in report.rejects[:REJECTS_SHOWN]:
                out.write(f"  line {reject['line']}: {reject['reason']}")
        if report.lines_created or report.lines_replaced:
            out.write("Validation of the new lines is queued.")
