"""create_petition, import_signatures and export_signatures, and the services behind them."""

import csv
import getpass
import io
import re
import sys
import types
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from petitions.models import Line, LineEvent, Petition, Section
from petitions.selectors import EXPORT_HEADER, petition_export_rows
from petitions.services import (
    SignatureImportError,
    petition_create,
    signature_import,
    signatures_import,
)
from petitions.services.signature_import import INSERTED_COLUMNS
from recall.lib.csvsafe import csv_lines
from recall.models import AuditEvent

pytestmark = pytest.mark.django_db

HEADER = ("section", "line", "printed_name", "residence_address", "city", "zip", "signed",
          "circulator", "date_signed")  # fmt: skip


def row(section=1, line=1, name="Maria Lopez", address="123 Main St", city="Los Angeles", zip_="",
        signed="yes", circulator="Ann Lee", date_signed="", **override):  # fmt: skip
    values = {"section": section, "line": line, "printed_name": name, "residence_address": address,
              "city": city, "zip": zip_, "signed": signed, "circulator": circulator,
              "date_signed": date_signed}  # fmt: skip
    values.update(override)
    return values


def write_csv(path, rows, header=HEADER, encoding="utf-8"):
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for values in rows:
            writer.writerow(
                [values.get(c, "") for c in header] if isinstance(values, dict) else values
            )
    return path


def figure(out: str, label: str) -> int:
    """A count from the command's report, e.g. figure(out, "lines created")."""
    match = re.search(rf"^  {label} +([0-9,]+)", out, re.MULTILINE)
    assert match, f"{label!r} not in {out!r}"
    return int(match[1].replace(",", ""))


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def petition(db):
    return petition_create(title="Recall the DA", slug="la-da", required=566_857)


@pytest.fixture(autouse=True)
def enqueued(monkeypatch):
    """Stand in for the lead's petitions.validation.validation_enqueue; the calls it received."""
    calls = []

    def fake(*, petition_id):
        calls.append(petition_id)

    try:
        import petitions.validation as module
    except ImportError:
        monkeypatch.setitem(
            sys.modules, "petitions.validation", types.SimpleNamespace(validation_enqueue=fake)
        )
    else:
        monkeypatch.setattr(module, "validation_enqueue", fake)
    return calls


def line_at(section, number):
    return Line.objects.get(section__serial=section, number=number)


# ------------------------------------------------------------------------------- create_petition


def test_create_petition_from_the_registration_base():
    out = run("create_petition", "--slug", "la-da-2022", "--title", "Recall the DA",
              "--registration-base", "5,668,570", "--approved", "2022-01-27",
              "--officer", "George Gascón")  # fmt: skip
    petition = Petition.objects.get(slug="la-da-2022")
    assert (petition.required_signatures, petition.registration_base) == (566_857, 5_668_570)
    assert (petition.approved_on, petition.deadline) == (date(2022, 1, 27), date(2022, 7, 6))
    assert petition.officer == "George Gascón"
    assert "required signatures  566,857 (10% of the base, rounded up, EC 11221)" in out
    assert "deadline             2022-07-06 (160 days after approval)" in out


def test_create_petition_with_only_the_required_number_gets_160_days():
    out = run("create_petition", "--slug", "la-da-2021", "--title", "Recall",
              "--required", "579062", "--approved", "2021-05-20")  # fmt: skip
    petition = Petition.objects.get(slug="la-da-2021")
    assert (petition.required_signatures, petition.registration_base) == (579_062, None)
    assert petition.deadline == date(2021, 10, 27)
    assert "579,062 (as given)" in out
    assert "double entry         no" in out
    assert not petition.double_entry


def test_create_petition_can_require_blind_double_entry():
    out = run("create_petition", "--slug", "de", "--title", "T", "--required", "10",
              "--double-entry")  # fmt: skip
    assert Petition.objects.get(slug="de").double_entry
    assert "double entry         required" in out


def test_given_required_number_wins_over_the_base_which_is_kept():
    out = run("create_petition", "--slug", "s", "--title", "T", "--required", "600000",
              "--registration-base", "5668570")  # fmt: skip
    petition = Petition.objects.get(slug="s")
    assert (petition.required_signatures, petition.registration_base) == (600_000, 5_668_570)
    assert petition.deadline is None
    assert "EC 11221 gives 566,857 for the base" in out


def test_small_district_gets_its_own_share_and_window():
    run("create_petition", "--slug", "s", "--title", "T", "--registration-base", "4000",
        "--approved", "2024-01-01")  # fmt: skip
    petition = Petition.objects.get(slug="s")
    assert (petition.required_signatures, petition.deadline) == (1_000, date(2024, 3, 1))


def test_an_explicit_deadline_is_kept():
    run("create_petition", "--slug", "s", "--title", "T", "--registration-base", "4000",
        "--approved", "2024-01-01", "--deadline", "2024-01-31")  # fmt: skip
    assert Petition.objects.get(slug="s").deadline == date(2024, 1, 31)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give the required signatures or the registration base (--required)"),
        (["--required", "0"], "required signatures must be 1 or more, got 0 (--required)"),
        (["--required", "many"], "--required must be a whole number, got 'many'"),
        (["--required", "-5"], "--required must be a whole number, got '-5'"),
        (["--registration-base", "0"], "registration base must be 1 or more, got 0"),
        (["--required", "9", "--approved", "05/20/2021"],
         "--approved must be a date as YYYY-MM-DD, got '05/20/2021'"),
        (["--required", "9", "--deadline", "2021-02-30"],
         "--deadline must be a date as YYYY-MM-DD, got '2021-02-30'"),
        (["--required", "9", "--approved", "2021-05-20", "--deadline", "2021-05-19"],
         "deadline 2021-05-19 is before the approval day 2021-05-20 (--deadline)"),
        (["--required", "9", "--approved", "9999-10-01"],
         "the approval day 9999-10-01 is not plausible: give a day from"),
        (["--required", "9", "--approved", "2026-01-05", "--deadline", "9999-12-31"],
         "the deadline 9999-12-31 is not plausible: give a day from 2026-01-05 to 2027-01-06"),
    ],
)  # fmt: skip
def test_create_petition_refuses_bad_input_in_one_line(args, message):
    with pytest.raises(CommandError) as caught:
        run("create_petition", "--slug", "s", "--title", "T", *args)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert not Petition.objects.exists()


