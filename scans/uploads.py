"""Scan uploads: received (a web upload's files saved to disk, or a server folder named), read into
pages stored once each, then straightened and cut in the background, with progress.

1. scan_upload_create (the web request, or import_scans): the files' names and places in a
   manifest under UPLOAD_DIR, an upload row RECEIVED, audited, and its task queued.
2. scan_upload_run (the task, or import_scans without --background): each file read page by page
   (scans.ingest), each page stored once and given its row; then, if the petition has a layout,
   each page aligned and cut (scans.processing). The upload's status and counters show how far.
3. scan_uploads_sweep_stale (every minute): uploads whose worker was lost are sent again; the work
   is idempotent (a page is known by its content hash; a page is processed under a row lock).
"""

import contextlib
import json
import logging
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from redis.exceptions import RedisError

from petitions.entry import section_create
from petitions.models import Petition, Section
from recall.models import AuditAction, audit
from scans import imaging, ingest
from scans.ingest import PreparedPage, Refused, ScanFileError, SourceFile
from scans.models import ScanLayout, ScanPage, ScanUpload, scans_storage
from scans.processing import process_page, reference_image

log = logging.getLogger(__name__)

# An upload whose worker has said nothing for this long is taken as lost and sent again.
STALE_AFTER_SECONDS = 5 * 60
# A received upload not started after this long: its message was lost; send it again.
RESEND_AFTER = timedelta(minutes=2)
ACTIVE = (ScanUpload.Status.RECEIVED, ScanUpload.Status.SPLITTING, ScanUpload.Status.PROCESSING)


class Kinds:
    """What the entries of ScanUpload.problems are ({"file", "error", "kind"})."""

    REFUSED = "refused"
    ALREADY_STORED = "already_stored"
    SECTION_CREATED = "section_created"


def upload_folder(upload_id: int) -> Path:
    return Path(settings.UPLOAD_DIR) / "scans" / str(upload_id)


def _beat_key(upload_id: int) -> str:
    return f"scans:upload:{upload_id}:beat"


def _beat(upload_id: int) -> None:
    # The sweep's sign of life; progress is a convenience, the work must not fail for it.
    with contextlib.suppress(RedisError):
        cache.set(_beat_key(upload_id), time.time(), timeout=24 * 3600)


def sections_for_upload(user: User, petition: Petition) -> QuerySet[Section]:
    """The sections a user may upload scans to: an organizer every one; a volunteer those they
    key (entered, or were handed to them for first or second entry)."""
    if not (user.has_perm("petitions.add_line") and user.has_perm("petitions.view_petition")):
        return Section.objects.none()
    sections = Section.objects.filter(petition=petition)
    if user.has_perm("petitions.view_section"):
        return sections
    return sections.filter(
        Q(entered_by=user) | Q(second_entered_by=user) | Q(assigned_to=user)
        | Q(second_assigned_to=user)
    )  # fmt: skip


def check_upload_size(name: str, size: int) -> None:
    """ScanFileError when one file is larger than settings.SCANS_UPLOAD_MAX_BYTES."""
    most = settings.SCANS_UPLOAD_MAX_BYTES
    if size > most:
        raise ScanFileError(
            _("%(name)s: %(size)s MB, more than the %(most)s MB a file may be")
            % {"name": name, "size": round(size / 2**20, 1), "most": round(most / 2**20, 1)}
        )


