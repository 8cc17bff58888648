"""python manage.py validate_signatures --petition S [--sync] [--wait] [--all]"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count

from petitions.models import Line, Petition
from petitions.validation import (
    lines_reset_for_revalidation,
    petition_validate_pending,
    validation_enqueue,
)
from voters.selectors import active_roll


class Command(BaseCommand):
    help = "Validate a petition's pending lines against the active voter roll."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--petition", required=True, help="the petition's slug")
        parser.add_argument("--sync", action="store_true", help="validate in this process")
        parser.add_argument("--wait", action="store_true", help="wait until nothing is pending")
        parser.add_argument(
            "--all", action="store_true", help="re-validate every automatically decided line"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        petition = Petition.objects.filter(slug=options["petition"]).first()
        if petition is None:
            raise CommandError(f"no petition with slug {options['petition']!r}")
        if active_roll() is None:
            raise CommandError("no active voter roll: import one first (import_voters)")
        if options["all"]:
            reset = lines_reset_for_revalidation(petition_id=petition.pk, stale_roll_only=False)
            self.stderr.write(f"{reset:,} lines put back to pending")
        pending = self._pending(petition)
        started = time.monotonic()
        if options["sync"]:
            done = 0
            while batch := petition_validate_pending(petition_id=petition.pk):
                done += batch
                self._progress(done, pending, started)
        else:
            tasks = validation_enqueue(petition_id=petition.pk)
            self.stderr.write(f"{pending:,} lines pending; {tasks} validation tasks sent")
            if options["wait"]:
                while (left := self._pending(petition)) > 0:
                    self._progress(pending - left, pending, started)
                    time.sleep(1)
        if options["sync"] or options["wait"]:
            self._progress(pending, pending, started)
            self.stderr.write("")
            self._summary(petition)

    def _pending(self, petition: Petition) -> int:
        return Line.objects.filter(petition=petition, status=Line.Status.PENDING).count()

    def _progress(self, done: int, total: int, started: float) -> None:
        rate = done / max(time.monotonic() - started, 1e-6)
        width = 30
        filled = int(width * done / total) if total else width
        self.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} lines {rate:,.0f}/s",
            ending="",
        )

    def _summary(self, petition: Petition) -> None:
        counts = dict(
            Line.objects.filter(petition=petition).values_list("status").annotate(n=Count("id"))
        )
        for status in Line.Status.values:
            if counts.get(status):
                self.stdout.write(f"  {status:<20} {counts[status]:>10,}")
