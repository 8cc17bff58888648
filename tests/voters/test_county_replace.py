"""A statewide roll by county, each county's file replaceable alone (issue 20).

The roll's table is partitioned by county; a county's new file is loaded, indexed and swapped in
alone, the other counties' tables untouched; the lines it may change are decided again.
"""

import re

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from petitions.electorate import district_sets
from petitions.entry import section_create
from petitions.models import Line, Petition
from recall.models import AuditEvent
from tests.petitions.helpers import add, validate
from tests.voters.factories import voter, write_canonical, write_sos
from voters import services
from voters.matching import near_streets, roll_places, roll_streets
from voters.models import Voter, VoterPlace, VoterRoll, VoterRollCounty, VoterSurname
from voters.voterfile import CANONICAL_COLUMNS

pytestmark = pytest.mark.django_db(transaction=True)

LA = [
    voter("LA1", first_name="ROSA", last_name="MEJIA", house_number="5", street_name="BAY",
          city="LONG BEACH", zip="90802", county_code="19"),
    voter("LA2", first_name="IVAN", last_name="PETROV", house_number="7", street_name="BAY",
          city="LONG BEACH", zip="90802", county_code="19"),
]  # fmt: skip
ORANGE = [
    voter("OC1", first_name="TOM", middle_name="QUENTIN", last_name="HALE", house_number="9",
          street_name="REEF", city="HUNTINGTON BEACH", zip="92648", county_code="30"),
    voter("OC2", first_name="AMY", last_name="ZELLWEGER", house_number="11", street_name="REEF",
          city="HUNTINGTON BEACH", zip="92648", county_code="30"),
    voter("OC3", first_name="LUIS", last_name="ORTEGA", house_number="3", street_name="CLIFF",
          street_type="DR", city="LAGUNA BEACH", zip="92651", county_code="30"),
]  # fmt: skip
SAN_DIEGO = [
    voter("SD1", first_name="KAI", last_name="NAKAMURA", house_number="40", street_name="PALM",
          street_type="AVE", city="SAN DIEGO", zip="92101", county_code="37"),
]  # fmt: skip

# Orange County's next file: Tom Hale moved within the county (his middle initial, written,
# singles him out in another town of a county this small), Amy Zellweger's registration is
# gone, Nora Quist registered; Luis Ortega unchanged.
ORANGE_NEXT = [
    voter("OC1", first_name="TOM", middle_name="QUENTIN", last_name="HALE", house_number="200",
          street_name="MAIN", city="SANTA ANA", zip="92701", county_code="30"),
    ORANGE[2],
    voter("OC4", first_name="NORA", last_name="QUIST", house_number="15", street_name="REEF",
          city="HUNTINGTON BEACH", zip="92648", county_code="30"),
]  # fmt: skip


def rows_of(roll: VoterRoll, county: str) -> list[tuple]:
    return list(
        Voter.objects.filter(roll=roll, county_code=county)
        .order_by("registrant_id")
        .values_list("registrant_id", "last_name", "house_number", "street_key", "city_key")
    )


def county_tables(roll: VoterRoll) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits h "
            "JOIN pg_class c ON c.oid = h.inhrelid WHERE h.inhparent = %s::regclass",
            [roll.partition_name],
        )
        return {bound: name for name, bound in cursor.fetchall()}


@pytest.fixture
def state(tmp_path) -> VoterRoll:
    call_command(
        "import_voters", str(write_sos(tmp_path / "state.txt", LA + ORANGE + SAN_DIEGO)),
        "--by-county",
    )  # fmt: skip
    return VoterRoll.objects.get(state=VoterRoll.State.ACTIVE)


@pytest.fixture
def petition(state) -> Petition:
    """A statewide petition with a section in Los Angeles and one in Orange County, every
    signer valid."""
    petition = Petition.objects.create(
        title="Statewide", slug="state", required_signatures=10,
        electorate_counties=["19", "30", "37"], sampling_rule=Petition.SamplingRule.STATEWIDE,
    )  # fmt: skip
    section_create(petition=petition, serial=1, entered_by=None, county_code="19")
    section_create(petition=petition, serial=2, entered_by=None, county_code="30")
    add(petition, "Rosa Mejia", "5 Bay St", "Long Beach")
    add(petition, "Ivan Petrov", "7 Bay St", "Long Beach")
    add(petition, "Tom Q Hale", "9 Reef St", "Huntington Beach", serial=2)
    add(petition, "Amy Zellweger", "11 Reef St", "Huntington Beach", serial=2)
    add(petition, "Luis Ortega", "3 Cliff Dr", "Laguna Beach", serial=2)
    add(petition, "Nora Quist", "15 Reef St", "Huntington Beach", serial=2)
    validate(petition)
    return petition