def scan_upload_create(
    *,
    petition: Petition,
    files: Sequence[tuple[str, UploadedFile | Path]],
    by: User | None,
    section: Section | None = None,
    source_name: str = "",
    enqueue: bool = True,
    check_content: bool = True,
) -> ScanUpload:
    """Keep the files until they are read and queue their reading (section None: a bulk upload,
    each file named by its section).

    1. Each file's size and (with check_content: a page's form, where one bad file should stop
       the upload) its first bytes are checked; ScanFileError names the first refused. Without
       it (import_scans on a folder) a file that is no scan is refused by name when read.
    2. The upload row is created; an uploaded file is saved under UPLOAD_DIR/scans/<id>/ (a
       server path is only named), with a manifest of the names, in the same transaction: a
       failure leaves neither row nor files.
    3. Audited; with enqueue, the task is sent after commit.
    """
    if not files:
        raise ScanFileError(_("Choose at least one file."))
    for name, source in files:
        size = source.size if isinstance(source, UploadedFile) else source.stat().st_size
        check_upload_size(name, size or 0)
        if check_content and ingest.sniff(_head(source)) is None:
            raise ScanFileError(ingest.not_a_scan(name))
    folder: Path | None = None
    try:
        with transaction.atomic():
            upload = ScanUpload.objects.create(
                petition=petition, section=section, uploaded_by=by,
                source_name=(source_name or ", ".join(name for name, _ in files))[:300],
            )  # fmt: skip
            folder = upload_folder(upload.pk)
            folder.mkdir(parents=True, exist_ok=True)
            entries = []
            for index, (name, source) in enumerate(files):
                if isinstance(source, UploadedFile):
                    path = folder / f"{index:04d}.upload"
                    with path.open("wb") as out:
                        for chunk in source.chunks():
                            out.write(chunk)
                    entries.append({"name": name, "path": str(path), "owned": True})
                else:
                    entries.append({"name": name, "path": str(source.resolve()), "owned": False})
            manifest = {"files": entries, "language": translation.get_language()}
            (folder / "manifest.json").write_text(json.dumps(manifest))
            where = f"section {section.serial}" if section else "bulk"
            audit(
                user=by, action=AuditAction.SCANS_UPLOADED,
                target=f"petition {petition.slug}: {where}: {upload.source_name}"[:200],
                upload=upload.pk, files=[entry["name"] for entry in entries][:100],
            )  # fmt: skip
            if enqueue:
                from scans.tasks import scan_upload_task

                # Celery's DjangoTask has delay_on_commit; celery-types does not know it.
                scan_upload_task.delay_on_commit(upload.pk)  # type: ignore[attr-defined]
    except BaseException:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    _beat(upload.pk)
    return upload


def _head(source: UploadedFile | Path) -> bytes:
    if isinstance(source, Path):
        with source.open("rb") as handle:
            return handle.read(1024)
    source.seek(0)
    head = source.read(1024)
    source.seek(0)
    return head


@dataclass
class RunReport:
    """What reading an upload did, file by file, for import_scans' output."""

    lines: list[str] = field(default_factory=list)

    def say(self, text: str) -> None:
        self.lines.append(text)


def _problem(upload: ScanUpload, name: str, error: str, kind: str = Kinds.REFUSED) -> None:
    upload.problems.append({"file": name, "error": error, "kind": kind})


def _where(page: ScanPage) -> str:
    return _("section %(serial)s page %(page)s") % {
        "serial": page.section.serial, "page": page.page_number,
    }  # fmt: skip


def _page_name(petition_id: int, sha256: str) -> str:
    return f"pages/{petition_id}/{sha256[:2]}/{sha256}.jpg"


@dataclass
class _Stored:
    page: PreparedPage
    index: int  # the page's place in its file, from 1
    name: str  # where its bytes were saved ("" when another row already holds them)


def _read_and_store(
    source: SourceFile, petition_id: int, listener: Callable[[int], None]
) -> list[_Stored]:
    """Every page of a file prepared and saved to the scans storage (unless a row already holds
    its bytes); on any failure the pages saved here are deleted again and ScanFileError raised."""
    storage = scans_storage()
    stored: list[_Stored] = []
    try:
        for index, image in enumerate(ingest.read_pages(source), start=1):
            prepared = ingest.prepare(image)
            exists = ScanPage.objects.filter(sha256=prepared.sha256).exists()
            seen = any(item.page.sha256 == prepared.sha256 for item in stored)
            name = ""
            if not exists and not seen:
                name = storage.save(
                    _page_name(petition_id, prepared.sha256), ContentFile(prepared.data)
                )
            stored.append(_Stored(prepared, index, name))
            listener(len(stored))
    except BaseException:
        _delete(item.name for item in stored)
        raise
    return stored


def _delete(names: object) -> None:
    storage = scans_storage()
    for name in names:  # type: ignore[attr-defined]
        if name:
            with contextlib.suppress(OSError):
                storage.delete(name)


def _target_section(
    upload: ScanUpload, source: SourceFile
) -> tuple[Section | None, int, int | None, str]:
    """For a bulk file: its section (None when it does not exist yet), serial, page and ""; or
    a refusal in words."""
    if upload.section is not None:
        return upload.section, upload.section.serial, None, ""
    target = ingest.parse_name(source.base_name)
    if target is None:
        return None, 0, None, ingest.no_serial(source.name)
    if target.page is not None and target.page < 1:
        return (
            None,
            target.serial,
            None,
            _("%(name)s: page numbers start at 1") % {"name": source.name},
        )
    section = Section.objects.filter(petition=upload.petition, serial=target.serial).first()
    return section, target.serial, target.page, ""


