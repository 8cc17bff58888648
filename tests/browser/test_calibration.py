"""An organizer sees the calibrated projection on the dashboard and opens the calibration curve
(issue 22)."""

import pytest

from tests.petitions.test_calibration_pages import import_lines, make_petition

pytestmark = pytest.mark.browser


def test_the_dashboard_s_calibrated_band_leads_to_the_curve(
    log_in, page, screenshot, screenshot_dir, organizer, live_server
):
    import_lines(make_petition("earlier"))
    make_petition("new", pending=200)
    import_lines(make_petition("county-recall"))
    log_in(organizer)
    page.goto(f"{live_server.url}/petitions/county-recall/dashboard/")
    card = page.locator("#calibrated")
    assert card.is_visible()
    band = page.inner_text("#c-band")
    low, high = (int(v.replace(",", "")) for v in band.split(" to "))
    assert low <= int(page.inner_text("#c-projected").replace(",", "")) <= high
    assert page.inner_text("#c-ours") == "300"
    assert "2 petitions of this county" in card.inner_text()
    card.screenshot(path=str(screenshot_dir / "dashboard-calibrated.png"))
    page.click("#calibrated >> text=The calibration curve")
    page.wait_for_selector("#curve-svg")
    screenshot("calibration-curve")
    assert page.locator("#curve-svg circle").count() == page.locator("#curve tbody tr").count()
    assert "held out" in page.inner_text("#curve-what")
    assert page.locator("#calibration-pool tbody tr").count() == 2
    # A petition of the county with no result of its own is calibrated on the others'.
    page.goto(f"{live_server.url}/petitions/new/dashboard/")
    assert page.locator("#calibrated").is_visible()
