"""python manage.py prune_rolls [--older-than DAYS] [--dry-run]: erase voter rolls no longer used
(superseded or failed for longer than ROLL_KEEP_DAYS), with their voters and uploaded files."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from recall.models import command_actor
from voters.services import voter_rolls_prune


class Command(BaseCommand):
    help = (
        "Erase superseded and failed voter rolls older than ROLL_KEEP_DAYS (2 CCR 19012): their "
        "voters, import reports and uploaded files. Never the active roll, a ready one, or one "
        "that petition lines still cite."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than", type=int, default=None, metavar="DAYS",
            help=f"superseded or failed for more than DAYS days (default ROLL_KEEP_DAYS, "
            f"{settings.ROLL_KEEP_DAYS})",
        )  # fmt: skip
        parser.add_argument("--dry-run", action="store_true", help="say what would be erased")

    @command_actor("prune_rolls")  # the audit log names who erased each roll
    def handle(self, *args: Any, **options: Any) -> None:
        days = options["older_than"]
        days = settings.ROLL_KEEP_DAYS if days is None else days
        if days < 0:
            raise CommandError(f"--older-than must be 0 or more days, got {days}")
        outcomes = voter_rolls_prune(older_than_days=days, dry_run=options["dry_run"])
        verb = "would erase" if options["dry_run"] else "erased"
        for outcome in outcomes:
            what = verb if outcome.erased else "kept"
            note = outcome.note.removeprefix("kept: ")
            self.stdout.write(
                f"roll {outcome.roll_id} ({outcome.source_name}, {outcome.state}): {what}: {note}"
            )
        erased = sum(o.erased for o in outcomes)
        self.stdout.write(
            f"{erased} roll(s) {verb}, {len(outcomes) - erased} kept; "
            f"superseded or failed for more than {days} days"
        )
