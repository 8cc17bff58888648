"""matching.compare: each field's level of agreement between a line and one voter."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from matching.compare import Level, compare, given_level, line_keys, surname_level
from tests.matching.roll import candidate, places

ROOT = Path(__file__).resolve().parents[2]

BOB = candidate("BOB", first_name="ROBERT", last_name="SMITHERS", house_number="12",
                street_name="OAK", street_type="AVE", city="GLENDALE", zip="91201")  # fmt: skip
WHERE = places([BOB])


def grade(name: str, address: str = "12 Oak Ave", city: str = "Glendale", zip_code: str = ""):
    return compare(line_keys(name, address, city, zip_code), BOB, WHERE)


def test_levels_keep_the_string_values_stored_in_reasons():
    assert [level.value for level in Level][:9] == [
        "exact", "nickname", "compound", "close", "phonetic", "initial", "initial of a nickname",
        "missing", "different",
    ]  # fmt: skip
    assert json.dumps({"first": Level.NICKNAME}) == '{"first": "nickname"}'
    assert f"surname {Level.EXACT}" == "surname exact"


@pytest.mark.parametrize(
    ("line_first", "level"),
    [("ROBERT", Level.EXACT), ("BOB", Level.NICKNAME), ("ROBRET", Level.CLOSE),
     ("R", Level.INITIAL), ("B", Level.NICK_INITIAL), ("", Level.MISSING),
     ("XAVIER", Level.DIFFERENT)],
)  # fmt: skip
def test_given_name_levels(line_first, level):
    keys = line_keys(f"{line_first} Smithers", "12 Oak Ave", "Glendale", "")
    assert given_level(keys.first, keys.first_canon, BOB.first_key, BOB.first_canon) == level


@pytest.mark.parametrize(
    ("line_last", "voter_last", "level"),
    [("SMITHERS", "SMITHERS", Level.EXACT), ("GARCIA", "GARCIA LOPEZ", Level.COMPOUND),
     ("SMITHRES", "SMITHERS", Level.CLOSE), ("SMYTHERZ", "SMITHERS", Level.PHONETIC),
     ("JONES", "SMITHERS", Level.DIFFERENT)],
)  # fmt: skip
def test_surname_levels(line_last, voter_last, level):
    keys = line_keys(f"Maria {line_last}", "12 Oak Ave", "", "")
    voter = candidate("V", last_name=voter_last)
    assert surname_level(keys, voter.last_key, voter.last_name) == level


def test_the_address_agrees_with_a_missing_or_different_unit():
    assert grade("Bob Smithers", "12 Oak Ave Apt 3").at_address
    assert grade("Bob Smithers", "12 Oak Ave").unit == Level.MISSING


@pytest.mark.parametrize(
    ("city", "zip_code", "place"),
    [("Glendale", "", Level.EXACT), ("", "91201", Level.ZIP), ("", "", Level.MISSING),
     ("Atlantis", "", Level.UNKNOWN), ("Pasadena", "91101", Level.DIFFERENT)],
)  # fmt: skip
def test_place_levels(city, zip_code, place):
    where = places([BOB, candidate("P", city="PASADENA", zip="91101")])
    keys = line_keys("Bob Smithers", "12 Oak Ave", city, zip_code)
    assert compare(keys, BOB, where).place == place


def test_a_neighbourhood_of_the_voters_city_is_an_alias():
    voter = candidate("H", city="LOS ANGELES", zip="90028")
    keys = line_keys("Maria Garcia", "123 N Main St", "Hollywood", "")
    assert compare(keys, voter, places([voter])).place == Level.ALIAS


def test_jr_is_not_sr():
    sr = candidate("SR", first_name="JOSE", last_name="MARTINEZ", name_suffix="SR")
    jr_line = line_keys("Jose Martinez Jr", "123 N Main St", "Los Angeles", "")
    agreement = compare(jr_line, sr, places([sr]))
    assert agreement.suffix == Level.DIFFERENT
    assert agreement.person == pytest.approx(0.6)


def test_another_resident_of_the_building_is_not_graded_further():
    agreement = grade("Luis Jones")
    assert (agreement.person, agreement.street, agreement.at_address) == (
        0.0, Level.DIFFERENT, False,
    )  # fmt: skip


def test_describe_says_what_agrees():
    assert grade("Bob Smithers").describe() == (
        "surname exact, first name nickname, house number and street agree, city agrees, "
        "unit missing (allowed)"
    )


def test_importing_matching_imports_no_django():
    code = (
        "import sys, matching, matching.decide, matching.places;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True)  # fmt: skip
    assert out.stdout.strip() == "[]"


def test_every_data_file_names_its_source_and_reads_as_rows():
    from matching.datafiles import rows

    files = sorted((ROOT / "matching" / "data").glob("*.csv"))
    assert len(files) == 9
    for path in files:
        header = [ln for ln in path.read_text().splitlines() if ln.startswith("#")]
        assert any("Source" in ln or "USPS Publication 28" in ln for ln in header), path.name
        assert rows(path.name), path.name
