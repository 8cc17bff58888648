"""Small real images for the scans tests: a line of "handwriting" (a handwriting-like font) and a
page, stored through the scans storage under the names the pipeline uses."""

import io
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from petitions.models import Section
from scans.models import LineImage, ScanPage, scans_storage

# A handwriting-like font from Debian (fonts-dkg-handwriting, scripts/scan_tools.sh), else DejaVu.
_FONTS = [
    "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf",
]


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in _FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


def line_jpeg(text: str, number: int = 1, width: int = 1200, height: int = 90) -> bytes:
    """A signature line as cut from a page: its number, the ruling, the text written on it."""
    image = Image.new("L", (width, height), 250)
    draw = ImageDraw.Draw(image)
    draw.text((10, 25), str(number), fill=60, font=_font(28))
    draw.line((60, height - 15, width - 10, height - 15), fill=120, width=2)
    draw.text((80, 18), text, fill=25, font=_font(42))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def page_png(width: int = 850, height: int = 1100) -> bytes:
    image = Image.new("L", (width, height), 250)
    draw = ImageDraw.Draw(image)
    for row in range(10):
        draw.line((50, 150 + row * 90, width - 50, 150 + row * 90), fill=90, width=2)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def store_page(section: Section, page_number: int = 1) -> ScanPage:
    data = page_png()
    digest = f"{section.pk:08d}{page_number:04d}".ljust(64, "0")
    name = scans_storage().save(f"pages/{digest}.png", ContentFile(data))
    return ScanPage.objects.create(
        petition=section.petition, section=section, page_number=page_number, sha256=digest,
        image=name, width=850, height=1100, bytes=len(data), status=ScanPage.Status.CUT,
    )  # fmt: skip


def store_line(page: ScanPage, number: int, text: str) -> LineImage:
    data = line_jpeg(text, number)
    name = scans_storage().save(
        f"lines/{page.petition_id}/{page.section_id}/{number:04d}-test.jpg", ContentFile(data)
    )
    return LineImage.objects.create(
        page=page, section=page.section, number=number, image=name, width=1200, height=90,
        bytes=len(data),
    )  # fmt: skip


def stored(name: str) -> bool:
    return scans_storage().exists(name)


def clean_storage() -> None:
    """Every file the test stored in the test scans folder: gone."""
    storage = scans_storage()
    location = getattr(storage, "location", None)
    if location and "test-scans" in str(location):
        import shutil

        shutil.rmtree(location, ignore_errors=True)
