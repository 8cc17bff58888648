"""Importing voter files: formats, gzip, bad files and rows, failures that keep the old roll."""

import csv
import getpass
import io
import re
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from recall.models import AuditEvent
from tests.voters.factories import many, voter, write_canonical, write_sos
from voters import services, voterfile
from voters.models import Voter, VoterAttributeSet, VoterRoll, VoterSurname
from voters.services import voter_roll_activate, voter_roll_create, voter_roll_import

pytestmark = pytest.mark.django_db(transaction=True)


def attributes(voter: Voter) -> dict:
    return VoterAttributeSet.objects.get(roll=voter.roll_id, number=voter.attribute_set).attributes


def import_file(path, *args) -> VoterRoll:
    call_command("import_voters", str(path), *args)
    return VoterRoll.objects.latest("created_at")


def partitions() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname LIKE 'voters_voter_roll_%%'"
            " AND relkind = 'r'"
        )
        return {name for (name,) in cursor.fetchall()}


def test_the_command_is_recorded_with_who_ran_it(tmp_path):
    roll = import_file(write_canonical(tmp_path / "roll.csv", many(3)))
    events = AuditEvent.objects.order_by("id").values_list("action", "username", "target")
    who = f"{getpass.getuser()} (manage.py import_voters)"
    assert list(events) == [
        ("import", who, f"voter roll {roll.pk}: roll.csv"),
        ("roll_activated", who, f"voter roll {roll.pk}: roll.csv"),  # at the end, automatically
    ]


def test_canonical_csv_imports_and_activates(tmp_path):
    rows = [
        voter(1001, first_name="José", last_name="Núñez-García", supervisorial_district="1"),
        voter(
            1002,
            first_name="Robert",
            last_name="De La Cruz",
            unit_type="APT",
            unit_number="4B",
            zip="90012",
            supervisorial_district="3",
        ),
        voter(1003, status="C", birth_date="19700102", registration_date="03/15/1999"),
    ]
    roll = import_file(write_canonical(tmp_path / "roll.csv", rows))
    assert roll.state == VoterRoll.State.ACTIVE
    assert (roll.rows_read, roll.rows_imported, roll.rows_rejected) == (3, 3, 0)
    assert roll.attribute_columns == ["supervisorial_district"]
    jose = Voter.objects.get(roll=roll, registrant_id="1001")
    assert (jose.first_name, jose.last_name) == ("José", "Núñez-García")
    assert (jose.last_key, jose.first_key) == ("NUNEZGARCIA", "JOSE")
    assert (jose.zip5, jose.zip4, jose.street_predir, jose.street_type) == (
        "90012",
        "1234",
        "N",
        "ST",
    )
    assert attributes(jose) == {"supervisorial_district": "1"}
    robert = Voter.objects.get(roll=roll, registrant_id="1002")
    assert (robert.last_key, robert.first_canon) == ("DELACRUZ", "ROBERT")
    surnames = {s.last_key: (s.last_head, s.voters) for s in VoterSurname.objects.filter(roll=roll)}
    assert surnames == {
        "NUNEZGARCIA": ("NUNEZ", 1),
        "DELACRUZ": ("CRUZ", 1),
        "GARCIA": ("GARCIA", 1),
    }
    assert (robert.unit_type, robert.unit_number, robert.zip4) == ("APT", "4B", "")
    cancelled = Voter.objects.get(roll=roll, registrant_id="1003")
    assert cancelled.status == "C"
    assert str(cancelled.birth_date) == "1970-01-02"
    assert str(cancelled.registration_date) == "1999-03-15"


