"""A scanned section from the upload to the review, as its people do it: an organizer uploads a
three-page PDF on the section's page and marks the layout once by dragging on the sample page;
the pages are cut into lines; a volunteer's keying (here the organizer's) goes line by line from
the images alone; a reviewer decides a line the roll cannot settle with its image in view."""

import io
from pathlib import Path

import cv2
import pytest
from django.core.management import call_command
from PIL import Image

from petitions.models import Line, Section
from petitions.services import petition_create
from recall.celery import app as celery_app
from scans.models import LineImage, ScanPage
from tests.browser.conftest import ARTIFACTS, checked_page, log_in_page
from tests.browser.test_review_queue import ROLL
from tests.browser.test_scan_layout import drag, image_box, line_rect
from tests.scans import pages as form
from tests.scans.pages import remove_scan_files, render_page
from tests.voters.factories import write_canonical

pytestmark = pytest.mark.browser

# What the first three lines of page 1 say, in the signers' hands (the others are the form's own).
WRITTEN = [
    ("Jose Martinez", "500 Elm St", "Pasadena", "91101"),
    ("Bob Smithers", "12 Oak Ave", "Glendale", "91201"),
    ("J Martinez", "500 Elm St", "Pasadena", "91101"),
]


def scanned_pdf(path: Path) -> Path:
    """Three pages of the form as a scanner's PDF; page 1's first lines hold WRITTEN."""
    pages = [render_page(seed) for seed in (0, 4, 2)]
    first = pages[0]
    for index, (name, address, city, zip_code) in enumerate(WRITTEN):
        top = form.TOP + index * form.ROW_HEIGHT
        first[top + 8 : top + form.ROW_HEIGHT - 8, 150 : form.RIGHT - 8] = 255
        cv2.putText(first, name, (170, top + 68), cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 1.3, 30, 2)
        cv2.putText(first, f"{address} {city} {zip_code}", (590, top + 68),
                    cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, 0.9, 30, 2)  # fmt: skip
    images = [Image.fromarray(p) for p in pages]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=100)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def scanned_petition(transactional_db, tmp_path, monkeypatch, organizer):
    """The roll of the review queue's test, a petition and its section 7 (the organizer keys it);
    Celery's tasks (reading, cutting, validating) run in the server's own thread."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    petition = petition_create(title="Recall the DA", slug="la-da", required=1000)
    section = Section.objects.create(petition=petition, serial=7, entered_by=organizer,
                                     circulator_name="Ana Ruiz")  # fmt: skip
    yield petition, section
    remove_scan_files(petition.pk)


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_scanned_section_from_upload_to_review(
    browser, page, live_server, log_in, organizer, reviewer, scanned_petition, tmp_path
):
    _, section = scanned_petition
    base = live_server.url
    log_in(organizer)

    # Upload: a three-page PDF on the section's page; the pages wait for the layout.
    page.goto(f"{base}/petitions/la-da/sections/7/")
    page.set_input_files("#id_scans", str(scanned_pdf(tmp_path / "section-7.pdf")))
    page.click("#scan-upload-form button[type=submit]")
    page.wait_for_selector("#section-scans :text('waiting for')", timeout=30_000)
    stored = ScanPage.objects.filter(section=section).order_by("page_number")
    assert [p.page_number for p in stored] == [1, 2, 3]
    assert {p.status for p in stored} == {ScanPage.Status.WAITING_LAYOUT}

    # The layout, marked once on the sample page by dragging the first and the last line.
    page.goto(f"{base}/scans/la-da/layout")
    image = image_box(page)
    drag(page, image, *line_rect(0))
    drag(page, image, *line_rect(9))
    assert page.locator("#scan-boxes .scan-box").count() == 10
    page.click("#save-layout")
    page.wait_for_url(f"{base}/scans/la-da/")
    assert page.inner_text("#count-lines") == "30"
    assert page.inner_text("#count-flagged") == "0"
    assert LineImage.objects.filter(section=section).count() == 30

    # Keying from the images alone: the image shown is the line about to be saved.
    page.goto(f"{base}/petitions/la-da/sections/7/")
    for number, (name, address, city, zip_code) in enumerate(WRITTEN, start=1):
        url = f"/scans/lines/{LineImage.objects.get(section=section, number=number).pk}.jpg"
        page.wait_for_function(
            "([src]) => { const img = document.getElementById('line-image-img');"
            " return img.getAttribute('src') === src && img.complete && img.naturalWidth > 0; }",
            arg=[url],
        )
        if number == 2:
            shoot(page, "scan-e2e-entry")
        page.focus("#id_printed_name")
        for value in (name, address, city):
            page.keyboard.type(value)
            page.keyboard.press("Tab")
        page.keyboard.type(zip_code)
        page.keyboard.press("Enter")
        page.wait_for_selector(f"#line-{number}:has-text('{name}')")
    keyed = list(Line.objects.filter(section=section).order_by("number")
                 .values_list("printed_name", flat=True))  # fmt: skip
    assert keyed == [w[0] for w in WRITTEN]

    # Review: Jose Martinez, father (cancelled) or son, at one address: a person decides, with
    # the line's handwriting in view.
    with checked_page(browser, viewport={"width": 1280, "height": 860}) as review:
        log_in_page(review, base, reviewer)
        review.goto(f"{base}/petitions/la-da/review/")
        review.wait_for_function(
            "() => { const img = document.querySelector('#line-scan img');"
            " return img && img.complete && img.naturalWidth > 0; }"
        )
        first = Line.objects.get(section=section, number=1)
        assert review.get_attribute("#review-item", "data-line") == str(first.pk)
        assert "line 1" in review.get_attribute("#line-scan img", "alt")
        shoot(review, "scan-e2e-review")
        columns = review.eval_on_selector_all(
            "#candidates button[data-key]", "bs => bs.map(b => b.form.choice.value)"
        )
        review.keyboard.press(str(columns.index("voter:JR1") + 1))
        review.wait_for_function(
            f"() => document.querySelector('#review-item')?.dataset.line !== '{first.pk}'"
        )
    first.refresh_from_db()
    assert (first.status, first.voter_registrant_id) == ("valid", "JR1")
