"""A petition of several counties (issue 20): each county verifies its own sections, the sum's
verdict on the dashboard, the 30-day reports (EC 11104) and the five-county rule."""

import csv
import io
from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from petitions.models import Line, Petition, Section
from petitions.progress import petition_progress
from petitions.statewide import counties_verdict, one_percent
from petitions.thirty_day import thirty_day_report
from recall.models import AuditEvent
from tests.petitions.helpers import add, decided, validate
from tests.voters.factories import voter, write_sos

pytestmark = pytest.mark.django_db

LA, ORANGE, SAN_DIEGO = "19", "30", "37"


def statewide(counties=(LA, ORANGE, SAN_DIEGO), required=40, **fields) -> Petition:
    return Petition.objects.create(
        title="Recall of the Governor", slug="gov", required_signatures=required,
        electorate_counties=list(counties), sampling_rule=Petition.SamplingRule.STATEWIDE,
        **fields,
    )  # fmt: skip


def lines(petition, county, statuses, *, received_on=None, voters=None) -> Section:
    """A new section of `county` holding lines of these statuses (voters: their registrant ids)."""
    serial = Section.objects.filter(petition=petition).count() + 1
    section = Section.objects.create(
        petition=petition, serial=serial, county_code=county, received_on=received_on
    )
    Line.objects.bulk_create(
        Line(petition=petition, section=section, number=i + 1, status=status,
             printed_name="X", residence_address="1 A St",
             voter_registrant_id=(voters or {}).get(i, ""))
        for i, status in enumerate(statuses)
    )  # fmt: skip
    return section


def test_each_county_counts_and_projects_its_own_sections():
    petition = statewide()
    lines(petition, LA, ["valid"] * 20 + ["not_registered"] * 5 + ["pending"] * 5)
    lines(petition, LA, ["valid"] * 10 + ["blank"] * 3)
    # Orange: 8 valid, 2 duplicates of one voter (3 lines: m = 3) among its 12 lines.
    lines(petition, ORANGE, ["valid"] * 8 + ["duplicate"] * 2 + ["out_of_jurisdiction"] * 2,
          voters={7: "OC7", 8: "OC7", 9: "OC7"})  # fmt: skip
    verdict = counties_verdict(petition)
    rows = {row["county"]: row for row in verdict["rows"]}
    assert [row["county"] for row in verdict["rows"]] == [LA, ORANGE, SAN_DIEGO]  # largest first
    la, orange, san_diego = rows[LA], rows[ORANGE], rows[SAN_DIEGO]
    assert (la["sections"], la["raw"], la["decided"], la["valid"]) == (2, 40, 35, 30)
    # Under 500 lines each county checks every one: 30 valid, the 5 pending at LA's 30 of 35.
    assert la["sample_size"] == 40
    assert la["projected_valid"] == 30 + round(5 * 30 / 35)
    # Orange: 8 qualifying lines plus the 2 repeats, the repeats taken out again.
    assert (orange["raw"], orange["valid"], orange["projected_valid"]) == (12, 8, 8)
    assert (san_diego["sections"], san_diego["raw"], san_diego["projected_valid"]) == (0, 0, 0)
    aggregate = verdict["aggregate"]
    assert aggregate["projected_valid"] == 34 + 8
    # Every county counted in full: the sum is exact, 42 of 40 required.
    assert aggregate["band"] == "sufficient"
    assert la["share_percent"] == 81.0  # 34 of 42
    assert aggregate["raw"] == 52
    assert verdict["five_county"]["applies"] is False
    # progress.json's registrar is the sum, not the petition taken as one county.
    registrar = petition_progress(petition)["registrar"]
    assert registrar["by_county"] is True
    assert registrar["projected_valid"] == 42


def test_a_county_with_nothing_decided_yet_is_projected_at_the_petitions_rate():
    petition = statewide()
    lines(petition, LA, ["valid"] * 30 + ["not_registered"] * 10)  # 75% valid
    lines(petition, ORANGE, ["pending"] * 20)  # keyed, not validated yet
    verdict = counties_verdict(petition)
    orange = next(row for row in verdict["rows"] if row["county"] == ORANGE)
    # Not none valid: the same rate the dashboard's own projection takes its pending lines at.
    assert (orange["decided"], orange["at_petition_rate"], orange["projected_valid"]) == (
        0,
        True,
        15,
    )
    assert verdict["aggregate"]["projected_valid"] == 30 + 15
    assert verdict["aggregate"]["counties_at_petition_rate"] == 1
    assert petition_progress(petition)["projected_valid"] == 45  # the top of the dashboard agrees


