"""What a volunteer sees of the roll: names, streets and cities, never a registrant id, a birth
date, a party or a precinct, whatever happened to their lines (README, Roles)."""

import datetime
import re
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse

from petitions.models import Line, Petition, Section
from petitions.review import line_decide
from tests.petitions.helpers import add, decided, validate
from tests.voters.factories import voter, write_canonical

pytestmark = pytest.mark.django_db(transaction=True)

# Registrant ids shaped like the county's, and birth dates, parties, precincts and registration
# dates that appear nowhere else, so finding one on a page can only be a leak.
ROLL = [
    voter("100000001", first_name="ROBERT", last_name="SMITHERS", house_number="12",
          street_name="OAK", street_type="AVE", city="GLENDALE", zip="91201",
          birth_date="1961-03-14"),
    voter("100000002", first_name="JOSE", last_name="MARTINEZ", name_suffix="SR",
          house_number="500", street_name="ELM", street_type="ST", city="PASADENA", zip="91101",
          birth_date="1950-07-22"),
    voter("100000003", first_name="JOSE", last_name="MARTINEZ", name_suffix="JR",
          house_number="500", street_name="ELM", street_type="ST", city="PASADENA", zip="91101",
          birth_date="1979-11-30"),
    voter("100000004", first_name="NORA", last_name="LINDQVIST", house_number="66",
          street_name="BIRCH", street_type="LN", city="BURBANK", zip="91502",
          birth_date="1991-01-09", registration_date="2026-09-01"),
    voter("100000005", first_name="GRACE", last_name="OKAFOR", house_number="900",
          street_name="VERMONT", street_type="AVE", city="LOS ANGELES", zip="90029",
          birth_date="1966-06-06"),
    voter("100000007", first_name="ZEBEDIAH", last_name="QUILLFEATHER", house_number="31",
          street_name="PINE", street_type="ST", city="LONG BEACH", zip="90802",
          birth_date="1944-12-25"),
]  # fmt: skip
for row in ROLL:
    row.update(party="PAF", precinct="7734021")
    row.setdefault("registration_date", "2003-02-11")
    row["registration_date"] = row["registration_date"].replace("2004-09-01", "2003-02-11")
SECRETS = sorted(
    {row["voter_id"] for row in ROLL}
    | {row["birth_date"] for row in ROLL}
    | {row["registration_date"] for row in ROLL}
    | {"PAF", "7734021"}
)

LINES = [  # what the volunteer keys, and what becomes of it
    ("Robert Smithers", "12 Oak Ave", "Glendale"),  # valid
    ("Bob Smithers", "12 Oak Avenue", "Glendale"),  # duplicate of line 1
    ("Zebediah Quillfeather", "31 Pine St", "Long Beach"),  # valid
    ("Zebediah Quillfeather", "1200 Main St", "Long Beach"),  # a namesake of line 3's signer
    ("Jose Martinez", "500 Elm St", "Pasadena"),  # SR or JR: taken to be JR (line 6)
    ("Jose Martinez Jr", "500 Elm St", "Pasadena"),  # duplicate
    ("Nora Lindqvist", "66 Birch Ln", "Burbank"),  # registered after filing
    ("Grace Okafor", "900 Vermont Ave", "Los Angeles"),  # a reviewer picks her
]


@pytest.fixture
def petition(tmp_path, volunteer):
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", ROLL)))
    petition = Petition.objects.create(title="Test recall", slug="test", required_signatures=10,
                                       filed_on=datetime.date(2026, 8, 15))  # fmt: skip
    Section.objects.create(petition=petition, serial=1, entered_by=volunteer)
    return petition


def decide_every_way(petition, reviewer) -> list[Line]:
    lines = [add(petition, *fields) for fields in LINES]
    validate(petition)
    lines = [decided(line) for line in lines]
    Line.objects.filter(pk=lines[7].pk).update(status="needs_review", counted=False)
    line_decide(line_id=lines[7].pk, choice="voter:100000005", reviewer=reviewer)
    lines = [decided(line) for line in lines]
    assert [(ln.status, ln.reason["rule"]) for ln in lines] == [
        ("valid", "match"), ("duplicate", "duplicate"), ("valid", "match"),
        ("not_registered", "namesake_of_signer"), ("valid", "namesakes_at_address"),
        ("duplicate", "duplicate"), ("registered_late", "registered_late"),
        ("valid", "manual"),
    ]  # fmt: skip
    return lines


def _shown(secret: str, page: str) -> bool:
    """The secret on the page as a value of its own, not three letters inside a random token (a
    CSRF token held "PAF" once in a few hundred runs)."""
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(secret)}(?![A-Za-z0-9])", page) is not None