@pytest.mark.parametrize(
    ("slug", "title", "message"),
    [
        ("la da", "T", "slug 'la da' must be up to 80 letters, digits, hyphens or underscores"),
        ("s", " ", "title is required (--title)"),
    ],
)
def test_create_petition_refuses_a_bad_slug_or_title(slug, title, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run("create_petition", "--slug", slug, "--title", title, "--required", "9")
    assert not Petition.objects.exists()


def test_create_petition_without_a_slug_makes_one_from_the_title(petition):
    out = run("create_petition", "--title", "Recall the DA", "--required", "9")
    assert "Created petition recall-the-da " in out
    out = run("create_petition", "--slug", "", "--title", "Recall the DA", "--required", "9")
    assert "Created petition recall-the-da-2 " in out
    assert Petition.objects.filter(title="Recall the DA").count() == 3


def test_create_petition_refuses_a_slug_already_used(petition):
    with pytest.raises(CommandError, match="slug 'la-da' is already used by another petition"):
        run("create_petition", "--slug", "la-da", "--title", "Again", "--required", "9")
    assert Petition.objects.get().title == "Recall the DA"


def test_petition_create_names_each_bad_field():
    with pytest.raises(ValidationError) as caught:
        petition_create(title="", slug="a b", required=-1)
    assert set(caught.value.message_dict) == {"title", "slug", "required_signatures"}


def test_petition_create_takes_rule_settings_and_checks_their_choices():
    petition = petition_create(title="T", slug="s", required=9, duplicate_rule="reject_all")
    assert petition.duplicate_rule == Petition.DuplicateRule.REJECT_ALL
    with pytest.raises(ValidationError) as caught:
        petition_create(title="T", slug="t", required=9, duplicate_rule="reject_some")
    assert set(caught.value.message_dict) == {"duplicate_rule"}
    with pytest.raises(TypeError, match="unknown settings: colour"):
        petition_create(title="T", slug="u", required=9, colour="red")


# ------------------------------------------------------------------------------ import: happy path


def test_import_creates_sections_with_circulators_and_pending_lines(petition, tmp_path, organizer):
    path = write_csv(tmp_path / "s.csv", [
        row(1, 1, zip_="90011-1234", date_signed="2022-03-04"),
        row(1, 2, name="", address="", circulator="", signed="no", zip_="900111234"),
        row(2, 1, circulator="", date_signed="03/05/2022"),
        row(2, 2, circulator="Bo Diaz", signed="", zip_="90011"),
    ])  # fmt: skip
    report = signatures_import(petition=petition, path=path, entered_by=organizer)
    assert (report.rows_read, report.lines_created, report.sections_created) == (4, 4, 2)
    assert (report.rows_rejected, report.existing, report.rejects) == (0, 0, [])
    assert report.written
    assert dict(Section.objects.values_list("serial", "circulator_name")) == {
        1: "Ann Lee",
        2: "Bo Diaz",  # the first non-blank circulator of the section
    }
    assert set(Line.objects.values_list("status", flat=True)) == {"pending"}
    assert set(Line.objects.values_list("petition_id", flat=True)) == {petition.pk}
    first = line_at(1, 1)
    assert (first.printed_name, first.residence_address, first.city) == (
        "Maria Lopez", "123 Main St", "Los Angeles",
    )  # fmt: skip
    assert (first.zip, first.date_signed, first.signed) == ("90011-1234", date(2022, 3, 4), True)
    assert first.entered_by == organizer
    blank = line_at(1, 2)  # incomplete later, not rejected now
    assert (blank.printed_name, blank.residence_address, blank.signed) == ("", "", False)
    assert blank.zip == "90011-1234"
    assert line_at(2, 1).date_signed == date(2022, 3, 5)
    assert (line_at(2, 2).signed, line_at(2, 2).zip) == (True, "90011")

    # Written by one INSERT ... SELECT: ids in the file's order, each line a token of its own.
    assert list(Line.objects.order_by("pk").values_list("section__serial", "number")) == [
        (1, 1), (1, 2), (2, 1), (2, 2),
    ]  # fmt: skip
    assert len(set(Line.objects.values_list("client_token", flat=True))) == 4
    assert first.entered_at is not None
    assert first.validated_at is None


def test_the_import_writes_every_column_of_a_line():
    """signature_import's INSERT names its columns: a field added to Line must be added there."""
    columns = {f.column for f in Line._meta.concrete_fields} - {"id"}
    assert set(INSERTED_COLUMNS) == columns


@pytest.mark.parametrize(
    ("text", "signed"),
    [("yes", True), ("Y", True), ("TRUE", True), ("1", True), ("", True),
     ("no", False), ("N", False), ("false", False), ("0", False)],
)  # fmt: skip
def test_signed_spellings(petition, tmp_path, text, signed):
    signatures_import(petition=petition, path=write_csv(tmp_path / "s.csv", [row(signed=text)]))
    assert line_at(1, 1).signed is signed


def test_header_names_are_matched_loosely_and_other_columns_ignored(petition, tmp_path):
    header = ("Section", " Line ", "Printed Name", "residence-address", "CITY", "notes")
    path = write_csv(tmp_path / "s.csv", [["4", "7", "Ann", "1 A St", "Pasadena", "=cmd"]], header)
    report = signatures_import(petition=petition, path=path)
    assert report.lines_created == 1
    line = line_at(4, 7)
    assert (line.printed_name, line.city, line.zip, line.signed) == ("Ann", "Pasadena", "", True)
    assert Section.objects.get().circulator_name == ""


def test_a_file_with_a_byte_order_mark_imports(petition, tmp_path):
    path = write_csv(tmp_path / "s.csv", [row(name="José Núñez")], encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    report = signatures_import(petition=petition, path=path)
    assert report.lines_created == 1
    assert line_at(1, 1).printed_name == "José Núñez"


def test_an_import_strips_invisible_characters_like_typed_lines(petition, tmp_path):
    values = row(1, 1, name="\u202eANA GOMEZ", address="12\u200b Oak Ave\u2069",
                 city="\u2066Glendale\u2067", zip_="91201\u200e",
                 circulator="Bo\ufeff Diaz\u200f")  # fmt: skip
    # A stray zero-width space in a header name too.
    path = write_csv(tmp_path / "s.csv", [[values[c] for c in HEADER]],
                     header=("\u200bsection", *HEADER[1:]))  # fmt: skip
    report = signatures_import(petition=petition, path=path)
    assert (report.lines_created, report.rows_rejected) == (1, 0)
    line = line_at(1, 1)
    assert (line.printed_name, line.residence_address, line.city, line.zip) == (
        "ANA GOMEZ", "12 Oak Ave", "Glendale", "91201",
    )  # fmt: skip
    assert Section.objects.get().circulator_name == "Bo Diaz"


def test_blank_rows_are_skipped_and_not_counted(petition, tmp_path):
    path = write_csv(tmp_path / "s.csv", [row(1, 1), [], [""] * len(HEADER), row(1, 2)])
    report = signatures_import(petition=petition, path=path)
    assert (report.rows_read, report.lines_created, report.rows_rejected) == (2, 2, 0)


def test_lines_are_written_in_batches_not_one_insert_per_row(petition, tmp_path, monkeypatch):
    monkeypatch.setattr(signature_import, "BATCH_SIZE", 5)
    path = write_csv(tmp_path / "s.csv", [row(1 + n // 4, 1 + n % 4) for n in range(12)])
    with CaptureQueriesContext(connection) as queries:
        report = signatures_import(petition=petition, path=path)
    inserts = [q["sql"] for q in queries if "INSERT INTO petitions_line" in q["sql"]]
    assert len(inserts) == 3  # 5 + 5 + 2
    assert (report.lines_created, report.sections_created, Line.objects.count()) == (12, 3, 12)


def test_the_validation_is_enqueued_once_after_commit(
    petition, tmp_path, enqueued, django_capture_on_commit_callbacks
):
    path = write_csv(tmp_path / "s.csv", [row(1, 1), row(1, 2), row(2, 1)])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        signatures_import(petition=petition, path=path)
    assert len(callbacks) == 1
    assert enqueued == [petition.pk]


def test_nothing_is_enqueued_when_nothing_was_written(
    petition, tmp_path, enqueued, django_capture_on_commit_callbacks
):
    path = write_csv(tmp_path / "s.csv", [row(1, 1), row(1, 2, zip_="123")])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        signatures_import(petition=petition, path=path)
    assert (callbacks, enqueued) == ([], [])


# ---------------------------------------------------------------------------- import: the header


def test_missing_header_columns_are_named_and_nothing_is_written(petition, tmp_path):
    header = ("section", "line", "printed_name", "zip")
    path = write_csv(tmp_path / "s.csv", [["1", "1", "Ann", ""]], header)
    with pytest.raises(SignatureImportError) as caught:
        signatures_import(petition=petition, path=path)
    assert str(caught.value) == "the header lacks required columns: residence_address, city"
    assert not Section.objects.exists()
    assert not Line.objects.exists()


def test_the_command_refuses_a_bad_header_in_one_line(petition, tmp_path):
    path = write_csv(tmp_path / "s.csv", [["1", "Ann"]], ("section", "name"))
    with pytest.raises(CommandError) as caught:
        run("import_signatures", str(path), "--petition", "la-da")
    assert str(caught.value) == (
        f"{path}: the header lacks required columns: line, printed_name, residence_address, city"
    )
    assert not Line.objects.exists()


def test_a_repeated_header_column_is_refused(petition, tmp_path):
    path = write_csv(tmp_path / "s.csv", [], (*HEADER, "City"))
    with pytest.raises(SignatureImportError, match="the header repeats columns: city"):
        signatures_import(petition=petition, path=path)


def test_an_empty_file_is_refused(petition, tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes(b"")
    with pytest.raises(SignatureImportError, match="lacks required columns: section, line"):
        signatures_import(petition=petition, path=path)


def test_a_missing_file_is_refused(petition, tmp_path):
    with pytest.raises(SignatureImportError, match=r"cannot read .*nope\.csv: No such file"):
        signatures_import(petition=petition, path=tmp_path / "nope.csv")


def test_a_file_that_is_not_utf8_is_refused_and_nothing_written(petition, tmp_path):
    path = write_csv(tmp_path / "s.csv", [row(name="José")], encoding="latin-1")
    with pytest.raises(SignatureImportError, match="the file is not UTF-8 text"):
        signatures_import(petition=petition, path=path)
    assert not Line.objects.exists()


# ------------------------------------------------------------------------------ import: bad rows

LONG = "x" * 201


@pytest.mark.parametrize(
    ("override", "reason"),
    [
        ({"section": "x"}, "section must be a whole number of 1 or more, got 'x'"),
        ({"section": "0"}, "section must be a whole number of 1 or more, got '0'"),
        ({"section": "3.0"}, "section must be a whole number of 1 or more, got '3.0'"),
        ({"section": "99999999999"}, "section 99999999999 is too large"),
        ({"line": ""}, "line is blank"),
        ({"line": "-2"}, "line must be a whole number of 1 or more, got '-2'"),
        ({"line": "1001"}, "line 1001 is past 1000, the last line of a section"),
        ({"signed": "maybe"}, "signed must be yes or no, got 'maybe'"),
        ({"date_signed": "2022-02-30"},
         "date_signed must be YYYY-MM-DD or MM/DD/YYYY, got '2022-02-30'"),
        ({"date_signed": "13/01/2022"},
         "date_signed must be YYYY-MM-DD or MM/DD/YYYY, got '13/01/2022'"),
        ({"date_signed": "March 3"}, "date_signed must be YYYY-MM-DD or MM/DD/YYYY, got 'March 3'"),
        ({"zip": "9001"}, "zip must be 5 or 9 digits, got '9001'"),
        ({"zip": "90011-12"}, "zip must be 5 or 9 digits, got '90011-12'"),
        ({"zip": "ABCDE"}, "zip must be 5 or 9 digits, got 'ABCDE'"),
        ({"printed_name": LONG}, "printed_name is longer than 200 characters"),
        ({"residence_address": LONG}, "residence_address is longer than 200 characters"),
        ({"circulator": LONG}, "circulator is longer than 200 characters"),
        ({"city": "y" * 101}, "city is longer than 100 characters"),
        ({"printed_name": "Ann\x00"}, "printed_name contains a NUL character"),
        ({"zip": "1", "signed": "?"}, "signed must be yes or no, got '?'; zip must be 5 or 9 "
                                      "digits, got '1'"),
    ],
)  # fmt: skip
def test_each_kind_of_bad_row_is_rejected_with_its_line(petition, tmp_path, override, reason):
    rows = [row(1, 1), row(1, 2), {**row(1, 3), **override}, row(1, 4)]
    report = signatures_import(petition=petition, path=write_csv(tmp_path / "s.csv", rows))
    assert report.rejects == [{"line": 4, "reason": reason}]  # the header is line 1
    assert (report.rows_read, report.rows_rejected, report.written) == (4, 1, False)
    assert not Line.objects.exists()
    assert not Section.objects.exists()


def test_values_of_exactly_the_limit_are_accepted(petition, tmp_path):
    rows = [row(name="n" * 200, address="a" * 200, city="c" * 100, circulator="z" * 200)]
    report = signatures_import(petition=petition, path=write_csv(tmp_path / "s.csv", rows))
    assert report.lines_created == 1
    assert len(line_at(1, 1).printed_name) == 200


def test_a_row_with_the_wrong_number_of_values_is_rejected(petition, tmp_path):
    rows = [row(), ["1", "2", "Ann"], [*HEADER, "extra"]]
    report = signatures_import(petition=petition, path=write_csv(tmp_path / "s.csv", rows))
    assert report.rejects == [
        {"line": 3, "reason": "has 3 values, the header has 9"},
        {"line": 4, "reason": "has 10 values, the header has 9"},
    ]


def test_a_multiline_value_reports_the_line_the_row_starts_on(petition, tmp_path):
    rows = [row(1, 1, address="12 Elm St\nApt 3"), row(1, 2, zip_="bad")]
    report = signatures_import(petition=petition, path=write_csv(tmp_path / "s.csv", rows))
    assert report.rejects[0]["line"] == 4


def test_a_section_and_line_repeated_in_the_file_names_the_first(petition, tmp_path):
    rows = [row(1, 1), row(1, 2), row(1, 1, name="Other")]
    report = signatures_import(petition=petition, path=write_csv(tmp_path / "s.csv", rows))
    assert report.rejects == [{"line": 4, "reason": "duplicate of line 2 (section 1, line 1)"}]


def test_a_second_circulator_in_a_section_is_rejected(petition, tmp_path):
    rows = [
        row(12, 1, circulator=""),
        row(12, 2, circulator="Ann Lee"),
        row(12, 3, circulator=""),
        row(12, 4, circulator="Bo Diaz"),
        row(13, 1, circulator="Bo Diaz"),
    ]
    report = signatures_import(petition=petition, path=write_csv(tmp_path / "s.csv", rows))
    assert report.rejects == [{"line": 5, "reason": "section 12 has circulator Ann Lee on line 3"}]


def test_a_circulator_differing_from_a_stored_section_is_rejected(petition, tmp_path):
    Section.objects.create(petition=petition, serial=12, circulator_name="Ann Lee")
    rows = [row(12, 1, circulator="Ann Lee"), row(12, 2, circulator="Bo Diaz")]
    report = signatures_import(petition=petition, path=write_csv(tmp_path / "s.csv", rows))
    assert report.rejects == [
        {"line": 3, "reason": "section 12 has circulator Ann Lee (already stored)"}
    ]


def test_a_stored_section_without_a_circulator_takes_the_files(petition, tmp_path):
    Section.objects.create(petition=petition, serial=12)
    report = signatures_import(
        petition=petition, path=write_csv(tmp_path / "s.csv", [row(12, 1, circulator="Bo Diaz")])
    )
    assert (report.sections_created, report.lines_created) == (0, 1)
    assert Section.objects.get().circulator_name == "Bo Diaz"


def test_only_the_first_100_rejects_are_kept_but_all_are_counted(petition, tmp_path):
    rows = [row(1, n, zip_="bad") for n in range(1, 151)]
    report = signatures_import(petition=petition, path=write_csv(tmp_path / "s.csv", rows))
    assert report.rows_rejected == 150
    assert len(report.rejects) == 100
    assert report.rejects[-1]["line"] == 101


def test_skip_bad_imports_the_good_rows_only(petition, tmp_path, enqueued,
                                              django_capture_on_commit_callbacks):  # fmt: skip
    rows = [row(1, 1), row(1, 2, zip_="bad"), {**row(2, 1), "section": "two"}, row(3, 1)]
    with django_capture_on_commit_callbacks(execute=True):
        report = signatures_import(
            petition=petition, path=write_csv(tmp_path / "s.csv", rows), skip_bad=True
        )
    assert (report.rows_read, report.rows_rejected, report.lines_created) == (4, 2, 2)
    assert report.sections_created == 2  # a section whose only row was rejected is not created
    assert report.written
    assert sorted(Line.objects.values_list("section__serial", "number")) == [(1, 1), (3, 1)]
    assert enqueued == [petition.pk]


def test_the_command_refuses_all_when_rows_are_rejected(petition, tmp_path):
    rows = [row(1, 1), row(1, 2, zip_="bad"), row(1, 3, signed="?")]
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_signatures", str(write_csv(tmp_path / "s.csv", rows)),
                     "--petition", "la-da", stdout=out)  # fmt: skip
    assert str(caught.value) == "2 rows rejected, nothing imported; see above or use --skip-bad"
    assert "line 3: zip must be 5 or 9 digits, got 'bad'" in out.getvalue()
    assert "line 4: signed must be yes or no, got '?'" in out.getvalue()
    assert out.getvalue().startswith("Nothing imported from")
    assert not Line.objects.exists()


def test_the_command_with_skip_bad_imports_and_lists_the_rejects(petition, tmp_path):
    path = write_csv(tmp_path / "s.csv", [row(1, 1), row(1, 2, zip_="bad")])
    out = run("import_signatures", str(path), "--petition", "la-da", "--skip-bad")
    assert figure(out, "lines created") == 1
    assert figure(out, "rows rejected") == 1
    assert "line 3: zip must be 5 or 9 digits, got 'bad'" in out
    assert Line.objects.count() == 1


def test_the_command_shows_only_the_first_20_rejects(petition, tmp_path):
    path = write_csv(tmp_path / "s.csv", [row(1, n, zip_="bad") for n in range(1, 31)])
    out = run("import_signatures", str(path), "--petition", "la-da", "--skip-bad")
    assert "first rejected rows (of 30):" in out
    assert "line 21: " in out
    assert "line 22: " not in out


def test_the_command_prints_the_report(petition, tmp_path):
    path = write_csv(tmp_path / "s.csv", [row(1, 1), row(1, 2), row(2, 1)])
    out = run("import_signatures", str(path), "--petition", "la-da")
    assert out.startswith(f"Imported {path} into petition la-da\n")
    assert figure(out, "rows read") == 3
    assert figure(out, "lines created") == 3
    assert figure(out, "sections created") == 2
    assert "Validation of the new lines is queued." in out


def test_the_command_refuses_an_unknown_petition(tmp_path, db):
    path = write_csv(tmp_path / "s.csv", [row()])
    with pytest.raises(CommandError, match="no petition with slug 'nope'"):
        run("import_signatures", str(path), "--petition", "nope")


# --------------------------------------------------------------------- import: rows already stored


def _decided(line: Line) -> None:
    line.status, line.counted, line.score = Line.Status.VALID, True, 0.97
    line.reason, line.voter_registrant_id = {"summary": "matched"}, "V123"
    line.validated_at = timezone.now()
    line.save()


def test_stored_lines_are_left_alone_and_counted(petition, tmp_path):
    signatures_import(petition=petition, path=write_csv(tmp_path / "a.csv", [row(1, 1)]))
    _decided(line_at(1, 1))
    rows = [row(1, 1, name="Changed Name"), row(1, 2)]
    report = signatures_import(petition=petition, path=write_csv(tmp_path / "b.csv", rows))
    assert (report.existing, report.lines_created, report.lines_replaced) == (1, 1, 0)
    kept = line_at(1, 1)
    assert (kept.printed_name, kept.status, kept.counted) == ("Maria Lopez", "valid", True)


def test_replace_overwrites_stored_lines_and_sends_them_back_to_pending(
    petition, tmp_path, organizer, monkeypatch
):
    monkeypatch.setattr(signature_import, "BATCH_SIZE", 2)  # the replaced lines span batches
    signatures_import(
        petition=petition, path=write_csv(tmp_path / "a.csv", [row(1, n) for n in (1, 2, 3)])
    )
    _decided(line_at(1, 1))
    before = line_at(1, 1)
    rows = [row(1, 1, name="Changed Name", zip_="90011", signed="no", date_signed="2022-01-02"),
            row(1, 2, name="Second"), row(1, 3, name="Third"), row(1, 4)]  # fmt: skip
    report = signatures_import(
        petition=petition, path=write_csv(tmp_path / "b.csv", rows), replace=True,
        entered_by=organizer,
    )  # fmt: skip
    assert (report.lines_replaced, report.lines_created, report.existing) == (3, 1, 0)
    line = line_at(1, 1)
    assert (line.pk, line.client_token) == (before.pk, before.client_token)
    assert (line.printed_name, line.zip, line.signed, line.date_signed) == (
        "Changed Name", "90011", False, date(2022, 1, 2),
    )  # fmt: skip
    assert (line.status, line.counted, line.score, line.reason) == ("pending", False, None, {})
    assert (line.voter_registrant_id, line.validated_at, line.entered_by) == ("", None, organizer)
    assert line.updated_at > before.updated_at
    assert line_at(1, 3).printed_name == "Third"
    assert Line.objects.count() == 4


def test_replace_can_correct_a_stored_sections_circulator(petition, tmp_path):
    Section.objects.create(petition=petition, serial=1, circulator_name="Ann Le")
    report = signatures_import(
        petition=petition, path=write_csv(tmp_path / "s.csv", [row(circulator="Ann Lee")]),
        replace=True,
    )  # fmt: skip
    assert report.rejects == []
    assert Section.objects.get().circulator_name == "Ann Lee"


def test_the_command_replaces_with_the_flag(petition, tmp_path):
    signatures_import(petition=petition, path=write_csv(tmp_path / "a.csv", [row(1, 1)]))
    path = write_csv(tmp_path / "b.csv", [row(1, 1, name="New")])
    out = run("import_signatures", str(path), "--petition", "la-da")
    assert figure(out, "already stored") == 1
    assert "(left alone; --replace overwrites them)" in out
    assert line_at(1, 1).printed_name == "Maria Lopez"
    out = run("import_signatures", str(path), "--petition", "la-da", "--replace")
    assert figure(out, "lines replaced") == 1
    assert line_at(1, 1).printed_name == "New"


# -------------------------------------------------------------------------------------- export


def _line(petition, serial, number, **fields):
    section, _ = Section.objects.get_or_create(petition=petition, serial=serial)
    return Line.objects.create(petition=petition, section=section, number=number, **fields)


def test_export_header_is_exact_and_rows_follow_section_then_line(petition):
    _line(petition, 10, 1, printed_name="Ten One")
    _line(petition, 2, 3, printed_name="Two Three", signed=False)
    _line(petition, 2, 1, printed_name="Two One", status="valid", counted=True, score=0.9666,
          voter_registrant_id="V1", reason={"summary": "Matched the roll.", "x": [1]},
          residence_address="12 Elm St Apt 3", city="Pasadena", zip="91101",
          date_signed=date(2026, 9, 14))  # fmt: skip
    _line(petition, 1, 12, printed_name="One Twelve", status="not_registered", score=0.2,
          reason={"other": "no summary"})  # fmt: skip
    Section.objects.filter(petition=petition, serial=2).update(circulator_name="Rosa Diaz")
    other = petition_create(title="Other", slug="other", required=5)
    _line(other, 1, 1, printed_name="Not this petition")
    rows = list(petition_export_rows(petition))
    # Today's seven columns first, in their order (scripts read them by position), then the rest.
    assert rows[0] == EXPORT_HEADER == (
        "section", "line", "printed_name", "status", "voter_id", "score", "reason",
        "residence_address", "city", "zip", "signed", "circulator", "date_signed",
    )  # fmt: skip
    assert rows[1:] == [
        (1, 12, "One Twelve", "not_registered", "", "0.20", "", "", "", "", "yes", "", ""),
        (2, 1, "Two One", "valid", "V1", "0.97", "Matched the roll.", "12 Elm St Apt 3",
         "Pasadena", "91101", "yes", "Rosa Diaz", "2026-09-14"),
        (2, 3, "Two Three", "pending", "", "", "", "", "", "", "no", "Rosa Diaz", ""),
        (10, 1, "Ten One", "pending", "", "", "", "", "", "", "yes", "", ""),
    ]  # fmt: skip


def test_export_reads_back_into_import_signatures(petition, tmp_path):
    """The added columns are import_signatures' own: an export imports into a new petition
    with the same lines, flags, dates and circulators."""
    _line(petition, 1, 1, printed_name="Ann Lee", residence_address="1 Main St", city="Downey",
          zip="90241", signed=False, date_signed=date(2026, 9, 2))  # fmt: skip
    _line(petition, 1, 2, printed_name="Bo Kim", residence_address="2 Oak Ave", city="Downey")
    Section.objects.filter(petition=petition).update(circulator_name="Rosa Diaz")
    path = tmp_path / "export.csv"
    path.write_text("".join(csv_lines(petition_export_rows(petition))), encoding="utf-8")
    copy = petition_create(title="Copy", slug="copy", required=5)
    run("import_signatures", str(path), "--petition", "copy")
    fields = ("number", "printed_name", "residence_address", "city", "zip", "signed",
              "date_signed", "section__circulator_name")  # fmt: skip
    assert list(copy.lines.order_by("number").values_list(*fields)) == list(
        petition.lines.order_by("number").values_list(*fields)
    )


@pytest.mark.parametrize(
    "dangerous", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_export_neutralises_formulas_in_text_cells(petition, dangerous):
    _line(petition, 1, 1, printed_name=dangerous, voter_registrant_id=dangerous,
          reason={"summary": dangerous}, residence_address=dangerous, city=dangerous,
          zip=dangerous[:10])  # fmt: skip
    Section.objects.filter(petition=petition).update(circulator_name=dangerous)
    _, exported = csv.reader(io.StringIO("".join(csv_lines(petition_export_rows(petition)))))
    for column in ("printed_name", "voter_id", "reason", "residence_address", "city", "zip",
                   "circulator"):  # fmt: skip
        assert (
            exported[EXPORT_HEADER.index(column)]
            == "'" + dangerous[: 10 if column == "zip" else None]
        ), column


def test_export_leaves_ordinary_text_alone(petition):
    _line(petition, 1, 1, printed_name="O'Neil-Smith, Ann", reason={"summary": "a = b"})
    _, exported = csv.reader(io.StringIO("".join(csv_lines(petition_export_rows(petition)))))
    assert (exported[2], exported[6]) == ("O'Neil-Smith, Ann", "a = b")


def test_export_command_writes_csv_to_stdout(petition):
    _line(petition, 1, 1, printed_name="=1+1")
    out = run("export_signatures", "--petition", "la-da")
    assert out == (
        "section,line,printed_name,status,voter_id,score,reason,residence_address,city,zip,"
        "signed,circulator,date_signed\r\n1,1,'=1+1,pending,,,,,,,yes,,\r\n"
    )


def test_export_command_writes_a_file(petition, tmp_path):
    _line(petition, 1, 1, printed_name="Ann")
    _line(petition, 1, 2, printed_name="Bo")
    err = io.StringIO()
    target = tmp_path / "out.csv"
    call_command("export_signatures", "--petition", "la-da", "--output", str(target), stderr=err)
    rows = list(csv.reader(target.open(newline="", encoding="utf-8")))
    blank = ["", "", "", "yes", "", ""]  # address, city, ZIP, signed, circulator, date signed
    assert rows == [list(EXPORT_HEADER), ["1", "1", "Ann", "pending", "", "", "", *blank],
                    ["1", "2", "Bo", "pending", "", "", "", *blank]]  # fmt: skip
    assert f"Wrote 2 lines of petition la-da to {target}" in err.getvalue()


def test_the_commands_record_who_ran_them_in_the_audit_log(db, tmp_path):
    account = getpass.getuser()
    run("create_petition", "--title", "Recall the DA", "--slug", "la-da", "--required", "566857")
    run("import_signatures", str(write_csv(tmp_path / "s.csv", [row(1, 1), row(1, 2)])),
        "--petition", "la-da")  # fmt: skip
    call_command("export_signatures", "--petition", "la-da", "--output", str(tmp_path / "o.csv"),
                 stderr=io.StringIO())  # fmt: skip
    run("export_signatures", "--petition", "la-da")
    events = list(
        AuditEvent.objects.order_by("id").values("username", "action", "target", "detail")
    )
    assert events == [
        {"username": f"{account} (manage.py create_petition)", "action": "petition_created",
         "target": "petition la-da", "detail": {"required": 566_857, "registration_base": None,
                                                "deadline": None, "double_entry": False}},
        {"username": f"{account} (manage.py import_signatures)", "action": "signature_import",
         "target": f"petition la-da: {tmp_path / 's.csv'}",
         "detail": {"path": str(tmp_path / "s.csv"), "created": 2, "replaced": 0, "rejected": 0,
                    "replace": False}},
        {"username": f"{account} (manage.py export_signatures)", "action": "export",
         "target": "petition la-da: all lines", "detail": {"output": str(tmp_path / "o.csv")}},
        {"username": f"{account} (manage.py export_signatures)", "action": "export",
         "target": "petition la-da: all lines", "detail": {"output": "standard output"}},
    ]  # fmt: skip


def test_an_import_that_writes_nothing_records_nothing(petition, tmp_path):
    with pytest.raises(CommandError):
        run("import_signatures", str(write_csv(tmp_path / "s.csv", [row(1, 1, zip_="bad")])),
            "--petition", "la-da")  # fmt: skip
    assert not AuditEvent.objects.exclude(action="petition_created").exists()


def test_export_command_refuses_an_unknown_petition(db):
    with pytest.raises(CommandError, match="no petition with slug 'nope'"):
        run("export_signatures", "--petition", "nope")


# ------------------------------------------------------------------------------------ withdraw


@pytest.fixture
def signed_twice(petition):
    """Voter V1 signed twice: section 1 line 1 counts, section 2 line 4 is its duplicate."""
    first = _line(
        petition,
        1,
        1,
        printed_name="Ann Lee",
        status="valid",
        counted=True,
        voter_registrant_id="V1",
        reason={"rule": "match", "summary": "exact"},
    )
    second = _line(
        petition,
        2,
        4,
        printed_name="Ann Lee",
        status="duplicate",
        voter_registrant_id="V1",
        reason={
            "rule": "duplicate",
            "notes": ["signed more than once: also on section 1 line 1"],
            "summary": "signed more than once: also on section 1 line 1; exact",
        },
    )
    _line(petition, 1, 2, status="blank")
    return first, second  # fmt: skip


def _withdraw(*args):
    return run("withdraw_signature", "--petition", "la-da", *args)


def test_withdraw_signature_stops_the_line_counting_and_the_voters_next_line_counts(
    signed_twice,
):
    first, second = signed_twice
    out = _withdraw("--section", "1", "--line", "1", "--note", "letter of 2026-11-02, file 7")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.counted, first.withdrawn) == ("withdrawn", False, True)
    assert (second.status, second.counted) == ("valid", True)
    assert "Withdrew section 1 line 1 of petition la-da." in out
    assert "section 2 line 4" in out


def test_withdraw_signature_records_who_withdrew_it_in_the_history_and_the_audit_log(
    signed_twice,
):
    first, _ = signed_twice
    _withdraw("--section", "1", "--line", "1", "--note", " letter of 2026-11-02 ")
    event = LineEvent.objects.get(line=first)
    note = "letter of 2026-11-02; section 2 line 4 counts instead"
    assert (event.kind, event.user, event.note) == ("withdrawn", None, note)
    assert (event.before["status"], event.before["counted"]) == ("valid", True)
    assert (event.after["status"], event.after["counted"]) == ("withdrawn", False)
    audit = AuditEvent.objects.get(action="line_withdrawn")
    assert audit.username == f"{getpass.getuser()} (manage.py withdraw_signature)"
    assert audit.target == "petition la-da: section 1 line 1"
    assert (audit.detail["line"], audit.detail["note"]) == (first.pk, note)
    assert (audit.detail["before"]["status"], audit.detail["after"]["status"]) == (
        "valid", "withdrawn",
    )  # fmt: skip


def test_withdrawing_a_duplicate_changes_no_count_and_says_which_line_counts(signed_twice):
    first, second = signed_twice
    out = _withdraw("--section", "2", "--line", "4")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.counted, second.status, second.withdrawn) == (True, "withdrawn", True)
    assert LineEvent.objects.get(line=second).note == ""
    assert "section 1 line 1" in out


def test_the_service_records_the_user_who_withdrew_it(signed_twice, organizer):
    from petitions.validation import line_withdraw

    first, _ = signed_twice
    line_withdraw(line_id=first.pk, by=organizer, note="by letter")
    event = LineEvent.objects.get(line=first)
    assert (event.kind, event.user) == ("withdrawn", organizer)
    audit = AuditEvent.objects.get(action="line_withdrawn")
    assert (audit.user, audit.username) == (organizer, organizer.username)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--petition", "nope", "--section", "1", "--line", "1"),
         r"no petition with slug 'nope' \(--petition\)"),
        (("--petition", "la-da", "--section", "3", "--line", "1"),
         r"petition la-da has no section 3 \(--section\)"),
        (("--petition", "la-da", "--section", "1", "--line", "9"),
         r"section 1 of petition la-da has no line 9 \(--line\)"),
        (("--petition", "la-da", "--section", "x", "--line", "1"),
         r"--section must be a whole number, got 'x'"),
        (("--petition", "la-da", "--section", "1", "--line", "-1"),
         r"--line must be a whole number, got '-1'"),
        (("--petition", "la-da", "--section", "1", "--line", "2"),
         r"Section 1 line 2 is blank or crossed out: there is no signature to withdraw\. "
         r"\(--line\)"),
        (("--petition", "la-da", "--section", "1", "--line", "1", "--note", "x" * 301),
         r"--note is 301 characters long; at most 300"),
    ],
)  # fmt: skip
def test_withdraw_signature_refuses_bad_input_naming_the_field_and_changes_nothing(
    signed_twice, args, message
):
    before = list(Line.objects.order_by("id").values())
    with pytest.raises(CommandError, match=f"^{message}$"):
        run("withdraw_signature", *args)
    assert list(Line.objects.order_by("id").values()) == before
    assert not LineEvent.objects.exists()
    assert not AuditEvent.objects.filter(action="line_withdrawn").exists()


def test_a_line_withdrawn_already_is_refused_and_nothing_more_is_written(signed_twice):
    _withdraw("--section", "1", "--line", "1")
    before = list(Line.objects.order_by("id").values())
    with pytest.raises(CommandError, match=r"^Section 1 line 1 is withdrawn already\. \(--line\)$"):
        _withdraw("--section", "1", "--line", "1")
    assert list(Line.objects.order_by("id").values()) == before
    assert LineEvent.objects.count() == AuditEvent.objects.filter(action="line_withdrawn").count()
    assert LineEvent.objects.count() == 1


def test_a_petition_filed_already_refuses_withdrawals(petition, signed_twice):
    first, second = signed_twice
    today = timezone.localdate()
    petition.filed_on = today - timedelta(days=1)
    petition.save(update_fields=["filed_on"])
    with pytest.raises(CommandError, match=(
        rf"^Petition la-da was filed on {petition.filed_on.isoformat()}: a signature can be "
        r"withdrawn only before the petition is filed \(EC 11303\)\. \(--petition\)$"
    )):  # fmt: skip
        _withdraw("--section", "1", "--line", "1")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.counted, second.counted) == ("valid", True, False)
    assert not LineEvent.objects.exists()
    assert not AuditEvent.objects.filter(action="line_withdrawn").exists()
    # Filed today: a request filed before the petition that same day still counts.
    petition.filed_on = today
    petition.save(update_fields=["filed_on"])
    _withdraw("--section", "1", "--line", "1")
    first.refresh_from_db()
    assert first.status == "withdrawn"


def test_a_withdrawal_is_neither_undone_nor_decided_over_by_a_reviewer(signed_twice, reviewer):
    from petitions.review import event_undo, line_decide
    from petitions.selectors import line_history

    first, second = signed_twice
    _withdraw("--section", "1", "--line", "1")
    event = LineEvent.objects.get(line=first)
    assert [e.undoable for e in line_history(first)] == [False]
    with pytest.raises(ValidationError, match=r"withdrawal is the signer's written request"):
        event_undo(event_id=event.pk, user=reviewer)
    with pytest.raises(ValidationError, match=r"Line 1 was withdrawn by its signer"):
        line_decide(line_id=first.pk, choice="not_registered", reviewer=reviewer)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.withdrawn, second.counted) == ("withdrawn", True, True)
    assert LineEvent.objects.filter(line=first).count() == 1
