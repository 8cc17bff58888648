"""An organizer marks the scans' layout by dragging the first and the last line's box on the
sample page, sees every line's box drawn before saving, saves, and sees the pages cut; then marks
a page the aligner could not place by hand."""

import pytest

from petitions.models import Section
from petitions.services import petition_create
from recall.celery import app as celery_app
from scans.models import LineImage, ScanLayout, ScanPage
from tests.scans import pages as form
from tests.scans.pages import remove_scan_files, render_page, store_page

pytestmark = pytest.mark.browser


@pytest.fixture
def scanned(transactional_db, monkeypatch):
    """A petition's section of three scanned pages: two of the form, one whose printed rules did
    not come out (only the writing: it cannot be aligned). Tasks queued run in this process."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    petition = petition_create(title="Recall the Mayor", slug="mayor", required=100)
    section = Section.objects.create(petition=petition, serial=7, circulator_name="Ana Ruiz")
    pages = [store_page(section, 1, render_page(0)), store_page(section, 2, render_page(4)),
             store_page(section, 3, render_page(2, ruled=False))]  # fmt: skip
    yield petition, pages
    remove_scan_files(petition.pk)


def image_box(page) -> dict:
    page.wait_for_function(
        "() => { const i = document.getElementById('scan-image'); "
        "return i.complete && i.naturalWidth > 0; }"
    )
    # The whole page in view, as an organizer scrolls to drag from the first line to the last.
    page.eval_on_selector(
        "#scan-stage", "e => e.scrollIntoView({block: 'start', behavior: 'instant'})"
    )
    box = page.locator("#scan-image").bounding_box()
    assert box is not None
    return box


def drag(page, image: dict, start: tuple[int, int], end: tuple[int, int]) -> None:
    """Drag with the mouse between two points given in the page's own pixels."""
    scale = image["width"] / form.WIDTH

    def at(x: int, y: int) -> tuple[float, float]:
        return image["x"] + x * scale, image["y"] + y * scale

    page.mouse.move(*at(*start))
    page.mouse.down()
    for step in (0.3, 0.7, 1.0):
        x = start[0] + (end[0] - start[0]) * step
        y = start[1] + (end[1] - start[1]) * step
        page.mouse.move(*at(round(x), round(y)))
    page.mouse.up()


def line_rect(index: int) -> tuple[tuple[int, int], tuple[int, int]]:
    top = form.TOP + index * form.ROW_HEIGHT
    return (form.LEFT, top), (form.RIGHT, top + form.ROW_HEIGHT)


def test_organizer_marks_the_layout_by_dragging_and_the_pages_are_cut(
    page, log_in, live_server, organizer, scanned, screenshot
):
    petition, pages = scanned
    log_in(organizer)
    page.goto(f"{live_server.url}/petitions/")
    page.click(f"#petition-{petition.slug} >> text=Scans")
    page.wait_for_url(f"{live_server.url}/scans/{petition.slug}/")
    assert page.inner_text("#count-pages") == "3"
    assert page.inner_text("#count-waiting") == "3"
    screenshot("scans-overview-waiting")
    page.click("#layout-link")
    page.wait_for_url(f"{live_server.url}/scans/{petition.slug}/layout")
    image = image_box(page)
    assert image["y"] + image["height"] <= 860  # all of it in the window
    # The defaults: ten boxes, drawn before anything is marked.
    assert page.locator("#scan-boxes .scan-box").count() == 10

    drag(page, image, *line_rect(0))
    # Marking the first box moves on to the last, and says so.
    assert page.is_checked("#mark-last")
    assert "Now drag over the last line" in page.inner_text("#marker-status")
    drag(page, image, *line_rect(9))
    assert "Check that every box sits on its line" in page.inner_text("#marker-status")
    # The typed numbers follow the drag: percent of the page, within a pixel or two.
    assert float(page.input_value("#id_first_left")) == pytest.approx(
        100 * form.LEFT / form.WIDTH, abs=0.3
    )
    assert float(page.input_value("#id_first_top")) == pytest.approx(
        100 * form.TOP / form.HEIGHT, abs=0.3
    )
    assert float(page.input_value("#id_last_top")) == pytest.approx(
        100 * (form.TOP + 9 * form.ROW_HEIGHT) / form.HEIGHT, abs=0.3
    )
    # The preview: every line's box on its own line of the page (the fifth one checked).
    boxes = page.locator("#scan-boxes .scan-box")
    assert boxes.count() == 10
    fifth = boxes.nth(4).bounding_box()
    scale = image["width"] / form.WIDTH
    assert fifth["y"] == pytest.approx(image["y"] + (form.TOP + 4 * form.ROW_HEIGHT) * scale, abs=3)
    assert fifth["height"] == pytest.approx(form.ROW_HEIGHT * scale, abs=3)
    # Fewer lines typed: fewer boxes drawn, at once; back to ten.
    page.fill("#id_lines_per_page", "5")
    assert boxes.count() == 5
    page.fill("#id_lines_per_page", "10")
    assert boxes.count() == 10
    screenshot("scans-layout-marked")

    page.click("#save-layout")
    page.wait_for_url(f"{live_server.url}/scans/{petition.slug}/")
    assert page.inner_text("#count-lines") == "20"
    assert page.inner_text("#count-flagged") == "1"
    assert page.inner_text(f"#flagged-{pages[2].pk}").strip()
    assert "cut into 10 lines" in page.inner_text(f"#page-{pages[0].pk}")
    screenshot("scans-overview-cut")
    layout = ScanLayout.objects.get(petition=petition)
    assert layout.first_box["y"] == pytest.approx(form.TOP / form.HEIGHT, abs=0.003)

    # The page that needs a person: its lines marked by hand on the page as scanned.
    page.click(f"#flagged-{pages[2].pk} >> role=link")
    page.wait_for_url(f"{live_server.url}/scans/{petition.slug}/pages/{pages[2].pk}/")
    assert page.inner_text("#page-status").strip()
    image = image_box(page)
    drag(page, image, *line_rect(0))
    drag(page, image, *line_rect(9))
    assert page.locator("#scan-boxes .scan-box").count() == 10
    screenshot("scans-page-marked-by-hand")
    page.click("#save-page")
    page.wait_for_url(f"{live_server.url}/scans/{petition.slug}/")
    assert page.inner_text("#count-lines") == "30"
    assert page.inner_text("#count-flagged") == "0"
    assert page.locator("#flagged").count() == 0
    flagged = ScanPage.objects.get(pk=pages[2].pk)
    assert flagged.status == ScanPage.Status.CUT
    assert "manual" in flagged.alignment
    assert LineImage.objects.filter(page=flagged).count() == 10
    screenshot("scans-overview-all-cut")
