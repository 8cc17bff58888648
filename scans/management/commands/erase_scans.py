"""python manage.py erase_scans [--dry-run]: erase the scans of petitions filed more than
SCANS_KEEP_DAYS_AFTER_FILING days ago (pages, line images, the layout's reference image), as the
daily task does."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from recall.models import command_actor
from scans.retention import scans_erase


class Command(BaseCommand):
    help = (
        "Erase the scans (pages, line images, the layout's reference image; files and rows) of "
        "petitions filed SCANS_KEEP_DAYS_AFTER_FILING days ago or more. Audited; safe to run "
        "again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="say what would be erased")

    @command_actor("erase_scans")  # the audit log names who erased the scans
    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        verb = "would erase" if dry_run else "erased"
        erasures = scans_erase(dry_run=dry_run)
        for e in erasures:
            self.stdout.write(
                f"petition {e.slug} (filed {e.filed_on:%Y-%m-%d}): {verb} {e.pages} page(s), "
                f"{e.line_images} line image(s), {e.references} layout reference image(s)"
                + (f", {e.leftovers} leftover file(s)" if e.leftovers else "")
            )
        days = settings.SCANS_KEEP_DAYS_AFTER_FILING
        if not erasures:
            self.stdout.write(
                f"No scans to erase: none of a petition filed {days} days ago or more."
            )
        else:
            self.stdout.write(
                f"{len(erasures)} petition(s): {verb} {sum(e.files for e in erasures)} file(s); "
                f"scans are kept {days} days after filing"
            )
