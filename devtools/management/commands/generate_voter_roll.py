"""Write a reproducible synthetic Los Angeles County voter roll as canonical CSV."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from devtools.synthetic import write_roll

PROGRESS_EVERY = 500_000


class Command(BaseCommand):
    help = "Write a synthetic LA County-like voter roll (canonical CSV; gzip if OUT ends in .gz)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="output path (.csv or .csv.gz)")
        parser.add_argument("--voters", type=int, required=True, help="number of voters")
        parser.add_argument("--seed", type=int, default=0, help="same seed, same bytes")
        parser.add_argument(
            "--workers", type=int, default=None, help="processes (default: CPUs available)"
        )

    def handle(
        self, *args: Any, out: str, voters: int, seed: int, workers: int | None, **options: Any
    ) -> None:
        if voters < 0:
            raise CommandError("--voters must be 0 or more")
        reported = 0

        def progress(done: int) -> None:
            nonlocal reported
            # Chunks finish in order, so one report per 500,000 rows crossed.
            while done - reported >= PROGRESS_EVERY:
                reported += PROGRESS_EVERY
                self.stderr.write(f"{reported:,} / {voters:,} voters written")

        write_roll(out, voters, seed, workers=workers, progress=progress)
        self.stdout.write(f"Wrote {voters:,} voters to {out} (seed {seed}).")
