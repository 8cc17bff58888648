"""An organizer starts a petition: the short name in links follows the title as it is typed."""

import pytest

from petitions.models import Petition
from petitions.services import petition_create

pytestmark = pytest.mark.browser


def test_the_short_name_follows_the_title_until_edited(log_in, page, organizer, live_server):
    petition_create(title="Taken", slug="recall-of-the-sheriff", required=5)
    log_in(organizer)
    page.goto(f"{live_server.url}/petitions/new")
    page.fill("#id_title", "Recall of the Sheriff")
    assert page.input_value("#id_slug") == "recall-of-the-sheriff"
    page.fill("#id_required_signatures", "10")
    page.click("text=Create the petition")
    page.wait_for_url(f"{live_server.url}/petitions/")
    # Filled by the script and taken already: the server made it unique.
    assert Petition.objects.get(title="Recall of the Sheriff").slug == "recall-of-the-sheriff-2"

    page.goto(f"{live_server.url}/petitions/new")
    page.fill("#id_slug", "sheriff-2026")
    page.fill("#id_title", "Recall of the Sheriff, Ávila")
    assert page.input_value("#id_slug") == "sheriff-2026"  # the organizer's own, kept
    page.fill("#id_required_signatures", "10")
    page.click("text=Create the petition")
    page.wait_for_url(f"{live_server.url}/petitions/")
    assert Petition.objects.get(title="Recall of the Sheriff, Ávila").slug == "sheriff-2026"
