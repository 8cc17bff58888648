"""process_page with real rows: a page aligned to its petition's layout and cut into LineImage
rows and files in the scans storage; processed again, its images replaced; a page that cannot
be aligned flagged with the reason and no line images."""

import shutil
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile

from devtools.synthetic import scans as synthetic
from petitions.models import Section
from petitions.services import petition_create
from scans import imaging
from scans.models import LineImage, ScanLayout, ScanPage, scans_storage
from scans.processing import process_page


@pytest.fixture
def petition(db):
    petition = petition_create(
        title="Recall the DA", slug="scan-da", required=1000, approved_on=date(2026, 9, 1)
    )
    yield petition
    # The files this test wrote under var/test-scans (settings_test), by petition.
    for folder in ("lines", "pages", "layouts"):
        shutil.rmtree(Path(settings.SCANS_DIR) / folder / str(petition.pk), ignore_errors=True)


def _page(petition, section, number: int, data: bytes, sha: str) -> ScanPage:
    name = scans_storage().save(f"pages/{petition.pk}/{sha}.jpg", ContentFile(data))
    image = imaging.decode_grey(data)
    return ScanPage.objects.create(
        petition=petition, section=section, page_number=number, sha256=sha, image=name,
        width=image.shape[1], height=image.shape[0], bytes=len(data),
        status=ScanPage.Status.QUEUED,
    )  # fmt: skip


@pytest.fixture
def layout(petition, reference):
    name = scans_storage().save(
        f"layouts/{petition.pk}/reference.png", ContentFile(imaging.encode_jpeg(reference, 95))
    )
    first, last = synthetic.layout_boxes()
    return ScanLayout.objects.create(
        petition=petition, reference=name, first_box=first, last_box=last, lines_per_page=10
    )


def test_a_page_is_cut_into_its_lines_and_cut_again_replaces_them(
    petition, layout, section_pages, number_reader
):
    section = Section.objects.create(petition=petition, serial=5)
    page = _page(petition, section, 2, section_pages[1].jpeg(), "b" * 64)
    process_page(page, layout)
    page.refresh_from_db()
    assert page.status == ScanPage.Status.CUT, page.problem
    assert page.problem == ""
    assert page.alignment["method"] in ("features", "features+ecc")
    assert len(page.alignment["matrix"]) == 3
    images = list(LineImage.objects.filter(page=page).order_by("number"))
    assert [image.number for image in images] == list(range(11, 21))
    storage = scans_storage()
    first_names = [image.image.name for image in images]
    for image in images:
        assert storage.exists(image.image.name)
        with image.image.open("rb") as handle:
            data = handle.read()
        assert len(data) == image.bytes
        line = imaging.decode_grey(data)
        assert line.shape == (image.height, image.width)
        assert number_reader(line)[0] == image.number  # each file holds its own line

    process_page(page, layout)
    again = list(LineImage.objects.filter(page=page).order_by("number"))
    assert [image.number for image in again] == list(range(11, 21))
    assert {image.pk for image in again}.isdisjoint({image.pk for image in images})
    for name in first_names:
        if name not in {image.image.name for image in again}:
            assert not storage.exists(name)
    assert LineImage.objects.filter(section=section).count() == 10


def test_a_page_that_cannot_be_aligned_is_flagged_and_loses_its_lines(
    petition, layout, section_pages
):
    section = Section.objects.create(petition=petition, serial=6)
    page = _page(petition, section, 1, section_pages[0].jpeg(), "c" * 64)
    process_page(page, layout)
    assert LineImage.objects.filter(page=page).count() == 10
    names = list(LineImage.objects.filter(page=page).values_list("image", flat=True))
    # The page's stored image replaced by an upside-down one (the sheet fed the wrong way).
    upside = imaging.encode_jpeg(synthetic.upside_down(section_pages[0]))
    page.image = scans_storage().save(f"pages/{petition.pk}/{'d' * 64}.jpg", ContentFile(upside))
    page.save()
    process_page(page, layout)
    page.refresh_from_db()
    assert page.status == ScanPage.Status.FLAGGED
    assert "upside down" in page.problem
    assert not LineImage.objects.filter(page=page).exists()
    assert not any(scans_storage().exists(name) for name in names)


def test_a_blank_page_is_flagged(petition, layout):
    section = Section.objects.create(petition=petition, serial=7)
    blank = imaging.encode_jpeg(synthetic.blank_page(150, seed=5))
    page = process_page(_page(petition, section, 1, blank, "e" * 64), layout)
    assert page.status == ScanPage.Status.FLAGGED
    assert "blank" in page.problem
