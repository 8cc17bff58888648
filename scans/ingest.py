"""Reading scan files into pages, checked by their content and never by their name.

A file is a PDF (each page rendered at about 200 dpi, grey), a JPEG or PNG (a phone photo, turned
as its EXIF orientation says), or a ZIP of such files (nested folders fine; a ZIP bomb or a path
leaving the ZIP is refused). Each page becomes a grey JPEG no taller than imaging.MAX_PAGE_HEIGHT,
named by the SHA-256 of those stored bytes, so a page uploaded twice is stored once.

Bulk uploads name each file by its section: "12.pdf" (every page of section 12), "12-2.jpg",
"12_p2.png" or "section 12 page 2.jpeg" (page 2 of section 12). Storing pages is scans.uploads'.
"""

import contextlib
import hashlib
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath

import cv2
import numpy as np
import pypdfium2 as pdfium  # type: ignore[import-untyped]
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from scans import imaging

# PDF pages are rendered at this resolution (dots per inch), a page no taller than the bound.
PDF_DPI = 200
# A PDF of more pages than this is refused (a section is tens of pages, a botched export more).
MAX_PDF_PAGES = 2000
# An image of more pixels than this (a 100-megapixel photo) is refused before it is decoded.
MAX_PIXELS = 100_000_000
# A ZIP: at most this many files, each expanding at most this many times its packed size (scans
# barely compress; a bomb expands a thousandfold), all of them at most this many times the ZIP.
ZIP_MAX_MEMBERS = 5000
ZIP_MAX_RATIO = 50
ZIP_MAX_TOTAL_RATIO = 20
# Files a computer adds to a folder it zips: not the user's, skipped without a word.
JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}


class ScanFileError(ValueError):
    """A file (or a page of it) refused; the message is one sentence that names the file."""


class Kind(StrEnum):
    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    ZIP = "zip"


def sniff(head: bytes) -> Kind | None:
    """What the first bytes of a file say it is (None: nothing this reads)."""
    if head.startswith(b"\xff\xd8\xff"):
        return Kind.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind.PNG
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return Kind.ZIP
    # A PDF may carry a few bytes of junk before its header; readers (and PDFium) accept that.
    if b"%PDF-" in head[:1024]:
        return Kind.PDF
    return None


def sniff_file(path: Path) -> Kind | None:
    with path.open("rb") as handle:
        return sniff(handle.read(1024))


def not_a_scan(name: str) -> str:
    return _("%(name)s: not a PDF, JPEG or PNG") % {"name": name}


@dataclass(frozen=True)
class SourceFile:
    """A file to read: its name as the user knows it (a ZIP's member: "scans.zip/12/12-2.jpg"),
    its own file name (for the naming rules) and where its bytes are."""

    name: str
    base_name: str
    path: Path
    kind: Kind


@dataclass(frozen=True)
class Refused:
    name: str
    error: str


@dataclass(frozen=True)
class PreparedPage:
    """A page ready to store: grey JPEG bytes and their SHA-256."""

    data: bytes
    sha256: str
    width: int
    height: int


def prepare(image: np.ndarray) -> PreparedPage:
    """A decoded page as it is stored: grey, bounded in size, JPEG, hashed on those bytes."""
    if image.ndim == 3:
        image = cv2.cvtColor(
            image, cv2.COLOR_BGR2GRAY if image.shape[2] == 3 else cv2.COLOR_BGRA2GRAY
        )
    image = imaging.bounded(np.ascontiguousarray(image, dtype=np.uint8))
    data = imaging.encode_jpeg(image)
    height, width = image.shape[:2]
    return PreparedPage(data, hashlib.sha256(data).hexdigest(), width, height)


