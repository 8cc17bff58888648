"""How long scans are kept: a scan holds signatures and home addresses, needed only while the
petition is keyed, reviewed and filed. settings.SCANS_KEEP_DAYS_AFTER_FILING days after the
petition's filing date, its scans are erased: every page and line image (files and rows) and the
layout's reference image (the layout's boxes stay: they hold no one's writing).

Run daily by Celery beat (scans.tasks_retention) and by hand as `manage.py erase_scans`.
Idempotent: files go before their rows, so an erasure cut short (a crash, the task's time limit)
leaves rows whose files may be gone, which the next run erases again; never a file that no row
names any more."""

import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from petitions.models import Petition
from recall.models import AuditAction, audit
from scans.models import LineImage, ScanLayout, ScanPage, scans_storage


@dataclass(frozen=True)
class Erasure:
    """What was erased of one petition's scans (or would be, on a dry run)."""

    petition_id: int
    slug: str
    filed_on: date
    pages: int
    line_images: int
    references: int
    # Files found in the storage under the petition's folders that no row named (left behind
    # by a crash while cutting): erased too.
    leftovers: int = 0
    finished: bool = True

    @property
    def files(self) -> int:
        return self.pages + self.line_images + self.references + self.leftovers


def erase_date(petition: Petition) -> date | None:
    """The day the petition's scans are erased: its filing date plus the days they are kept;
    None while it is not filed (scans are kept until then)."""
    if petition.filed_on is None:
        return None
    return petition.filed_on + timedelta(days=settings.SCANS_KEEP_DAYS_AFTER_FILING)


def petitions_due(today: date) -> QuerySet[Petition]:
    """Petitions whose erase date has come and that still hold a scan."""
    cutoff = today - timedelta(days=settings.SCANS_KEEP_DAYS_AFTER_FILING)
    pages = ScanPage.objects.filter(petition=OuterRef("pk"))
    lines = LineImage.objects.filter(section__petition=OuterRef("pk"))
    references = ScanLayout.objects.filter(petition=OuterRef("pk")).exclude(reference="")
    return (
        Petition.objects.filter(filed_on__isnull=False, filed_on__lte=cutoff)
        .filter(Q(Exists(pages)) | Q(Exists(lines)) | Q(Exists(references)))
        .order_by("filed_on", "pk")
    )


def scans_erase(
    *, today: date | None = None, dry_run: bool = False, budget_seconds: float | None = None
) -> list[Erasure]:
    """Erase the scans of every petition filed SCANS_KEEP_DAYS_AFTER_FILING days ago or more.

    1. For each petition due, section by section: delete the line images' and pages' files,
       then their rows (one transaction a section, so the work is kept as it goes).
    2. The layout's reference image: its file, then the field.
    3. Files still under the petition's line-image folder (named by no row): deleted.
    4. One audit event a petition, with the counts.
    With budget_seconds, stop between sections once the time is spent (the daily task's time
    limit): what was erased is audited as unfinished, and the next run goes on.
    """
    today = today or timezone.localdate()
    started = time.monotonic()
    storage = scans_storage()
    erasures = []
    for petition in petitions_due(today):
        filed_on = petition.filed_on
        if filed_on is None:  # petitions_due: filed only; this narrows the type
            continue
        if dry_run:
            erasures.append(_counted(petition, filed_on))
            continue
        erasure = _petition_erase(petition, filed_on, storage, started, budget_seconds)
        erasures.append(erasure)
        audit(
            user=None, action=AuditAction.SCANS_ERASED, target=f"petition {petition.slug}",
            pages=erasure.pages, line_images=erasure.line_images,
            layout_references=erasure.references, leftover_files=erasure.leftovers,
            filed_on=filed_on.isoformat(),
            kept_days=settings.SCANS_KEEP_DAYS_AFTER_FILING, finished=erasure.finished,
        )  # fmt: skip
        if not erasure.finished:
            break
    return erasures


def _counted(petition: Petition, filed_on: date) -> Erasure:
    return Erasure(
        petition_id=petition.pk, slug=petition.slug, filed_on=filed_on,
        pages=ScanPage.objects.filter(petition=petition).count(),
        line_images=LineImage.objects.filter(section__petition=petition).count(),
        references=ScanLayout.objects.filter(petition=petition).exclude(reference="").count(),
    )  # fmt: skip


def _petition_erase(
    petition: Petition, filed_on: date, storage: Storage, started: float,
    budget_seconds: float | None,
) -> Erasure:  # fmt: skip
    pages = line_images = references = leftovers = 0
    section_ids = sorted(
        set(ScanPage.objects.filter(petition=petition).values_list("section_id", flat=True))
        | set(
            LineImage.objects.filter(section__petition=petition).values_list(
                "section_id", flat=True
            )
        )
    )
    for section_id in section_ids:
        if budget_seconds is not None and time.monotonic() - started > budget_seconds:
            return Erasure(petition.pk, petition.slug, filed_on, pages, line_images,
                           references, leftovers, finished=False)  # fmt: skip
        line_names = list(
            LineImage.objects.filter(section_id=section_id).values_list("image", flat=True)
        )
        page_names = list(
            ScanPage.objects.filter(section_id=section_id).values_list("image", flat=True)
        )
        for name in [*line_names, *page_names]:
            if name:
                storage.delete(name)  # a file already gone is no error (FileSystem, S3)
        with transaction.atomic():
            deleted = LineImage.objects.filter(section_id=section_id).delete()[1]
            line_images += deleted.get("scans.LineImage", 0)
            deleted = ScanPage.objects.filter(section_id=section_id).delete()[1]
            pages += deleted.get("scans.ScanPage", 0)
    layout = ScanLayout.objects.filter(petition=petition).exclude(reference="").first()
    if layout is not None:
        storage.delete(layout.reference.name)
        layout.reference = ""
        layout.save(update_fields=["reference"])
        references = 1
    leftovers = _folder_erase(storage, f"lines/{petition.pk}")
    return Erasure(petition.pk, petition.slug, filed_on, pages, line_images, references,
                   leftovers)  # fmt: skip


def _folder_erase(storage: Storage, folder: str) -> int:
    """Delete every file under the folder (its subfolders too); how many there were."""
    try:
        folders, files = storage.listdir(folder)
    except (FileNotFoundError, NotImplementedError):
        return 0
    count = 0
    for name in files:
        storage.delete(f"{folder}/{name}")
        count += 1
    for sub in folders:
        count += _folder_erase(storage, f"{folder}/{sub}")
    return count
