"""Keying a scanned section from its images alone, in the browser: the volunteer asks for the
next section, sees the image of the line about to be saved, the next one after Enter (loaded
ahead), zooms with Alt+Z or the button, and fixing a line shows its image; on a phone too."""

import pytest

from petitions.models import Line, Section
from petitions.services import petition_create
from scans.models import LineImage
from tests.browser.conftest import ARTIFACTS, checked_page, log_in_page
from tests.browser.test_phone_entry import PHONE, assert_fits_the_phone
from tests.scans.line_images import add_line_images, use_scans_dir

pytestmark = pytest.mark.browser

# What the lines say: the images show it, the test types it from them.
SIGNERS = {
    1: ("Maria Lopez", "12 Oak Ave", "Glendale", "91205"),
    2: ("Jose Martinez", "500 Elm St", "Pasadena", "91101"),
    3: ("Ana Ruiz", "77 Figueroa St", "Los Angeles", "90012"),
}

# The image shown: which line it is, and whether the browser has it drawn.
SHOWN = """() => { const img = document.getElementById('line-image-img');
  return {alt: img.alt, src: img.getAttribute('src'), hidden: img.hidden,
          drawn: img.complete && img.naturalWidth > 0, width: img.getBoundingClientRect().width,
          focus: document.activeElement.id}; }"""


@pytest.fixture(autouse=True)
def _scans_dir(settings, monkeypatch, tmp_path):
    use_scans_dir(settings, monkeypatch, tmp_path)


@pytest.fixture
def scanned_section(db):
    petition = petition_create(title="Recall the DA", slug="la-da", required=1000)
    section = Section.objects.create(petition=petition, serial=12, circulator_name="Ana Ruiz")
    texts = {n: f"Line {n}   {name}, {address}, {city} {zip_code}"
             for n, (name, address, city, zip_code) in SIGNERS.items()}  # fmt: skip
    texts[4] = "Line 4   Bob Smithers, 12 Oak Ave, Glendale 91205"
    add_line_images(section, texts)
    return section


def url_of(section: Section, number: int) -> str:
    return f"/scans/lines/{LineImage.objects.get(section=section, number=number).pk}.jpg"


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def wait_for_line(page, section: Section, number: int) -> dict:
    page.wait_for_function(
        "([src]) => { const img = document.getElementById('line-image-img');"
        " return img.getAttribute('src') === src && img.complete && img.naturalWidth > 0; }",
        arg=[url_of(section, number)],
    )
    return page.evaluate(SHOWN)


def type_line(page, name: str, address: str, city: str, zip_code: str) -> None:
    for value in (name, address, city):
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    page.keyboard.type(zip_code)