def _ingest_file(
    upload: ScanUpload, source: SourceFile, report: RunReport, listener: Callable[[int], None]
) -> None:
    """One file's pages stored and given rows, or the file refused with nothing left behind."""
    section, serial, named_page, refusal = _target_section(upload, source)
    if refusal:
        _problem(upload, source.name, refusal)
        report.say(refusal)
        return
    try:
        stored = _read_and_store(source, upload.petition_id, listener)
    except ScanFileError as exc:
        _problem(upload, source.name, str(exc))
        report.say(str(exc))
        return
    if named_page is not None and len(stored) > 1:
        _delete(item.name for item in stored)
        error = _(
            "%(name)s: names page %(page)s but holds %(count)s pages; name it by the section "
            "alone (%(serial)s.pdf) for all of a section's pages"
        ) % {"name": source.name, "page": named_page, "count": len(stored),
             "serial": serial}  # fmt: skip
        _problem(upload, source.name, error)
        report.say(error)
        return
    try:
        try:
            _save_rows(upload, source, stored, section, serial, named_page, report)
        except IntegrityError:
            # The same page stored from another upload at this moment: read the rows again.
            _save_rows(upload, source, stored, section, serial, named_page, report)
    except BaseException:
        _delete(item.name for item in stored)
        raise


def _save_rows(
    upload: ScanUpload,
    source: SourceFile,
    stored: list[_Stored],
    section: Section | None,
    serial: int,
    named_page: int | None,
    report: RunReport,
) -> None:
    has_layout = ScanLayout.objects.filter(petition_id=upload.petition_id).exists()
    status = ScanPage.Status.QUEUED if has_layout else ScanPage.Status.WAITING_LAYOUT
    unused: list[str] = []
    notes: list[tuple[str, str, str]] = []
    with transaction.atomic():
        existing = {
            page.sha256: page
            for page in ScanPage.objects.filter(sha256__in=[item.page.sha256 for item in stored])
            .select_related("section")
        }  # fmt: skip
        new = [item for item in stored if item.page.sha256 not in existing]
        # Pages seen twice in this file: the first is stored.
        first_of: dict[str, _Stored] = {}
        for item in new:
            first_of.setdefault(item.page.sha256, item)
        created_section = False
        if section is None and first_of:
            section = section_create(petition=upload.petition, serial=serial, entered_by=None)
            created_section = True
        rows = []
        if section is not None and first_of:
            # Page numbers in a section are given under its row lock (no key: keyers' lines,
            # which only share-lock the section, are not held up).
            Section.objects.select_for_update(no_key=True).filter(pk=section.pk).first()
            top = section.scan_pages.aggregate(top=Max("page_number"))["top"] or 0
            for item in first_of.values():
                if not item.name:  # its row was erased since it was read: store it after all
                    item.name = scans_storage().save(
                        _page_name(upload.petition_id, item.page.sha256),
                        ContentFile(item.page.data),
                    )
                if named_page is not None:
                    taken = section.scan_pages.filter(page_number=named_page).first()
                    if taken is not None:
                        raise _PageTaken(taken)
                    number = named_page
                else:
                    top += 1
                    number = top
                rows.append(ScanPage(
                    petition_id=upload.petition_id, section=section, page_number=number,
                    sha256=item.page.sha256, image=item.name, width=item.page.width,
                    height=item.page.height, bytes=len(item.page.data), status=status,
                    upload=upload, source_name=source.name[:300], uploaded_by=upload.uploaded_by,
                ))  # fmt: skip
            ScanPage.objects.bulk_create(rows)
        for item in stored:
            if item.page.sha256 in existing:
                earlier = existing[item.page.sha256]
                unused.append(item.name)
                if earlier.upload_id == upload.pk:
                    continue  # stored by this very upload before its worker was lost
                notes.append((source.name, _where(earlier), "stored"))
            elif first_of[item.page.sha256] is not item:
                unused.append(item.name)
                notes.append((source.name, str(first_of[item.page.sha256].index), "file"))
        if created_section:
            message = _("%(name)s: section %(serial)s did not exist; it was created") % {
                "name": source.name, "serial": serial,
            }  # fmt: skip
            _problem(upload, source.name, message, Kinds.SECTION_CREATED)
            report.say(message)
    _delete(unused)
    for name, where, how in notes:
        if how == "stored":
            message = _("%(name)s: a page already stored, as %(where)s; not stored again") % {
                "name": name, "where": where,
            }  # fmt: skip
        else:
            message = _("%(name)s: a page the same as its page %(page)s; stored once") % {
                "name": name, "page": where,
            }  # fmt: skip
        _problem(upload, name, message, Kinds.ALREADY_STORED)
        upload.pages_already_stored += 1
        report.say(message)
    if rows:
        numbers = ", ".join(str(row.page_number) for row in rows)
        report.say(
            ngettext(
                "%(name)s: section %(serial)s, page %(pages)s stored",
                "%(name)s: section %(serial)s, pages %(pages)s stored",
                len(rows),
            )
            % {"name": source.name, "serial": serial, "pages": numbers}
        )


