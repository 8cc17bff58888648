"""A petition's electorate (issue 20): a district, a city, several counties; sections of a county.

A voter registered outside counts nowhere in the petition: out of jurisdiction, saying where.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from petitions.electorate import registered_voters
from petitions.entry import LineInput, section_create
from petitions.hints import line_hint
from petitions.models import Line, Petition, Section
from petitions.progress import _areas
from petitions.review import line_decide
from petitions.roll_change import roll_activation_preview
from petitions.services import signatures_import
from tests.petitions.helpers import add, decided, validate
from tests.voters.factories import voter, write_canonical, write_sos
from voters.models import VoterRoll
from voters.selectors import active_roll

pytestmark = pytest.mark.django_db(transaction=True)

# Five households in five supervisorial districts and two cities.
DISTRICT_ROLL = [
    voter("D3A", first_name="ANA", last_name="RIVAS", house_number="10", street_name="OAK",
          street_type="AVE", city="PASADENA", zip="91101", supervisorial_district="3"),
    voter("D3B", first_name="BEN", last_name="OKAFOR", house_number="22", street_name="ELM",
          street_type="ST", city="GLENDALE", zip="91201", supervisorial_district="3"),
    voter("D2A", first_name="CARLA", last_name="NGUYEN", house_number="31", street_name="PINE",
          street_type="ST", city="PASADENA", zip="91103", supervisorial_district="2"),
    voter("D5A", first_name="DAVID", last_name="PETROSYAN", house_number="47", street_name="ASH",
          street_type="CT", city="LANCASTER", zip="93534", supervisorial_district="5"),
    voter("D3C", first_name="ELENA", last_name="PARK", house_number="58", street_name="CEDAR",
          street_type="DR", city="PASADENA", zip="91101", supervisorial_district="3",
          status="C"),
]  # fmt: skip


@pytest.fixture
def district_roll(tmp_path):
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", DISTRICT_ROLL)))


def _petition(**electorate) -> Petition:
    petition = Petition.objects.create(
        title="Recall of Supervisor Jane Doe, 3rd District", slug="sup3", required_signatures=10,
        **electorate,
    )  # fmt: skip
    Section.objects.create(petition=petition, serial=1)
    return petition


def test_a_district_recall_counts_only_the_districts_voters(district_roll):
    petition = _petition(electorate_districts={"supervisorial_district": ["3"]})
    inside = add(petition, "Ana Rivas", "10 Oak Ave", "Pasadena")
    also_inside = add(petition, "Ben Okafor", "22 Elm St", "Glendale")
    outside = add(petition, "Carla Nguyen", "31 Pine St", "Pasadena")
    far = add(petition, "David Petrosyan", "47 Ash Ct", "Lancaster")
    validate(petition)
    assert decided(inside).status == Line.Status.VALID
    assert decided(also_inside).status == Line.Status.VALID
    for line, where in ((outside, "Supervisorial district 2"), (far, "Supervisorial district 5")):
        line = decided(line)
        assert line.status == Line.Status.OUT_OF_JURISDICTION
        assert line.voter_registrant_id  # found on the roll: the reason says who and where
        assert line.reason["rule"] == "outside_electorate"
        assert line.reason["summary"].startswith("registered outside the petition's electorate")
        assert line.reason["refs"]["registered_in"] == where
        assert not line.counted
    assert Line.objects.filter(petition=petition, counted=True).count() == 2


@pytest.mark.parametrize(
    ("args", "name", "counties"),
    [
        (["--counties", "all"], "State of California", 58),
        (["--counties", "Los Angeles,30"], "Los Angeles County, Orange County", 2),
        (["--city", "pasadena"], "City of Pasadena", 0),
        (["--city", "pasadena", "--jurisdiction", "Pasadena"], "Pasadena", 0),
    ],
)
def test_a_petition_is_named_after_its_electorate(district_roll, args, name, counties):
    call_command("create_petition", "--title", "Recall", "--slug", "r", "--required", "9", *args)
    petition = Petition.objects.get(slug="r")
    assert (petition.jurisdiction, len(petition.electorate_counties)) == (name, counties)


def test_the_same_lines_on_a_countywide_petition_all_count(district_roll):
    petition = _petition()
    lines = [add(petition, "Carla Nguyen", "31 Pine St", "Pasadena"),
             add(petition, "David Petrosyan", "47 Ash Ct", "Lancaster")]  # fmt: skip
    validate(petition)
    assert [decided(line).status for line in lines] == [Line.Status.VALID] * 2


def test_a_city_recall_and_several_values_of_a_district(district_roll):
    city = _petition(electorate_city="Pasadena")
    lines = [add(city, "Ana Rivas", "10 Oak Ave", "Pasadena"),
             add(city, "Ben Okafor", "22 Elm St", "Glendale")]  # fmt: skip
    validate(city)
    assert [decided(line).status for line in lines] == ["valid", "out_of_jurisdiction"]
    assert decided(lines[1]).reason["refs"]["registered_in"] == "Glendale"
    assert registered_voters(city, active_roll().pk) == 2  # Pasadena's, cancelled left out
    two = Petition.objects.create(
        title="Two districts", slug="two", required_signatures=5,
        electorate_districts={"supervisorial_district": ["2", "3"]},
    )  # fmt: skip
    assert registered_voters(two, active_roll().pk) == 3


def test_create_petition_takes_the_base_from_the_roll(district_roll):
    call_command("create_petition", "--title", "Recall of Supervisor Doe", "--slug", "doe",
                 "--district", "supervisorial_district=3")  # fmt: skip
    petition = Petition.objects.get(slug="doe")
    assert petition.jurisdiction == "Los Angeles County"  # named after the county by default
    assert petition.electorate_districts == {"supervisorial_district": ["3"]}
    assert petition.registration_base == 2  # D3A, D3B; D3C's registration is cancelled
    assert petition.required_signatures == 1  # 30% of 2, rounded up (EC 11221)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--district", "ward=3"],
         r"no district column ward \(it has: supervisorial_district\) \(--district\)"),
        (["--district", "supervisorial_district=9"],
         r"supervisorial_district 9 is not a value the voter roll holds \(it has: 2, 3, 5\) "
         r"\(--district\)"),
        (["--district", "supervisorial_district"], r"--district must be COLUMN=VALUE"),
        (["--city", "Atlantis"], r"no voter of the roll is registered in a city called Atlantis"),
        (["--counties", "19,Narnia"], r"--counties: 'Narnia' is not a California county"),
    ],
)  # fmt: skip
def test_create_petition_refuses_an_electorate_the_roll_lacks(district_roll, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_petition", "--title", "Recall", "--slug", "r", *args)
    assert not Petition.objects.exists()


@pytest.fixture
def two_county_roll(tmp_path):
    rows = [
        voter("LA1", first_name="ROSA", last_name="MEJIA", house_number="5", street_name="BAY",
              city="LONG BEACH", zip="90802", county_code="19"),
        voter("OC1", first_name="TOM", last_name="HALE", house_number="9", street_name="REEF",
              city="HUNTINGTON BEACH", zip="92648", county_code="30"),
    ]  # fmt: skip
    call_command("import_voters", str(write_sos(tmp_path / "state.txt", rows)))


def test_a_section_counts_only_its_countys_voters(two_county_roll):
    petition = Petition.objects.create(
        title="Statewide", slug="state", required_signatures=10, electorate_counties=["19", "30"],
        sampling_rule=Petition.SamplingRule.STATEWIDE,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        section_create(petition=petition, serial=1, entered_by=None)
    assert "county_code" in refused.value.message_dict
    with pytest.raises(ValidationError, match="not one of the petition's counties"):
        section_create(petition=petition, serial=1, entered_by=None, county_code="37")
    section_create(petition=petition, serial=1, entered_by=None, county_code="19")
    here = add(petition, "Rosa Mejia", "5 Bay St", "Long Beach")
    there = add(petition, "Tom Hale", "9 Reef St", "Huntington Beach")
    validate(petition)
    assert decided(here).status == Line.Status.VALID
    there = decided(there)
    assert there.status == Line.Status.OUT_OF_JURISDICTION
    assert there.reason["summary"].startswith("registered in another county than the section's")
    assert there.reason["refs"]["registered_in"] == "Orange County"


def test_the_hint_says_a_signer_outside_will_not_count(district_roll):
    petition = _petition(electorate_districts={"supervisorial_district": ["3"]})
    roll = active_roll().pk
    section = petition.sections.get()
    outside = line_hint(
        petition=petition, roll_id=roll, section=section,
        data=LineInput(printed_name="Carla Nguyen", residence_address="31 Pine St",
                       city="Pasadena", signed=True),
    )  # fmt: skip
    assert outside.outcome == "out_of_county"
    assert "Supervisorial district 3" in outside.message
    assert "will not count" in outside.message
    assert outside.candidates == []  # nobody shown, and never where they are registered
    inside = line_hint(
        petition=petition, roll_id=roll, section=section,
        data=LineInput(printed_name="Ana Rivas", residence_address="10 Oak Ave",
                       city="Pasadena", signed=True),
    )  # fmt: skip
    assert inside.outcome == "counts"


def test_the_new_petition_page_offers_the_rolls_districts(district_roll, login, organizer):
    client = login(organizer)
    page = client.get(reverse("petitions:new")).content.decode()
    assert 'value="supervisorial_district=3"' in page
    assert '<option value="PASADENA">Pasadena</option>' in page
    response = client.post(reverse("petitions:new"), {
        "title": "Recall of Supervisor Doe", "slug": "doe", "jurisdiction": "Los Angeles County",
        "electorate_districts": ["supervisorial_district=2", "supervisorial_district=5"],
    })  # fmt: skip
    assert response.status_code == 302
    petition = Petition.objects.get(slug="doe")
    assert petition.electorate_districts == {"supervisorial_district": ["2", "5"]}
    assert petition.registration_base == 2  # D2A and D5A, counted on the roll
    listing = client.get(reverse("petitions:list")).content.decode()
    assert "Supervisorial district 2 or 5" in listing
    refused = client.post(reverse("petitions:new"), {
        "title": "Recall", "slug": "x", "jurisdiction": "Los Angeles County",
        "electorate_districts": ["supervisorial_district=9"],
    })  # fmt: skip
    assert refused.status_code == 400  # not a choice the roll offers: said on the field
    assert not Petition.objects.filter(slug="x").exists()


def test_a_reviewer_picking_a_voter_outside_makes_it_out_of_jurisdiction(district_roll, reviewer):
    petition = _petition(electorate_districts={"supervisorial_district": ["3"]})
    # A misspelt name at the address: grey, to review, with the voter as a candidate.
    line = add(petition, "Carl Nguyn", "31 Pine St", "Pasadena")
    validate(petition)
    line = decided(line)
    ids = [c.get("voter_id") for c in line.reason.get("candidates", [])]
    assert "D2A" in ids
    line = line_decide(line_id=line.pk, choice="voter:D2A", reviewer=reviewer)
    assert line.status == Line.Status.OUT_OF_JURISDICTION
    assert line.reason["refs"]["registered_in"] == "Supervisorial district 2"
    assert not line.counted


def test_the_dashboards_areas_are_those_inside_the_electorate(district_roll):
    petition = _petition(electorate_districts={"supervisorial_district": ["3"]})
    add(petition, "Ana Rivas", "10 Oak Ave", "Pasadena")
    add(petition, "Carla Nguyen", "31 Pine St", "Pasadena")
    add(petition, "David Petrosyan", "47 Ash Ct", "Lancaster")
    validate(petition)
    areas, apart = _areas(petition.pk, active_roll().pk)
    assert [a["area"] for a in areas["supervisorial_district"]] == ["3"]
    assert [a["area"] for a in areas["city"]] == ["PASADENA"]  # Ana's; not Lancaster
    assert apart["supervisorial_district"]["lines"] == 2


def _lines_csv(path, rows):
    header = "section,line,printed_name,residence_address,city,county\n"
    path.write_text(header + "".join(",".join(r) + "\n" for r in rows))
    return path


def test_the_signature_import_reads_each_sections_county(two_county_roll, tmp_path):
    petition = Petition.objects.create(
        title="Statewide", slug="state", required_signatures=10, electorate_counties=["19", "30"]
    )
    bad = _lines_csv(tmp_path / "bad.csv", [
        ("1", "1", "Rosa Mejia", "5 Bay St", "Long Beach", "19"),
        ("1", "2", "Tom Hale", "9 Reef St", "Huntington Beach", "Orange"),
        ("2", "1", "Tom Hale", "9 Reef St", "Huntington Beach", ""),
        ("3", "1", "Tom Hale", "9 Reef St", "Huntington Beach", "San Diego"),
        ("4", "1", "Tom Hale", "9 Reef St", "Huntington Beach", "Narnia"),
    ])  # fmt: skip
    report = signatures_import(petition=petition, path=bad)
    assert [r["line"] for r in report.rejects] == [3, 4, 5, 6]
    reasons = " | ".join(r["reason"] for r in report.rejects)
    assert "section 1 is of Los Angeles County, not Orange County" in reasons
    assert "section 2 has no county: the petition has several" in reasons
    assert "San Diego County is not one of the petition's counties" in reasons
    assert "county 'Narnia' is not a California county" in reasons
    assert not Line.objects.exists()  # all or nothing
    good = _lines_csv(tmp_path / "good.csv", [
        ("1", "1", "Rosa Mejia", "5 Bay St", "Long Beach", "19"),
        ("1", "2", "Tom Hale", "9 Reef St", "Huntington Beach", ""),
        ("2", "1", "Tom Hale", "9 Reef St", "Huntington Beach", "orange county"),
    ])  # fmt: skip
    report = signatures_import(petition=petition, path=good)
    assert report.rows_rejected == 0
    assert dict(petition.sections.values_list("serial", "county_code")) == {1: "19", 2: "30"}
    validate(petition)
    statuses = {
        (ln.section.serial, ln.number): ln.status for ln in petition.lines.select_related("section")
    }
    assert statuses == {(1, 1): "valid", (1, 2): "out_of_jurisdiction", (2, 1): "valid"}


def test_a_new_roll_without_the_district_column_shows_in_the_activation_preview(
    district_roll, tmp_path
):
    petition = _petition(electorate_districts={"supervisorial_district": ["3"]})
    add(petition, "Ana Rivas", "10 Oak Ave", "Pasadena")
    add(petition, "Ben Okafor", "22 Elm St", "Glendale")
    validate(petition)
    # The same voters in a file that has lost its district column: nobody is inside any more.
    rows = [{k: v for k, v in r.items() if k != "supervisorial_district"} for r in DISTRICT_ROLL]
    call_command("import_voters", str(write_canonical(tmp_path / "new.csv", rows)),
                 "--no-activate")  # fmt: skip
    candidate = VoterRoll.objects.get(state=VoterRoll.State.READY)
    [estimate] = roll_activation_preview(None, candidate=candidate, active=active_roll())
    assert (estimate["changed"], estimate["valid_after"]) == (2, 0)
    assert Line.objects.filter(petition=petition, status="valid").count() == 2  # nothing written
