"""A county's own place files: read from a folder, and refused with the file and line when
malformed (matching.places.county_places)."""

import pytest

from matching.datafiles import DataFileError
from matching.places import LA_PLACES, PLACE_FILES, county_places


def _folder(tmp_path, **texts):
    for name in PLACE_FILES:
        default = ",".join(PLACE_FILES[name]) + "\n"
        (tmp_path / name).write_text(texts.get(name.removesuffix(".csv"), default))
    return tmp_path


def test_the_default_folder_is_la_countys():
    assert county_places() == county_places(LA_PLACES) == county_places(str(LA_PLACES))
    assert county_places().aliases["NOHO"] == {"NORTH HOLLYWOOD"}
    assert county_places().community_city["VAN NUYS"] == "LOS ANGELES"


def test_a_folder_of_place_files_gives_its_own_names(tmp_path):
    folder = _folder(
        tmp_path,
        places_neighbourhoods="# comment naming the source\nname,zips\nOLD TOWN,95814 95811\n",
        places_city_aliases="city,alias\nSACRAMENTO,SAC\nSACRAMENTO,SACTO\n",
    )
    places = county_places(folder, city="SACRAMENTO")
    assert places.community_zips == {"OLD TOWN": {"95814", "95811"}}
    assert places.community_city == {"OLD TOWN": "SACRAMENTO"}
    assert places.aliases == {"SAC": {"SACRAMENTO"}, "SACTO": {"SACRAMENTO"}}


@pytest.mark.parametrize(
    ("stem", "text", "message"),
    [
        ("places_city_aliases", "city,nickname\n", "line 1: the header must be city,alias"),
        ("places_city_aliases", "# x\ncity,alias\nLA\n", "line 3: expected 2 non-empty fields"),
        ("places_sub_communities", "city,zip,community\nA,,B\n", "line 2: expected 3 non-empty"),
        ("places_sub_communities", "city,zip,community\nA,1234,B\n", "line 2: a ZIP code is five"),
        ("places_neighbourhoods", "name,zips\n\nX,90001 9000A\n", "line 3: a ZIP code is five"),
    ],
)
def test_a_malformed_place_file_is_refused_naming_the_file_and_line(tmp_path, stem, text, message):
    folder = _folder(tmp_path, **{stem: text})
    with pytest.raises(DataFileError) as refused:
        county_places(folder)
    assert str(refused.value).startswith(f"{folder / stem}.csv, line ")
    assert message in str(refused.value)


def test_a_missing_place_file_is_refused_naming_it(tmp_path):
    (_folder(tmp_path) / "places_neighbourhoods.csv").unlink()
    with pytest.raises(DataFileError, match=r"places_neighbourhoods\.csv: cannot be read"):
        county_places(tmp_path)
