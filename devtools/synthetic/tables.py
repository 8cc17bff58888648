"""The county's fixed layout: areas, streets, name and age weights, built once per process.

Everything here depends only on the data files (county.py), never on the caller's seed, so a roll
and the petition lines drawn from it see the same county.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from devtools.synthetic import county

# The roll is "extracted" on this day: ages and registration dates are relative to it.
REFERENCE_DATE = date(2026, 10, 1)
REF_ORD = REFERENCE_DATE.toordinal()
ORD_1970 = date(1970, 1, 1).toordinal()
DAYS_18 = 6576  # strictly more than 18 years (at most 6575 days)
YEAR = 365.2425
MIN_BIRTH = REF_ORD - int(101 * YEAR) + 2
DATE0 = MIN_BIRTH - 2

GROUPS = tuple(county.GROUP_SHARES)
DIRS = {"N": "NORTH", "S": "SOUTH", "E": "EAST", "W": "WEST"}
_TYPES = frozenset(county.STREET_TYPES)


@dataclass(slots=True)
class Street:
    predirs: tuple[str, ...]
    name: str
    type: str
    postdir: str
    lo: int
    hi: int


@dataclass(slots=True)
class Area:
    index: int
    city: str
    hood: str  # neighbourhood within the City of Los Angeles, else ""
    population: float
    district: str
    flavour: str
    zips: tuple[str, ...]
    mods: dict[str, float]
    pcode: str = ""
    n_precincts: int = 1
    p_apartment: float = 0.3
    apartment_voters: float = 0.3
    p_mobile: float = 0.0
    group_cum: list[float] = field(default_factory=list)
    streets: list[Street] = field(default_factory=list)
    street_cum: list[float] = field(default_factory=list)


@dataclass(slots=True)
class Tables:
    areas: list[Area]
    area_cum: list[float]
    areas_by_city: dict[str, list[Area]]
    surnames: dict[str, tuple[list[str], list[float]]]
    first: dict[tuple[str, str], tuple[list[str], list[float]]]
    surname_group: dict[str, str]
    accented: dict[str, str]
    iso: list[str]
    age_values: list[int]
    age_cum: list[float]
    hood_by_zip: dict[str, tuple[str, ...]]
    ooc: list[tuple[str, tuple[str, ...]]]
    generic_streets: list[Street]


def cumulative(weights: Iterable[float]) -> list[float]:
    cum: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    cum = [c / total for c in cum]
    cum[-1] = 1.0  # random() < 1.0, so bisect never runs off the end
    return cum


def zipf(n: int, offset: float, exponent: float = 1.0) -> list[float]:
    return [1.0 / (i + offset) ** exponent for i in range(n)]


def _ordinal(n: int) -> str:
    suffix = "TH" if 10 <= n % 100 <= 20 else {1: "ST", 2: "ND", 3: "RD"}.get(n % 10, "TH")
    return f"{n}{suffix}"


def _parse_street(spec: str) -> tuple[tuple[str, ...], str, str, str]:
    """'VERMONT AVE:NS' -> (('N', 'S'), 'VERMONT', 'AVE', ''); '10TH ST W' -> postdir W."""
    spec, _, dirs = spec.strip().partition(":")
    toks = spec.split()
    postdir = ""
    if len(toks) > 2 and toks[-1] in DIRS and toks[-2] in _TYPES:
        postdir = toks.pop()
    street_type = ""
    if len(toks) > 1 and toks[-1] in _TYPES:
        street_type = toks.pop()
    return tuple(dirs) or ("",), " ".join(toks), street_type, postdir


_SURNAME_SHAPES = {
    # group: (offset, exponent, head share, tail sources); tails are stems x endings (surnames.json)
    "H": (8, 1.0, 1.0, ()),
    "W": (14, 1.0, 0.62, ("W", "G", "IT", "SL")),
    "B": (10, 1.0, 0.85, ("W",)),
    "C": (3, 1.0, 1.0, ()),
    "F": (6, 1.0, 1.0, ()),
    "K": (1.5, 1.15, 1.0, ()),
    "A": (6, 1.0, 0.55, ("A",)),
    "M": (8, 1.0, 0.6, ("M",)),
    "V": (1.2, 1.2, 1.0, ()),
    "J": (6, 1.0, 1.0, ()),
    "I": (3, 1.0, 1.0, ()),
}
_NUMBER_RANGES = {
    # flavour: (lowest block start, highest block start, longest street span)
    "V": (4000, 20000, 6000),
    "C": (100, 6000, 3000),
    "NE": (100, 6000, 3000),
    "S": (100, 11000, 4000),
    "W": (100, 12000, 3000),
    "HB": (100, 3000, 2000),
    "AV": (1000, 45000, 5000),
    "G": (100, 16000, 4000),
}
# Shares of *voters* living in apartment buildings and mobile-home parks, by street flavour, and
# the mean number of voters at one such address (to turn voter shares into address odds).
_APARTMENT_SHARE = {"C": 0.65, "W": 0.5, "V": 0.45, "HB": 0.4, "NE": 0.35, "S": 0.35, "G": 0.3}
_MOBILE_SHARE = {"AV": 0.05, "G": 0.015, "V": 0.01}
_MEAN_VOTERS = {"house": 2.35, "apt": 34.1, "mobile": 125.0}


def _tail_names(key: str) -> list[str]:
    """Rare surnames: every stem with every ending (ASH+FORD, GRIGOR+YAN, RAHIM+ZADEH...)."""
    stems, endings = county.TAIL_PARTS[key]
    return [stem + end for stem in stems for end in endings]


def _build_streets(rng: random.Random, area: Area, pool: list[str]) -> None:
    lo_min, lo_max, span = _NUMBER_RANGES[area.flavour]
    n_streets = max(20, min(180, round(8 * math.sqrt(area.population)) + 10))
    specific = county.CITY_STREETS.get(area.city, [])
    arterials = [*specific, *county.FLAVOUR_STREETS[area.flavour]]
    arterials = list(dict.fromkeys(arterials))
    if not specific:
        rng.shuffle(arterials)
    specs = arterials[: max(6, n_streets // 3)]
    n_arterials = len(specs)
    if area.flavour in ("S", "HB"):
        top = 120 if area.flavour == "S" else 40
        for n in sorted(rng.sample(range(1, top + 1), min(top, n_streets // 4))):
            specs.append(f"{_ordinal(n)} {'PL' if rng.random() < 0.15 else 'ST'}:WE")
    elif area.flavour == "AV":
        for letter in "EFGHIJKLMNOPQRS":
            specs.append(f"AVENUE {letter}:WE")
            for k in rng.sample(range(1, 16), 2):
                specs.append(f"AVENUE {letter}{k}:WE")
        for n in rng.sample(range(5, 200, 5), 12):
            specs.append(f"{_ordinal(n)} ST {rng.choice('WE')}")
    seen = {_parse_street(s)[1] for s in specs}
    names = [p for p in pool if p not in seen]
    types, weights = zip(*county.RESIDENTIAL_TYPES, strict=True)
    for name in rng.sample(names, max(0, n_streets - len(specs))):
        dirs = rng.choice(("", "", "", "", ":NS", ":WE"))
        specs.append(f"{name} {rng.choices(types, weights)[0]}{dirs}")
    weights_out = []
    for i, spec in enumerate(specs):
        predirs, name, street_type, postdir = _parse_street(spec)
        lo = rng.randrange(lo_min, lo_max + 1, 100)
        if name.startswith("AVENUE ") or area.flavour == "HB":
            lo = rng.randrange(100, 3000, 100)
        hi = lo + rng.randrange(200, span, 2)
        area.streets.append(Street(predirs, name, street_type, postdir, lo, hi))
        weights_out.append(1.6 if i < n_arterials else 1.0)  # busier streets, more addresses
    area.street_cum = cumulative(weights_out)


@cache
def county_tables() -> Tables:
    """The county's layout, built once per process (forked roll workers inherit it)."""
    rng = random.Random("la-county-tables")  # noqa: S311 - fixed layout, not a secret
    areas: list[Area] = []
    la_scale = county.LA_CITY_POPULATION / sum(float(p[1]) for p in county.LA_NEIGHBOURHOODS)
    sources = (
        (county.CITIES, False),
        (county.UNINCORPORATED, False),
        (county.LA_NEIGHBOURHOODS, True),
    )
    for places, in_la in sources:
        for name, pop, district, flavour, zips, mods in places:
            area = Area(
                index=len(areas),
                city="LOS ANGELES" if in_la else name,
                hood=name if in_la else "",
                population=float(pop) * (la_scale if in_la else 1.0),
                district=district,
                flavour=flavour,
                zips=tuple(zips.split()),
                mods={m[0]: float(m[1:]) for m in mods.split()},
            )
            area.pcode = f"{district}{area.index:03d}"
            area.n_precincts = max(1, round(area.population / 2.2))
            apt = _APARTMENT_SHARE.get(flavour, 0.12) / _MEAN_VOTERS["apt"]
            mobile = _MOBILE_SHARE.get(flavour, 0.0) / _MEAN_VOTERS["mobile"]
            house = (
                1 - _APARTMENT_SHARE.get(flavour, 0.12) - _MOBILE_SHARE.get(flavour, 0.0)
            ) / _MEAN_VOTERS["house"]
            area.p_apartment = apt / (apt + mobile + house)
            area.apartment_voters = _APARTMENT_SHARE.get(flavour, 0.12)
            area.p_mobile = mobile / (apt + mobile + house)
            areas.append(area)

    # Calibrate the county-wide group weights so the population-weighted mix hits GROUP_SHARES.
    base = dict(county.GROUP_SHARES)
    total_pop = sum(a.population for a in areas)
    for _ in range(60):
        achieved = dict.fromkeys(GROUPS, 0.0)
        for a in areas:
            w = [base[g] * a.mods.get(g, 1.0) for g in GROUPS]
            s = sum(w)
            for g, x in zip(GROUPS, w, strict=True):
                achieved[g] += a.population * x / s
        for g in GROUPS:
            base[g] *= county.GROUP_SHARES[g] / (achieved[g] / total_pop)
    for a in areas:
        a.group_cum = cumulative(base[g] * a.mods.get(g, 1.0) for g in GROUPS)

    pool = list(county.RESIDENTIAL_NAMES)
    for a in areas:
        _build_streets(rng, a, pool)
    generic = Area(0, "", "", 100, "0", "G", ("",), {})
    _build_streets(rng, generic, pool)

    surnames = {}
    surname_group: dict[str, str] = {}
    for g in GROUPS:
        offset, exponent, head_share, tails = _SURNAME_SHAPES[g]
        head = county.SURNAMES[g]
        for name in head:
            surname_group.setdefault(name, g)
        weights = [head_share * w for w in _normalised(zipf(len(head), offset, exponent))]
        items = list(head)
        if tails:
            heads = set(head)
            tail = [t for key in tails for t in _tail_names(key) if t not in heads]
            tail = list(dict.fromkeys(tail))
            rng.shuffle(tail)
            items += tail
            weights += [(1 - head_share) * w for w in _normalised(zipf(len(tail), 50, 0.6))]
        surnames[g] = (items, cumulative(weights))
    first = {}
    for key, given in county.FIRST_NAMES.items():
        names = [n.replace("MA ", "MA. ") if n.startswith("MA ") else n for n in given]
        first[key] = (names, cumulative(zipf(len(names), 3.0)))

    ages = list(range(18, 101))
    age_weights = [
        0.75
        if a < 25
        else 0.95
        if a < 35
        else 1.0
        if a < 65
        else 0.9
        if a < 75
        else 0.55
        if a < 85
        else 0.2
        if a < 95
        else 0.04
        for a in ages
    ]
    iso = [date.fromordinal(o).isoformat() for o in range(DATE0, REF_ORD + 1)]

    hood_by_zip: dict[str, list[str]] = {}
    for a in areas:
        if a.hood:
            for z in a.zips:
                hood_by_zip.setdefault(z, []).append(a.hood)
    areas_by_city: dict[str, list[Area]] = {}
    for a in areas:
        areas_by_city.setdefault(a.city, []).append(a)
    ooc = list(county.OUT_OF_COUNTY)
    return Tables(
        areas=areas,
        # Areas are drawn once per street address, so divide by the voters an address holds there.
        area_cum=cumulative(
            a.population
            / (
                a.p_apartment * _MEAN_VOTERS["apt"]
                + a.p_mobile * _MEAN_VOTERS["mobile"]
                + (1 - a.p_apartment - a.p_mobile) * _MEAN_VOTERS["house"]
            )
            for a in areas
        ),
        areas_by_city=areas_by_city,
        surnames=surnames,
        first=first,
        surname_group=surname_group,
        accented=dict(county.ACCENTED),
        iso=iso,
        age_values=ages,
        age_cum=cumulative(age_weights),
        hood_by_zip={z: tuple(h) for z, h in hood_by_zip.items()},
        ooc=ooc,
        generic_streets=generic.streets,
    )


def _normalised(weights: list[float]) -> list[float]:
    total = sum(weights)
    return [w / total for w in weights]