class _PageTaken(Exception):
    def __init__(self, page: ScanPage) -> None:
        self.page = page


def _claim(upload_id: int) -> bool:
    return bool(
        ScanUpload.objects.filter(pk=upload_id, status=ScanUpload.Status.RECEIVED).update(
            status=ScanUpload.Status.SPLITTING
        )
    )


def _save_counts(upload: ScanUpload, *fields: str) -> None:
    upload.save(update_fields=["pages_total", "pages_already_stored", "problems", *fields])
    _beat(upload.pk)


def scan_upload_run(*, upload_id: int, report: RunReport | None = None) -> ScanUpload:
    """Read a received upload's files into stored pages, then process its pages if the petition
    has a layout; the upload ends done (problems listed file by file) or failed with its reason.
    A second run of the same upload (a redelivered message) returns at once."""
    report = report or RunReport()
    upload = ScanUpload.objects.select_related("petition", "section").get(pk=upload_id)
    if upload.status == ScanUpload.Status.PROCESSING:  # resumed after a lost worker
        return _process_upload(upload, report)
    if not _claim(upload_id):
        return upload
    upload.refresh_from_db()
    folder = upload_folder(upload_id)
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        return _fail(upload, _("the uploaded files are no longer on the server; upload them again"))
    try:
        with translation.override(manifest.get("language") or settings.LANGUAGE_CODE):
            upload.problems = []
            upload.pages_already_stored = 0
            _read_files(upload, manifest["files"], folder, report)
    except Exception as exc:
        log.exception("scan upload %s failed", upload_id)
        if isinstance(exc, DatabaseError):  # a lost connection: record the failure on a new one
            connection.close_if_unusable_or_obsolete()
        return _fail(upload, _("unexpected error while reading the files: %(error)s") % {
            "error": f"{type(exc).__name__}: {exc}"})  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return _process_upload(upload, report)


def _read_files(upload: ScanUpload, entries: list[dict], folder: Path, report: RunReport) -> None:
    last_save = 0.0
    stored_before = 0

    def listener(read_in_file: int) -> None:
        # While a file is read its pages have no rows yet: the count shows them as read.
        nonlocal last_save
        if time.monotonic() - last_save > 1:
            last_save = time.monotonic()
            upload.pages_total = stored_before + read_in_file
            _save_counts(upload)

    with ingest.work_folder(folder, "unpacked") as workdir:
        for entry in entries:
            name, path = entry["name"], Path(entry["path"])
            if not path.is_file():
                error = _("%(name)s: the file is no longer there") % {"name": name}
                _problem(upload, name, error)
                report.say(error)
                continue
            for item in ingest.expand(name, path, workdir):
                if isinstance(item, Refused):
                    _problem(upload, item.name, item.error)
                    report.say(item.error)
                    continue
                stored_before = upload.pages.count()
                try:
                    _ingest_file(upload, item, report, listener)
                except _PageTaken as taken:
                    error = _(
                        "%(name)s: section %(serial)s already has a page %(page)s; delete it "
                        "first to replace it"
                    ) % {"name": item.name, "serial": taken.page.section.serial,
                         "page": taken.page.page_number}  # fmt: skip
                    _problem(upload, item.name, error)
                    report.say(error)
                finally:
                    if item.path.parent == workdir:
                        item.path.unlink(missing_ok=True)
                upload.pages_total = upload.pages.count()
                _save_counts(upload)
    upload.pages_total = upload.pages.count()
    _save_counts(upload)


def _fail(upload: ScanUpload, error: str) -> ScanUpload:
    _problem(upload, upload.source_name, error)
    upload.status = ScanUpload.Status.FAILED
    upload.finished_at = timezone.now()
    upload.save(update_fields=["status", "finished_at", "problems"])
    return upload


