"""A volunteer keys a section from the keyboard alone and watches a real worker decide the lines."""

import time

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.management import call_command

from petitions.models import Line, Section
from petitions.services import petition_create
from recall.middleware import SessionActivityMiddleware
from tests.browser.conftest import log_in_page
from tests.voters.factories import voter, write_canonical

pytestmark = [pytest.mark.browser, pytest.mark.worker]

ROLL = [
    voter("BOB", first_name="ROBERT", last_name="SMITHERS", house_number="12", street_name="OAK",
          street_type="AVE", city="GLENDALE", zip="91201"),
    voter("MOV", first_name="ZEBEDIAH", last_name="QUILLFEATHER", house_number="31",
          street_name="PINE", street_type="ST", city="LONG BEACH", zip="90802"),
]  # fmt: skip

LINES = [
    ("Bob Smithers", "12 Oak Ave", "Glendale", "valid"),
    ("Zebediah Quillfeather", "1200 Main St", "Long Beach", "address_mismatch"),
    ("Robert Smithers", "12 Oak Avenue", "Glendale", "duplicate"),
]


def type_fields(page, *values: str) -> None:
    for value in values:
        page.keyboard.type(value)
        page.keyboard.press("Tab")


def test_volunteer_keys_a_section_with_the_keyboard_and_sees_statuses_arrive(
    log_in, page, screenshot, volunteer, celery_worker_process, tmp_path
):
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    petition_create(title="Recall the DA", slug="la-da", required=1000)

    log_in(volunteer)
    page.click("text=Petitions")
    page.click("text=New section")
    # The serial number has the focus; Tab through the form, Enter starts the section.
    page.wait_for_function("() => document.activeElement.name === 'serial'")
    type_fields(page, "12", "Ana Ruiz", "100 Elm St, Pasadena")
    screenshot("section-new")
    page.keyboard.press("Enter")
    page.wait_for_selector("#line-entry")
    # entry.js gives the name field the focus once the page has settled.
    page.wait_for_function("() => document.activeElement.name === 'printed_name'")

    for index, (name, address, city, _) in enumerate(LINES):
        type_fields(page, name, address)
        page.keyboard.type(city)
        if index == 0:
            # A pause in typing brings the live hint: the likely outcome and the voter found.
            page.wait_for_selector("#hint-box[data-outcome=counts]")
            assert "ROBERT SMITHERS" in page.inner_text("#hint-box")
            screenshot("section-hint")
        page.keyboard.press("Enter")  # saves through htmx; the name field has the focus again
        page.wait_for_function(
            f"() => document.querySelectorAll('#lines tr[data-status]').length >= "
            f"{LINES.index((name, address, city, _)) + 1}"
        )
        page.wait_for_function("() => document.activeElement.name === 'printed_name'")
    screenshot("section-lines-saved")

    # The worker decides them; the table updates in place.
    page.wait_for_function(
        "() => !document.querySelector('#lines tr[data-status=pending]')", timeout=60_000
    )
    screenshot("section-lines-decided")
    statuses = page.eval_on_selector_all(
        "#lines tr[data-status]", "rows => rows.map(r => r.dataset.status)"
    )
    assert statuses == [status for *_, status in LINES]
    assert "Section 12" in page.inner_text("h1"), page.inner_text("h1")
    section = Section.objects.get(serial=12)
    assert section.entered_by == volunteer
    assert list(Line.objects.filter(section=section).values_list("number", flat=True)) == [1, 2, 3]

    # Alt+X keys a blank (crossed-out) line; Alt+Up goes back to fix the lines above.
    page.keyboard.press("Alt+x")
    page.wait_for_selector("#line-4[data-status=blank]")
    for _ in range(3):
        page.keyboard.press("Alt+ArrowUp")
        page.wait_for_selector(f"#editing-note:has-text('Fixing line {4 - _}')")
    screenshot("section-line-fix")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+a")
    page.keyboard.type("31 Pine St")  # the typo: the worker found this voter elsewhere
    page.keyboard.press("Enter")
    page.wait_for_selector("#line-2[data-status=pending]")
    page.wait_for_function("() => document.activeElement.name === 'printed_name'")
    page.wait_for_selector("#line-2[data-status=valid]", timeout=60_000)
    line = Line.objects.get(section=section, number=2)
    assert line.residence_address == "31 Pine St"
    assert line.events.get().before["residence_address"] == "1200 Main St"

    # A bad ZIP is refused on its field and nothing is stored.
    type_fields(page, "Nobody Known", "1 Nowhere St", "Pasadena")
    page.keyboard.type("ABCDE")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=is not a ZIP code")
    # The message reads across the row, not down a column as narrow as the ZIP field; the
    # refused field has the focus.
    error = page.locator("#id_zip-error").bounding_box()
    assert error["height"] < 40, error
    assert error["width"] > 4 * page.locator("#id_zip").bounding_box()["width"], error
    assert page.evaluate("document.activeElement.id") == "id_zip"
    screenshot("section-line-error")
    assert Line.objects.filter(section=section).count() == 4


