"""A reviewer decides a line with its handwriting in view: the scanned line above what was typed
and the roll's candidates, zoomed with Z, decided with the number key; on a phone too."""

import pytest
from django.core.management import call_command

from petitions.models import Line, Section
from petitions.services import petition_create
from petitions.validation import petition_validate_pending
from recall.models import AuditAction, AuditEvent
from tests.browser.conftest import checked_page, log_in_page
from tests.browser.test_review_queue import ROLL
from tests.scans.images import clean_storage, store_line, store_page
from tests.voters.factories import write_canonical

pytestmark = pytest.mark.browser


@pytest.fixture
def scanned_queue(tmp_path, volunteer):
    """A section of three lines, scanned: the first and third wait for a reviewer (Jose
    Martinez, father or son), the second (Bob Smithers) is decided by the checker."""
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    petition = petition_create(title="Recall the DA", slug="la-da", required=1000)
    section = Section.objects.create(petition=petition, serial=3, entered_by=volunteer,
                                     circulator_name="Ana Ruiz")  # fmt: skip
    page = store_page(section)
    written = [("Jose Martinez", "500 Elm St", "Pasadena"),
               ("Bob Smithers", "12 Oak Ave", "Glendale"),
               ("J Martinez", "500 Elm Street", "Pasadena")]  # fmt: skip
    for number, (name, address, city) in enumerate(written, start=1):
        Line.objects.create(petition=petition, section=section, number=number, printed_name=name,
                            residence_address=address, city=city)  # fmt: skip
        store_line(page, number, f"{name}   {address}, {city}")
    while petition_validate_pending(petition_id=petition.pk):
        pass
    yield list(Line.objects.filter(status="needs_review").order_by("number"))
    clean_storage()


def image_shown(page) -> dict:
    """The scanned line's image as the browser drew it (loaded, and its size on the page)."""
    page.wait_for_function(
        "() => { const img = document.querySelector('#line-scan img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    return page.eval_on_selector(
        "#line-scan img",
        "img => ({loaded: img.complete && img.naturalWidth > 0, natural: img.naturalWidth,"
        " width: img.getBoundingClientRect().width, height: img.getBoundingClientRect().height})",
    )


def test_a_reviewer_decides_a_line_with_its_handwriting_in_view(
    log_in, page, screenshot, reviewer, live_server, scanned_queue
):
    first, third = scanned_queue
    log_in(reviewer)
    page.goto(f"{live_server.url}/petitions/la-da/review/")
    page.wait_for_selector("#line-scan img")
    assert page.get_attribute("#review-item", "data-line") == str(first.pk)
    shown = image_shown(page)
    assert shown["loaded"], shown
    assert shown["width"] >= 600, shown  # large enough to read beside the candidates
    # The image above the typed line and the candidates.
    scan_box = page.locator("#line-scan").bounding_box()
    table_box = page.locator("#candidates").bounding_box()
    assert scan_box["y"] + scan_box["height"] <= table_box["y"]
    screenshot("review-with-image")

    # Z zooms (twice the width, the frame scrolls sideways), Escape zooms out.
    page.keyboard.press("z")
    assert page.get_attribute("#line-scan-zoom", "aria-pressed") == "true"
    zoomed = image_shown(page)
    assert zoomed["width"] == pytest.approx(2 * shown["width"], rel=0.02)
    screenshot("review-with-image-zoomed")
    page.keyboard.press("Escape")
    assert page.get_attribute("#line-scan-zoom", "aria-pressed") == "false"
    assert image_shown(page)["width"] == pytest.approx(shown["width"], rel=0.02)
    # The button does the same, for a mouse or a finger.
    page.click("#line-scan-zoom")
    assert page.get_attribute("#line-scan-zoom", "aria-pressed") == "true"
    page.click("#line-scan-zoom")

    # The son (JR1) is the active voter: picked by his number key, the image still in view.
    columns = page.eval_on_selector_all(
        "#candidates button[data-key]", "bs => bs.map(b => b.form.choice.value)"
    )
    page.keyboard.press(str(columns.index("voter:JR1") + 1))
    page.wait_for_selector(f"#review-item[data-line='{third.pk}']")
    decided = Line.objects.get(pk=first.pk)
    assert (decided.status, decided.voter_registrant_id) == ("valid", "JR1")
    # The next line comes with its own image.
    assert image_shown(page)["loaded"]
    assert "line 3, as scanned" in page.get_attribute("#line-scan img", "alt")
    # The reviewer is outside the section's keyers: each image looked at is in the audit log.
    viewed = AuditEvent.objects.filter(action=AuditAction.SCAN_VIEWED, user=reviewer)
    assert sorted(e.detail["number"] for e in viewed) == [1, 3]
    screenshot("review-with-image-next")


