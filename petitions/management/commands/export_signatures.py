"""python manage.py export_signatures --petition SLUG [--output PATH]: every line of a petition
with its decision, as CSV (section, line, printed_name, status, voter_id, score, reason)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from petitions.models import Petition
from petitions.selectors import petition_export_rows
from recall.lib.csvsafe import csv_lines
from recall.models import AuditEvent, audit, command_actor


class Command(BaseCommand):
    help = "Export a petition's lines and their decisions as CSV, to --output or standard output."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--petition", required=True, help="the petition's slug")
        parser.add_argument("--output", help="file to write (default: standard output)")

    @command_actor("export_signatures")  # the audit log names who ran it
    def handle(self, *args: Any, **options: Any) -> None:
        slug, output = options["petition"], options["output"]
        petition = Petition.objects.filter(slug=slug).first()
        if petition is None:
            raise CommandError(f"no petition with slug {slug!r}")
        audit(user=None, action=AuditEvent.Action.EXPORT,
              target=f"petition {petition.slug}: all lines",
              output=output or "standard output")  # fmt: skip
        lines = csv_lines(petition_export_rows(petition))
        if not output:
            for text in lines:
                self.stdout.write(text, ending="")
            return
        count = -1  # the header is not a line
        try:
            with open(output, "w", encoding="utf-8", newline="") as out:
                for text in lines:
                    out.write(text)
                    count += 1
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror}") from None
        self.stderr.write(f"Wrote {count:,} lines of petition {petition.slug} to {output}")
