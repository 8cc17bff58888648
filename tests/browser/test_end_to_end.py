"""The whole story in a real browser, each role in a window of its own, with a real worker: an
admin imports a roll, an organizer creates a petition, two volunteers key sections, the worker
validates, a reviewer clears the queue, and the dashboard shows the result."""

import re

import pytest

from petitions.models import Line, Petition
from tests.browser.conftest import csp_violations, log_in_page
from tests.browser.test_review_queue import ROLL as MARTINEZ_FAMILY
from tests.conftest import _persona
from tests.voters.factories import many, write_canonical

pytestmark = [pytest.mark.browser, pytest.mark.worker]

# A father whose registration was cancelled and his son at one address, Bob, and 300 more.
ROLL = [*MARTINEZ_FAMILY, *many(300)]

# (name, address, city, the status it ends with)
SECTION_1 = [
    ("Bob Smithers", "12 Oak Ave", "Glendale", "valid"),
    ("Jose Martinez", "500 Elm St", "Pasadena", "needs_review"),  # father or son: a person decides
    ("Maria Surname1", "101 N Main St", "Los Angeles", "valid"),
    ("Nobody Known", "1 Nowhere St", "Pasadena", "not_registered"),
]
SECTION_2 = [
    ("Robert Smithers", "12 Oak Avenue", "Glendale", "duplicate"),
    ("Maria Surname2", "102 N Main St", "Los Angeles", "valid"),
]


@pytest.fixture
def windows(browser, live_server):
    """A browser window (context) per person; every one must satisfy the security policy."""
    opened = []

    def open_as(user):
        context = browser.new_context(viewport={"width": 1280, "height": 860})
        context.set_default_timeout(20_000)
        page = context.new_page()
        opened.append((context, csp_violations(page)))
        return log_in_page(page, live_server.url, user)

    yield open_as
    refused = [text for context, violations in opened for text in violations]
    for context, _ in opened:
        context.close()
    assert not refused, refused


def key_section(page, serial: int, lines) -> None:
    page.click("text=Petitions")
    page.click("#petition-la-da >> text=New section")
    page.wait_for_function("() => document.activeElement.name === 'serial'")
    page.keyboard.type(str(serial))
    page.keyboard.press("Tab")
    page.keyboard.type("Ana Ruiz")
    page.keyboard.press("Enter")
    page.wait_for_selector("#line-entry")
    page.wait_for_function("() => document.activeElement.name === 'printed_name'")
    for count, (name, address, city, _) in enumerate(lines, start=1):
        for value in (name, address, city):
            page.keyboard.type(value)
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_function(
            f"() => document.querySelectorAll('#lines tr[data-status]').length === {count}"
        )
        page.wait_for_function("() => document.activeElement.name === 'printed_name'")


def test_the_whole_story_on_a_small_county(
    windows, screenshot_dir, live_server, admin_user, organizer, volunteer, reviewer,
    celery_worker_process, tmp_path, settings,
):  # fmt: skip
    settings.UPLOAD_DIR = tmp_path / "uploads"
    # 1. The admin imports the county's voter roll.
    admin = windows(admin_user)
    admin.click("text=Voter rolls")
    admin.click("text=Import a voter file")
    admin.set_input_files("input[name=upload]", str(write_canonical(tmp_path / "county.csv", ROLL)))
    admin.click("button:has-text('Start the import')")
    admin.wait_for_selector("#roll-counts", timeout=60_000)
    assert "Active" in admin.inner_text("h1")
    admin.screenshot(path=screenshot_dir / "e2e-1-roll-imported.png", full_page=True)

    # 2. The organizer creates the petition.
    boss = windows(organizer)
    boss.click("text=Petitions")
    boss.click("#new-petition")
    boss.fill("input[name=title]", "Recall of the District Attorney")
    boss.fill("input[name=slug]", "la-da")
    boss.fill("input[name=required_signatures]", "4")
    boss.fill("input[name=approved_on]", "2026-10-01")
    boss.screenshot(path=screenshot_dir / "e2e-2-new-petition.png", full_page=True)
    boss.click("button:has-text('Create the petition')")
    boss.wait_for_selector("#petition-la-da")
    assert "4 valid signatures required" in boss.inner_text("main")
    assert Petition.objects.get(slug="la-da").deadline.isoformat() == "2027-03-10"

    # 3. Two volunteers key a section each, from the keyboard.
    keyer = windows(volunteer)
    key_section(keyer, 1, SECTION_1)
    other = windows(_persona("val_volunteer", "Volunteer"))
    key_section(other, 2, SECTION_2)

    # 4. The worker decides every line; the section pages update themselves.
    keyer.wait_for_function(
        "() => !document.querySelector('#lines tr[data-status=pending]')", timeout=60_000
    )
    other.wait_for_function(
        "() => !document.querySelector('#lines tr[data-status=pending]')", timeout=60_000
    )
    keyer.screenshot(path=screenshot_dir / "e2e-3-section-decided.png", full_page=True)
    statuses = keyer.eval_on_selector_all(
        "#lines tr[data-status]", "r => r.map(x => x.dataset.status)"
    )
    assert statuses == [status for *_, status in SECTION_1]
    statuses = other.eval_on_selector_all(
        "#lines tr[data-status]", "r => r.map(x => x.dataset.status)"
    )
    assert statuses == [status for *_, status in SECTION_2]

    # 5. The reviewer clears the queue: the active son, not his cancelled father, signed.
    judge = windows(reviewer)
    judge.click("text=Petitions")
    judge.click("#petition-la-da >> text=Review")
    judge.wait_for_selector("#review-item")
    judge.screenshot(path=screenshot_dir / "e2e-4-review.png", full_page=True)
    columns = judge.eval_on_selector_all(
        "#candidates button[data-key]", "bs => bs.map(b => b.form.choice.value)"
    )
    judge.keyboard.press(str(columns.index("voter:JR1") + 1))
    judge.wait_for_selector("#queue-empty")

    # 6. The organizer's dashboard: 4 valid of 6 lines, the requirement met.
    boss.click("text=Petitions")
    boss.click("#petition-la-da >> text=Dashboard")
    boss.wait_for_selector("#chart-pace")
    boss.screenshot(path=screenshot_dir / "e2e-5-dashboard.png", full_page=True)
    lines = Line.objects.filter(petition__slug="la-da")
    assert lines.filter(status="valid").count() == 4
    assert boss.inner_text("#h-valid") == "4"
    assert boss.inner_text("#h-raw") == "6"
    assert re.search(r"6 · 0 · 0", boss.inner_text("#h-validated"))
