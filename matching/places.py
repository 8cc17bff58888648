"""Place names signers write, resolved to ZIP codes: the roll's own (city, ZIP) pairs, plus the
county's community names and common shortenings (Van Nuys and Hollywood are Los Angeles; NoHo is
North Hollywood). A line's city agrees with a voter when the voter's ZIP belongs to that place.

The county's names are data (matching/data/places_*.csv); another county passes its own files.
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from matching.addresses import city_key
from matching.datafiles import rows

__all__ = ["Places", "county_places", "place_zips"]


@dataclass(frozen=True)
class Places:
    """A county's place names besides its cities (keys in city_key form)."""

    community_zips: dict[str, set[str]]  # a neighbourhood or community -> its ZIPs
    community_city: dict[str, str]  # ... -> the registrar's city it is part of
    aliases: dict[str, set[str]]  # a shortening -> the cities it may stand for


@cache
def county_places(
    neighbourhoods: str = "places_neighbourhoods.csv",
    sub_communities: str = "places_sub_communities.csv",
    city_aliases: str = "places_city_aliases.csv",
    city: str = "LOS ANGELES",
) -> Places:
    """The place names of matching/data's files (LA County's by default): `neighbourhoods` are
    parts of `city`, `sub_communities` name their city, `city_aliases` their spellings."""
    zips: dict[str, set[str]] = defaultdict(set)
    parent: dict[str, str] = {}
    for row in rows(neighbourhoods):
        zips[city_key(row["name"])].update(row["zips"].split())
        parent[city_key(row["name"])] = city
    for row in rows(sub_communities):
        zips[city_key(row["community"])].add(row["zip"])
        parent[city_key(row["community"])] = city_key(row["city"])
    # A shortening may stand for several cities ("Palos Verdes": the Estates and Rancho P.V.).
    aliases: dict[str, set[str]] = defaultdict(set)
    for row in rows(city_aliases):
        aliases[city_key(row["alias"])].add(city_key(row["city"]))
    return Places(dict(zips), parent, dict(aliases))


def place_zips(
    roll_pairs: list[tuple[str, str]], places: Places | None = None
) -> dict[str, set[str]]:
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
    return dict(zips)
