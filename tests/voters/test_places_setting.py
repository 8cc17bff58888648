"""MATCHING_PLACES: the county's place files are a deployment's choice, checked at start-up."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from tests.voters.factories import voter, write_canonical
from voters.checks import matching_places_check
from voters.matching import roll_places
from voters.models import VoterRoll

pytestmark = pytest.mark.django_db

HEADERS = {
    "places_neighbourhoods.csv": "# A made-up county's neighbourhoods.\nname,zips\n",
    "places_sub_communities.csv": "# source: made up for this test\ncity,zip,community\n",
    "places_city_aliases.csv": "city,alias\n",
}


def _places(folder, **rows):
    """A folder of place files: each file's header, then the rows given for it (by stem)."""
    folder.mkdir()
    for name, header in HEADERS.items():
        (folder / name).write_text(header + rows.get(name.removesuffix(".csv"), ""))
    return folder


@pytest.fixture
def roll_id(tmp_path) -> int:
    roll = [
        voter("P1", first_name="ANN", last_name="LEE", city="PASADENA", zip="91101"),
        voter("G1", first_name="BO", last_name="KIM", city="GLENDALE", zip="91203"),
    ]
    call_command("import_voters", str(write_canonical(tmp_path / "roll.csv", roll)))
    return VoterRoll.objects.get(state=VoterRoll.State.ACTIVE).pk


def test_roll_places_reads_the_place_files_the_setting_names(roll_id, settings, tmp_path):
    assert "HOLLYWOOD" in roll_places(roll_id)  # the default: LA County's files
    settings.MATCHING_PLACES = _places(
        tmp_path / "county",
        places_neighbourhoods="ZEBRA HEIGHTS,91101\n",
        places_sub_communities="GLENDALE,91203,KITTENVALE\n",
        places_city_aliases="PASADENA,PSDNA\nGLENDALE,GLNDL\n",
    )
    places = roll_places(roll_id)
    assert places["PSDNA"] == {"91101"}
    assert places["GLNDL"] == {"91203"}
    assert places["KITTENVALE"] == {"91203"}
    assert places["ZEBRA HEIGHTS"] == {"91101"}
    assert "HOLLYWOOD" not in places
    assert matching_places_check() == []


def test_a_malformed_place_file_fails_the_check_naming_the_file_and_line(settings, tmp_path):
    folder = _places(tmp_path / "county", places_neighbourhoods="ZEBRA HEIGHTS,91101\nELM,9110\n")
    settings.MATCHING_PLACES = folder
    [error] = matching_places_check()
    assert error.id == "voters.E001"
    assert f"{folder / 'places_neighbourhoods.csv'}, line 4: a ZIP code is five digits" in error.msg
    with pytest.raises(SystemCheckError, match=r"places_neighbourhoods\.csv, line 4"):
        call_command("check")


def test_a_missing_place_file_fails_the_check_naming_it(settings, tmp_path):
    folder = _places(tmp_path / "county")
    (folder / "places_city_aliases.csv").unlink()
    settings.MATCHING_PLACES = folder
    [error] = matching_places_check()
    assert f"{folder / 'places_city_aliases.csv'}: cannot be read" in error.msg
    assert "places_city_aliases.csv" in error.hint