def test_sos_extract_imports_latin1_and_skips_confidential_columns(tmp_path):
    rows = [voter("LA0001", last_name="PEÑA", first_name="ANDRÉS"), voter("LA0002")]
    path = write_sos(tmp_path / "extract.txt", rows, extra_columns=["SupervisorialDistrict"])
    roll = import_file(path)
    assert roll.format == "ca-sos"
    assert roll.state == VoterRoll.State.ACTIVE
    pena = Voter.objects.get(roll=roll, registrant_id="LA0001")
    assert pena.last_name == "PEÑA"
    assert pena.last_key == "PENA"
    assert pena.attribute_set is None  # the district column was empty
    with connection.cursor() as cursor:  # e-mail (confidential, not needed) is never stored
        cursor.execute(
            "SELECT count(*) FROM voters_voter WHERE row(voters_voter)::text LIKE '%%secret%%'"
        )
        assert cursor.fetchone()[0] == 0


def test_gzip_file_is_accepted(tmp_path):
    roll = import_file(write_canonical(tmp_path / "roll.csv.gz", many(50), gz=True))
    assert roll.state == VoterRoll.State.ACTIVE
    assert Voter.objects.filter(roll=roll).count() == 50


def test_one_address_column_is_parsed(tmp_path):
    columns = ["voter_id", "first_name", "last_name", "residence_address", "city", "zip"]
    rows = [
        {
            "voter_id": "1",
            "first_name": "ANA",
            "last_name": "LOPEZ",
            "residence_address": "1234 1/2 W. Sunset Blvd Apt 5",
            "city": "Los Angeles",
            "zip": "",
        },
        {
            "voter_id": "2",
            "first_name": "BO",
            "last_name": "KIM",
            "residence_address": "no number here",
            "city": "",
            "zip": "90026",
        },
    ]
    roll = import_file(
        write_canonical(tmp_path / "r.csv", rows, columns=columns), "--max-reject-rate", "0.5"
    )
    ana = Voter.objects.get(roll=roll, registrant_id="1")
    assert (ana.house_number, ana.house_fraction, ana.street_predir) == ("1234", "1/2", "W")
    assert (ana.street_name, ana.street_type, ana.unit_number) == ("SUNSET", "BLVD", "5")
    assert roll.rejects == [{"line": 3, "reason": "cannot read residence_address 'no number here'"}]


def test_header_without_required_columns_is_refused_before_any_write(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,name,street\n1,Maria,Main\n")
    with pytest.raises(CommandError) as excinfo:
        import_file(path)
    message = str(excinfo.value)
    assert "voter_id" in message
    assert "last_name" in message
    assert "city or zip" in message
    assert VoterRoll.objects.count() == 0


def test_claimed_format_that_does_not_match_is_refused(tmp_path):
    path = write_canonical(tmp_path / "roll.csv", many(3))
    with pytest.raises(CommandError, match="does not look like the ca-sos format"):
        import_file(path, "--format", "ca-sos")
    assert VoterRoll.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "lacks required columns"),
    ],
)
def test_files_that_are_not_voter_files_are_refused(tmp_path, content, message):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        import_file(path)
    assert VoterRoll.objects.count() == 0


def test_bad_rows_are_reported_with_line_and_reason(tmp_path):
    rows = [
        *many(200),
        voter(""),  # line 202: no id
        voter(5),  # line 203: duplicate of line 6
        voter(9001, birth_date="31/31/1990"),  # line 204
        voter(9002, house_number="", street_name=""),  # line 205
        voter(9003, zip="ABCDE"),  # line 206
        voter(9004, status="Z"),
    ]  # line 207
    roll = import_file(write_canonical(tmp_path / "r.csv", rows), "--max-reject-rate", "0.05")
    assert roll.state == VoterRoll.State.ACTIVE
    assert (roll.rows_read, roll.rows_imported, roll.rows_rejected) == (206, 200, 6)
    reasons = {r["line"]: r["reason"] for r in roll.rejects}
    assert reasons[202] == "no voter id"
    assert reasons[203] == "duplicate voter id 5 (first on line 6)"
    assert "31/31/1990" in reasons[204]
    assert "residence address" in reasons[205]
    assert "ABCDE" in reasons[206]
    assert reasons[207] == "status 'Z' is not A, I or C"
    assert roll.reject_counts["duplicate_id"] == 1
    assert Voter.objects.filter(roll=roll, registrant_id="5").get().source_line == 6


