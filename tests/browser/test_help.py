"""A first-time volunteer: the home page says what to do next, the navbar leads to the help."""

import pytest

from petitions.models import Section
from petitions.services import petition_create

pytestmark = pytest.mark.browser


def test_a_new_volunteer_finds_the_next_step_and_the_help(
    log_in, page, screenshot, volunteer, organizer, live_server
):
    petition = petition_create(title="Recall the DA", slug="la-da", required=1000)
    for serial in (1, 2, 3):
        Section.objects.create(petition=petition, serial=serial, entered_by=organizer)

    log_in(volunteer)
    start = page.inner_text("#next-la-da #next-start")
    assert "Start a section" in start
    assert "3 sections are other volunteers'" in start
    screenshot("home-volunteer")

    page.click("#main-nav >> text=Help")
    page.wait_for_url(f"{live_server.url}/help/")
    assert page.inner_text("#help section >> nth=0 >> h2").startswith("Volunteer")
    assert page.is_visible("#help-volunteer kbd >> text=Enter")
    screenshot("help-volunteer")

    page.goto(f"{live_server.url}/petitions/la-da/sections/")
    assert "3 sections are other volunteers'" in page.inner_text("#no-sections")
    page.click("#no-sections >> text=New section")
    page.wait_for_url(f"{live_server.url}/petitions/la-da/sections/new")
    screenshot("sections-empty-then-new")