def test_on_a_phone_the_image_is_tall_enough_to_read_and_scrolls_in_its_frame(
    browser, live_server, reviewer, scanned_queue, screenshot_dir
):
    with checked_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True,
                      has_touch=True) as phone:  # fmt: skip
        log_in_page(phone, live_server.url, reviewer)
        phone.goto(f"{live_server.url}/petitions/la-da/review/")
        phone.wait_for_selector("#line-scan img")
        shown = image_shown(phone)
        assert shown["loaded"], shown
        # A height one reads (the column's width would leave it a few pixels high); the frame
        # scrolls sideways.
        assert shown["height"] >= 70, shown
        frame = phone.locator("#line-scan-frame").bounding_box()
        assert frame["width"] >= 330, frame  # the screen's width, less the margins
        page_width = phone.evaluate("document.documentElement.clientWidth")
        assert phone.evaluate("document.documentElement.scrollWidth") <= page_width
        phone.screenshot(path=str(screenshot_dir / "review-with-image-phone.png"), full_page=True)
        phone.tap("#line-scan-zoom")
        assert image_shown(phone)["height"] == pytest.approx(2 * shown["height"], rel=0.02)
        # Zoomed, the frame scrolls, not the page.
        assert phone.evaluate("document.documentElement.scrollWidth") <= page_width
        phone.screenshot(path=str(screenshot_dir / "review-with-image-phone-zoomed.png"))


def test_a_disagreement_is_settled_with_both_transcriptions_under_the_scan(
    log_in, page, screenshot, reviewer, volunteer, live_server
):
    from petitions.models import SecondEntry
    from recall.roles import VOLUNTEER
    from tests.conftest import _persona

    second_keyer = _persona("val_second", VOLUNTEER)
    petition = petition_create(title="Recall the Assessor", slug="double", required=500)
    section = Section.objects.create(petition=petition, serial=1, entered_by=volunteer,
                                     second_entered_by=second_keyer)  # fmt: skip
    Line.objects.create(petition=petition, section=section, number=1, printed_name="Maria Lopes",
                        residence_address="123 Main St", city="Pasadena",
                        entered_by=volunteer)  # fmt: skip
    second = SecondEntry.objects.create(section=section, number=1, printed_name="Maria Lopez",
                                        residence_address="123 Main St", city="Pasadena",
                                        entered_by=second_keyer, agrees=False)  # fmt: skip
    try:
        store_line(store_page(section), 1, "Maria Lopez   123 Main St, Pasadena")
        log_in(reviewer)
        page.goto(f"{live_server.url}/petitions/double/review/")
        page.wait_for_selector("#transcriptions")
        assert image_shown(page)["loaded"]
        scan_box = page.locator("#line-scan").bounding_box()
        assert (
            scan_box["y"] + scan_box["height"]
            <= page.locator("#transcriptions").bounding_box()["y"]
        )
        screenshot("review-with-image-transcriptions")
        page.keyboard.press("2")  # the second keyer read the handwriting right
        page.wait_for_selector("#queue-empty")
        second.refresh_from_db()
        assert second.resolved_by == reviewer
        assert Line.objects.get(section=section, number=1).printed_name == "Maria Lopez"
    finally:
        clean_storage()