def test_only_the_first_hundred_rejects_are_kept_but_all_are_counted(tmp_path):
    rows = [*many(100), *[voter(f"bad{i}", zip="X") for i in range(150)]]
    roll = import_file(write_canonical(tmp_path / "r.csv", rows), "--max-reject-rate", "1")
    assert roll.rows_rejected == 150
    assert len(roll.rejects) == 100


def test_too_many_rejects_fail_and_keep_the_active_roll(tmp_path):
    first = import_file(write_canonical(tmp_path / "a.csv", many(100)))
    rows = [*many(95, start=1000), *[voter(f"x{i}", status="?") for i in range(5)]]
    with pytest.raises(CommandError, match=r"5 of 100 rows rejected \(5.00%\), above the limit"):
        import_file(write_canonical(tmp_path / "b.csv", rows))
    failed = VoterRoll.objects.latest("created_at")
    assert failed.state == VoterRoll.State.FAILED
    assert failed.rejects[0]["reason"] == "status '?' is not A, I or C"
    first.refresh_from_db()
    assert first.state == VoterRoll.State.ACTIVE
    assert partitions() == {first.partition_name}
    assert Voter.objects.filter(roll=failed).count() == 0


def test_failure_in_the_middle_of_the_load_leaves_old_roll_active(tmp_path, monkeypatch):
    first = import_file(write_canonical(tmp_path / "a.csv", many(100)))
    monkeypatch.setattr(voterfile, "BATCH_BYTES", 4096)
    original = services._CopySource.read
    calls = {"n": 0}

    def read_then_break(self, size=-1):
        calls["n"] += 1
        if calls["n"] == 3:  # two batches are already in the new table
            raise ConnectionResetError("connection to the file server lost")
        return original(self, size)

    monkeypatch.setattr(services._CopySource, "read", read_then_break)
    with pytest.raises(CommandError, match="connection to the file server lost"):
        import_file(write_canonical(tmp_path / "b.csv", many(1000, start=5000)))
    failed = VoterRoll.objects.latest("created_at")
    assert failed.state == VoterRoll.State.FAILED
    first.refresh_from_db()
    assert first.state == VoterRoll.State.ACTIVE
    assert partitions() == {first.partition_name}
    assert Voter.objects.filter(roll=failed).count() == 0


def test_database_error_mid_copy_fails_cleanly(tmp_path, monkeypatch):
    first = import_file(write_canonical(tmp_path / "a.csv", many(10)))
    monkeypatch.setattr(voterfile, "BATCH_BYTES", 4096)
    original = voterfile.VoterFileReader._batch
    calls = {"n": 0}

    def corrupt_third_batch(self, batch, first_line):
        result = original(self, batch, first_line)
        calls["n"] += 1
        if calls["n"] == 3:  # a status the table's CHECK refuses, after two good batches
            corrupt = result.copy_bytes.replace(b',"A",', b',"Q",').replace(b",A,", b",Q,")
            result.copy_bytes = corrupt
        return result

    monkeypatch.setattr(voterfile.VoterFileReader, "_batch", corrupt_third_batch)
    with pytest.raises(CommandError, match="database error, nothing was imported"):
        import_file(write_canonical(tmp_path / "b.csv", many(1000, start=100)))
    first.refresh_from_db()
    assert first.state == VoterRoll.State.ACTIVE
    assert partitions() == {first.partition_name}


def test_new_roll_supersedes_the_old_one(tmp_path):
    first = import_file(write_canonical(tmp_path / "a.csv", many(10)))
    second = import_file(write_canonical(tmp_path / "b.csv", many(20)))
    first.refresh_from_db()
    assert (first.state, second.state) == ("superseded", "active")
    assert VoterRoll.objects.filter(state="active").count() == 1
    assert Voter.objects.filter(roll=second).count() == 20
    assert Voter.objects.filter(roll=first).count() == 10