def test_a_county_over_500_lines_draws_3_percent_and_the_sum_decides():
    petition = statewide(counties=(LA, ORANGE), required=1000)
    lines(petition, LA, ["valid"] * 800 + ["not_registered"] * 200)  # 1,000: a sample of 500
    lines(petition, ORANGE, ["valid"] * 170 + ["not_registered"] * 30)  # 200: every line
    verdict = counties_verdict(petition)
    rows = {row["county"]: row for row in verdict["rows"]}
    assert rows[LA]["sample_size"] == 500
    assert rows[ORANGE]["sample_size"] == 200
    # The median sample finds 400 of 500 valid (80.00%): 800 of the 1,000.
    assert rows[LA]["projected_valid"] == 800
    assert rows[LA]["projected_low"] < 800 < rows[LA]["projected_high"]
    assert rows[ORANGE]["projected_valid"] == 170
    aggregate = verdict["aggregate"]
    assert aggregate["projected_valid"] == 970
    # 97% of 1,000: from 95% to 110% every signature is counted.
    assert aggregate["band"] == "full_count"
    assert aggregate["full_count_from"] == 950
    assert aggregate["sufficient_from"] == 1101
    assert (aggregate["margin"], aggregate["to_sufficient"]) == (20, 131)
    assert aggregate["deciding"] == [LA, ORANGE]  # without either, under 95%
    assert 0 < aggregate["probabilities"]["insufficient"] < aggregate["probabilities"]["full_count"]
    assert counties_verdict(petition) == verdict  # cached, and the same draws anyway


def test_sections_with_no_county_are_left_out_of_the_sum():
    petition = statewide(counties=(LA, ORANGE))
    lines(petition, LA, ["valid"] * 5)
    lines(petition, "", ["valid"] * 7)  # stored before sections had to name their county
    verdict = counties_verdict(petition)
    assert verdict["unassigned_lines"] == 7
    assert verdict["aggregate"]["projected_valid"] == 5


