"""Keying a section on a phone (390x844, touch), and the new-section dates from the keyboard."""

from datetime import timedelta

import pytest
from django.utils import timezone

from petitions.models import Line, Section
from petitions.services import petition_create
from tests.browser.conftest import ARTIFACTS, checked_page, log_in_page

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# Every box a finger uses on the entry row, and the rows' "Fix" links: id and size.
TARGETS = """() => Array.from(document.querySelectorAll(
    '#line-entry input.form-control:not([disabled]), #line-entry button, ' +
    '#line-entry .entry-check, #lines .line-fix a'))
  .filter(e => e.offsetParent !== null)
  .map(e => { const r = e.getBoundingClientRect();
              return {what: e.id || e.className, width: r.width, height: r.height}; })"""


@pytest.fixture
def phone(browser):
    with checked_page(browser, viewport=PHONE, has_touch=True, is_mobile=True) as page:
        yield page


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def assert_fits_the_phone(page) -> None:
    # A phone browser widens its layout viewport to fit wide content (innerWidth grows past
    # 390): the width must stay the phone's, and nothing may be wider.
    width, scroll_width = page.evaluate(
        "[innerWidth, document.scrollingElement.scrollWidth]"
    )  # fmt: skip
    assert width == PHONE["width"]
    assert scroll_width <= width


def tap_type(page, selector: str, text: str) -> None:
    page.tap(selector)
    page.keyboard.type(text)