def test_a_volunteer_sees_no_registrant_id_birth_date_or_party_anywhere(
    login, volunteer, reviewer, petition
):
    lines = decide_every_way(petition, reviewer)
    client = login(volunteer)
    htmx = {"HX-Request": "true"}
    section = reverse("petitions:section", args=["test", 1])
    pending = ",".join(str(n) for n in range(1, 12))
    answers = {
        "petitions": client.get(reverse("petitions:list")),
        "sections": client.get(reverse("petitions:sections", args=["test"])),
        "section": client.get(section),
        "entry row": client.get(section, {"part": "form"}, headers=htmx),
        "poll": client.get(section, {"part": "decided", "pending": pending}, headers=htmx),
    }
    for line in lines:
        url = reverse("petitions:line_edit", args=["test", 1, line.number])
        answers[f"line {line.number}"] = client.get(url)
        answers[f"line {line.number} row"] = client.get(url, {"part": "form"}, headers=htmx)
        answers[f"hint {line.number}"] = client.get(
            reverse("petitions:hint", args=["test", 1]),
            {"printed_name": line.printed_name, "residence_address": line.residence_address,
             "city": line.city, "zip": "", "signed": "on", "line": line.number},
        )  # fmt: skip
    # A save and a fix answer with their rows; then the poll and the pages again, decided.
    answers["save"] = client.post(
        reverse("petitions:line_add", args=["test", 1]),
        {"printed_name": "Robert Smithers", "residence_address": "12 Oak Ave", "city": "Glendale",
         "signed": "on", "client_token": str(uuid.uuid4())}, headers=htmx,
    )  # fmt: skip
    fix_url = reverse("petitions:line_edit", args=["test", 1, 8])
    answers["fix"] = client.post(
        fix_url, {"printed_name": "Grace Okafor", "residence_address": "900 Vermont Avenue",
                  "city": "Los Angeles", "signed": "on"}, headers=htmx,
    )  # fmt: skip
    validate(petition)
    answers["poll after"] = client.get(section, {"part": "decided", "pending": pending},
                                       headers=htmx)  # fmt: skip
    answers["section after"] = client.get(section)
    answers["line 8 after"] = client.get(fix_url)
    # The organizer's JSON is not the volunteer's.
    assert client.get(reverse("petitions:progress", args=["test"])).status_code == 403

    assert {name: r.status_code for name, r in answers.items() if r.status_code != 200} == {}
    leaks = {
        name: [secret for secret in SECRETS if _shown(secret, response.content.decode())]
        for name, response in answers.items()
    }
    assert {name: found for name, found in leaks.items() if found} == {}
    # The reasons are still there, in words.
    assert "signed this petition at their registered address" in answers["section"].content.decode()
    assert "registered after filing" in answers["section"].content.decode()
    assert "picked a candidate" in answers["line 8"].content.decode()


def test_reviewers_and_organizers_still_see_the_ids_behind_a_decision(
    login, reviewer, organizer, petition
):
    lines = decide_every_way(petition, reviewer)
    assert lines[3].reason["refs"]["signed_as"] == "100000007"
    assert lines[4].reason["refs"] == {"taken_as": "100000003"}
    assert lines[6].reason["refs"] == {"registered_on": "2026-09-01"}
    assert lines[7].reason["refs"] == {"picked": "100000005"}
    client = login(reviewer)
    body = client.get(reverse("petitions:review_line", args=["test", lines[3].pk])).content
    assert "signed as 100000007" in body.decode()
    body = client.get(reverse("petitions:review_line", args=["test", lines[7].pk])).content
    assert "picked 100000005" in body.decode()  # the reason
    assert "[voter 100000005]" in body.decode()  # the history
    client = login(organizer)
    body = client.get(reverse("petitions:section", args=["test", 1])).content.decode()
    assert "registered on 2026-09-01" in body
    export = b"".join(client.get(reverse("petitions:export", args=["test"])).streaming_content)
    assert "signed_as 100000007" in export.decode()
    assert "taken_as 100000003" in export.decode()


def test_the_migration_takes_ids_out_of_reasons_already_stored(petition, reviewer):
    import importlib

    from django.apps import apps

    from petitions.models import LineEvent

    migration = importlib.import_module("petitions.migrations.0006_reason_ids_out_of_summaries")
    old = {
        "a voter of this name (100000007) already signed this petition; x": (
            "a voter of this name already signed this petition; x", {"signed_as": "100000007"}),
        "match; taken to be voter 100000003, who also signed by name": (
            "match; taken to be the voter of this name who also signed by name",
            {"taken_as": "100000003"}),
        "registered on 2026-09-01, after filing (2026-08-15); match": (
            "registered after filing (2026-08-15); match", {"registered_on": "2026-09-01"}),
        "rita picked voter 100000005: surname exact": (
            "rita picked a candidate: surname exact", {"picked": "100000005"}),
    }  # fmt: skip
    lines = [add(petition, "Someone", "1 Main St", reason={"rule": "x", "summary": summary})
             for summary in old]  # fmt: skip
    event = LineEvent.objects.create(line=lines[3], petition=petition, kind="reviewed",
                                     note="rita picked voter 100000005: surname exact")  # fmt: skip
    migration.forwards(apps, None)
    assert [
        (decided(line).reason["summary"], decided(line).reason["refs"]) for line in lines
    ] == list(old.values())
    event.refresh_from_db()
    assert event.note == "rita picked a candidate: surname exact"


def test_a_volunteer_saving_a_name_at_a_made_up_address_is_not_told_where_the_voter_lives(
    login, volunteer, organizer, petition
):
    line = decided(add(petition, "Nora Lindqvist", "77 Made Up Rd", "Burbank"))
    validate(petition)
    line = decided(line)
    assert (line.status, line.reason["rule"]) == ("address_mismatch", "moved")
    assert line.reason["refs"] == {"registered_at": "66 N BIRCH LN, BURBANK"}
    section = reverse("petitions:section", args=["test", 1])
    line_url = reverse("petitions:line_edit", args=["test", 1, line.number])
    client = login(volunteer)
    for url in (section, line_url):
        page = client.get(url).content.decode()
        assert "registered at another address" in page
        assert "BIRCH" not in page.upper()
    # An organizer, who may see every line, sees where.
    assert "66 N BIRCH LN, BURBANK" in login(organizer).get(line_url).content.decode()