def _process_upload(upload: ScanUpload, report: RunReport) -> ScanUpload:
    queued = upload.pages.filter(status=ScanPage.Status.QUEUED)
    if queued.exists():
        upload.status = ScanUpload.Status.PROCESSING
        upload.save(update_fields=["status"])
        _beat(upload.pk)
        try:
            scan_pages_process(
                petition_id=upload.petition_id,
                pages=list(
                    queued.order_by("section__serial", "page_number").values_list("pk", flat=True)
                ),
            )
        except Exception as exc:
            log.exception("scan upload %s: processing failed", upload.pk)
            if isinstance(exc, DatabaseError):  # a lost connection: record the failure on a new one
                connection.close_if_unusable_or_obsolete()
            return _fail(upload, _("unexpected error while cutting the pages: %(error)s") % {
                "error": f"{type(exc).__name__}: {exc}"})  # fmt: skip
    upload_counts_refresh(upload_id=upload.pk)
    upload.refresh_from_db(fields=["pages_total", "pages_done", "pages_flagged"])
    upload.status = ScanUpload.Status.DONE
    upload.finished_at = timezone.now()
    upload.save(update_fields=["status", "finished_at"])
    counts = page_counts(upload.pages.all())
    report.say(
        _("%(total)s pages stored, %(already)s already stored; %(cut)s cut into lines, "
          "%(flagged)s need a person, %(waiting)s wait for the petition's layout")
        % {"total": upload.pages_total, "already": upload.pages_already_stored, **counts}
    )  # fmt: skip
    return upload


def page_counts(pages: QuerySet[ScanPage]) -> dict[str, int]:
    rows = dict(pages.values_list("status").annotate(n=Count("pk")).order_by())
    return {
        "cut": rows.get(ScanPage.Status.CUT, 0),
        "flagged": rows.get(ScanPage.Status.FLAGGED, 0),
        "waiting": rows.get(ScanPage.Status.WAITING_LAYOUT, 0),
        "queued": rows.get(ScanPage.Status.QUEUED, 0),
    }


def upload_counts_refresh(*, upload_id: int) -> None:
    """An upload's counters from its pages' rows (a page processed again is counted once)."""
    counts = page_counts(ScanPage.objects.filter(upload_id=upload_id))
    ScanUpload.objects.filter(pk=upload_id).update(
        pages_total=sum(counts.values()),
        pages_done=counts["cut"] + counts["flagged"],
        pages_flagged=counts["flagged"],
    )
    _beat(upload_id)


def scan_pages_process(*, petition_id: int, pages: Sequence[int]) -> int:
    """Align and cut the given pages that are still queued (the layout's reference decoded
    once); each page under its row lock, so two workers never cut the same page. Returns how
    many pages this call processed."""
    layout = ScanLayout.objects.filter(petition_id=petition_id).first()
    if layout is None or not layout.reference:
        return 0  # not marked yet: the pages stay queued until the layout is saved
    reference = reference_image(layout)
    done = 0
    last_refresh = time.monotonic()
    touched: set[int] = set()
    for page_id in pages:
        with transaction.atomic():
            page = (
                ScanPage.objects.select_for_update(skip_locked=True)
                .select_related("petition").filter(pk=page_id, status=ScanPage.Status.QUEUED)
                .first()
            )  # fmt: skip
            if page is None:
                continue
            try:
                with transaction.atomic():
                    process_page(page, layout, reference)
            except (imaging.ImageError, OSError) as exc:
                page.status = ScanPage.Status.FLAGGED
                page.problem = (_("the stored page cannot be read: %(error)s") % {"error": exc})[
                    :300
                ]
                page.processed_at = timezone.now()
                page.save(update_fields=["status", "problem", "processed_at"])
        done += 1
        if page.upload_id:
            touched.add(page.upload_id)
        if time.monotonic() - last_refresh > 1:
            last_refresh = time.monotonic()
            for upload_id in touched:
                upload_counts_refresh(upload_id=upload_id)
    for upload_id in touched:
        upload_counts_refresh(upload_id=upload_id)
    return done


