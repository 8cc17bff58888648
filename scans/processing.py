"""What becomes of a stored page: aligned to its petition's layout and cut into line images, or
flagged for a person with the reason. Idempotent: a page processed again (a new layout, a person's
own boxes) replaces its line images."""

import numpy as np
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from scans import imaging
from scans.layout import Box, line_boxes, line_number
from scans.models import LineImage, ScanLayout, ScanPage, scans_storage


def reference_image(layout: ScanLayout) -> np.ndarray:
    with layout.reference.open("rb") as handle:
        return imaging.decode_grey(handle.read())


def page_image(page: ScanPage) -> np.ndarray:
    with page.image.open("rb") as handle:
        return imaging.decode_grey(handle.read())


def line_image_name(page: ScanPage, number: int) -> str:
    return f"lines/{page.petition_id}/{page.section_id}/{number:04d}-{page.sha256[:16]}.jpg"


def process_page(
    page: ScanPage, layout: ScanLayout, reference: np.ndarray | None = None
) -> ScanPage:
    """Align the page to the layout's reference and cut its lines (status CUT), or flag it
    (status FLAGGED, problem in words). The reference may be passed in when many pages share it.
    A page a person marked by hand (alignment["manual"]: its own first and last boxes) is cut
    with those boxes, unaligned."""
    image = page_image(page)
    manual = page.alignment.get("manual") if page.alignment else None
    if manual:
        boxes = line_boxes(
            Box.from_json(manual["first_box"]), Box.from_json(manual["last_box"]),
            layout.lines_per_page,
        )  # fmt: skip
        alignment: dict = {"manual": manual, "method": "marked by hand"}
        crops = imaging.cut_lines(image, boxes)
    else:
        if reference is None:
            reference = reference_image(layout)
        found = imaging.align(image, reference)
        if not found.ok:
            page.status = ScanPage.Status.FLAGGED
            page.problem = found.problem[:300]
            page.alignment = {
                "score": round(found.score, 4), "band_cover": round(found.band_cover, 4),
                "inliers": found.inliers, "angle": round(found.angle, 2),
            }  # fmt: skip
            page.processed_at = timezone.now()
            with transaction.atomic():
                old = list(page.line_images.values_list("image", flat=True))
                page.line_images.all().delete()
                page.save(update_fields=["status", "problem", "alignment", "processed_at"])
            _delete_files(old, set())
            return page
        size = (reference.shape[1], reference.shape[0])
        # Each line's box warped straight from the page (not the whole page, then cut).
        crops = imaging.warp_lines(image, found.matrix, size, layout.boxes())
        alignment = {
            "matrix": found.matrix, "score": round(found.score, 4),
            "band_cover": round(found.band_cover, 4), "inliers": found.inliers,
            "angle": round(found.angle, 2),
            "method": "features+ecc" if found.refined else "features",
        }  # fmt: skip
    storage = scans_storage()
    rows = []
    for index, crop in enumerate(crops):
        number = line_number(page.page_number, index, layout.lines_per_page)
        data = imaging.encode_jpeg(crop)
        name = storage.save(line_image_name(page, number), ContentFile(data))
        rows.append(
            LineImage(
                page=page,
                section_id=page.section_id,
                number=number,
                image=name,
                width=crop.shape[1],
                height=crop.shape[0],
                bytes=len(data),
            )
        )
    with transaction.atomic():
        old = list(page.line_images.values_list("image", flat=True))
        page.line_images.all().delete()
        LineImage.objects.bulk_create(rows)
        page.status = ScanPage.Status.CUT
        page.problem = ""
        page.alignment = alignment
        page.processed_at = timezone.now()
        page.save(update_fields=["status", "problem", "alignment", "processed_at"])
    _delete_files(old, {row.image.name for row in rows})
    return page


def _delete_files(names: list[str], keep: set[str]) -> None:
    """The line images a page no longer has, removed from storage once the rows are gone."""
    storage = scans_storage()
    for name in names:
        if name not in keep:
            storage.delete(name)