def _pdf_pages(name: str, path: Path) -> Iterator[np.ndarray]:
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:
        raise ScanFileError(
            _("%(name)s: a PDF that cannot be read (damaged, or locked by a password)")
            % {"name": name}
        ) from None
    try:
        count = len(pdf)
        if count == 0:
            raise ScanFileError(_("%(name)s: a PDF with no pages") % {"name": name})
        if count > MAX_PDF_PAGES:
            raise ScanFileError(
                _("%(name)s: %(count)s pages, more than the %(most)s a file may hold; split it")
                % {"name": name, "count": count, "most": MAX_PDF_PAGES}
            )
        for index in range(count):
            try:
                page = pdf[index]
                width, height = page.get_size()
                if width <= 0 or height <= 0:
                    raise ScanFileError(
                        _("%(name)s: page %(page)s has no size") % {"name": name, "page": index + 1}
                    )
                # About 200 dpi, but never a page taller than the stored bound (a poster-size PDF).
                scale = min(PDF_DPI / 72, imaging.MAX_PAGE_HEIGHT / height, 6000 / width)
                bitmap = page.render(scale=scale, grayscale=True)
                pixels = bitmap.to_numpy().copy()
                page.close()
            except pdfium.PdfiumError:
                raise ScanFileError(
                    _("%(name)s: page %(page)s cannot be read (a damaged PDF)")
                    % {"name": name, "page": index + 1}
                ) from None
            yield pixels
    finally:
        pdf.close()


def _photo(name: str, path: Path, kind: Kind) -> np.ndarray:
    damaged = _("%(name)s: an image that cannot be read (damaged or cut short)") % {"name": name}
    try:
        with Image.open(path) as opened:
            if opened.format != kind.name:
                raise ScanFileError(damaged)
            if opened.width * opened.height > MAX_PIXELS:
                raise ScanFileError(
                    _("%(name)s: an image of %(width)s by %(height)s pixels is too large")
                    % {"name": name, "width": opened.width, "height": opened.height}
                )
            if kind is Kind.JPEG:
                # A phone's 4000-pixel photo is decoded at a fraction of its size, still at least
                # as large as the page is stored (much faster, same result).
                size = (imaging.MAX_PAGE_HEIGHT, imaging.MAX_PAGE_HEIGHT)
                opened.draft("L", size)
            # A phone stores its photo as the sensor saw it and says in EXIF which way is up.
            image = ImageOps.exif_transpose(opened)
            if "A" in image.getbands() or "transparency" in image.info:
                # Transparent parts are paper, not black.
                rgba = image.convert("RGBA")
                white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
                image = Image.alpha_composite(white, rgba)
            return np.asarray(image.convert("L"))
    except ScanFileError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ScanFileError(damaged) from None


def read_pages(source: SourceFile) -> Iterator[np.ndarray]:
    """The pages of a PDF, JPEG or PNG as grey arrays, in order; ScanFileError names the file."""
    if source.kind is Kind.PDF:
        yield from _pdf_pages(source.name, source.path)
    elif source.kind in (Kind.JPEG, Kind.PNG):
        yield _photo(source.name, source.path, source.kind)
    else:
        raise ScanFileError(not_a_scan(source.name))


def _skipped(member_name: str) -> bool:
    parts = PurePosixPath(member_name).parts
    return (
        any(part == "__MACOSX" for part in parts)
        or not parts
        or parts[-1].lower() in JUNK_NAMES
        or parts[-1].startswith(".")
    )


def _unsafe(member_name: str) -> bool:
    path = PurePosixPath(member_name.replace("\\", "/"))
    return path.is_absolute() or ".." in path.parts or bool(re.match(r"^[A-Za-z]:", member_name))


