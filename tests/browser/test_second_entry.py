"""The blind second keying of a section, in the browser: no live hint, not even a request."""

import pytest
from django.db import transaction

from petitions.entry import second_entry_start
from petitions.models import Section
from petitions.services import petition_create
from recall.roles import VOLUNTEER
from tests.conftest import _persona

pytestmark = pytest.mark.browser


def keyed_with_pauses(page, url: str) -> list[str]:
    """Type a line on an entry page, pausing as a volunteer does; the hint requests sent."""
    hints: list[str] = []
    page.on("request", lambda request: "/hint" in request.url and hints.append(request.url))
    page.goto(url)
    page.wait_for_selector("#line-entry")
    page.click("#id_printed_name")
    for value in ("Robert Smithers", "12 Oak Ave", "Glendale"):
        page.keyboard.type(value)
        page.wait_for_timeout(700)  # past the hint's 300 ms pause
        page.keyboard.press("Tab")
    page.wait_for_timeout(700)
    return hints


def test_the_second_keyer_types_without_sending_hint_requests(log_in, page, live_server, volunteer):
    petition = petition_create(title="Recall the DA", slug="la-da", required=1000)
    petition.double_entry = True
    petition.save(update_fields=["double_entry"])
    section = Section.objects.create(petition=petition, serial=1, entered_by=volunteer)
    second_keyer = _persona("val_second", VOLUNTEER)
    with transaction.atomic():
        second_entry_start(section=section, user=second_keyer)
    # The first keyer's page asks for hints as they type (so the listener does see them)...
    log_in(volunteer)
    assert keyed_with_pauses(page, f"{live_server.url}/petitions/la-da/sections/1/")
    # ...the second keyer's blind page never does.
    log_in(second_keyer)
    assert keyed_with_pauses(page, f"{live_server.url}/petitions/la-da/sections/1/second/") == []
