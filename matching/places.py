"""Place names signers write, resolved to ZIP codes: the roll's own (city, ZIP) pairs, plus the
county's community names and common shortenings (Van Nuys and Hollywood are Los Angeles; NoHo is
North Hollywood). A line's city agrees with a voter when the voter's ZIP belongs to that place.

The county's names are data (matching/data/places_*.csv, Los Angeles County's); another county
passes a folder of its own files with the same names and columns (the app's MATCHING_PLACES).
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

import jellyfish

from matching.addresses import city_key
from matching.datafiles import DataFileError, checked_rows

__all__ = [
    "LA_PLACES",
    "PLACE_FILES",
    "DataFileError",
    "PlaceZips",
    "Places",
    "county_places",
    "county_zip",
    "place_slip",
    "place_zips",
]

LA_PLACES = Path(__file__).resolve().parent / "data"  # the default folder: LA County's files

# The files a folder of places holds, and their columns.
PLACE_FILES = {
    "places_neighbourhoods.csv": ("name", "zips"),
    "places_sub_communities.csv": ("city", "zip", "community"),
    "places_city_aliases.csv": ("city", "alias"),
}
_ZIP5 = re.compile(r"\d{5}")


@dataclass(frozen=True)
class Places:
    """A county's place names besides its cities (keys in city_key form)."""

    community_zips: dict[str, set[str]]  # a neighbourhood or community -> its ZIPs
    community_city: dict[str, str]  # ... -> the registrar's city it is part of
    aliases: dict[str, set[str]]  # a shortening -> the cities it may stand for


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    """A place file's rows, checked: its columns filled, its ZIPs five digits (else a
    DataFileError naming the file and the line)."""
    path = folder / name
    found = []
    for line, row in checked_rows(path, PLACE_FILES[name]):
        zips = row.get("zips", row.get("zip", "")).split()
        if not all(_ZIP5.fullmatch(zip5) for zip5 in zips) or ("zip" in row and len(zips) != 1):
            raise DataFileError(f"{path}, line {line}: a ZIP code is five digits, got {zips}")
        found.append(row)
    return found


@cache
def county_places(folder: str | Path = LA_PLACES, city: str = "LOS ANGELES") -> Places:
    """The place names of a folder of place files (PLACE_FILES; LA County's by default):
    neighbourhoods are parts of `city`, sub-communities name their city, city aliases their
    spellings. A missing or malformed file raises DataFileError naming the file and the line."""
    folder = Path(folder)
    zips: dict[str, set[str]] = defaultdict(set)
    parent: dict[str, str] = {}
    for row in _rows(folder, "places_neighbourhoods.csv"):
        zips[city_key(row["name"])].update(row["zips"].split())
        parent[city_key(row["name"])] = city
    for row in _rows(folder, "places_sub_communities.csv"):
        zips[city_key(row["community"])].add(row["zip"])
        parent[city_key(row["community"])] = city_key(row["city"])
    # A shortening may stand for several cities ("Palos Verdes": the Estates and Rancho P.V.).
    aliases: dict[str, set[str]] = defaultdict(set)
    for row in _rows(folder, "places_city_aliases.csv"):
        aliases[city_key(row["alias"])].add(city_key(row["city"]))
    return Places(dict(zips), parent, dict(aliases))


class PlaceZips(dict[str, set[str]]):
    """place_zips' answer, every place name -> its ZIPs, with what county_zip and place_slip
    look up in it indexed once (built in about 1 ms for LA's 244 names, 0.13 s for 5,000). A
    line's place not found as written was compared with each place name: 0.2 ms a line for LA's,
    rare there (133 lines in 20,000 at 1M voters), but every line of a petition whose places the
    roll does not know (FEBRL's thousands of suburbs) or of a state's roll; a look-up now takes
    3 µs. Not changed once made."""

    @cached_property
    def zips(self) -> frozenset[str]:
        return frozenset().union(*self.values())

    @cached_property
    def by_deletion(self) -> dict[str, frozenset[str]]:
        """Each name long enough to be slipped (spaces taken out), and each of its spellings a
        letter short -> the names: two names a letter off (one changed, dropped, added or two
        swapped) share one of these."""
        index: dict[str, set[str]] = defaultdict(set)
        for name in self:
            squeezed = name.replace(" ", "")
            if len(squeezed) >= _SLIP_MIN - 1:
                for key in _short_by_one(squeezed):
                    index[key].add(name)
        return {key: frozenset(names) for key, names in index.items()}


_SLIP_MIN = 5  # the shortest place name (of the two) taken a letter off: DATO is not DAPTO


def _short_by_one(word: str) -> set[str]:
    """The word and its spellings with one letter dropped."""
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def _indexed(places: dict[str, set[str]]) -> PlaceZips:
    """place_zips' answer as it is; a caller's own dict indexed for this one look-up."""
    return places if isinstance(places, PlaceZips) else PlaceZips(places)


def county_zip(zip5: str, places: dict[str, set[str]]) -> bool:
    """Whether a ZIP is one of the county's places'."""
    return zip5 in _indexed(places).zips


def place_slip(written: str, places: dict[str, set[str]]) -> bool:
    """Whether a place name (city key) is a letter or a space off one of the county's, five
    letters or more (EAST PRSETON, SHOALHAVE NHEADS)."""
    by_deletion = _indexed(places).by_deletion
    squeezed = written.replace(" ", "")
    near = set().union(*(by_deletion.get(key, ()) for key in _short_by_one(squeezed)))
    return any(city_slip(written, place) for place in near)


def city_slip(written: str, place: str) -> bool:
    """A place name a letter off (or a space: SHOALHAVE NHEADS), five letters or more."""
    a, b = written.replace(" ", ""), place.replace(" ", "")
    return (
        min(len(a), len(b)) >= _SLIP_MIN and abs(len(a) - len(b)) <= 1
        and jellyfish.damerau_levenshtein_distance(a, b) <= 1
    )  # fmt: skip


def place_zips(roll_pairs: list[tuple[str, str]], places: Places | None = None) -> PlaceZips:
    """Every place name (city key) -> the ZIPs it covers, from the roll's (city_key, zip5) pairs."""
    places = places or county_places()
    zips: dict[str, set[str]] = defaultdict(set)
    for key, zip5 in roll_pairs:
        zips[key].add(zip5)
    # A community stands for its whole city: neighbourhood borders are fuzzy on paper (a signer
    # in East Hollywood writes "Hollywood"), and CCR 20931 accepts alternate city names.
    for name, community in places.community_zips.items():
        zips[name] |= community | zips.get(places.community_city[name], set())
    for alias, cities in places.aliases.items():
        for city in cities & zips.keys():
            zips[alias] |= zips[city]
    return PlaceZips(zips)
