"""An organizer sets a circulator's pay, merges a name typed two ways and closes a pay period."""

from datetime import timedelta

import pytest
from django.utils import timezone

from petitions.entry import section_create
from petitions.models import Circulator, Line, PayEntry, Section
from petitions.services import petition_create
from petitions.services.pay import period_start_of
from tests.browser.test_accessibility import AXE_EXTRA_RULES, FAILING_IMPACTS, axe_violations

pytestmark = pytest.mark.browser


def serious(page, base) -> list[str]:
    """axe-core's serious and critical findings on the page (as test_accessibility)."""
    return [f"{page.url}: {v['id']} {v['help']} {v['targets'][:3]}"
            for v in axe_violations(page, base)
            if v["impact"] in FAILING_IMPACTS or v["id"] in AXE_EXTRA_RULES]  # fmt: skip


def test_an_organizer_pays_a_circulator_for_valid_lines(
    log_in, page, screenshot, organizer, live_server
):
    petition = petition_create(title="Recall the DA", slug="la-da", required=1000)
    start = period_start_of(timezone.localdate() - timedelta(days=21))
    statuses = ["valid"] * 7 + ["duplicate", "not_registered", "out_of_jurisdiction"]
    typed = [("Ann Lee", start - timedelta(days=7)), ("Ann Lee", start + timedelta(days=2)),
             ("A. Lee", start + timedelta(days=3))]  # fmt: skip
    for serial, (name, day) in enumerate(typed, start=1):
        section = section_create(petition=petition, serial=serial, entered_by=organizer,
                                 circulator_name=name)  # fmt: skip
        Section.objects.filter(pk=section.pk).update(circulated_to=day)
        for number, status in enumerate(statuses[serial - 1 :], start=1):
            Line.objects.create(petition=petition, section=section, number=number,
                                printed_name=f"Signer {number}", residence_address="1 A St",
                                status=status, validated_at=timezone.now())  # fmt: skip
    ann = Circulator.objects.get(name="Ann Lee")

    log_in(organizer)
    page.click("#main-nav >> text=Circulators")
    page.wait_for_url(f"{live_server.url}/circulators/")
    assert page.inner_text(f"#circulator-{ann.pk}").startswith("Ann Lee")
    found = serious(page, live_server.url)
    page.click("#merge-link")
    page.wait_for_selector("#proposals")
    screenshot("circulator-merges")
    found += serious(page, live_server.url)
    page.click("#proposals >> text=Keep Ann Lee")
    page.wait_for_selector("#no-proposals")
    assert Circulator.objects.count() == 1

    page.goto(f"{live_server.url}/circulators/{ann.pk}/")
    page.select_option("select[name=kind]", "paid")
    page.fill("input[name=rate]", "-1")
    page.click("#circulator-form button[type=submit]")
    assert "greater than or equal to 0" in page.inner_text("#circulator-form")
    page.fill("input[name=rate]", "2.50")
    page.click("#circulator-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert page.inner_text("#figures").count("\n") >= 8
    assert page.locator("#trend meter").count() == 2
    screenshot("circulator-page")
    found += serious(page, live_server.url)

    page.goto(f"{live_server.url}/circulators/pay/")
    page.fill("input[name=period]", start.isoformat())
    page.click("#close-form button[type=submit]")
    page.wait_for_selector(".alert-success")
    earned = PayEntry.objects.get(kind="earn").amount
    assert str(earned) == "45.00"  # 18 valid lines of the two weeks up to the period's end
    assert "45.00" in page.inner_text("#periods")
    page.goto(f"{live_server.url}/circulators/")
    screenshot("circulator-list")
    page.goto(f"{live_server.url}/circulators/pay/")
    screenshot("pay-periods")
    found += serious(page, live_server.url)
    page.goto(f"{live_server.url}/circulators/{ann.pk}/")
    assert "45.00" in page.inner_text("#ledger")
    screenshot("circulator-ledger")
    page.click(f"#ledger >> text={start:%m/%d/%Y}")
    page.wait_for_url(f"{live_server.url}/circulators/{ann.pk}/pay/{start.isoformat()}/")
    assert page.locator("#entry-lines tbody tr").count() == 3 * 18  # earn, hold, payment
    found += serious(page, live_server.url)
    assert found == []
