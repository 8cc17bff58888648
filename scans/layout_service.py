"""The organizer's writes on scans: the petition's layout marked on a sample page, a page's own
lines marked by hand when it could not be aligned, a wrongly uploaded page removed.

Each write is audited. Saving a layout (new or changed) queues every page of the petition to be
cut again with it: pages are aligned to the layout's reference, so a changed reference or
changed boxes make every earlier cut stale.
"""

import logging

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from petitions.models import Petition
from recall.models import AuditAction, audit
from scans import imaging
from scans.layout import Box
from scans.models import ScanLayout, ScanPage, scans_storage
from scans.processing import page_image, process_page

log = logging.getLogger(__name__)

REFERENCE_JPEG_QUALITY = 92


def sample_straightened(page: ScanPage) -> bytes:
    """The sample page straightened (its printed rules level), as JPEG: what the organizer marks
    on and, once saved, the reference every page is aligned to."""
    return imaging.encode_jpeg(imaging.straighten(page_image(page)), quality=REFERENCE_JPEG_QUALITY)


def reference_name(petition: Petition, page: ScanPage) -> str:
    return f"layouts/{petition.pk}/reference-{page.sha256[:16]}.jpg"


def layout_save(
    *,
    petition: Petition,
    sample_page: ScanPage | None,
    first: Box,
    last: Box,
    lines_per_page: int,
    by: User | None,
) -> ScanLayout:
    """Store the petition's layout and queue every page of the petition to be cut with it.

    1. The reference: the sample page straightened, stored in the scans storage (None as the
       sample page keeps the current layout's reference: its sample page was removed).
    2. The layout row, created or changed, and an audit event with the boxes.
    3. Every page of the petition marked queued, then the processing queued after the commit.
    """
    existing = ScanLayout.objects.filter(petition=petition).first()
    if sample_page is None and (existing is None or not existing.reference):
        raise ValidationError(_("Choose a sample page to mark the layout on."))
    storage = scans_storage()
    reference = existing.reference.name if existing else ""
    if sample_page is not None:
        data = sample_straightened(sample_page)
        name = reference_name(petition, sample_page)
        if storage.exists(name):
            storage.delete(name)
        reference = storage.save(name, ContentFile(data))
    with transaction.atomic():
        layout, created = ScanLayout.objects.select_for_update().get_or_create(
            petition=petition,
            defaults={"first_box": first.to_json(), "last_box": last.to_json(),
                      "lines_per_page": lines_per_page},
        )  # fmt: skip
        before = None if created else {
            "first_box": layout.first_box, "last_box": layout.last_box,
            "lines_per_page": layout.lines_per_page,
        }  # fmt: skip
        old_reference = "" if created else layout.reference.name
        if sample_page is not None:
            layout.sample_page = sample_page
        layout.reference = reference
        layout.first_box = first.to_json()
        layout.last_box = last.to_json()
        layout.lines_per_page = lines_per_page
        layout.updated_by = by
        layout.save()
        queued = ScanPage.objects.filter(petition=petition).update(status=ScanPage.Status.QUEUED)
        audit(
            user=by, action=AuditAction.SCAN_LAYOUT, target=f"petition {petition.slug}: layout",
            first_box=layout.first_box, last_box=layout.last_box,
            lines_per_page=lines_per_page, before=before, pages_queued=queued,
            sample_page=sample_page.pk if sample_page else None,
        )  # fmt: skip
        if old_reference and old_reference != reference:
            transaction.on_commit(lambda: storage.delete(old_reference))
        queue_waiting_pages(petition)
    return layout


def queue_waiting_pages(petition: Petition) -> None:
    """Cut the petition's pages that wait for it (queued, or waiting for the layout) in the
    background, on the imports queue, once the layout's transaction commits."""
    from scans.tasks import process_waiting_pages

    process_waiting_pages.delay_on_commit(petition.pk)  # type: ignore[attr-defined]


def page_mark_by_hand(*, page: ScanPage, first: Box, last: Box, by: User | None) -> ScanPage:
    """Cut a page with the first and last line boxes a person marked on the page itself (it
    could not be aligned to the sample page), unaligned."""
    layout = ScanLayout.objects.filter(petition_id=page.petition_id).first()
    if layout is None:
        raise ValidationError(_("Mark the petition's layout first: a page is cut with it."))
    manual = {"first_box": first.to_json(), "last_box": last.to_json()}
    with transaction.atomic():
        problem = page.problem
        page.alignment = {"manual": manual}
        page.save(update_fields=["alignment"])
        page = process_page(page, layout)
        audit(
            user=by, action=AuditAction.SCAN_LAYOUT,
            target=(f"petition {page.petition.slug}: section {page.section.serial} "
                    f"page {page.page_number}"),
            manual=manual, problem=problem, lines=page.line_images.count(),
        )  # fmt: skip
    return page


def page_remove(*, page: ScanPage, by: User | None) -> None:
    """Remove a page (a wrong upload): its row, its line images and their files."""
    storage = scans_storage()
    target = (f"petition {page.petition.slug}: section {page.section.serial} "
              f"page {page.page_number}")  # fmt: skip
    with transaction.atomic():
        names = [page.image.name, *page.line_images.values_list("image", flat=True)]
        lines = len(names) - 1
        detail = {"sha256": page.sha256, "status": page.status, "problem": page.problem}
        page.delete()
        audit(user=by, action=AuditAction.SCANS_ERASED, target=target,
              reason="removed by an organizer", lines=lines, **detail)  # fmt: skip

        def delete_files() -> None:
            for name in names:
                try:
                    storage.delete(name)
                except OSError:
                    log.warning("scans: could not delete %s", name, exc_info=True)

        transaction.on_commit(delete_files)
