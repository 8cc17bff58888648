"""python manage.py import_registrar_results PATH --petition SLUG --kind raw|sample|full|lines
[--date YYYY-MM-DD] [--certified YYYY-MM-DD]: store one of the registrar's results, kept beside
the earlier ones (petitions.services.registrar)."""

from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from petitions.models import Petition, RegistrarResultKind
from petitions.services.registrar import registrar_result_import


def _date(flag: str, text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{flag} must be a date YYYY-MM-DD, got {text!r}") from None


class Command(BaseCommand):
    help = (
        "Import the registrar's results for a petition: a raw count (header raw_count), a random "
        "sample's or a full count's counts by category (header category,count) or its decision "
        "line by line (header section,line,status). Each import is kept with its date; nothing of "
        "ours is changed. A bad file is refused whole, naming the row and field."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the CSV file (UTF-8, a header row)")
        parser.add_argument("--petition", required=True, help="the petition's slug")
        parser.add_argument("--kind", required=True, choices=RegistrarResultKind.values)
        parser.add_argument("--date", help="the date of the registrar's result (default today)")
        parser.add_argument(
            "--certified",
            help="the registrar's certificate date: the examination period (60 days) starts on it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["petition"]
        petition = Petition.objects.filter(slug=slug).first()
        if petition is None:
            raise CommandError(f"no petition with slug {slug!r} (--petition)")
        as_of = _date("--date", options["date"]) or timezone.localdate()
        certified_on = _date("--certified", options["certified"])
        path = Path(options["path"])
        try:
            source = path.open("rb")
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        with source, translation.override("en"):
            try:
                result = registrar_result_import(
                    petition=petition, kind=options["kind"], source=source,
                    source_name=path.name, as_of=as_of, certified_on=certified_on,
                )  # fmt: skip
            except ValidationError as exc:
                raise CommandError(f"{path}: " + "; ".join(exc.messages)
                                   + "; nothing was imported") from None  # fmt: skip
        if result.kind == RegistrarResultKind.RAW:
            what = f"raw count {result.raw_count:,}"
        elif result.kind == RegistrarResultKind.LINES:
            what = f"{result.lines:,} lines"
        else:
            what = f"{result.sample_size:,} lines in {len(result.counts)} categories"
        self.stdout.write(f"{petition.slug}: the registrar's {result.get_kind_display().lower()} "
                          f"of {result.as_of.isoformat()} imported ({what})")  # fmt: skip