def status(petition: Petition, name: str) -> str:
    return Line.objects.get(petition=petition, printed_name=name).status


def test_a_statewide_extract_imports_as_a_table_per_county(state):
    assert state.by_county
    assert county_tables(state) == {
        "FOR VALUES IN ('19')": f"{state.partition_name}_c19",
        "FOR VALUES IN ('30')": f"{state.partition_name}_c30",
        "FOR VALUES IN ('37')": f"{state.partition_name}_c37",
    }  # the 55 counties the file lacks have no table
    counties = {c.county_code: c.voters for c in VoterRollCounty.objects.filter(roll=state)}
    assert counties == {"19": 2, "30": 3, "37": 1}
    assert state.rows_imported == 6
    assert [r[0] for r in rows_of(state, "30")] == ["OC1", "OC2", "OC3"]


def test_one_countys_file_replaces_its_voters_alone(tmp_path, state, petition):
    assert status(petition, "Amy Zellweger") == Line.Status.VALID
    assert status(petition, "Nora Quist") == Line.Status.NOT_REGISTERED
    la_before, sd_before = rows_of(state, "19"), rows_of(state, "37")
    la_lines = {
        ln.pk: (ln.status, ln.validated_at)
        for ln in Line.objects.filter(petition=petition, section__serial=1)
    }
    la_table = county_tables(state)["FOR VALUES IN ('19')"]

    path = write_sos(tmp_path / "orange.txt", ORANGE_NEXT)
    call_command("import_voters", str(path), "--replace-county", "30")

    state.refresh_from_db()
    assert rows_of(state, "19") == la_before  # the other counties: the same rows, same tables
    assert rows_of(state, "37") == sd_before
    assert county_tables(state)["FOR VALUES IN ('19')"] == la_table
    assert county_tables(state)["FOR VALUES IN ('30')"] == f"{state.partition_name}_c30_1"
    assert rows_of(state, "30") == [
        ("OC1", "HALE", "200", "MAIN", "SANTA ANA"),
        ("OC3", "ORTEGA", "3", "CLIFF", "LAGUNA BEACH"),
        ("OC4", "QUIST", "15", "REEF", "HUNTINGTON BEACH"),
    ]
    orange = VoterRollCounty.objects.get(roll=state, county_code="30")
    assert (orange.voters, orange.source_name) == (3, "orange.txt")
    assert orange.replaced_at is not None
    assert orange.lines_reopened == 4  # the Orange section's four lines
    assert state.rows_imported == 6
    # The roll's surnames and places changed by Orange's share only.
    surnames = dict(VoterSurname.objects.filter(roll=state).values_list("last_key", "voters"))
    assert "ZELLWEGER" not in surnames
    assert surnames["QUIST"] == 1
    assert surnames["MEJIA"] == 1
    places = {(p.city_key, p.zip5): p.voters for p in VoterPlace.objects.filter(roll=state)}
    assert places[("HUNTINGTON BEACH", "92648")] == 1  # Amy gone, Nora in, Tom moved away
    assert places[("SANTA ANA", "92701")] == 1
    assert places[("LONG BEACH", "90802")] == 2
    # The Orange section's lines went back to pending; Los Angeles' were not touched.
    assert set(
        Line.objects.filter(petition=petition, section__serial=2).values_list("status", flat=True)
    ) == {Line.Status.PENDING}
    assert {
        ln.pk: (ln.status, ln.validated_at)
        for ln in Line.objects.filter(petition=petition, section__serial=1)
    } == la_lines
    validate(petition)
    assert status(petition, "Amy Zellweger") == Line.Status.NOT_REGISTERED
    assert status(petition, "Nora Quist") == Line.Status.VALID
    assert status(petition, "Tom Q Hale") == Line.Status.ADDRESS_MISMATCH
    assert status(petition, "Luis Ortega") == Line.Status.VALID
    event = AuditEvent.objects.filter(action=AuditEvent.Action.ROLL_ACTIVATED).latest("at")
    assert event.target.endswith("county 30 replaced")
    assert event.detail["lines_reopened"] == 4


def test_a_countys_file_without_county_codes_is_stamped_with_it(tmp_path, state):
    rows = [{k: v for k, v in r.items() if k != "county_code"} for r in ORANGE_NEXT]
    call_command("import_voters", str(write_canonical(tmp_path / "oc.csv", rows)),
                 "--replace-county", "30")  # fmt: skip
    assert [r[0] for r in rows_of(state, "30")] == ["OC1", "OC3", "OC4"]
    assert not Voter.objects.filter(roll=state, county_code="").exists()


