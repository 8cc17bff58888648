"""An organizer, after filing, imports the registrar's random sample and its line-by-line result
through the page, and sees them beside ours and the lines worth challenging."""

from datetime import timedelta

import pytest
from django.utils import timezone

from petitions.models import Line, Petition, RegistrarResult, Section
from tests.browser.test_accessibility import FAILING_IMPACTS, axe_violations

pytestmark = pytest.mark.browser

FIRST = ["Ana", "Luis", "Maria", "Jose", "Rosa", "Ivan", "Carmen", "Tomas", "Elena", "Pablo"]
LAST = ["Ruiz", "Soto", "Mejia", "Cruz", "Hale", "Vega", "Lopez", "Diaz", "Reyes", "Flores"]
# (our status, our rule, the registrar's name for its category), per line of a section.
LINES = [
    ("valid", "match", "Valid"), ("valid", "match", "Valid"), ("valid", "match", "Valid"),
    ("valid", "match", "Not Registered"), ("valid", "match", "Valid"),
    ("not_registered", "not_found", "Not Registered"), ("duplicate", "duplicate", "Duplicate"),
    ("address_mismatch", "moved", "Different Address"), ("valid", "match", "Signature Mismatch"),
    ("needs_review", "tie_at_address", "Valid"),
]  # fmt: skip


def serious(page, base: str) -> list[str]:
    """axe-core's serious and critical violations on the page (as test_accessibility checks)."""
    return [f"{page.url}: {v['id']} {v['targets'][:3]}" for v in axe_violations(page, base)
            if v["impact"] in FAILING_IMPACTS]  # fmt: skip


def candidate(voter_id: str, name: str, city_level: str = "exact") -> dict:
    return {
        "voter_id": voter_id, "name": name, "address": "1200 W Olive Ave", "city": "BURBANK",
        "registration": "A", "score": 0.97,
        "fields": {"surname": "exact", "first": "exact", "number": "agree", "street": "exact",
                   "city": city_level},
    }  # fmt: skip


@pytest.fixture
def filed(db):
    petition = Petition.objects.create(title="Recall the Supervisor", slug="sup",
                                       required_signatures=20)  # fmt: skip
    for serial in (1, 2, 3):
        section = Section.objects.create(petition=petition, serial=serial,
                                         circulator_name=f"Circulator {serial}")  # fmt: skip
        for number, (status, rule, _) in enumerate(LINES, start=1):
            name = f"{FIRST[(number + serial) % 10]} {LAST[(number * serial) % 10]}"
            voter_id = f"{serial}{number:03d}"
            Line.objects.create(
                petition=petition, section=section, number=number, status=status,
                printed_name=name, residence_address="1200 W Olive Ave", city="Burbank",
                voter_registrant_id=voter_id if status == "valid" else "",
                score=0.97 if status in ("valid", "needs_review") else None,
                reason={"rule": rule, "summary": "surname exact; first name exact",
                        "candidates": [candidate(voter_id, name.upper(),
                                                 "exact" if number % 2 else "alias")]},
            )  # fmt: skip
    return petition


def test_an_organizer_imports_a_sample_and_lines_and_sees_the_comparison(
    log_in, page, screenshot, screenshot_dir, organizer, filed, live_server, tmp_path
):
    raw = tmp_path / "raw.csv"
    raw.write_text("raw_count\n300\n")
    sample = tmp_path / "sample.csv"
    sample.write_text("Category,Count\nValid,19\nNot Registered,6\nMax Number of Times Signed,1\n"
                      "Different Address,2\nSignature Mismatch,2\n")  # fmt: skip
    lines = tmp_path / "lines.csv"
    lines.write_text("section,line,status\n" + "".join(
        f"{serial},{number},{name}\n"
        for serial in (1, 2, 3) for number, (_, _, name) in enumerate(LINES, start=1)
    ))  # fmt: skip
    certified = timezone.localdate() - timedelta(days=3)
    found: list[str] = []
    log_in(organizer)
    page.goto(f"{live_server.url}/petitions/sup/dashboard/")
    page.click("#registrar-link")
    page.wait_for_selector("#registrar-none")
    for kind, path in (("raw", raw), ("sample", sample), ("lines", lines)):
        page.click("#import-link")
        page.select_option("#id_kind", kind)
        page.set_input_files("#id_file", str(path))
        if kind == "lines":  # the registrar certified its count 3 days ago
            page.fill("#id_certified_on", certified.strftime("%m/%d/%Y"))
            screenshot("registrar-import")
            found += serious(page, live_server.url)
        page.click("#registrar-import-submit")
        page.wait_for_selector("#imports")
    assert RegistrarResult.objects.filter(petition=filed).count() == 3
    # The sample projected by CCR 20540: N=300, s=30, v=20 (19 + the 1 duplicate), d=1:
    # r=66.67%, V_unc=201, A=10, B=90, D_est=90, V_proj=111; beside our projection of the day.
    assert page.inner_text("#sample-projection").startswith("111 ")
    assert "projected valid" in page.inner_text("#sample-ours")
    # Line by line: 30 lines, of which we decided 27; 21 agree with the registrar.
    assert page.inner_text("#acc-lines") == "30"
    assert page.inner_text("#acc-agreement") == "77.8%"  # 21 of 27
    assert page.inner_text("#acc-precision") == "66.7%"  # of our 18 valid, 12 are the registrar's
    assert page.inner_text("#acc-recall") == "80.0%"  # of its 15 valid, 12 are ours
    assert page.locator("#confusion tbody tr").count() == 5  # the registrar's categories
    assert "Match" in page.inner_text("#differing")
    screenshot("registrar-results")
    found += serious(page, live_server.url)

    page.click("#challenges-link")
    page.wait_for_selector(".challenges")
    # Our valid lines the registrar rejected: lines 4 and 9 of each section, strongest first.
    ranks = page.locator("tr[data-rank]")
    assert ranks.count() == 6
    assert page.locator("#challenge-section-1").count() == 1
    assert "Signature mismatch" in page.inner_text(".challenges >> nth=0")
    screenshot("registrar-challenges")
    found += serious(page, live_server.url)
    csv = page.request.get(f"{live_server.url}/petitions/sup/registrar/challenges.csv").text()
    assert len(csv.strip().splitlines()) == 7

    # The examination's clock on the dashboard, from the certificate date.
    page.goto(f"{live_server.url}/petitions/sup/dashboard/")
    assert page.inner_text("#examination-days") == "57 days left"
    page.locator("#after-filing").screenshot(path=str(screenshot_dir / "examination-clock.png"))
    # A file refused: its problem on the form, nothing kept.
    page.click("#registrar-link")
    page.click("#import-link")
    page.select_option("#id_kind", "lines")
    bad = tmp_path / "bad.csv"
    bad.write_text("section,line,status\n1,1,Valid\n1,2,Fraud\n")
    page.set_input_files("#id_file", str(bad))
    page.click("#registrar-import-submit")
    assert "row 3, status: 'Fraud' is not a category name we know" in page.inner_text(
        "#registrar-import-form"
    )
    screenshot("registrar-import-error")
    found += serious(page, live_server.url)
    assert RegistrarResult.objects.filter(petition=filed).count() == 3
    assert not found, "\n".join(found)
