"""Scanned sections: each page stored once (by content hash), the petition's line layout, and
one image per signature line cut from the straightened page.

Files live in the "scans" storage (settings.STORAGES["scans"]: the local disk by default, an
S3-compatible store by setting); rows here hold their names, sizes and what became of them.
"""

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from petitions.models import Petition, Section
from scans.layout import Box, line_boxes


def scans_storage() -> Storage:
    """The scans storage, looked up when used (a test or a setting may change it)."""
    return storages["scans"]


class ScanUpload(models.Model):
    """One upload (a file, a folder or a ZIP, on a page or by import_scans) and its progress."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        SPLITTING = "splitting", _("Reading pages")
        PROCESSING = "processing", _("Straightening and cutting")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="scan_uploads")
    # The section it was uploaded for (on the section's page), or None for a bulk upload.
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_name = models.CharField(max_length=300)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)
    pages_total = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)
    pages_flagged = models.PositiveIntegerField(default=0)
    pages_already_stored = models.PositiveIntegerField(default=0)
    # Files or pages refused, each {"file": name, "error": sentence}.
    problems = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Scan upload {self.source_name}"


class ScanPage(models.Model):
    """One page of a section, stored once: its image is the page as received (grey, bounded in
    size), named by the SHA-256 of its content."""

    class Status(models.TextChoices):
        WAITING_LAYOUT = "waiting_layout", _("Waiting for the layout")
        QUEUED = "queued", _("Queued")
        CUT = "cut", _("Cut into lines")
        FLAGGED = "flagged", _("Needs a person")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="scan_pages")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="scan_pages")
    page_number = models.PositiveSmallIntegerField()
    sha256 = models.CharField(max_length=64, unique=True)
    image = models.FileField(storage=scans_storage, max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    bytes = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WAITING_LAYOUT)
    # Why the page needs a person (it could not be aligned), in words.
    problem = models.CharField(max_length=300, blank=True)
    # How the page was aligned to the layout's sample page: {"matrix": 2x3 or 3x3 rows, "score":
    # similarity after alignment, "method": ...}, or boxes a person marked on this page itself.
    alignment = models.JSONField(default=dict, blank=True)
    upload = models.ForeignKey(
        ScanUpload, null=True, blank=True, on_delete=models.SET_NULL, related_name="pages"
    )
    source_name = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    uploaded_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["section", "page_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "page_number"], name="scans_page_number_in_section"
            ),
            models.CheckConstraint(
                condition=Q(page_number__gte=1), name="scans_page_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Section {self.section.serial} page {self.page_number}"


class ScanLayout(models.Model):
    """Where a petition's lines lie on a straightened page, marked once by an organizer on a
    sample page (which is also the reference every other page is aligned to)."""

    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="scan_layout")
    sample_page = models.ForeignKey(
        ScanPage, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The reference image the pages are aligned to (the sample page as straightened), stored so
    # the layout outlives the sample page's own retention.
    reference = models.FileField(storage=scans_storage, max_length=200, blank=True)
    first_box = models.JSONField()
    last_box = models.JSONField()
    lines_per_page = models.PositiveSmallIntegerField(default=10)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(lines_per_page__gte=1) & Q(lines_per_page__lte=50),
                name="scans_layout_lines_per_page",
            ),
        ]

    def __str__(self) -> str:
        return f"Layout of {self.petition}"

    def boxes(self) -> list[Box]:
        return line_boxes(
            Box.from_json(self.first_box), Box.from_json(self.last_box), self.lines_per_page
        )


class LineImage(models.Model):
    """One signature line's image, cut from its straightened page: what a volunteer keys from
    and a reviewer decides beside. Keyed by the section's line number (Line.number)."""

    page = models.ForeignKey(ScanPage, on_delete=models.CASCADE, related_name="line_images")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="line_images")
    number = models.PositiveIntegerField()
    image = models.FileField(storage=scans_storage, max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    bytes = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["section", "number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="scans_line_image_number"),
        ]

    def __str__(self) -> str:
        return f"Section {self.section.serial} line {self.number} image"
