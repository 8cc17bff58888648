"""By area: every line in an area by one rule, the rest counted apart (issue 18)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from petitions.models import Line, Petition, Section
from petitions.progress import breakdowns
from tests.voters.factories import voter, write_canonical

pytestmark = pytest.mark.django_db(transaction=True)

LA = {"city": "LOS ANGELES", "zip": "90012", "precinct": "LA-1", "supervisorial_district": "1"}
PAS = {"city": "PASADENA", "zip": "91101", "precinct": "PAS-7", "supervisorial_district": "5"}


@pytest.fixture
def petition(tmp_path):
    roll = [voter(f"L{i}", house_number=str(i), **LA) for i in range(1, 7)]
    roll += [voter(f"P{i}", house_number=str(i), **PAS) for i in range(1, 4)]
    call_command("import_voters", str(write_canonical(tmp_path / "r.csv", roll)))
    petition = Petition.objects.create(title="T", slug="t", required_signatures=10)
    section = Section.objects.create(petition=petition, serial=1)
    lines = [  # (voter, written city, written ZIP, status)
        ("L1", "", "", "valid"), ("L2", "", "", "valid"), ("L3", "", "", "valid"),
        ("L4", "", "", "valid"), ("L5", "", "", "canceled"), ("L6", "", "", "address_mismatch"),
        ("P1", "Los Angeles", "90012", "valid"),  # the voter's areas, not what is written
        ("P2", "", "", "valid"), ("P3", "", "", "canceled"),
        # Matched to no voter: the written city (Van Nuys is Los Angeles) and ZIP.
        ("", "Van Nuys", "91401", "not_registered"),
        ("", " van nuys ", "91401-2222", "not_registered"),
        ("", "pasadena", "91101", "not_registered"),
        ("", "Los Angeles", "90012", "pending"),
        ("", "", "", "not_registered"),  # nothing written: no area at all
        ("", "", "", "blank"),  # not a signature: in no count
    ]  # fmt: skip
    Line.objects.bulk_create(
        Line(petition=petition, section=section, number=n, printed_name="X",
             residence_address="1 A St", voter_registrant_id=rid, city=city, zip=zip_code,
             status=status)
        for n, (rid, city, zip_code, status) in enumerate(lines, start=1)
    )  # fmt: skip
    return petition


def table(rows):
    return {r["area"]: (r["lines"], r["decided"], r["valid"], r["validity_percent"]) for r in rows}


def test_every_line_is_in_an_area_by_one_rule_and_the_rest_apart(petition):
    result = breakdowns(petition, refresh=True)
    areas, apart = result["areas"], result["areas_unattributed"]
    assert table(areas["city"]) == {
        "LOS ANGELES": (9, 8, 4, 50.0),  # 6 voters, 2 from Van Nuys, 1 pending
        "PASADENA": (4, 4, 2, 50.0),  # 3 voters (P1 wrote Los Angeles), 1 written
    }
    assert table(areas["zip"]) == {
        "90012": (7, 6, 4, 66.7), "91101": (4, 4, 2, 50.0), "91401": (2, 2, 0, 0.0),
    }  # fmt: skip
    # The roll's areas know only the matched voters: the other five lines are apart, not an
    # area "(unknown)" at 0% that makes every precinct look better.
    assert table(areas["precinct"]) == {"LA-1": (6, 6, 4, 66.7), "PAS-7": (3, 3, 2, 66.7)}
    assert table(areas["supervisorial_district"]) == {"1": (6, 6, 4, 66.7), "5": (3, 3, 2, 66.7)}
    assert (apart["precinct"]["lines"], apart["precinct"]["decided"]) == (5, 4)
    assert (apart["city"]["lines"], apart["zip"]["lines"]) == (1, 1)
    for dimension, rows in areas.items():  # every signature once in each kind of area
        assert sum(r["lines"] for r in rows) + apart[dimension]["lines"] == 14, dimension
    assert not any(r["area"] in ("(none)", "(unknown)") for rows in areas.values() for r in rows)


def test_the_dashboard_shows_the_lines_not_attributed(login, organizer, petition):
    page = login(organizer).get(reverse("petitions:dashboard", args=["t"])).content.decode()
    assert "Not attributed: 5 lines, 0.0% valid of 4 decided." in page
    assert "Not attributed: 1 line, 0.0% valid of 1 decided." in page
    assert "(unknown)" not in page
