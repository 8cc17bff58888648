"""Place names signers write, resolved to ZIP codes: the roll's own (city, ZIP) pairs, plus the
county's community names and common shortenings (Van Nuys and Hollywood are Los Angeles; NoHo is
North Hollywood). A line's city agrees with a voter when the voter's ZIP belongs to that place.
"""

from collections import defaultdict

from voters import la_data
from voters import normalize as nz


def _communities() -> tuple[dict[str, set[str]], dict[str, str]]:
    """Neighbourhoods of the City of Los Angeles and other communities: their ZIPs and city."""
    zips: dict[str, set[str]] = defaultdict(set)
    city: dict[str, str] = {}
    for row in la_data.LA_NEIGHBOURHOODS.strip().splitlines():
        parts = row.split("|")
        if len(parts) >= 5:
            zips[nz.city_key(parts[0])].update(parts[4].split())
            city[nz.city_key(parts[0])] = "LOS ANGELES"
    for (parent, zip5), names in la_data.SUB_COMMUNITIES.items():
        for name in names:
            zips[nz.city_key(name)].add(zip5)
            city[nz.city_key(name)] = nz.city_key(parent)
    return dict(zips), city


COMMUNITY_ZIPS, COMMUNITY_CITY = _communities()
# A shortening may stand for several cities ("Palos Verdes": the Estates and Rancho P.V.).
ALIASES: dict[str, set[str]] = defaultdict(set)
for _city, _aliases in la_data.CITY_ALIASES.items():
    for _alias in _aliases:
        ALIASES[nz.city_key(_alias)].add(nz.city_key(_city))


def place_zips(roll_pairs: list[tuple[str, str]]) -> dict[str, set[str]]:
    """Every place name (city key) -> the ZIPs it covers, from the roll's (city_key, zip5) pairs."""
    zips: dict[str, set[str]] = defaultdict(set)
    for city_key, zip5 in roll_pairs:
        zips[city_key].add(zip5)
    # A community stands for its whole city: neighbourhood borders are fuzzy on paper (a signer
    # in East Hollywood writes "Hollywood"), and CCR 20931 accepts alternate city names.
    for name, community in COMMUNITY_ZIPS.items():
        zips[name] |= community | zips.get(COMMUNITY_CITY[name], set())
    for alias, cities in ALIASES.items():
        for city in cities & zips.keys():
            zips[alias] |= zips[city]
    return dict(zips)
