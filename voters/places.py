"""Place names signers write, resolved to ZIP codes: the roll's own (city, ZIP) pairs, plus the
county's community names and common shortenings (Van Nuys and Hollywood are Los Angeles; NoHo is
North Hollywood). A line's city agrees with a voter when the voter's ZIP belongs to that place.
"""

from collections import defaultdict

from voters import la_data
from voters import normalize as nz


def _community_zips() -> dict[str, set[str]]:
    """Neighbourhoods of the City of Los Angeles and other communities, with their ZIPs."""
    zips: dict[str, set[str]] = defaultdict(set)
    for row in la_data.LA_NEIGHBOURHOODS.strip().splitlines():
        parts = row.split("|")
        if len(parts) >= 5:
            zips[nz.city_key(parts[0])].update(parts[4].split())
    for (_city, zip5), names in la_data.SUB_COMMUNITIES.items():
        for name in names:
            zips[nz.city_key(name)].add(zip5)
    return dict(zips)


COMMUNITY_ZIPS = _community_zips()
ALIASES = {
    nz.city_key(alias): nz.city_key(city)
    for city, aliases in la_data.CITY_ALIASES.items()
    for alias in aliases
}


def place_zips(roll_pairs: list[tuple[str, str]]) -> dict[str, set[str]]:
    """Every place name (city key) -> the ZIPs it covers, from the roll's (city_key, zip5) pairs."""
    zips: dict[str, set[str]] = defaultdict(set)
    for city_key, zip5 in roll_pairs:
        zips[city_key].add(zip5)
    for name, community in COMMUNITY_ZIPS.items():
        zips[name] |= community
    for alias, city in ALIASES.items():
        if city in zips:
            zips[alias] |= zips[city]
    return dict(zips)
