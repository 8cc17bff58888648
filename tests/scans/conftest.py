"""Fixtures of the scans tests: synthetic scans (a sample page and distorted pages, made once per
session at 150 dpi), and scan files made in the tests (ruled pages as PDF, JPEG, PNG and ZIP), a
scans storage and an upload folder of each test's own."""

import io
import zipfile
from pathlib import Path

import cv2
import numpy as np
import pytest
from django.core.files.base import ContentFile
from PIL import Image

from devtools.synthetic import scans as synthetic
from petitions.entry import section_create
from petitions.models import Section
from petitions.services import petition_create
from recall.celery import app as celery_app
from scans.imaging import encode_jpeg
from scans.layout import Box
from scans.models import ScanLayout, ScanPage, scans_storage
from tests.scans.pages import remove_scan_files

DPI = 150


@pytest.fixture(scope="session")
def reference() -> np.ndarray:
    return synthetic.reference_page(dpi=DPI, seed=3)


@pytest.fixture(scope="session")
def section_pages() -> list[synthetic.SyntheticPage]:
    """Four pages of section 5: flatbed, phone, flatbed, phone (turned, shifted, scaled, seen in
    perspective, blurred, noisy, unevenly lit, JPEG-compressed)."""
    return synthetic.make_section(
        5, 4, seed=9, dpi=DPI, kinds=["flatbed", "phone", "flatbed", "phone"], roll_size=500
    )


@pytest.fixture(scope="session")
def alignments(reference, section_pages) -> list:
    """Each of section_pages aligned to the reference (once: several tests look at them)."""
    from scans import imaging

    return [imaging.align(page.image, reference) for page in section_pages]


@pytest.fixture(scope="session")
def number_reader():
    """Reads the printed line number back from a cut line image: template matching against the
    number cells of the clean form, rendered for lines 1 to 40."""
    left, top, right, bottom = synthetic.number_cell()
    first, last = synthetic.layout_boxes()
    boxes = [Box.from_json(first), Box.from_json(last)]
    templates: dict[int, np.ndarray] = {}
    for start in (1, 11, 21, 31):
        form = synthetic.render_form(dpi=DPI, first_number=start)
        height, width = form.shape
        for index in range(10):
            box = (
                boxes[0]
                if index == 0
                else Box(
                    boxes[0].x,
                    boxes[0].y + index * (boxes[1].y - boxes[0].y) / 9,
                    boxes[0].w,
                    boxes[0].h,
                )
            )
            x0, y0, x1, y1 = box.pixels(width, height)
            line = form[y0:y1, x0:x1]
            h, w = line.shape
            # The digits only (the cell without its rules), so the number decides the match.
            cell = line[round(h * (top + 0.2)) : round(h * (bottom - 0.2)),
                        round(w * (left + 0.008)) : round(w * (right - 0.008))]  # fmt: skip
            templates[start + index] = cell

    def read(line_image: np.ndarray) -> tuple[int, float]:
        width = line_image.shape[1]
        region = line_image[:, : round(width * (right + 0.02))]
        best, best_score = 0, -1.0
        for number, template in templates.items():
            if template.shape[0] > region.shape[0] or template.shape[1] > region.shape[1]:
                continue
            score = float(cv2.matchTemplate(region, template, cv2.TM_CCOEFF_NORMED).max())
            if score > best_score:
                best, best_score = number, score
        return best, best_score

    return read


def ruled_page(marker: int, width: int = 850, height: int = 1100) -> np.ndarray:
    """A white page with ten ruled lines and a number of its own (so each page's hash differs)."""
    page = np.full((height, width), 255, np.uint8)
    for row in range(10):
        y = 200 + row * 80
        cv2.line(page, (60, y), (width - 60, y), 0, 2)
        cv2.putText(page, str(row + 1), (70, y - 15), cv2.FONT_HERSHEY_SIMPLEX, 0.8, 0, 2)
    cv2.rectangle(page, (40, 60), (width - 40, height - 60), 0, 2)
    cv2.putText(page, f"page {marker}", (80, 130), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 0, 3)
    return page


def pdf_bytes(*markers: int) -> bytes:
    images = [Image.fromarray(ruled_page(m)) for m in markers]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=100)
    return buffer.getvalue()


def image_bytes(marker: int, fmt: str = "JPEG", **save: object) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(ruled_page(marker)).save(buffer, fmt, **save)
    return buffer.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def scan_store(tmp_path, settings):
    """The scans storage (the one the models' fields hold) and UPLOAD_DIR in this test's folder."""
    folder = tmp_path / "scans"
    settings.UPLOAD_DIR = tmp_path / "uploads"
    stores = {id(s): s for s in (ScanPage._meta.get_field("image").storage, scans_storage())}
    saved = [(store, dict(store.__dict__)) for store in stores.values()]
    for store in stores.values():
        store._location = str(folder)
        store.__dict__.pop("base_location", None)
        store.__dict__.pop("location", None)
    yield folder
    for store, state in saved:
        store.__dict__.clear()
        store.__dict__.update(state)


def stored_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


@pytest.fixture
def petition(db):
    return petition_create(title="Recall the DA", slug="la-da", required=1000)


@pytest.fixture
def section(petition, volunteer):
    return section_create(petition=petition, serial=12, entered_by=volunteer)


def make_layout(petition) -> ScanLayout:
    """The layout of ruled_page's form: its reference is a page of it, its ten lines boxed."""
    layout = ScanLayout(
        petition=petition, lines_per_page=10,
        first_box={"x": 60 / 850, "y": 130 / 1100, "w": 730 / 850, "h": 72 / 1100},
        last_box={"x": 60 / 850, "y": 850 / 1100, "w": 730 / 850, "h": 72 / 1100},
    )  # fmt: skip
    layout.reference.save("layouts/reference.jpg", ContentFile(encode_jpeg(ruled_page(0))), False)
    layout.save()
    return layout


@pytest.fixture
def scan_files():
    """Remove the files the test stored for its petitions (pages, line images, references)."""
    petitions: list[int] = []
    yield petitions
    for petition_id in petitions:
        remove_scan_files(petition_id)


@pytest.fixture
def scan_petition(db, scan_files):
    petition = petition_create(title="Recall the Mayor", slug="mayor", required=100)
    scan_files.append(petition.pk)
    return petition


@pytest.fixture
def scan_section(scan_petition):
    return Section.objects.create(petition=scan_petition, serial=7, circulator_name="Ana Ruiz")


@pytest.fixture
def eager_tasks(monkeypatch):
    """A task queued on commit runs at once, in this thread (scans.tasks once it exists)."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)
