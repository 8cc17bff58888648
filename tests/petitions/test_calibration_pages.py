"""Calibration against the registrar on the dashboard and its own page (issue 22)."""

import datetime

import pytest
from django.urls import reverse

from petitions.models import (
    Line,
    Petition,
    RegistrarLine,
    RegistrarResult,
    Section,
)
from petitions.selectors.calibration import calibration_curve, calibration_pool
from petitions.selectors.registrar import latest_registrar_result, registrar_line_pairs

pytestmark = pytest.mark.django_db

# Our decisions on a petition's lines: (status, rule, lines, of them valid for the registrar).
DECISIONS = [
    ("valid", "match", 300, 270),
    ("address_mismatch", "moved", 60, 30),
    ("not_registered", "not_found", 80, 2),
    ("duplicate", "duplicate", 20, 0),
]


def make_petition(slug: str, county: str = "19", pending: int = 0) -> Petition:
    petition = Petition.objects.create(
        title=slug.title(), slug=slug, required_signatures=200, county_code=county
    )
    section = Section.objects.create(petition=petition, serial=1)
    lines, number = [], 0
    for status, rule, n, _ in DECISIONS:
        for _ in range(n):
            number += 1
            lines.append(Line(petition=petition, section=section, number=number, status=status,
                              reason={"rule": rule}, printed_name="X"))  # fmt: skip
    for _ in range(pending):
        number += 1
        lines.append(Line(petition=petition, section=section, number=number, printed_name="X"))
    Line.objects.bulk_create(lines)
    return petition


def import_lines(petition: Petition, as_of=datetime.date(2026, 11, 1), flip=False) -> None:
    """The registrar's decisions on the petition's decided lines, per DECISIONS (or all
    flipped: every line valid, to tell two results apart)."""
    result = RegistrarResult.objects.create(petition=petition, kind="lines", as_of=as_of)
    rows = []
    for status, rule, _, valid in DECISIONS:
        lines = Line.objects.filter(petition=petition, status=status, reason__rule=rule)
        for i, line in enumerate(lines.order_by("number")):
            category = "valid" if flip or i < valid else "not_registered"
            rows.append(RegistrarLine(result=result, line=line, category=category))
    RegistrarLine.objects.bulk_create(rows)