@pytest.fixture
def three_county_roll(tmp_path):
    rows = [
        voter("LA1", first_name="ROSA", last_name="MEJIA", house_number="5", street_name="BAY",
              city="LONG BEACH", zip="90802", county_code=LA),
        voter("LA2", first_name="IVAN", last_name="SOTO", house_number="7", street_name="BAY",
              city="LONG BEACH", zip="90802", county_code=LA),
        voter("OC1", first_name="TOM", last_name="HALE", house_number="9", street_name="REEF",
              city="HUNTINGTON BEACH", zip="92648", county_code=ORANGE),
        voter("SD1", first_name="MAYA", last_name="CRUZ", house_number="3", street_name="PALM",
              city="SAN DIEGO", zip="92101", county_code=SAN_DIEGO),
    ]  # fmt: skip
    call_command("import_voters", str(write_sos(tmp_path / "state.txt", rows)))


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_shows_every_county_and_the_sums_verdict(
    three_county_roll, login, organizer, django_assert_num_queries
):
    petition = statewide(required=2)
    for serial, county in enumerate((LA, ORANGE, SAN_DIEGO), start=1):
        Section.objects.create(petition=petition, serial=serial, county_code=county)
    add(petition, "Rosa Mejia", "5 Bay St", "Long Beach", serial=1)
    add(petition, "Ivan Soto", "7 Bay St", "Long Beach", serial=1)
    add(petition, "Tom Hale", "9 Reef St", "Huntington Beach", serial=1)  # in LA's section
    sd = add(petition, "Maya Cruz", "3 Palm St", "San Diego", serial=3)
    validate(petition)
    assert decided(sd).status == Line.Status.VALID
    client = login(organizer)
    # Counted afresh (nothing cached yet): the counties add three queries, whatever their
    # number (lines by county and status, repeat signers by county, sections by county); one is
    # the examination clock (the registrar's results), one asks whether the registrar has
    # line-level results to calibrate with (none here); the held sections' lines, the filing
    # panel and the held sections' key for the counties' cache, one each.
    with django_assert_num_queries(19):
        page = client.get(reverse("petitions:dashboard", args=["gov"]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="counties-table"' in body
    assert "<caption" in body
    for county, name in ((LA, "Los Angeles County"), (ORANGE, "Orange County"),
                         (SAN_DIEGO, "San Diego County")):  # fmt: skip
        assert f'data-county="{county}"' in body
        assert name in body
    verdict = counties_verdict(petition)
    rows = {row["county"]: row for row in verdict["rows"]}
    assert (rows[LA]["raw"], rows[LA]["valid"]) == (3, 2)  # Tom Hale is Orange's voter
    assert (rows[ORANGE]["raw"], rows[SAN_DIEGO]["valid"]) == (0, 1)
    # 3 of 2 required, counted in full: sufficient; without LA's 2 it would fail.
    assert verdict["aggregate"]["band"] == "sufficient"
    assert verdict["aggregate"]["deciding"] == [LA]
    assert "The Secretary of State's verdict, simulated" in body
    assert body.count('<span class="badge text-bg-warning">decides</span>') == 1
    assert reverse("petitions:reports", args=["gov"]) in body


def test_a_one_county_petitions_dashboard_has_no_county_table(login, organizer):
    petition = Petition.objects.create(title="DA", slug="da", required_signatures=10)
    lines(petition, "", ["valid"] * 3)
    body = login(organizer).get(reverse("petitions:dashboard", args=["da"])).content.decode()
    assert 'id="counties-table"' not in body
    assert "The registrar's verdict, simulated" in body
    assert "by_county" not in petition_progress(petition)["registrar"]


def _keyed_on(section: Section, day: date) -> None:
    moment = datetime(day.year, day.month, day.day, 12, tzinfo=timezone.get_current_timezone())
    Line.objects.filter(section=section).update(entered_at=moment)


def test_the_30_day_reports_by_county_and_period():
    petition = statewide(counties=(LA, ORANGE), approved_on=date(2026, 1, 1),
                         deadline=date(2026, 6, 9))  # fmt: skip
    # Received on day 4 (period 1) and day 40 (period 2); one with no received day, keyed on
    # day 35 (period 2); one before the approval (period 1).
    lines(petition, LA, ["valid"] * 6 + ["not_registered"] * 2 + ["blank"],
          received_on=date(2026, 1, 5))  # fmt: skip
    lines(petition, LA, ["valid"] * 3 + ["pending"], received_on=date(2026, 2, 10))
    _keyed_on(lines(petition, ORANGE, ["valid"] * 4 + ["duplicate"]), date(2026, 2, 5))
    lines(petition, ORANGE, ["valid"], received_on=date(2025, 12, 20))
    report = thirty_day_report(petition, today=date(2026, 3, 15))
    assert report["start"] == date(2026, 1, 1)
    assert report["from_approval"]
    periods = report["periods"]
    assert [(p["number"], p["start"], p["end"]) for p in periods] == [
        (1, date(2026, 1, 1), date(2026, 1, 30)),
        (2, date(2026, 1, 31), date(2026, 3, 1)),
        (3, date(2026, 3, 2), date(2026, 3, 31)),  # today's
    ]  # fmt: skip

    def figures(period, county):
        row = next(r for r in periods[period]["rows"] if r["county"] == county)
        return (row["submitted"], row["cumulative_submitted"], row["valid"],
                row["cumulative_valid"])  # fmt: skip

    assert figures(0, LA) == (8, 8, 6, 6)  # the blank line is no signature
    assert figures(1, LA) == (4, 12, 3, 9)
    assert figures(2, LA) == (0, 12, 0, 9)
    assert figures(0, ORANGE) == (1, 1, 1, 1)
    assert figures(1, ORANGE) == (5, 6, 4, 5)
    total = periods[1]["total"]
    assert (total["submitted"], total["cumulative_submitted"], total["valid"],
            total["cumulative_valid"]) == (9, 18, 7, 14)  # fmt: skip


def test_the_30_day_reports_page_and_csv(login, organizer, volunteer):
    petition = statewide(counties=(LA, ORANGE), approved_on=timezone.localdate())
    lines(petition, LA, ["valid"] * 2 + ["not_registered"], received_on=timezone.localdate())
    page_url = reverse("petitions:reports", args=["gov"])
    csv_url = reverse("petitions:reports_csv", args=["gov"])
    assert login(volunteer).get(page_url).status_code == 403
    assert login(volunteer).get(csv_url).status_code == 403
    client = login(organizer)
    page = client.get(page_url)
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="period-1"' in body
    assert "<caption" in body
    assert "Los Angeles County" in body
    assert "received day" in body  # what dates a line is said
    download = client.get(csv_url)
    assert download["Content-Disposition"] == 'attachment; filename="gov-30-day-reports.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
    today = timezone.localdate().isoformat()
    assert rows[0] == [
        "period", "period_start", "period_end", "county_code", "county", "submitted",
        "cumulative_submitted", "valid", "cumulative_valid",
    ]  # fmt: skip
    assert rows[1][:2] == ["1", today]
    assert rows[1][3:] == ["19", "Los Angeles County", "3", "3", "2", "2"]
    assert rows[2][3:] == ["30", "Orange County", "0", "0", "0", "0"]
    assert client.post(csv_url).status_code == 405


def test_reports_without_lines_or_an_approval_day(login, organizer):
    statewide()
    body = login(organizer).get(reverse("petitions:reports", args=["gov"])).content.decode()
    assert 'id="reports-none"' in body


SIX = (LA, ORANGE, SAN_DIEGO, "33", "43", "01")  # + Riverside, Santa Clara, Alameda


def test_the_five_county_rule(tmp_path):
    petition = statewide(counties=SIX, required=100)
    for county in SIX:
        lines(petition, county, ["valid"] * 10)
    votes = tmp_path / "votes.csv"
    # 1% of 1,000 is 10 (met), of 1,001 is 11 (not met: 10 valid).
    votes.write_text("County,Votes\nLos Angeles,1000\n30,1000\nSan Diego County,\"1,000\"\n"
                     "33,1000\n43,1001\n")  # fmt: skip
    call_command("set_county_votes", "--petition", "gov", str(votes))
    petition.refresh_from_db()
    assert petition.county_votes == {LA: 1000, ORANGE: 1000, "33": 1000, SAN_DIEGO: 1000,
                                     "43": 1001}  # fmt: skip
    assert AuditEvent.objects.filter(action="petition_changed").exists()
    assert (one_percent(1000), one_percent(1001)) == (10, 11)
    verdict = counties_verdict(petition)
    rows = {row["county"]: row for row in verdict["rows"]}
    assert rows[LA]["one_percent"] == 10
    assert rows[LA]["meets_valid"] is True
    assert rows["43"]["meets_valid"] is False
    assert rows["43"]["meets_projected"] is False
    assert rows["01"]["votes"] is None
    assert rows["01"]["meets_valid"] is None
    five = verdict["five_county"]
    assert (five["applies"], five["meeting_valid"], five["met_valid"]) == (True, 4, False)
    assert five["counties_without_votes"] == 1
    votes.write_text("county,votes\n19,1000\n30,1000\n37,1000\n33,1000\n43,1000\n")
    call_command("set_county_votes", "--petition", "gov", str(votes))
    petition.refresh_from_db()
    five = counties_verdict(petition)["five_county"]  # the settings are in the cache key
    assert (five["meeting_valid"], five["meeting_projected"], five["met_projected"]) == (
        5, 5, True,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("county,votes\nNarnia,10\n", r"row 2: 'Narnia' is not a California county"),
        ("county,votes\n19,10\nLos Angeles,20\n",
         r"row 3: Los Angeles County again \(first in row 2\)"),
        ("county,votes\n19,ten\n", r"row 2: votes 'ten' for Los Angeles County is not a positive"),
        ("county,votes\n19,0\n", r"row 2: votes '0' .* not a positive whole number"),
        ("county,votes\n19,10\n,5\n", r"row 3: no county"),
        ("county,votes\n19,10\n37,10\n", r"row 3: San Diego County is not one of the petition's"),
        ("county,count\n19,10\n", r"row 1 \(the header\): no column votes"),
        ("county,votes\n", r"No county rows under the header"),
        ("", r"Nothing given: a header row county,votes"),
    ],
)  # fmt: skip
def test_set_county_votes_names_the_row_at_fault(tmp_path, text, message):
    statewide(counties=(LA, ORANGE))
    path = tmp_path / "votes.csv"
    path.write_text(text)
    with pytest.raises(CommandError, match=message):
        call_command("set_county_votes", "--petition", "gov", str(path))
    assert Petition.objects.get().county_votes == {}


def test_set_county_votes_refuses_a_missing_petition_or_file(tmp_path):
    statewide()
    with pytest.raises(CommandError, match=r"no petition with slug 'nope' \(--petition\)"):
        call_command("set_county_votes", "--petition", "nope", str(tmp_path / "v.csv"))
    with pytest.raises(CommandError, match="no such file"):
        call_command("set_county_votes", "--petition", "gov", str(tmp_path / "v.csv"))
    (tmp_path / "latin.csv").write_bytes(b"county,votes\nSanta B\xe1rbara,5\n")
    with pytest.raises(CommandError, match="is not UTF-8 text"):
        call_command("set_county_votes", "--petition", "gov", str(tmp_path / "latin.csv"))


def test_the_county_votes_page_stores_them_and_names_a_bad_row(login, organizer, volunteer):
    petition = statewide(counties=(LA, ORANGE))
    url = reverse("petitions:county_votes", args=["gov"])
    assert login(volunteer).get(url).status_code == 403
    client = login(organizer)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="votes"' in page.content.decode()
    refused = client.post(url, {"votes": "county,votes\nLos Angeles,2910000\nNarnia,5\n"})
    assert refused.status_code == 400
    assert "row 3: &#x27;Narnia&#x27; is not a California county" in refused.content.decode()
    petition.refresh_from_db()
    assert petition.county_votes == {}  # nothing stored unless every row is good
    stored = client.post(url, {"votes": 'county,votes\nLos Angeles,"2,910,000"\n30,1200000\n'})
    assert stored.status_code == 302
    assert stored["Location"] == reverse("petitions:dashboard", args=["gov"])
    petition.refresh_from_db()
    assert petition.county_votes == {LA: 2_910_000, ORANGE: 1_200_000}
    # Shown again as it is stored, to be changed.
    assert "Los Angeles,2910000" in client.get(url).content.decode()
    assert client.put(url).status_code == 405


def test_the_scheduler_counts_the_counties_afresh():
    from petitions.tasks import refresh_breakdowns

    petition = statewide(counties=(LA, ORANGE))
    lines(petition, LA, ["valid"] * 3)
    assert counties_verdict(petition)["aggregate"]["raw"] == 3
    lines(petition, ORANGE, ["valid"] * 2)
    assert counties_verdict(petition)["aggregate"]["raw"] == 3  # read from the cache
    refresh_breakdowns()
    assert counties_verdict(petition)["aggregate"]["raw"] == 5


def test_a_held_section_leaves_its_countys_counts_and_the_30_day_reports(organizer):
    from petitions.services.sections import section_hold, section_release

    petition = statewide(counties=(LA, ORANGE), approved_on=date(2026, 1, 1))
    lines(petition, LA, ["valid"] * 6, received_on=date(2026, 1, 5))
    suspect = lines(petition, LA, ["valid"] * 4, received_on=date(2026, 1, 6))
    lines(petition, ORANGE, ["valid"] * 3, received_on=date(2026, 1, 5))

    def la_raw() -> tuple[int, int]:
        la = next(r for r in counties_verdict(petition)["rows"] if r["county"] == LA)
        row = next(r for r in thirty_day_report(petition, today=date(2026, 1, 20))["periods"][0]
                   ["rows"] if r["county"] == LA)  # fmt: skip
        return la["raw"], row["submitted"]

    assert la_raw() == (10, 10)
    section_hold(petition=petition, section_id=suspect.pk, reason="one night's lines", by=organizer)
    assert la_raw() == (6, 6)  # the county's verdict is not read from the cache of before
    section_release(petition=petition, section_id=suspect.pk, by=organizer)
    assert la_raw() == (10, 10)
