"""An admin imports a voter file in a real browser and watches it load, with a real worker."""

import re

import pytest

from devtools.synthetic import write_roll
from voters.models import Voter, VoterRoll

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_admin_uploads_a_roll_and_watches_live_progress(
    log_in, page, screenshot, live_server, admin_user, celery_worker_process, tmp_path, settings
):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    roll_file = tmp_path / "county-roll.csv"
    write_roll(roll_file, 400_000, 5, workers=1)  # large enough to watch it load for a while

    log_in(admin_user)
    page.click("text=Voter rolls")
    page.click("text=Import a voter file")
    screenshot("voter-import-form")
    page.set_input_files("input[name=upload]", str(roll_file))
    page.click("button:has-text('Start the import')")
    page.wait_for_url(re.compile(r"/voters/rolls/\d+/$"))

    # The progress bar updates in place (htmx) while the worker loads the file.
    page.wait_for_function(
        "() => { const n = document.querySelector('#progress-rows');"
        " return n && parseInt(n.textContent.replace(/,/g, '')) > 0; }",
        timeout=60_000,
    )
    screenshot("voter-import-progress")
    text = page.inner_text("#progress-text")
    assert re.search(r"% · (Reading|Indexing|Activating).*rows/s", text), text
    if "Reading" in text:  # the bar follows the rows loaded, not the file read ahead
        percent = float(page.inner_text("#progress-percent").rstrip("%"))
        assert float(page.get_attribute("progress.roll-bar", "value")) == percent
        rows = int(page.inner_text("#progress-rows").replace(",", ""))
        assert percent <= 100 * rows / 400_000 + 25, (percent, rows)

    # At the end the page reloads itself with the report.
    page.wait_for_selector("#roll-counts", timeout=120_000)
    screenshot("voter-import-done")
    assert "Active" in page.inner_text("h1")
    roll = VoterRoll.objects.get()
    assert (roll.state, roll.rows_imported, roll.imported_by) == ("active", 400_000, admin_user)
    assert "400,000" in page.inner_text("#roll-counts")
    assert Voter.objects.filter(roll=roll).count() == 400_000


def test_bad_file_is_refused_on_the_page(log_in, page, screenshot, admin_user, tmp_path, settings):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    bad = tmp_path / "not-a-roll.csv"
    bad.write_text("name,street\nMaria,Main St\n")
    log_in(admin_user)
    page.click("text=Voter rolls")
    page.click("text=Import a voter file")
    page.set_input_files("input[name=upload]", str(bad))
    page.click("button:has-text('Start the import')")
    page.wait_for_selector(".alert-danger, .invalid-feedback, .alert-block")
    screenshot("voter-import-refused")
    assert "the header lacks required columns: voter_id" in page.content()
    assert not VoterRoll.objects.exists()
