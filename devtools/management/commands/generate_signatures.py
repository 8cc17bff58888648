"""Write reproducible synthetic petition lines drawn from a canonical-CSV voter roll."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from devtools.synthetic import write_signatures


class Command(BaseCommand):
    help = (
        "Write synthetic recall-petition lines drawn from ROLL (canonical CSV, may be .gz), "
        "in the LA County 2022 mix of valid and invalid lines; --truth writes the verdicts and "
        "each line's noise classes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("roll", help="canonical-CSV roll, e.g. from generate_voter_roll")
        parser.add_argument("out", help="output petition-lines CSV (.gz to compress)")
        parser.add_argument("--lines", type=int, required=True, help="number of petition lines")
        parser.add_argument("--seed", type=int, default=0, help="same seed, same bytes")
        parser.add_argument(
            "--truth",
            default=None,
            help=(
                "also write the truth CSV: section,line (the line's place), status (the "
                "registrar's verdict), voter_id (the roll voter who wrote the line, or whose "
                "line a duplicate repeats; empty for people not registered or out of the "
                "county), noise (the line's noise classes, ';'-separated: given_typo, "
                "space_shift, ocr, house_digit, nickname, published_nickname, "
                "given_split_join, armenian_ending, surname_part, surname_typo, street_typo, "
                "namesake, mover, common_mover, household_mover, relative)"
            ),
        )

    def handle(
        self,
        *args: Any,
        roll: str,
        out: str,
        lines: int,
        seed: int,
        truth: str | None,
        **options: Any,
    ) -> None:
        if lines < 1:
            raise CommandError("--lines must be 1 or more")
        try:
            counts = write_signatures(roll, out, lines, seed, truth_path=truth)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        mix = ", ".join(f"{status} {n / lines:.1%}" for status, n in counts.most_common())
        self.stdout.write(f"Wrote {lines:,} lines to {out} (seed {seed}): {mix}.")