def open_new_section(page, live_server, log_in, volunteer, *, serial: int) -> Section:
    """The volunteer's own new section of a new petition, open in the page after logging in."""
    petition = petition_create(title="Recall the DA", slug="la-da", required=1000)
    section = Section.objects.create(petition=petition, serial=serial, entered_by=volunteer)
    log_in(volunteer)
    page.goto(f"{live_server.url}/petitions/la-da/sections/{serial}/")
    return section


def test_a_save_lost_on_the_network_is_retried_and_stored_once(
    log_in, page, screenshot, volunteer, live_server
):
    section = open_new_section(page, live_server, log_in, volunteer, serial=5)
    failures = {"before": 1, "after": 1}

    def flaky(route):
        # First the request never reaches the server; then the server stores the line but its
        # answer is lost. Both look the same to the browser.
        if failures["before"]:
            failures["before"] -= 1
            route.abort("internetdisconnected")
        elif failures["after"]:
            failures["after"] -= 1
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/sections/5/lines", flaky)
    type_fields(page, "Bob Smithers", "12 Oak Ave", "Glendale")
    page.keyboard.press("Enter")
    page.wait_for_selector("#save-state.unsaved:has-text('Not saved yet')")
    screenshot("section-line-unsaved")
    assert page.input_value("#id_printed_name") == "Bob Smithers"  # still on screen
    page.wait_for_selector("#line-1", timeout=30_000)
    page.wait_for_selector("#save-state:has-text('Saved')")
    assert failures == {"before": 0, "after": 0}
    assert list(Line.objects.filter(section=section).values_list("printed_name", flat=True)) == [
        "Bob Smithers"
    ]


@pytest.mark.parametrize("ended", ["forgotten", "idle"])
def test_a_save_after_the_session_ended_waits_for_a_new_login_and_is_stored_once(
    log_in, page, screenshot, volunteer, live_server, ended, settings
):
    section = open_new_section(page, live_server, log_in, volunteer, serial=6)
    page.wait_for_selector("#line-entry")
    session_key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=session_key)
    if ended == "forgotten":
        # The shift's 8 hours are up: the server forgets the session (the browser keeps its
        # cookie).
        session.delete()
    else:
        # The volunteer stepped away for longer than the idle limit before typing the line.
        session[SessionActivityMiddleware.ACTIVITY] = (
            time.time() - settings.SESSION_IDLE_MINUTES * 60 - 5
        )
        session.save()

    type_fields(page, "Bob Smithers", "12 Oak Ave", "Glendale")
    page.keyboard.press("Enter")
    page.wait_for_selector("#save-state.unsaved:has-text('session has ended')")
    page.wait_for_selector("#session-ended a[href^='/accounts/login/']")
    screenshot("section-session-ended")
    assert page.input_value("#id_printed_name") == "Bob Smithers"  # what was typed stays
    assert not Line.objects.exists()

    # The volunteer logs in again in another tab (a new session and a new CSRF token); back on
    # the section, the line goes through with them, once.
    log_in_page(page.context.new_page(), live_server.url, volunteer)
    page.bring_to_front()
    page.wait_for_selector("#line-1", timeout=40_000)
    page.wait_for_selector("#save-state:has-text('Saved')")
    assert page.locator("#session-ended").is_hidden()
    assert list(Line.objects.filter(section=section).values_list("printed_name", flat=True)) == [
        "Bob Smithers"
    ]


def test_a_refused_save_is_final_and_gives_the_row_back(
    log_in, page, screenshot, volunteer, live_server
):
    section = open_new_section(page, live_server, log_in, volunteer, serial=9)
    other = Section.objects.create(petition=section.petition, serial=10, entered_by=volunteer)
    used = Line.objects.create(petition=section.petition, section=other, number=1,
                               printed_name="Ann Lee", residence_address="1 Elm St")  # fmt: skip
    answers = [503, 400]
    sent = []

    def refuse(route):
        sent.append(route.request.method)
        if answers:
            route.fulfill(status=answers.pop(0), body="")
        else:
            route.continue_()

    page.route("**/sections/9/lines", refuse)
    page.wait_for_selector("#line-entry")
    type_fields(page, "Bob Smithers", "12 Oak Ave", "Glendale")
    page.keyboard.press("Enter")
    # A 5xx is retried (the row read-only meanwhile); the 4xx that follows is final.
    page.wait_for_selector("#save-state:has-text('refused this save (status 400)')", timeout=15_000)
    page.wait_for_timeout(2500)  # the first retry delay would have passed
    assert len(sent) == 2
    assert not page.evaluate("document.getElementById('id_printed_name').readOnly")
    assert not Line.objects.filter(section=section).exists()

    # The real server's refusal: this row's token already saved a line in section 10.
    page.evaluate(f"document.querySelector('[name=client_token]').value = '{used.client_token}'")
    page.keyboard.press("Enter")
    page.wait_for_selector("#line-entry .alert:has-text('already saved line 1 of section 10')")
    screenshot("section-line-token-elsewhere")
    page.wait_for_timeout(2500)
    assert len(sent) == 3
    assert not Line.objects.filter(section=section).exists()
    assert Line.objects.filter(section=other).count() == 1