def snapshot(roll: VoterRoll, petition: Petition) -> tuple:
    return (
        county_tables(roll),
        [rows_of(roll, c) for c in ("19", "30", "37")],
        sorted(VoterSurname.objects.filter(roll=roll).values_list("last_key", "voters")),
        sorted(VoterPlace.objects.filter(roll=roll).values_list("city_key", "zip5", "voters")),
        list(VoterRollCounty.objects.filter(roll=roll).values_list("county_code", "voters",
                                                                   "table_name", "replaced_at")),
        sorted(Line.objects.filter(petition=petition).values_list("pk", "status")),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        # A Los Angeles row in Orange County's file: a wrong file, the row named.
        ([*ORANGE_NEXT[:2], LA[0]], r"line 4: county code 19, not 30: this is not county 30's"),
        ([], r"the file has a header but no voters"),
        # Half the rows unreadable: above the reject rate.
        ([ORANGE_NEXT[0], {**ORANGE_NEXT[1], "zip": "ABCDE"}],
         r"1 of 2 rows rejected \(50.00%\), above the limit of 1.00%; nothing was changed"),
    ],
)  # fmt: skip
def test_a_failed_replacement_leaves_the_roll_and_lines_as_they_were(
    tmp_path, state, petition, rows, message
):
    before = snapshot(state, petition)
    with pytest.raises(CommandError, match=message):
        call_command("import_voters", str(write_sos(tmp_path / "oc.txt", rows)),
                     "--replace-county", "30")  # fmt: skip
    assert snapshot(state, petition) == before


def test_a_failure_at_the_swap_undoes_the_counts_and_the_lines(
    tmp_path, state, petition, monkeypatch
):
    # Everything before the swap was written (surnames, places, lines reopened): all undone.
    before = snapshot(state, petition)

    def broken(*args, **kwargs):
        raise services.ImportFailed("the swap failed")

    monkeypatch.setattr(services, "_swap", broken)
    with pytest.raises(CommandError, match="the swap failed"):
        call_command("import_voters", str(write_sos(tmp_path / "oc.txt", ORANGE_NEXT)),
                     "--replace-county", "30")  # fmt: skip
    assert snapshot(state, petition) == before


def test_a_voter_registered_in_another_county_is_a_rejected_row(tmp_path, state):
    rows = [*ORANGE_NEXT, voter("SD1", last_name="NAKAMURA", county_code="30")]
    rows += [voter(f"OC{n}", last_name=f"NEW{n}", county_code="30") for n in range(10, 110)]
    call_command("import_voters", str(write_sos(tmp_path / "oc.txt", rows)),
                 "--replace-county", "30")  # fmt: skip
    assert [r[0] for r in rows_of(state, "37")] == ["SD1"]
    assert "SD1" not in [r[0] for r in rows_of(state, "30")]
    assert VoterRollCounty.objects.get(roll=state, county_code="30").rows_rejected == 1


def test_a_county_new_to_the_roll_is_added(tmp_path, state):
    rows = [voter("SF1", last_name="LEE", city="SAN FRANCISCO", zip="94102", county_code="38")]
    call_command("import_voters", str(write_sos(tmp_path / "sf.txt", rows)),
                 "--replace-county", "38")  # fmt: skip
    state.refresh_from_db()
    assert [r[0] for r in rows_of(state, "38")] == ["SF1"]
    assert state.rows_imported == 7


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--replace-county", "59"], r"--replace-county '59': a county is its SoS code, 1"),
        (["--replace-county", "LA"], r"--replace-county 'LA'"),
        (["--replace-county", "30", "--by-county"], r"--by-county does not go with"),
        (["--replace-county", "30", "--roll", "999999"], r"--roll 999999: there is no such"),
        (["--roll", "1"], r"--roll goes with --replace-county"),
        (["--county", "19"], r"--county goes with --by-county"),
        (["--by-county", "--county", "99"], r"--county '99': a county is its SoS code"),
        (["--replace-county", "30", "--county", "19"], r"--county does not go with"),
    ],
)
def test_bad_flags_are_named(tmp_path, state, args, message):
    path = write_sos(tmp_path / "oc.txt", ORANGE_NEXT)
    with pytest.raises(CommandError, match=message):
        call_command("import_voters", str(path), *args)


def test_a_roll_not_by_county_has_no_county_to_replace(tmp_path):
    call_command("import_voters", str(write_sos(tmp_path / "state.txt", LA + ORANGE)))
    with pytest.raises(CommandError, match=r"is not a roll by county: import the statewide"):
        call_command("import_voters", str(write_sos(tmp_path / "oc.txt", ORANGE_NEXT)),
                     "--replace-county", "30")  # fmt: skip