def test_the_dashboard_shows_the_calibrated_band_when_line_level_results_exist(login, organizer):
    petition = make_petition("a")
    import_lines(petition)
    client = login(organizer)
    page = client.get(reverse("petitions:dashboard", args=["a"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="calibrated"' in html
    assert reverse("petitions:calibration", args=["a"]) in html
    calibrated = client.get(reverse("petitions:progress", args=["a"])).json()["calibrated"]
    # The registrar found 270 + 30 + 2 valid of our 460 lines; our own count says 300.
    assert calibrated["uncalibrated"] == 300
    assert 290 <= calibrated["projected_valid"] <= 312
    assert calibrated["low"] <= calibrated["projected_valid"] <= calibrated["high"]
    assert calibrated["high"] - calibrated["low"] >= 10
    assert f'id="c-projected">{calibrated["projected_valid"]}<' in html
    assert calibrated["lines_behind"] == 460
    assert calibrated["verdict"]["sample_size"] == 460  # under 500: every line


def test_the_dashboard_shows_nothing_calibrated_without_line_level_results(login, organizer):
    petition = make_petition("a")
    RegistrarResult.objects.create(
        petition=petition, kind="sample", as_of=datetime.date(2026, 11, 1), counts={"valid": 400}
    )
    client = login(organizer)
    html = client.get(reverse("petitions:dashboard", args=["a"])).content.decode()
    assert 'id="calibrated"' not in html
    assert reverse("petitions:calibration", args=["a"]) not in html
    assert client.get(reverse("petitions:progress", args=["a"])).json()["calibrated"] is None


def test_the_county_s_other_petitions_calibrate_a_petition_and_another_county_s_do_not():
    earlier, other_county = make_petition("earlier"), make_petition("orange", county="30")
    import_lines(earlier)
    import_lines(other_county)
    new = make_petition("new", pending=100)
    assert calibration_pool(new) == [earlier]
    assert calibration_pool(Petition.objects.get(slug="orange")) == [other_county]


def test_pending_lines_are_projected_at_the_calibrated_share(login, organizer):
    earlier = make_petition("earlier")
    import_lines(earlier)
    make_petition("new", pending=460)
    client = login(organizer)
    calibrated = client.get(reverse("petitions:progress", args=["new"])).json()["calibrated"]
    assert calibrated["uncalibrated"] == 600  # 300 valid, and the 460 pending at 300 / 460
    assert 580 <= calibrated["projected_valid"] <= 624


def test_the_latest_line_level_result_is_the_one_that_counts():
    petition = make_petition("a")
    import_lines(petition, as_of=datetime.date(2026, 11, 1))
    import_lines(petition, as_of=datetime.date(2026, 10, 1), flip=True)  # older, imported later
    assert latest_registrar_result(petition, "lines").as_of == datetime.date(2026, 11, 1)
    pairs = list(registrar_line_pairs([petition]))
    assert len(pairs) == 460
    assert sum(category == "valid" for *_, category in pairs) == 302
    assert ("valid", "match") in {(status, rule) for _, status, rule, _ in pairs}


def test_the_calibration_page_shows_the_curve_with_its_lines_held_out(login, organizer):
    import_lines(make_petition("a"))
    import_lines(make_petition("b"))
    client = login(organizer)
    page = client.get(reverse("petitions:calibration", args=["b"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="curve-svg"' in html
    assert html.count("<circle") == len(page.context["page"].points) >= 3
    curve = calibration_curve(Petition.objects.get(slug="b"))
    assert curve.held_out
    assert sum(p.lines for p in curve.points) == 920
    # Our valid lines predicted near 90%, the registrar's share there 90%.
    top = max(curve.points, key=lambda p: p.predicted)
    assert top.lines == 600
    assert top.observed == pytest.approx(0.9)
    assert 0.85 < top.predicted < 0.95
    cells = {(c.status, c.rule): c for c in curve.cells}
    assert cells[("address_mismatch", "moved")].lines == 120
    assert cells[("address_mismatch", "moved")].calibrated == pytest.approx(0.5, abs=0.03)
    assert cells[("valid", "match")].ours == 300


def test_the_calibration_page_with_one_petition_says_its_points_are_not_held_out(login, organizer):
    import_lines(make_petition("a"))
    html = login(organizer).get(reverse("petitions:calibration", args=["a"])).content.decode()
    assert "not held out" in html
    assert not calibration_curve(Petition.objects.get(slug="a")).held_out


def test_the_calibration_page_without_results_says_so(login, organizer):
    make_petition("a")
    page = login(organizer).get(reverse("petitions:calibration", args=["a"]))
    assert 'id="calibration-none"' in page.content.decode()
    assert "curve-svg" not in page.content.decode()


def test_the_calibration_page_is_for_organizers_get_only(client, login, volunteer, organizer):
    make_petition("a")
    url = reverse("petitions:calibration", args=["a"])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert login(volunteer).get(url).status_code == 403
    assert login(organizer).post(url).status_code == 405
    assert login(organizer).get(reverse("petitions:calibration", args=["nope"])).status_code == 404


def test_a_petition_without_lines_gets_no_calibrated_projection(login, organizer):
    import_lines(make_petition("a"))
    Petition.objects.create(title="Empty", slug="empty", required_signatures=10)
    progress = login(organizer).get(reverse("petitions:progress", args=["empty"])).json()
    assert progress["calibrated"] is None


def test_a_petition_of_several_counties_is_calibrated_on_those_of_the_same_counties():
    county = make_petition("county")
    import_lines(county)
    statewide = make_petition("state")
    statewide.electorate_counties = ["19", "30"]
    statewide.save(update_fields=["electorate_counties"])
    import_lines(statewide)
    assert calibration_pool(county) == [county]
    assert calibration_pool(statewide) == [statewide]