def test_a_volunteer_keys_a_section_on_a_phone(phone, live_server, volunteer):
    page = phone
    petition = petition_create(title="Recall the DA", slug="la-da", required=1000)
    section = Section.objects.create(petition=petition, serial=4, entered_by=volunteer)
    log_in_page(page, live_server.url, volunteer)
    page.goto(f"{live_server.url}/petitions/la-da/sections/4/")
    page.wait_for_selector("#line-entry")
    assert_fits_the_phone(page)
    # The menu folds behind one button, so the page starts near the top; a tap opens it.
    assert not page.is_visible("#main-nav")
    assert page.locator("nav.navbar").bounding_box()["height"] < 80
    page.tap(".navbar-toggler")
    page.wait_for_selector("#main-nav a:has-text('Help')", state="visible")
    # Bootstrap ignores a tap while the menu is still unfolding.
    page.wait_for_selector("#navbar-menu.collapse.show")
    shoot(page, "phone-entry-menu")
    page.tap(".navbar-toggler")
    page.wait_for_selector("#main-nav", state="hidden")

    # Fields stacked full width, each under its own label, every target at least 44 px.
    form_width = page.eval_on_selector("#line-entry", "f => f.getBoundingClientRect().width")
    for name in ("number", "printed_name", "residence_address", "city", "zip"):
        label, field = (page.locator(f"label[for=id_{name}]").bounding_box(),
                        page.locator(f"#id_{name}").bounding_box())  # fmt: skip
        assert field["width"] >= form_width - 1, name
        assert label["y"] + label["height"] <= field["y"] + 1, name  # above it, not beside it
    small = [t for t in page.evaluate(TARGETS) if min(t["width"], t["height"]) < 44]
    assert not small, small
    # The Alt-key help means nothing here; touch buttons stand in for the keys.
    assert page.locator("text=Alt+X saves it as blank").is_hidden()
    assert page.locator("#line-entry").inner_text().count("Alt") == 0
    assert page.locator("#fix-above").count() == 0  # no line above yet
    shoot(page, "phone-entry-empty")

    for name, address, city, zip_code in [
        ("Javier Lemus", "1234 West Olympic Boulevard Apartment 5", "Los Angeles", "90015"),
        ("Maria Garcia", "77 Figueroa St", "Los Angeles", "90012"),
    ]:
        tap_type(page, "#id_printed_name", name)
        tap_type(page, "#id_residence_address", address)
        tap_type(page, "#id_city", city)
        tap_type(page, "#id_zip", zip_code)
        page.tap("#line-entry button.btn-primary")
        page.wait_for_selector(f"#lines tr:has-text('{name}')")
    # A crossed-out line: the touch button does what Alt+X does.
    page.tap("#mark-blank")
    page.wait_for_selector("#line-3[data-status=blank]")
    assert_fits_the_phone(page)
    small = [t for t in page.evaluate(TARGETS) if min(t["width"], t["height"]) < 44]
    assert not small, small
    shoot(page, "phone-entry-lines")

    # "Fix the line above", twice: line 3, then line 2, highlighted in the table.
    page.tap("#fix-above")
    page.wait_for_selector("#editing-note:has-text('Fixing line 3')")
    page.tap("#fix-above")
    page.wait_for_selector("#editing-note:has-text('Fixing line 2')")
    page.wait_for_selector("#line-2.editing[aria-current=true]")
    assert page.locator("#lines tr.editing").count() == 1
    shoot(page, "phone-entry-fix")
    page.fill("#id_residence_address", "77 S Figueroa St")
    page.tap("#line-entry button.btn-primary")
    page.wait_for_selector("#line-entry:not([data-editing])")
    page.wait_for_selector("#line-2:has-text('77 S Figueroa St')")
    assert page.locator("#lines tr.editing").count() == 0
    assert Line.objects.get(section=section, number=2).residence_address == "77 S Figueroa St"

    # Line 6 after line 3: the gap is named and nothing is stored until saved a second time.
    tap_type(page, "#id_number", "6")
    tap_type(page, "#id_printed_name", "Ann Lee")
    tap_type(page, "#id_residence_address", "1 Elm St")
    page.tap("#line-entry button.btn-primary")
    page.wait_for_selector("#gap-warning:has-text('lines 4 and 5 are not keyed yet')")
    assert page.evaluate("document.activeElement.id") == "id_number"
    assert not Line.objects.filter(section=section, number=6).exists()
    assert_fits_the_phone(page)
    shoot(page, "phone-entry-gap")
    page.tap("#line-entry button.btn-primary")
    page.wait_for_selector("#line-6")
    page.wait_for_selector("#section-gaps:has-text('Not keyed yet: lines 4 and 5.')")
    # Keyed into the gap: no question, and the row takes its place in the table.
    tap_type(page, "#id_number", "4")
    tap_type(page, "#id_printed_name", "Bo Chen")
    page.tap("#line-entry button.btn-primary")
    page.wait_for_selector("#section-gaps:has-text('Not keyed yet: line 5.')")
    rows = page.eval_on_selector_all("#lines tbody tr", "rows => rows.map(r => r.id)")
    assert rows == ["line-1", "line-2", "line-3", "line-4", "line-6"]

    # A refused ZIP: the message reads across the row, under the fields.
    tap_type(page, "#id_printed_name", "Nobody Known")
    tap_type(page, "#id_zip", "ABCDE")
    page.tap("#line-entry button.btn-primary")
    error = page.locator("#id_zip-error")
    error.wait_for()
    assert error.bounding_box()["width"] >= form_width - 1
    assert page.evaluate("document.activeElement.id") == "id_zip"
    assert_fits_the_phone(page)
    shoot(page, "phone-entry-error")
    assert list(section.lines.order_by("number").values_list("number", "status")) == [
        (1, "pending"), (2, "pending"), (3, "blank"), (4, "pending"), (6, "pending"),
    ]  # fmt: skip


def test_section_dates_are_typed_and_tab_moves_on(page, live_server, volunteer, screenshot):
    petition_create(title="Recall the DA", slug="la-da", required=1000)
    log_in_page(page, live_server.url, volunteer)
    page.goto(f"{live_server.url}/petitions/la-da/sections/new")
    page.wait_for_function("() => document.activeElement.name === 'serial'")
    today = timezone.localdate()
    start, end, received = (today - timedelta(days=d) for d in (40, 30, 2))
    for value in ("21", "Ana Ruiz", "100 Elm St, Pasadena"):
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    # US style, short year, ISO: each kept, and Tab goes straight to the next field.
    for value, following in (
        (f"{start.month}/{start.day}/{start.year}", "circulated_to"),
        (f"{end.month:02}/{end.day:02}/{end.year % 100:02}", "declaration_signed"),
    ):
        page.keyboard.type(value)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.name") == following
    assert not page.is_checked("#id_declaration_signed")  # read off the paper, not assumed
    page.keyboard.press("Tab")
    page.keyboard.type(received.isoformat())
    screenshot("section-new-dates")
    page.keyboard.press("Enter")
    page.wait_for_selector("#line-entry")
    section = Section.objects.get(serial=21)
    assert (section.circulated_from, section.circulated_to, section.received_on) == (
        start, end, received,
    )  # fmt: skip
    assert section.declaration_signed is False