def test_a_roll_by_county_needs_county_codes(tmp_path):
    columns = [c for c in CANONICAL_COLUMNS if c != "county_code"]
    path = write_canonical(tmp_path / "c.csv", ORANGE, columns=columns)
    with pytest.raises(CommandError, match=r"a roll by county needs each voter's county"):
        call_command("import_voters", str(path), "--by-county")
    assert not VoterRoll.objects.exists()


def test_a_row_without_a_county_is_rejected_from_a_roll_by_county(tmp_path):
    rows = [*ORANGE, *(voter(f"X{n}", county_code="30") for n in range(200)), voter("NONE")]
    call_command("import_voters", str(write_canonical(tmp_path / "c.csv", rows)), "--by-county")
    roll = VoterRoll.objects.get()
    assert roll.rejects == [
        {"line": 205, "reason": "no county code (a roll by county needs one on every row)"}
    ]
    assert roll.rows_imported == 203


def test_the_roll_page_shows_each_countys_voters_and_last_replacement(
    tmp_path, state, login, admin_user
):
    call_command("import_voters", str(write_sos(tmp_path / "orange.txt", ORANGE_NEXT[:2])),
                 "--replace-county", "30")  # fmt: skip
    page = login(admin_user).get(reverse("voters:roll-detail", args=[state.pk])).content.decode()
    table = page[page.index('id="roll-counties"') :]
    rows = re.findall(r"<tr><td>(\d\d)</td><td class=\"num\">(\d+)</td><td>([^<]+)</td>", table)
    assert rows == [("19", "2", "state.txt"), ("30", "2", "orange.txt"), ("37", "1", "state.txt")]
    assert table.count("never (as imported with the roll)") == 2


def test_a_roll_not_by_county_shows_no_counties(tmp_path, login, admin_user):
    call_command("import_voters", str(write_sos(tmp_path / "state.txt", LA + ORANGE)))
    roll = VoterRoll.objects.get()
    page = login(admin_user).get(reverse("voters:roll-detail", args=[roll.pk])).content.decode()
    assert 'id="roll-counties"' not in page


def test_a_countys_new_district_combinations_join_the_roll_others_keep_theirs(tmp_path):
    rows = [{**LA[0], "SupDist": "3"}, {**ORANGE[0], "SupDist": "1"}]
    call_command("import_voters", str(write_sos(tmp_path / "s.txt", rows, ["SupDist"])),
                 "--by-county")  # fmt: skip
    roll = VoterRoll.objects.get()
    assert district_sets(roll.pk) == {1: {"SupDist": "3"}, 2: {"SupDist": "1"}}  # now cached
    rows = [{**ORANGE[0], "SupDist": "1"}, {**ORANGE[1], "SupDist": "5"}]
    call_command("import_voters", str(write_sos(tmp_path / "oc.txt", rows, ["SupDist"])),
                 "--replace-county", "30")  # fmt: skip
    assert district_sets(roll.pk) == {
        1: {"SupDist": "3"}, 2: {"SupDist": "1"}, 3: {"SupDist": "5"}
    }  # fmt: skip
    sets = dict(Voter.objects.filter(roll=roll).values_list("registrant_id", "attribute_set"))
    assert sets == {"LA1": 1, "OC1": 2, "OC2": 3}


def test_a_roll_kept_busy_by_a_reader_is_not_swapped_and_nothing_changes(
    tmp_path, state, petition, monkeypatch
):
    # A validation batch reading the roll holds it until it commits: the swap waits a little,
    # tries again, then gives up rather than stall every reader queued behind it.
    before = snapshot(state, petition)
    monkeypatch.setattr(services, "SWAP_LOCK_TIMEOUT", "100ms")
    monkeypatch.setattr(services, "SWAP_ATTEMPTS", 2)
    reader = psycopg2.connect(**connection.get_connection_params())
    try:
        with reader.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {state.partition_name}")  # noqa: S608
            with pytest.raises(CommandError, match=r"the roll stayed busy for 2 tries of 100ms"):
                call_command("import_voters", str(write_sos(tmp_path / "oc.txt", ORANGE_NEXT)),
                             "--replace-county", "30")  # fmt: skip
    finally:
        reader.close()
    assert snapshot(state, petition) == before


def test_a_workers_cached_places_follow_a_replaced_county(tmp_path, state):
    assert "SANTA ANA" not in roll_places(state.pk)  # cached now, as a worker's would be
    call_command("import_voters", str(write_sos(tmp_path / "oc.txt", ORANGE_NEXT)),
                 "--replace-county", "30")  # fmt: skip
    assert roll_places(state.pk)["SANTA ANA"] == {"92701"}


