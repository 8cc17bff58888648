"""An organizer opens the suspect sections on the demo data, holds the worst one, and the
dashboard's counts move by its lines; releasing it puts them back (issue 21)."""

import pytest
from django.core.management import call_command

from petitions.models import Petition
from recall.models import AuditEvent

pytestmark = pytest.mark.browser


def _count(page, selector: str) -> int:
    return int(page.inner_text(selector).replace(",", ""))


def test_an_organizer_holds_a_suspect_section_and_the_dashboard_moves(
    log_in, page, screenshot, organizer
):
    call_command("load_demo", voters=20_000, lines=1_500)
    petition = Petition.objects.get(slug="demo-recall")
    log_in(organizer)
    page.click("text=Petitions")
    page.click(f"#petition-{petition.slug} >> text=Dashboard")
    page.wait_for_selector("#filing")
    before = {k: _count(page, f"#h-{k}") for k in ("raw", "valid", "projected")}
    registrar_before = page.inner_text("#r-projected")
    assert _count(page, "#f-held") == 0
    assert _count(page, "#f-gathered") == before["raw"]

    page.click("#filing >> text=Suspect sections")
    page.wait_for_selector("#suspects")
    screenshot("suspects")
    first = page.locator("#suspects tbody tr").first
    serial = int(first.locator("td").first.inner_text())
    assert float(first.locator(".score").inner_text()) > 5
    assert "by chance: p =" in page.inner_text("#suspects") or "outside" in page.inner_text(
        "#suspects"
    )
    # Holding without a reason is refused by the browser (required) and by the server.
    first.locator("button", has_text="Hold").click()
    assert page.locator("#held tbody tr", has_text="No section is held").count() == 1
    first.locator("input[name=reason]").fill("Lines copied from a list: call the circulator")
    first.locator("button", has_text="Hold").click()
    page.wait_for_selector(f"#held-{serial}")
    screenshot("suspects-held")
    assert "Lines copied from a list" in page.inner_text(f"#held-{serial}")

    section = petition.sections.get(serial=serial)
    lines = section.lines.exclude(status="blank")
    held_lines, held_valid = lines.count(), lines.filter(status="valid").count()
    assert held_lines > 0
    page.locator("a[href$='/dashboard/']").first.click()
    page.wait_for_selector("#filing")
    screenshot("dashboard-held")
    assert _count(page, "#f-held") == held_lines
    assert _count(page, "#f-gathered") == before["raw"]
    assert _count(page, "#h-raw") == before["raw"] - held_lines
    # Its valid lines leave the count, but a voter counted there who signed again on another
    # section counts there instead (that line was their duplicate).
    counted_here = set(lines.filter(counted=True).values_list("voter_registrant_id", flat=True))
    elsewhere = set(
        petition.lines.filter(status="duplicate", voter_registrant_id__in=counted_here)
        .exclude(section=section).values_list("voter_registrant_id", flat=True)
    )  # fmt: skip
    assert _count(page, "#h-valid") == before["valid"] - held_valid + len(elsewhere)
    assert _count(page, "#h-projected") < before["projected"]
    assert page.inner_text("#r-projected") != registrar_before
    held = AuditEvent.objects.get(action="section_held")
    assert held.target == f"petition {petition.slug}: section {serial}"

    page.click("#filing >> text=Suspect sections")
    page.locator(f"#held-{serial} button", has_text="Release").click()
    page.wait_for_selector("#held >> text=No section is held")
    page.locator("a[href$='/dashboard/']").first.click()
    page.wait_for_selector("#filing")
    assert {k: _count(page, f"#h-{k}") for k in ("raw", "valid", "projected")} == before
    assert page.inner_text("#r-projected") == registrar_before
    assert AuditEvent.objects.filter(action="section_released").count() == 1
