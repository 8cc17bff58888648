"""The synthetic county's tables, read once from the data files beside this module.

Each file in data/ names its source. The three place tables production matching also reads
(the City of Los Angeles' neighbourhoods and their ZIPs, sub-communities, city aliases) are read
from the matching library's data files (matching/data/places_*.csv), in this module only, so the
generator writes the places the matcher knows; data/la_neighbourhoods.csv adds what only the
generator needs (population, district, street flavour, group multipliers).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

# The one import of the matching library in the synthetic package: its LA place tables.
from matching.datafiles import rows

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
    """The City of Los Angeles by neighbourhood: our columns, with the ZIPs of matching's table."""
    ours = _csv("la_neighbourhoods.csv")
    zips = {row["name"]: row["zips"] for row in rows("places_neighbourhoods.csv")}
    if [row["name"] for row in ours] != list(zips):
        raise ValueError(
            "data/la_neighbourhoods.csv must list matching/data/places_neighbourhoods.csv's "
            "neighbourhoods, in the same order"
        )
    return [
        (
            r["name"],
            r["population"],
            r["district"],
            r["flavour"],
            zips[r["name"]],
            r["group_multipliers"],
        )
        for r in ours
    ]


def _sub_communities() -> dict[tuple[str, str], tuple[str, ...]]:
    """(registrar's city, ZIP) -> the communities signers write instead, from matching's table."""
    communities: dict[tuple[str, str], tuple[str, ...]] = {}
    for row in rows("places_sub_communities.csv"):
        key = (row["city"], row["zip"])
        communities[key] = (*communities.get(key, ()), row["community"])
    return communities


def _city_aliases() -> dict[str, tuple[str, ...]]:
    """City -> how signers shorten or re-spell it, from matching's table."""
    aliases: dict[str, tuple[str, ...]] = {}
    for row in rows("places_city_aliases.csv"):
        aliases[row["city"]] = (*aliases.get(row["city"], ()), row["alias"])
    return aliases


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
SUB_COMMUNITIES: dict[tuple[str, str], tuple[str, ...]] = _sub_communities()
CITY_ALIASES: dict[str, tuple[str, ...]] = _city_aliases()
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
_syllables = _json("given_syllables.json")
# Korean and Chinese given names of two syllables: group -> sex -> syllables, and the share of
# the group's given names drawn that way.
GIVEN_SYLLABLES: dict[str, dict[str, list[str]]] = _syllables["syllables"]
TWO_SYLLABLE_SHARE: dict[str, float] = _syllables["two_syllable_share"]