def _zip_members(name: str, path: Path, workdir: Path) -> Iterator[SourceFile | Refused]:
    """A ZIP's files, each copied out to workdir (never by the member's own path) and sniffed."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        yield Refused(name, _("%(name)s: a ZIP that cannot be read (damaged)") % {"name": name})
        return
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        packed = max(path.stat().st_size, 1)
        total = sum(info.file_size for info in members)
        if len(members) > ZIP_MAX_MEMBERS or total > ZIP_MAX_TOTAL_RATIO * packed + 2**20:
            yield Refused(name, _(
                "%(name)s: expands to %(files)s files of %(size)s MB in all, far more than it "
                "holds; refused (a ZIP bomb?)"
            ) % {"name": name, "files": len(members), "size": total // 2**20})  # fmt: skip
            return
        for index, info in enumerate(sorted(members, key=lambda info: info.filename)):
            label = f"{name}/{info.filename}"
            if _unsafe(info.filename):
                yield Refused(
                    label, _("%(name)s: a path outside the ZIP's folder; refused") % {"name": label}
                )
                continue
            if _skipped(info.filename):
                continue
            if info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1) + 2**20:
                ratio = info.file_size // max(info.compress_size, 1)
                yield Refused(label, _(
                    "%(name)s: expands %(ratio)s times its packed size; refused (a ZIP bomb?)"
                ) % {"name": label, "ratio": ratio})  # fmt: skip
                continue
            target = workdir / f"member-{index:05d}"
            try:
                with archive.open(info) as packed_file, target.open("wb") as out:
                    # The declared size bounds what zipfile reads out of a member.
                    shutil.copyfileobj(packed_file, out, 2**20)
            except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError):
                target.unlink(missing_ok=True)
                yield Refused(label, _(
                    "%(name)s: cannot be unpacked (damaged, encrypted or an unknown compression)"
                ) % {"name": label})  # fmt: skip
                continue
            kind = sniff_file(target)
            base_name = PurePosixPath(info.filename).name
            if kind is None:
                target.unlink(missing_ok=True)
                yield Refused(label, not_a_scan(label))
            elif kind is Kind.ZIP:
                target.unlink(missing_ok=True)
                yield Refused(
                    label, _("%(name)s: a ZIP inside a ZIP; unzip it first") % {"name": label}
                )
            else:
                yield SourceFile(label, base_name, target, kind)


def expand(name: str, path: Path, workdir: Path) -> Iterator[SourceFile | Refused]:
    """A file as the scans it holds: itself (a PDF or an image) or a ZIP's files, in name order;
    anything else refused by name. A ZIP's members are copied into workdir (removed by the
    caller) one at a time, as they are read."""
    try:
        kind = sniff_file(path)
    except OSError:
        yield Refused(name, _("%(name)s: the file cannot be read") % {"name": name})
        return
    if kind is None:
        yield Refused(name, not_a_scan(name))
    elif kind is Kind.ZIP:
        yield from _zip_members(name, path, workdir)
    else:
        yield SourceFile(name, PurePosixPath(name).name, path, kind)


def folder_files(folder: Path) -> list[tuple[str, Path]]:
    """A folder's files (nested folders too) in name order, each named by its path inside."""
    files = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and not path.is_symlink() and not _skipped(relative):
            files.append((relative, path))
    return files


NAME_PATTERN = re.compile(
    r"^(?:(?:section|secci[oó]n|sec)[\s._-]*)?(?P<serial>\d{1,9})"
    r"(?:[\s._-]*(?:page|p[aá]gina|pg|p)?[\s._-]*(?P<page>\d{1,5}))?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NamedTarget:
    serial: int
    page: int | None


def parse_name(base_name: str) -> NamedTarget | None:
    """The section (and page) a bulk file's name gives: "12.pdf", "12-2.jpg", "12_p2.png",
    "section 12 page 2.jpeg"; None when it carries no serial."""
    stem = PurePosixPath(base_name).stem.strip()
    match = NAME_PATTERN.match(stem)
    if match is None:
        return None
    page = match["page"]
    return NamedTarget(int(match["serial"]), int(page) if page is not None else None)


def no_serial(name: str) -> str:
    return _(
        "%(name)s: the name carries no section serial (name files like 12.pdf for a whole "
        "section or 12-2.jpg for its page 2)"
    ) % {"name": name}


@contextlib.contextmanager
def work_folder(parent: Path, name: str) -> Iterator[Path]:
    """A scratch folder for a ZIP's members, removed afterwards whatever happens."""
    folder = parent / name
    folder.mkdir(parents=True, exist_ok=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
