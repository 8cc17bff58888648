"""Shared by the entry-from-scan tests: a scans storage of the test's own, and line images
(small real JPEGs showing what each line says) for a section."""

import hashlib
import io
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from petitions.models import Section
from scans.models import LineImage, ScanLayout, ScanPage, scans_storage

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def use_scans_dir(settings, monkeypatch, tmp_path: Path) -> None:
    """The scans storage in the test's temporary directory (never the real SCANS_DIR).

    A FileField calls its storage callable once, when the model class is built: the fields keep
    the storage of that moment, so they are pointed at the new one too (restored after)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "scans": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "scans"), "base_url": None},
        },
    }
    for model, name in ((ScanPage, "image"), (LineImage, "image"), (ScanLayout, "reference")):
        monkeypatch.setattr(model._meta.get_field(name), "storage", scans_storage())


def line_jpeg(text: str, width: int = 900, height: int = 70) -> bytes:
    """A line image as a scan would give it: dark text on paper, the printed number first."""
    image = Image.new("L", (width, height), 246)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 30) if FONT.exists() else ImageFont.load_default(30)
    draw.line([(0, height - 8), (width, height - 8)], fill=120, width=2)
    draw.text((12, 14), text, fill=20, font=font)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def add_page(section: Section, page_number: int = 1) -> ScanPage:
    content = f"page {section.pk} {page_number}".encode()
    sha = hashlib.sha256(content).hexdigest()
    name = scans_storage().save(f"pages/{sha}.jpg", ContentFile(line_jpeg("page")))
    return ScanPage.objects.create(
        petition=section.petition, section=section, page_number=page_number, sha256=sha,
        image=name, width=900, height=70, bytes=len(content), status=ScanPage.Status.CUT,
    )  # fmt: skip


def add_line_images(
    section: Section, texts: dict[int, str], page: ScanPage | None = None
) -> list[LineImage]:
    """One stored image per line number, showing its text (e.g. "Line 1 ... Maria Lopez")."""
    page = page or add_page(section)
    images = []
    for number, text in texts.items():
        content = line_jpeg(text)
        name = scans_storage().save(f"lines/{section.pk}-{number}.jpg", ContentFile(content))
        images.append(LineImage.objects.create(
            page=page, section=section, number=number, image=name, width=900, height=70,
            bytes=len(content),
        ))  # fmt: skip
    return images