def test_a_volunteer_keys_three_lines_from_the_images_alone(
    page, live_server, volunteer, scanned_section
):
    section = scanned_section
    base = live_server.url
    loaded: list[str] = []
    page.on("requestfinished", lambda request: "/scans/lines/" in request.url
            and loaded.append(request.url.removeprefix(base)))  # fmt: skip
    log_in_page(page, base, volunteer)
    # Home: the scanned section waits; the button takes it and opens it.
    page.click("#key-next-la-da button:has-text('Key the next scanned section')")
    page.wait_for_url(f"{base}/petitions/la-da/sections/12/")
    section.refresh_from_db()
    assert section.assigned_to == volunteer

    shown = wait_for_line(page, section, 1)
    assert shown["alt"] == "Line 1 as written on page 1"
    assert page.inner_text("#line-image-caption") == "Line 1 as written on page 1"
    assert shown["focus"] == "id_printed_name"  # typing starts at once, not on the image
    # The next lines' images were fetched ahead, before any is needed.
    page.wait_for_function("() => true")
    page.wait_for_timeout(300)
    assert {url_of(section, n) for n in (2, 3, 4)} <= set(loaded)
    assert "Alt+Z zooms the line's image." in page.inner_text("#line-entry")
    shoot(page, "scan-entry-line-1")

    for number, signer in SIGNERS.items():
        shown = wait_for_line(page, section, number)
        assert shown["alt"] == f"Line {number} as written on page 1"
        type_line(page, *signer)
        page.keyboard.press("Enter")
        page.wait_for_selector(f"#line-{number}:has-text('{signer[0]}')")
        # The row is ready for the next line, its image shown, the focus back in the row.
        page.wait_for_selector(f"#line-entry[data-next-number='{number + 1}']")
        following = page.evaluate(SHOWN)
        assert following["focus"] == "id_printed_name"
        if number + 1 in SIGNERS:
            assert following["src"] == url_of(section, number + 1)
    fields = ("number", "printed_name", "residence_address", "city", "zip")
    keyed = list(Line.objects.filter(section=section).order_by("number").values_list(*fields))
    assert keyed == [(n, *signer) for n, signer in SIGNERS.items()]
    assert wait_for_line(page, section, 4)["alt"] == "Line 4 as written on page 1"

    # Alt+Z zooms (the focus stays in the row, typing goes on); the button zooms back.
    before = page.evaluate(SHOWN)["width"]
    page.keyboard.press("Alt+z")
    page.wait_for_selector("#line-image.zoomed")
    assert page.get_attribute("#line-image-zoom", "aria-pressed") == "true"
    zoomed = page.evaluate(SHOWN)
    assert zoomed["width"] > before * 1.5
    assert zoomed["focus"] == "id_printed_name"
    page.keyboard.type("Bob")
    assert page.input_value("#id_printed_name") == "Bob"
    page.evaluate("document.getElementById('line-image-box').scrollLeft = 0")
    shoot(page, "scan-entry-zoomed")
    page.click("#line-image-zoom")
    page.wait_for_selector("#line-image:not(.zoomed)")
    assert page.get_attribute("#line-image-zoom", "aria-pressed") == "false"
    assert page.evaluate(SHOWN)["focus"] == "id_printed_name"
    shoot(page, "scan-entry-line-4")

    # Fixing the line above shows that line's image; leaving the fix, the row's line again.
    page.keyboard.press("Alt+ArrowUp")
    page.wait_for_selector("#editing-note:has-text('Fixing line 3')")
    assert wait_for_line(page, section, 3)["alt"] == "Line 3 as written on page 1"
    page.keyboard.press("Alt+ArrowUp")
    page.wait_for_selector("#editing-note:has-text('Fixing line 2')")
    assert wait_for_line(page, section, 2)["alt"] == "Line 2 as written on page 1"
    shoot(page, "scan-entry-fix")
    page.keyboard.press("Escape")
    page.wait_for_selector("#line-entry:not([data-editing])")
    wait_for_line(page, section, 4)

    # A line with no image (its page flagged): said so, and keying goes on.
    page.fill("#id_number", "9")
    page.wait_for_selector("#line-image-missing:not([hidden])")
    assert page.inner_text("#line-image-missing").startswith(
        "No image for line 9: its page needs a person"
    )
    assert page.is_hidden("#line-image-img")
    assert page.is_hidden("#line-image-box")
    assert page.is_hidden("#line-image-zoom")  # nothing to zoom
    shoot(page, "scan-entry-no-image")
    page.fill("#id_number", "")
    wait_for_line(page, section, 4)
    assert page.is_hidden("#line-image-missing")
    assert page.is_visible("#line-image-zoom")


def test_keying_from_the_image_on_a_phone(browser, live_server, volunteer, scanned_section):
    section = scanned_section
    Section.objects.filter(pk=section.pk).update(assigned_to=volunteer)
    with checked_page(browser, viewport=PHONE, has_touch=True, is_mobile=True) as page:
        log_in_page(page, live_server.url, volunteer)
        page.goto(f"{live_server.url}/petitions/la-da/sections/12/")
        wait_for_line(page, section, 1)
        assert_fits_the_phone(page)
        box = page.locator("#line-image-zoom").bounding_box()
        assert min(box["width"], box["height"]) >= 44
        image = page.locator("#line-image-img").bounding_box()
        form = page.locator("#line-entry").bounding_box()
        assert image["y"] + image["height"] <= form["y"]  # above the row
        assert image["width"] >= form["width"] - 4  # full width
        shoot(page, "scan-entry-phone")
        name, address, city, zip_code = SIGNERS[1]
        for field, value in (("printed_name", name), ("residence_address", address),
                             ("city", city), ("zip", zip_code)):  # fmt: skip
            page.tap(f"#id_{field}")
            page.keyboard.type(value)
        page.tap("#line-entry button.btn-primary")
        page.wait_for_selector("#line-1:has-text('Maria Lopez')")
        assert wait_for_line(page, section, 2)["alt"] == "Line 2 as written on page 1"
        page.tap("#line-image-zoom")
        page.wait_for_selector("#line-image.zoomed")
        assert_fits_the_phone(page)  # the zoomed image scrolls in its box, not the page
        shoot(page, "scan-entry-phone-zoomed")
