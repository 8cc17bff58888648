"""python manage.py import_scans PATH --petition SLUG [--section SERIAL] [--background]: store
the scans of a folder, a ZIP or one file (a folder's or ZIP's files named by section serial:
12.pdf, 12-2.jpg), then cut their pages into lines if the petition's layout is marked."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from petitions.models import Petition, Section
from recall.models import command_actor
from scans import ingest
from scans.ingest import ScanFileError
from scans.models import ScanUpload
from scans.uploads import Kinds, RunReport, scan_upload_create, scan_upload_run


class Command(BaseCommand):
    help = (
        "Store scanned sections from a folder, a ZIP or one file. In a folder or a ZIP each file "
        "is named by its section: 12.pdf (every page of section 12), 12-2.jpg, 12_p2.png or "
        "'section 12 page 2.jpeg' (its page 2); a section that does not exist yet is created. "
        "One file with --section SERIAL: all its pages go to that section. Files are checked by "
        "their content (PDF, JPEG, PNG, ZIP); a page already stored is not stored again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a folder, a ZIP, or one PDF, JPEG or PNG")
        parser.add_argument("--petition", required=True, help="the petition's slug")
        parser.add_argument(
            "--section", type=int, help="the section serial for one file's pages (PATH a file)"
        )
        parser.add_argument(
            "--background", action="store_true",
            help="queue the work for the imports worker and return at once (progress on the "
                 "upload's page)",
        )  # fmt: skip

    @command_actor("import_scans")  # the audit log names who ran it
    def handle(self, *args: Any, **options: Any) -> None:
        petition = self._petition(options["petition"])
        path = Path(options["path"]).expanduser()
        if not path.exists():
            raise CommandError(f"{path}: no such file or folder")
        section = self._section(petition, options["section"], path)
        if path.is_dir():
            files = ingest.folder_files(path)
            if not files:
                raise CommandError(f"{path}: an empty folder, no file to import")
        else:
            files = [(path.name, path)]
        try:
            upload = scan_upload_create(
                petition=petition, files=files, by=None, section=section,
                source_name=str(path), enqueue=options["background"], check_content=False,
            )  # fmt: skip
        except (ScanFileError, OSError) as exc:
            raise CommandError(str(exc)) from None
        if options["background"]:
            self.stdout.write(
                f"Queued upload {upload.pk} of {len(files)} file(s) for the imports worker; "
                f"its progress is at /scans/uploads/{upload.pk}/"
            )
            return
        report = RunReport()
        upload = scan_upload_run(upload_id=upload.pk, report=report)
        for line in report.lines:
            self.stdout.write(line)
        refused = [p for p in upload.problems if p.get("kind") == Kinds.REFUSED]
        if upload.status == ScanUpload.Status.FAILED:
            raise CommandError(f"the import failed: {upload.problems[-1]['error']}")
        if refused:
            raise CommandError(
                f"{len(refused)} file(s) or page(s) refused (listed above); the rest was stored"
            )

    def _petition(self, slug: str) -> Petition:
        petition = Petition.objects.filter(slug=slug).first()
        if petition is None:
            known = ", ".join(Petition.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f"no petition {slug!r} (petitions: {known or 'none yet'})")
        return petition

    def _section(self, petition: Petition, serial: int | None, path: Path) -> Section | None:
        if serial is None:
            return None
        if path.is_dir():
            raise CommandError(
                "--section is for one file; a folder's files are named by their section"
            )
        section = Section.objects.filter(petition=petition, serial=serial).first()
        if section is None:
            raise CommandError(
                f"petition {petition.slug} has no section {serial}; enter it first, or name the "
                f"file {serial}.pdf and leave out --section to create it"
            )
        return section
