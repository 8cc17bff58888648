"""python manage.py import_voters PATH [--format auto|canonical|ca-sos] [--max-reject-rate R]
[--no-activate] [--force] [--by-county]: import a voter file in this process, with a progress bar
and a report; or PATH --replace-county CODE [--roll ID]: replace one county's voters of a roll by
county with that county's new file."""

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from recall.models import command_actor
from voters.models import VoterRoll
from voters.progress import Progress, describe
from voters.selectors import active_roll, roll_shrink_reason
from voters.services import (
    CountyReplaced,
    ImportFailed,
    voter_roll_county_replace,
    voter_roll_create,
    voter_roll_import,
)
from voters.voterfile import FileError


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise CommandError(f"--max-reject-rate must be a number, got {text!r}") from None
    if not 0 <= value <= 1:
        raise CommandError(f"--max-reject-rate must be between 0 and 1, got {value}")
    return value


class Command(BaseCommand):
    help = (
        "Import a voter file (canonical CSV or CA SoS extract, gzip accepted), or replace one "
        "county's voters of a roll by county (--replace-county)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--format", default="auto", choices=["auto", "canonical", "ca-sos"])
        parser.add_argument("--max-reject-rate", default="0.01", help="default 0.01 (1%%)")
        parser.add_argument(
            "--no-activate", action="store_true", help="import but keep the current roll active"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="activate even a roll much smaller than the active one "
            "(below ROLL_SHRINK_CONFIRM_PERCENT of its voters)",
        )
        parser.add_argument(
            "--by-county",
            action="store_true",
            help="a statewide roll: a table per county (CountyCode), each county's file "
            "replaceable alone later with --replace-county",
        )
        parser.add_argument(
            "--county",
            metavar="CODE",
            default="",
            help="with --by-county: PATH is this county's own file (SoS code 1-58), the first "
            "of a roll built county by county; rows without a county code are this county's",
        )
        parser.add_argument(
            "--replace-county",
            metavar="CODE",
            help="PATH is this county's new file (SoS code 1-58): replace that county's voters "
            "of the active roll by county, the other counties untouched",
        )
        parser.add_argument(
            "--roll",
            type=int,
            metavar="ID",
            help="with --replace-county: this roll (active or ready) instead of the active one",
        )

    @command_actor("import_voters")  # the audit log names who ran it, activation included
    def handle(self, *args: Any, **options: Any) -> None:
        rate = _rate(options["max_reject_rate"])
        if options["replace_county"] is not None:
            self._replace_county(options, rate)
            return
        if options["roll"] is not None:
            raise CommandError("--roll goes with --replace-county (the roll whose county it is)")
        if options["county"] and not options["by_county"]:
            raise CommandError(
                "--county goes with --by-county (the first county of a roll by county); "
                "to replace a county of one, use --replace-county"
            )
        try:
            roll = voter_roll_create(
                path=options["path"],
                requested_format=options["format"],
                max_reject_rate=rate,
                activate=not options["no_activate"],
                enqueue=False,
                by_county=options["by_county"],
                county_code=options["county"],
            )
        except FileError as exc:
            raise CommandError(f"{options['path']}: {exc}") from None
        self.stderr.write(f"Importing {roll.source_name} ({roll.format}) as roll {roll.pk}")
        started = time.monotonic()
        bar = _Bar(self.stderr)
        active = active_roll()
        roll = voter_roll_import(
            roll_id=roll.pk, progress_listener=bar.draw, force_activate=options["force"]
        )
        bar.finish()
        self._report(roll, time.monotonic() - started)
        if roll.state == VoterRoll.State.FAILED:
            raise CommandError(roll.error)
        if roll.state == VoterRoll.State.READY and roll.activate_on_success:
            raise CommandError(
                f"roll {roll.pk} was imported but not made active: "
                f"{roll_shrink_reason(candidate=roll, active=active)}. Check what would change "
                f"on its page (Voter rolls) and activate it there, or import again with --force."
            )

    def _replace_county(self, options: dict[str, Any], rate: float) -> None:
        for flag in ("by_county", "county", "no_activate", "force"):
            if options[flag]:
                raise CommandError(
                    f"--{flag.replace('_', '-')} does not go with --replace-county (the county's "
                    "new voters replace its old ones in the roll at once)"
                )
        roll = None
        if options["roll"] is not None:
            roll = VoterRoll.objects.filter(pk=options["roll"]).first()
            if roll is None:
                raise CommandError(f"--roll {options['roll']}: there is no such roll")
        self.stderr.write(f"Replacing county {options['replace_county']} with {options['path']}")
        started = time.monotonic()
        bar = _Bar(self.stderr)
        try:
            outcome = voter_roll_county_replace(
                county_code=options["replace_county"], path=options["path"], roll=roll,
                requested_format=options["format"], max_reject_rate=rate,
                progress_listener=bar.draw,
            )  # fmt: skip
        except (ImportFailed, FileError) as exc:
            bar.finish()
            raise CommandError(f"{options['path']}: {exc}") from None
        bar.finish()
        self._county_report(outcome, time.monotonic() - started)

    def _county_report(self, outcome: CountyReplaced, seconds: float) -> None:
        out, county = self.stdout, outcome.county
        out.write(f"roll {county.roll_id}: county {county.county_code} replaced")
        out.write(f"  voters before  {outcome.voters_before:>12,}")
        out.write(f"  voters now     {county.voters:>12,}")
        out.write(f"  rows read      {outcome.rows_read:>12,}")
        out.write(f"  rows rejected  {outcome.rows_rejected:>12,}")
        out.write(f"  rows warned    {outcome.rows_warned:>12,} (imported with a part missing)")
        out.write(f"  lines reopened {county.lines_reopened:>12,} (to be decided again)")
        out.write(f"  time           {seconds:>11.1f}s")
        for phase, took in outcome.timings.items():
            out.write(f"    {phase:<12} {took:>9.1f}s")
        for reject in outcome.rejects[:20]:
            out.write(f"  line {reject['line']}: {reject['reason']}")
        for warning in outcome.warnings[:20]:
            out.write(f"  line {warning['line']}: {warning['reason']}")

    def _report(self, roll: VoterRoll, seconds: float) -> None:
        out = self.stdout
        out.write(f"roll {roll.pk}: {roll.get_state_display()}")
        out.write(f"  rows read      {roll.rows_read:>12,}")
        out.write(f"  rows imported  {roll.rows_imported:>12,}")
        out.write(f"  rows rejected  {roll.rows_rejected:>12,}")
        out.write(f"  rows warned    {roll.rows_warned:>12,} (imported with a part missing)")
        rate = roll.rows_read / max(seconds, 1e-6)
        out.write(f"  time           {seconds:>11.1f}s ({rate:,.0f} rows/s)")
        for words, count, code in roll.rejects_by_reason:
            out.write(f"    rejected {count:>10,}  {words} ({code})")
        if roll.rejects:
            out.write(f"first rejected rows (of {roll.rows_rejected:,}):")
            for reject in roll.rejects[:20]:
                out.write(f"  line {reject['line']}: {reject['reason']}")
        for words, count, code in roll.warnings_by_reason:
            out.write(f"    warning  {count:>10,}  {words} ({code})")
        if roll.warnings:
            out.write(f"first rows imported with a warning (of {roll.rows_warned:,}):")
            for warning in roll.warnings[:20]:
                out.write(f"  line {warning['line']}: {warning['reason']}")


class _Bar:
    """A one-line progress bar on a terminal; a line every few seconds otherwise (logs, CI)."""

    def __init__(self, stream: OutputWrapper, width: int = 30) -> None:
        self.stream, self.width = stream, width
        self.tty = sys.stderr.isatty()
        self.last = 0.0

    def draw(self, progress: Progress) -> None:
        now = time.monotonic()
        if now - self.last < (0.2 if self.tty else 5.0):
            return
        self.last = now
        d = describe(progress.as_dict())
        filled = int(self.width * d["percent"] / 100)
        eta = f"{d['eta']}s left" if d["eta"] is not None else ""
        line = (
            f"[{'#' * filled}{'.' * (self.width - filled)}] {d['percent']:5.1f}% "
            f"{d['rows']:>10,} rows {d['rate']:>8,}/s {d['phase']:<9} {eta}"
        )
        if self.tty:
            self.stream.write("\r" + line, ending="")
            self.stream.flush()
        else:
            self.stream.write(line)

    def finish(self) -> None:
        if self.tty:
            self.stream.write("")