def test_no_activate_keeps_current_roll_until_activated(tmp_path):
    first = import_file(write_canonical(tmp_path / "a.csv", many(10)))
    second = import_file(write_canonical(tmp_path / "b.csv", many(20)), "--no-activate")
    first.refresh_from_db()
    assert (first.state, second.state) == ("active", "ready")
    voter_roll_activate(roll=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == ("superseded", "active")


def test_bad_reject_rate_flag_is_one_line_error(tmp_path):
    with pytest.raises(CommandError, match="--max-reject-rate must be between 0 and 1"):
        import_file(write_canonical(tmp_path / "a.csv", many(3)), "--max-reject-rate", "7")


def test_import_runs_once_even_if_the_task_is_delivered_twice(tmp_path):
    roll = voter_roll_create(path=write_canonical(tmp_path / "a.csv", many(10)), enqueue=False)
    assert voter_roll_import(roll_id=roll.pk).state == VoterRoll.State.ACTIVE
    again = voter_roll_import(roll_id=roll.pk)  # a redelivered message: the claim fails
    assert again.state == VoterRoll.State.ACTIVE
    assert Voter.objects.filter(roll=roll).count() == 10


def test_cancelled_import_fails_and_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(voterfile, "BATCH_BYTES", 1024)
    roll = voter_roll_create(path=write_canonical(tmp_path / "a.csv", many(100)), enqueue=False)
    services.voter_roll_cancel(roll=roll)  # queued: failed at once
    roll.refresh_from_db()
    assert (roll.state, roll.error) == ("failed", "cancelled before it started")
    roll = voter_roll_create(path=write_canonical(tmp_path / "b.csv", many(100)), enqueue=False)
    VoterRoll.objects.filter(pk=roll.pk).update(state="importing")  # as if running elsewhere
    services.voter_roll_cancel(roll=roll)
    VoterRoll.objects.filter(pk=roll.pk).update(state="queued")
    roll = voter_roll_import(roll_id=roll.pk)
    assert roll.state == VoterRoll.State.FAILED
    assert "cancelled by an admin" in roll.error
    assert partitions() == set()


def test_backslashes_tabs_and_quoted_line_breaks_survive_the_load(tmp_path):
    rows = [
        voter(1, last_name="O\\BRIEN", middle_name="A\tB", street_name="MAIN\nSTREET"),
        voter(2, supervisorial_district='say "hi" \\ there'),
        voter(3, last_name="PLAIN"),
    ]
    roll = import_file(write_canonical(tmp_path / "r.csv", rows))
    assert roll.rows_imported == 3
    odd = Voter.objects.get(roll=roll, registrant_id="1")
    assert (odd.last_name, odd.middle_name, odd.street_name) == ("O\\BRIEN", "A\tB", "MAIN\nSTREET")
    quoted = Voter.objects.get(roll=roll, registrant_id="2")
    assert attributes(quoted) == {"supervisorial_district": 'say "hi" \\ there'}
    plain = Voter.objects.get(roll=roll, registrant_id="3")
    # Lines are counted as records (+1 for the header): a quoted line break does not shift them.
    assert plain.source_line == 4


def test_row_with_wrong_field_count_is_reported_and_lines_stay_right(tmp_path):
    path = write_canonical(tmp_path / "r.csv", many(5))
    with path.open("a") as out:
        out.write("9001,ONLY,THREE\n")
        out.write("9002,A,B,C,D,E,F,G,H,I,J,K,L,M,N,O,P,Q,R,S,T,U,V\n")
    with path.open("a", newline="") as out:
        csv.writer(out).writerow(
            [
                {"voter_id": "77", **many(1)[0]}.get(c, "") if c != "voter_id" else "77"
                for c in voterfile.CANONICAL_COLUMNS
            ]
        )
    roll = import_file(path, "--max-reject-rate", "0.5")
    assert roll.rejects == [
        {"line": 7, "reason": "expected 22 fields, found 3"},
        {"line": 8, "reason": "expected 22 fields, found 23"},
    ]
    assert Voter.objects.get(roll=roll, registrant_id="77").source_line == 9
    assert roll.rows_read == 8


def test_not_utf8_is_a_clear_file_error(tmp_path):
    path = write_canonical(tmp_path / "r.csv", many(5))
    with path.open("ab") as out:
        out.write(b"9001,MAR\xeda,,PE\xd1A,,12,,,MAIN,ST,,,,LA,CA,90012,,,A,,,\n")
    with pytest.raises(CommandError, match=r"not valid UTF-8 .*as ca-sos"):
        import_file(path)
    assert Voter.objects.count() == 0


def test_cancel_of_an_import_whose_worker_is_stuck_or_gone_fails_it_at_once(tmp_path):
    roll = voter_roll_create(path=write_canonical(tmp_path / "a.csv", many(10)), enqueue=False)
    VoterRoll.objects.filter(pk=roll.pk).update(state="importing")  # claimed, then nothing
    assert services.voter_roll_cancel(roll=roll) is True
    roll.refresh_from_db()
    assert roll.state == "failed"
    assert roll.error == "cancelled by an admin while importing; nothing was imported"
    assert roll.finished_at is not None
    assert AuditEvent.objects.filter(action="roll_cancelled").count() == 1
    assert services.voter_roll_cancel(roll=roll) is False  # ended: nothing more to cancel
    assert voter_roll_import(roll_id=roll.pk).state == "failed"  # a late redelivery


def test_an_import_cancelled_after_its_last_chunk_is_never_attached(tmp_path, monkeypatch):
    first = import_file(write_canonical(tmp_path / "a.csv", many(10)))
    roll = voter_roll_create(path=write_canonical(tmp_path / "b.csv", many(20)), enqueue=False)
    build = services._build_indexes

    def build_then_cancelled(cursor, table, reader):
        build(cursor, table, reader)
        # The admin cancels from the web (another connection) while the worker still works.
        worker = threading.Thread(target=cancel_elsewhere, args=(roll.pk,))
        worker.start()
        worker.join()

    monkeypatch.setattr(services, "_build_indexes", build_then_cancelled)
    roll = voter_roll_import(roll_id=roll.pk)
    assert roll.state == "failed"
    assert "cancelled by an admin" in roll.error
    assert partitions() == {first.partition_name}
    first.refresh_from_db()
    assert first.state == "active"


def cancel_elsewhere(roll_id: int) -> None:
    try:
        services.voter_roll_cancel(roll=VoterRoll.objects.get(pk=roll_id))
    finally:
        connection.close()


def test_a_gzip_bomb_fails_the_import_with_a_plain_message(tmp_path):
    from tests.voters.test_voterfile_limits import gzip_bomb

    path = tmp_path / "bomb.csv.gz"
    gzip_bomb(path, (",".join(voterfile.CANONICAL_COLUMNS) + "\n").encode(), 200 << 20)
    roll = voter_roll_create(path=path, enqueue=False)
    roll = voter_roll_import(roll_id=roll.pk)
    assert roll.state == "failed"
    assert roll.error.startswith("line 2: a record longer than 64 KiB")
    assert partitions() == set()


def test_the_command_refuses_a_file_inflating_past_the_limit(tmp_path, settings):
    settings.VOTER_FILE_MAX_INFLATED_BYTES = 4096
    with pytest.raises(CommandError, match="inflates to more than 4,096 bytes"):
        import_file(write_canonical(tmp_path / "a.csv.gz", many(200), gz=True))
    assert VoterRoll.objects.get().state == "failed"


def test_rows_missing_a_given_name_house_number_or_street_are_imported_with_a_warning(tmp_path):
    rows = [
        *many(20),
        voter(9001, first_name=""),  # line 22
        voter(9002, house_number=""),  # line 23
        voter(9003, street_name=""),  # line 24
        voter(9004, house_number="ABC"),  # line 25: not a number
    ]
    call_command("import_voters", str(write_canonical(tmp_path / "r.csv", rows)))
    roll = VoterRoll.objects.latest("created_at")
    assert roll.state == VoterRoll.State.ACTIVE
    assert (roll.rows_read, roll.rows_imported, roll.rows_rejected) == (24, 24, 0)
    assert roll.rows_warned == 4
    assert roll.warnings == [
        {"line": 22, "reason": "no given name (first_name is empty): imported without one"},
        {"line": 23, "reason": "no house number (house_number is empty): imported without one"},
        {"line": 24, "reason": "no street name (street_name is empty): imported without one"},
        {"line": 25, "reason": "house_number 'ABC' is not a house number: imported without one"},
    ]
    assert roll.warning_counts == {"no_given_name": 1, "no_house_number": 2, "no_street": 1}
    nameless = Voter.objects.get(roll=roll, registrant_id="9001")
    assert (nameless.first_name, nameless.first_key, nameless.first_canon) == ("", "", "")
    assert nameless.last_key == "GARCIA"
    numberless = Voter.objects.get(roll=roll, registrant_id="9002")
    assert (numberless.house_number, numberless.street_key) == ("", "MAIN")
    streetless = Voter.objects.get(roll=roll, registrant_id="9003")
    assert (streetless.house_number, streetless.street_name) == ("123", "")


def test_a_row_without_any_name_or_any_residence_is_refused_naming_the_row(tmp_path):
    rows = [
        *many(20),
        voter(9001, last_name=""),  # line 22: a given name only, imported with a warning
        voter(9002, house_number="", street_name=""),  # line 23
        voter(9003, first_name="", last_name=""),  # line 24: refused, not also warned
    ]
    roll = import_file(write_canonical(tmp_path / "r.csv", rows), "--max-reject-rate", "0.5")
    assert (roll.rows_imported, roll.rows_rejected, roll.rows_warned) == (21, 2, 1)
    assert roll.rejects == [
        {
            "line": 23,
            "reason": "no usable residence address (neither house number nor street name)",
        },
        {"line": 24, "reason": "no name (first_name and last_name are empty)"},
    ]
    assert roll.reject_counts == {"no_name": 1, "bad_address": 1}
    assert roll.warnings == [
        {"line": 22, "reason": "no surname (last_name is empty): imported with its given name only"}
    ]
    one_name = Voter.objects.get(roll=roll, registrant_id="9001")
    assert (one_name.last_name, one_name.last_key, one_name.first_key) == ("", "", "MARIA")


def test_the_command_prints_the_rows_imported_with_a_warning(tmp_path):
    out = io.StringIO()
    rows = [*many(5), voter(9001, first_name="")]
    call_command("import_voters", str(write_canonical(tmp_path / "r.csv", rows)), stdout=out)
    text = out.getvalue()
    assert re.search(r"rows warned\s+1 \(imported with a part missing\)", text)
    assert re.search(r"warning\s+1  no given name \(imported without one\) \(no_given_name\)", text)
    assert "line 7: no given name (first_name is empty): imported without one" in text


def test_a_roll_partition_has_one_unique_index_its_primary_key(tmp_path):
    # ATTACH adopts the import's index for the parent's primary key instead of building another.
    rows = [*many(200), voter(2, first_name="AGAIN")]  # a duplicate id: removed, then indexed
    call_command("import_voters", str(write_canonical(tmp_path / "v.csv", rows)))
    roll = VoterRoll.objects.get(state=VoterRoll.State.ACTIVE)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text, indisprimary FROM pg_index "
            "WHERE indrelid = %s::regclass AND indisunique",
            [roll.partition_name],
        )
        assert cursor.fetchall() == [(f"{roll.partition_name}_pkey", True)]
    assert Voter.objects.filter(roll=roll).count() == 200