def scan_pages_process_waiting(*, petition_id: int) -> int:
    """After a layout is saved: pages waiting for it, and pages flagged that a person did not
    mark by hand, are queued again and processed."""
    pages = ScanPage.objects.filter(petition_id=petition_id)
    pages.filter(status=ScanPage.Status.WAITING_LAYOUT).update(status=ScanPage.Status.QUEUED)
    pages.filter(status=ScanPage.Status.FLAGGED).exclude(alignment__has_key="manual").update(
        status=ScanPage.Status.QUEUED, problem=""
    )
    queued = pages.filter(status=ScanPage.Status.QUEUED).order_by("section__serial", "page_number")
    return scan_pages_process(
        petition_id=petition_id, pages=list(queued.values_list("pk", flat=True))
    )


def scan_uploads_sweep_stale() -> list[int]:
    """Send again the uploads whose worker was lost (no sign of life for STALE_AFTER_SECONDS) or
    whose message was (received and not started), and the petitions whose queued pages no
    upload is processing. Returns the uploads sent again."""
    from scans.tasks import process_waiting_pages, scan_upload_task

    now = timezone.now()
    resend: list[int] = []
    for upload in ScanUpload.objects.filter(status__in=ACTIVE):
        try:
            beat = cache.get(_beat_key(upload.pk))
        except RedisError:
            beat = None
        last = beat or upload.created_at.timestamp()
        if upload.status == ScanUpload.Status.RECEIVED:
            if (
                upload.created_at < now - RESEND_AFTER
                and now.timestamp() - last > RESEND_AFTER.total_seconds()
            ):
                resend.append(upload.pk)
        elif now.timestamp() - last > STALE_AFTER_SECONDS:
            if upload.status == ScanUpload.Status.SPLITTING:
                # Read again from the start: pages already stored by it are known by their hash.
                ScanUpload.objects.filter(pk=upload.pk, status=ScanUpload.Status.SPLITTING).update(
                    status=ScanUpload.Status.RECEIVED
                )
            _beat(upload.pk)
            resend.append(upload.pk)
    for upload_id in resend:
        log.warning("scan upload %s: worker lost or message lost; sent again", upload_id)
        scan_upload_task.delay(upload_id)
    # Queued pages of finished uploads (a lost process_waiting_pages) or of no upload.
    orphaned = (
        ScanPage.objects.filter(status=ScanPage.Status.QUEUED, uploaded_at__lt=now - RESEND_AFTER)
        .exclude(upload__status__in=ACTIVE)
        .filter(petition__scan_layout__isnull=False)
        .values_list("petition_id", flat=True).distinct()
    )  # fmt: skip
    for petition_id in orphaned:
        process_waiting_pages.delay(petition_id)
    return resend


def section_scan_panel(user: User, section: Section) -> dict[str, object]:
    """What a section's Scans panel shows: its pages (with their line images counted), whether
    the user may upload, and whether anything is still being read or cut (the panel polls)."""
    pages = list(section.scan_pages.annotate(lines=Count("line_images")).order_by("page_number"))
    busy = any(page.status == ScanPage.Status.QUEUED for page in pages) or (
        ScanUpload.objects.filter(section=section, status__in=ACTIVE).exists()
    )
    return {
        "section": section,
        "petition": section.petition,
        "scan_pages": pages,
        "scans_busy": busy,
        "may_upload": sections_for_upload(user, section.petition).filter(pk=section.pk).exists(),
        "has_layout": ScanLayout.objects.filter(petition_id=section.petition_id).exists(),
    }


def upload_summary(upload: ScanUpload) -> dict[str, object]:
    """An upload's progress and its problems, file by file, for its page."""
    finished = upload.status in (ScanUpload.Status.DONE, ScanUpload.Status.FAILED)
    total = upload.pages_total
    percent = 100 if finished else (round(100 * upload.pages_done / total) if total else 0)
    if upload.status == ScanUpload.Status.SPLITTING:
        percent = 0  # pages are still being read: how many there will be is not known yet
    by_kind: dict[str, list[dict]] = {}
    for problem in upload.problems:
        by_kind.setdefault(problem.get("kind", Kinds.REFUSED), []).append(problem)
    sections = (
        upload.pages.values("section__serial").annotate(pages=Count("pk"))
        .order_by("section__serial")
    )  # fmt: skip
    return {
        "upload": upload,
        "petition": upload.petition,
        "finished": finished,
        "percent": percent,
        "counts": page_counts(upload.pages.all()),
        "refused": by_kind.get(Kinds.REFUSED, []),
        "already_stored": by_kind.get(Kinds.ALREADY_STORED, []),
        "sections_created": by_kind.get(Kinds.SECTION_CREATED, []),
        "sections": list(sections),
    }