def test_a_workers_cached_streets_follow_a_replaced_county(tmp_path, state):
    # No one lives on MAIN today; in Orange County's next file Tom Hale does.
    assert "MAIN" not in roll_streets(state.pk)  # cached now, as a worker's would be
    call_command("import_voters", str(write_sos(tmp_path / "oc.txt", ORANGE_NEXT)),
                 "--replace-county", "30")  # fmt: skip
    assert "MAIN" in roll_streets(state.pk)
    assert near_streets(roll_streets(state.pk), "MIAN") == {"MAIN"}


def test_a_database_error_is_one_line_and_changes_nothing(tmp_path, state, petition, monkeypatch):
    before = snapshot(state, petition)

    def failing(cursor, *args):
        cursor.execute("SELECT 1 / 0")

    monkeypatch.setattr(services, "_county_dimensions", failing)
    with pytest.raises(CommandError, match=r"database error, nothing was changed: division by"):
        call_command("import_voters", str(write_sos(tmp_path / "oc.txt", ORANGE_NEXT)),
                     "--replace-county", "30")  # fmt: skip
    assert snapshot(state, petition) == before


def _post(client, path, **fields):
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
    data = {"upload": upload, "format": "auto", "max_reject_rate": "0.01", **fields}
    return client.post(reverse("voters:roll-import"), data)


def test_the_import_page_queues_a_roll_by_county(tmp_path, settings, login, admin_user):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    response = _post(login(admin_user), write_sos(tmp_path / "s.txt", LA), by_county="on")
    roll = VoterRoll.objects.get()
    assert response.status_code == 302
    assert (roll.by_county, roll.state) == (True, "queued")


def test_the_import_page_refuses_a_roll_by_county_without_counties(
    tmp_path, settings, login, admin_user
):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    columns = [c for c in CANONICAL_COLUMNS if c != "county_code"]
    path = write_canonical(tmp_path / "c.csv", ORANGE, columns=columns)
    response = _post(login(admin_user), path, by_county="on")
    assert response.status_code == 400
    assert "a roll by county needs each voter&#x27;s county" in response.content.decode()
    assert not VoterRoll.objects.exists()
    assert not list((tmp_path / "uploads").iterdir())  # the refused upload is not kept


def test_pruning_a_roll_by_county_erases_its_counties_tables(tmp_path, state):
    def tables() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname FROM pg_class WHERE relname ~ %s AND relkind IN ('r', 'p')",
                [f"^{state.partition_name}(_|$)"],
            )
            return sorted(name for (name,) in cursor.fetchall())

    call_command("import_voters", str(write_sos(tmp_path / "oc.txt", ORANGE_NEXT)),
                 "--replace-county", "30")  # fmt: skip
    call_command("import_voters", str(write_sos(tmp_path / "next.txt", LA + ORANGE + SAN_DIEGO)))
    assert len(tables()) == 4  # the roll's table and its three counties'
    [outcome] = services.voter_rolls_prune(older_than_days=0)
    assert (outcome.roll_id, outcome.erased) == (state.pk, True)
    assert tables() == []
    assert not VoterRollCounty.objects.exists()


def test_a_roll_by_county_is_built_county_by_county_from_the_countys_own_files(tmp_path):
    columns = [c for c in CANONICAL_COLUMNS if c != "county_code"]
    la = write_canonical(tmp_path / "la.csv", LA, columns=columns)
    call_command("import_voters", str(la), "--by-county", "--county", "19")
    roll = VoterRoll.objects.get()
    assert (roll.by_county, roll.county_code, roll.state) == (True, "19", "active")
    orange = write_canonical(tmp_path / "oc.csv", ORANGE, columns=columns)
    call_command("import_voters", str(orange), "--replace-county", "30")
    assert [r[0] for r in rows_of(roll, "19")] == ["LA1", "LA2"]
    assert [r[0] for r in rows_of(roll, "30")] == ["OC1", "OC2", "OC3"]
    assert sorted(county_tables(roll)) == ["FOR VALUES IN ('19')", "FOR VALUES IN ('30')"]


def test_a_countys_own_file_holding_another_countys_row_is_refused(tmp_path):
    path = write_sos(tmp_path / "la.txt", [*LA, ORANGE[0]])
    with pytest.raises(CommandError, match=r"line 4: county code 30, not 19: this is not county"):
        call_command("import_voters", str(path), "--by-county", "--county", "19")
    assert VoterRoll.objects.get().state == "failed"
    assert not VoterRollCounty.objects.exists()
