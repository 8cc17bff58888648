"""The synthetic county's tables, read once from the data files beside this module.

Each file in data/ names its source. The three place tables production matching also reads
(the City of Los Angeles' neighbourhoods, sub-communities, city aliases) belong to production and
are imported from there, in this module only, so the generator writes the places the matcher knows.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# The one import of production code in the synthetic package.
from voters import la_data

DATA = Path(__file__).resolve().parent / "data"

# One place: (name, population in thousands, supervisorial district, street flavour, ZIP codes,
# group multipliers), all as written in the data file.
Place = tuple[str, str, str, str, str, str]


def _json(name: str) -> dict[str, Any]:
    with open(DATA / name, encoding="utf-8") as f:
        return json.load(f)


def _csv(name: str) -> list[dict[str, str]]:
    """Rows of a data CSV; its leading '#' lines name the source and are skipped."""
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def _place(fields: list[str]) -> Place:
    name, population, district, flavour, zips, group_multipliers = fields
    return name, population, district, flavour, zips, group_multipliers


def _la_neighbourhoods() -> list[Place]:
    """The City of Los Angeles by neighbourhood, from production's place table."""
    lines = la_data.LA_NEIGHBOURHOODS.strip().splitlines()
    return [_place(line.split("|")) for line in lines if line]


_county = _json("county.json")
GROUP_SHARES: dict[str, float] = _county["group_shares"]
STATUS_SHARES: dict[str, float] = _county["status_shares"]
PARTIES: tuple[str, ...] = tuple(_county["parties"])
PARTY_SHARES_BY_GROUP: dict[str, list[float]] = _county["party_shares_by_group"]
LA_CITY_POPULATION: int = _county["la_city_population"]  # thousands, shared by its neighbourhoods

_places = _csv("places.csv")
_COLUMNS = ("name", "population", "district", "flavour", "zips", "group_multipliers")
CITIES: list[Place] = [_place([p[c] for c in _COLUMNS]) for p in _places if p["kind"] == "city"]
UNINCORPORATED: list[Place] = [
    _place([p[c] for c in _COLUMNS]) for p in _places if p["kind"] == "unincorporated"
]
LA_NEIGHBOURHOODS: list[Place] = _la_neighbourhoods()
# Read-only views of la_data's tables (a Mapping: its values are tuples of varying length).
SUB_COMMUNITIES: Mapping[tuple[str, str], tuple[str, ...]] = la_data.SUB_COMMUNITIES
CITY_ALIASES: Mapping[str, tuple[str, ...]] = la_data.CITY_ALIASES
OUT_OF_COUNTY: list[tuple[str, tuple[str, ...]]] = [
    (row["city"], tuple(row["zips"].split())) for row in _csv("out_of_county.csv")
]

_streets = _json("streets.json")
STREET_TYPES: tuple[str, ...] = tuple(_streets["street_types"])
RESIDENTIAL_TYPES: list[tuple[str, int]] = [(t, w) for t, w in _streets["residential_types"]]
FLAVOUR_STREETS: dict[str, list[str]] = _streets["flavour_streets"]
CITY_STREETS: dict[str, list[str]] = _streets["city_streets"]
RESIDENTIAL_NAMES: list[str] = _streets["residential_names"]

_surnames = _json("surnames.json")
SURNAMES: dict[str, list[str]] = _surnames["surnames"]
TAIL_PARTS: dict[str, tuple[list[str], list[str]]] = {
    key: (parts["stems"], parts["endings"]) for key, parts in _surnames["tail_parts"].items()
}
FIRST_NAMES: dict[tuple[str, str], list[str]] = {
    (group, sex): names
    for group, by_sex in _json("first_names.json")["first_names"].items()
    for sex, names in by_sex.items()
}
ACCENTED: dict[str, str] = _json("accented.json")["accented"]
NICKNAMES: dict[str, tuple[str, ...]] = {
    name: tuple(short) for name, short in _json("nicknames.json")["nicknames"].items()
}
