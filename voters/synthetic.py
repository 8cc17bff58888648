"""Reproducible synthetic Los Angeles County voter rolls and recall-petition lines.

No Django here: the management commands `generate_voter_roll` and `generate_signatures` are thin
wrappers. Everything is driven by `random.Random` instances seeded from the caller's seed, so the
same seed and sizes give byte-identical files. Nothing in this module is cryptographic; the random
numbers only make test data (ruff S311 is silenced where it fires).

The roll is generated in fixed-size chunks, each with its own seeded generator, so chunks can be
rendered in parallel worker processes and still concatenate to the same bytes as a sequential run.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import multiprocessing
import os
import random
import re
import unicodedata
from array import array
from bisect import bisect
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import islice
from pathlib import Path
from typing import TextIO

from voters import la_data

ROLL_HEADER = (
    "voter_id",
    "first_name",
    "middle_name",
    "last_name",
    "name_suffix",
    "house_number",
    "house_fraction",
    "street_predir",
    "street_name",
    "street_type",
    "street_postdir",
    "unit_type",
    "unit_number",
    "city",
    "state",
    "zip",
    "birth_date",
    "registration_date",
    "status",
    "party",
    "precinct",
    "supervisorial_district",
)
SIGNATURES_HEADER = (
    "section",
    "line",
    "printed_name",
    "residence_address",
    "city",
    "zip",
    "signed",
    "circulator",
)
TRUTH_HEADER = ("section", "line", "status", "voter_id")

# The roll is "extracted" on this day: ages and registration dates are relative to it.
REFERENCE_DATE = date(2026, 10, 1)
CHUNK_SIZE = 50_000
VOTER_ID_BASE = 100_000_000

# Target shares of petition lines by the registrar's verdict (LA County 2022 full count; the
# signature-mismatch share is folded into valid because a campaign cannot see signatures).
TARGET_MIX = {
    "valid": 0.7397,
    "not_registered": 0.1236,
    "duplicate": 0.0609,
    "address_mismatch": 0.0450,
    "canceled": 0.0103,
    "out_of_jurisdiction": 0.0075,
    "incomplete": 0.0130,
}
# The handful of careless circulators, and the share of sections they carry.
BAD_CIRCULATOR_MIX = {
    "valid": 0.42,
    "not_registered": 0.26,
    "duplicate": 0.13,
    "address_mismatch": 0.08,
    "canceled": 0.02,
    "out_of_jurisdiction": 0.02,
    "incomplete": 0.07,
}
BAD_CIRCULATOR_SHARE = 0.04

_REF_ORD = REFERENCE_DATE.toordinal()
_ORD_1970 = date(1970, 1, 1).toordinal()
_DAYS_18 = 6576  # strictly more than 18 years (at most 6575 days)
_YEAR = 365.2425
_MIN_BIRTH = _REF_ORD - int(101 * _YEAR) + 2
_DATE0 = _MIN_BIRTH - 2

_GROUPS = tuple(la_data.GROUP_SHARES)
_DIRS = {"N": "NORTH", "S": "SOUTH", "E": "EAST", "W": "WEST"}
_TYPES = frozenset(la_data.STREET_TYPES)
# Leading words that make a surname one unit (DE LA CRUZ), not two surnames (GARCIA LOPEZ).
_PARTICLES = frozenset(("DE", "DEL", "LA", "LAS", "LOS", "DELA", "DELOS", "VAN", "VON", "DI", "DA"))


# ----------------------------------------------------------------------------------------------
# Tables (built once per process; they depend only on la_data, never on the caller's seed)
# ----------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Street:
    predirs: tuple[str, ...]
    name: str
    type: str
    postdir: str
    lo: int
    hi: int


@dataclass(slots=True)
class _Area:
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
    streets: list[_Street] = field(default_factory=list)
    street_cum: list[float] = field(default_factory=list)


@dataclass(slots=True)
class _Tables:
    areas: list[_Area]
    area_cum: list[float]
    areas_by_city: dict[str, list[_Area]]
    surnames: dict[str, tuple[list[str], list[float]]]
    first: dict[tuple[str, str], tuple[list[str], list[float]]]
    surname_group: dict[str, str]
    accented: dict[str, str]
    iso: list[str]
    age_values: list[int]
    age_cum: list[float]
    hood_by_zip: dict[str, tuple[str, ...]]
    ooc: list[tuple[str, tuple[str, ...]]]
    generic_streets: list[_Street]


def _words(block: str) -> list[str]:
    return list(dict.fromkeys(w.replace("_", " ") for w in block.split()))


def _cumulative(weights: Iterable[float]) -> list[float]:
    cum: list[float] = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    cum = [c / total for c in cum]
    cum[-1] = 1.0  # random() < 1.0, so bisect never runs off the end
    return cum


def _zipf(n: int, offset: float, exponent: float = 1.0) -> list[float]:
    return [1.0 / (i + offset) ** exponent for i in range(n)]


def _ordinal(n: int) -> str:
    suffix = "TH" if 10 <= n % 100 <= 20 else {1: "ST", 2: "ND", 3: "RD"}.get(n % 10, "TH")
    return f"{n}{suffix}"


def _parse_street(spec: str) -> tuple[tuple[str, ...], str, str, str]:
    """'VERMONT AVE:NS' -> (('N', 'S'), 'VERMONT', 'AVE', ''); '10TH ST W' -> postdir W."""
    spec, _, dirs = spec.strip().partition(":")
    toks = spec.split()
    postdir = ""
    if len(toks) > 2 and toks[-1] in _DIRS and toks[-2] in _TYPES:
        postdir = toks.pop()
    street_type = ""
    if len(toks) > 1 and toks[-1] in _TYPES:
        street_type = toks.pop()
    return tuple(dirs) or ("",), " ".join(toks), street_type, postdir


_SURNAME_SHAPES = {
    # group: (offset, exponent, head share, tail sources); tails are stems x endings from la_data
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
    stems, endings = la_data.TAIL_PARTS[key]
    return [stem + end for stem in stems.split() for end in endings.split()]


def _build_streets(rng: random.Random, area: _Area, pool: list[str]) -> None:
    lo_min, lo_max, span = _NUMBER_RANGES[area.flavour]
    n_streets = max(20, min(180, round(8 * math.sqrt(area.population)) + 10))
    arterials = [
        s.strip()
        for s in la_data.FLAVOUR_STREETS[area.flavour].replace("\n", "").split("|")
        if s.strip()
    ]
    specific = la_data.CITY_STREETS.get(area.city, "")
    arterials = [s.strip() for s in specific.replace("\n", "").split("|") if s.strip()] + arterials
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
    types, weights = zip(*la_data.RESIDENTIAL_TYPES, strict=True)
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
        area.streets.append(_Street(predirs, name, street_type, postdir, lo, hi))
        weights_out.append(1.6 if i < n_arterials else 1.0)  # busier streets, more addresses
    area.street_cum = _cumulative(weights_out)


@cache
def _tables() -> _Tables:
    rng = random.Random("la-county-tables")  # noqa: S311 - fixed layout, not a secret
    areas: list[_Area] = []
    la_hoods = [ln for ln in la_data.LA_NEIGHBOURHOODS.strip().splitlines() if ln]
    la_scale = la_data.LA_CITY_POPULATION / sum(float(ln.split("|")[1]) for ln in la_hoods)
    sources = (
        (la_data.CITIES, False),
        (la_data.UNINCORPORATED, False),
        (la_data.LA_NEIGHBOURHOODS, True),
    )
    for block, in_la in sources:
        for line in block.strip().splitlines():
            name, pop, district, flavour, zips, mods = line.split("|")
            area = _Area(
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
    base = dict(la_data.GROUP_SHARES)
    total_pop = sum(a.population for a in areas)
    for _ in range(60):
        achieved = dict.fromkeys(_GROUPS, 0.0)
        for a in areas:
            w = [base[g] * a.mods.get(g, 1.0) for g in _GROUPS]
            s = sum(w)
            for g, x in zip(_GROUPS, w, strict=True):
                achieved[g] += a.population * x / s
        for g in _GROUPS:
            base[g] *= la_data.GROUP_SHARES[g] / (achieved[g] / total_pop)
    for a in areas:
        a.group_cum = _cumulative(base[g] * a.mods.get(g, 1.0) for g in _GROUPS)

    pool = _words(la_data.RESIDENTIAL_NAMES)
    for a in areas:
        _build_streets(rng, a, pool)
    generic = _Area(0, "", "", 100, "0", "G", ("",), {})
    _build_streets(rng, generic, pool)

    surnames = {}
    surname_group: dict[str, str] = {}
    for g in _GROUPS:
        offset, exponent, head_share, tails = _SURNAME_SHAPES[g]
        head = _words(la_data.SURNAMES[g])
        for s in head:
            surname_group.setdefault(s, g)
        weights = [head_share * w for w in _normalised(_zipf(len(head), offset, exponent))]
        items = list(head)
        if tails:
            heads = set(head)
            tail = [t for key in tails for t in _tail_names(key) if t not in heads]
            tail = list(dict.fromkeys(tail))
            rng.shuffle(tail)
            items += tail
            weights += [(1 - head_share) * w for w in _normalised(_zipf(len(tail), 50, 0.6))]
        surnames[g] = (items, _cumulative(weights))
    first = {}
    for key, block in la_data.FIRST_NAMES.items():
        names = [n.replace("MA ", "MA. ") if n.startswith("MA ") else n for n in _words(block)]
        first[key] = (names, _cumulative(_zipf(len(names), 3.0)))

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
    iso = [date.fromordinal(o).isoformat() for o in range(_DATE0, _REF_ORD + 1)]

    hood_by_zip: dict[str, list[str]] = {}
    for a in areas:
        if a.hood:
            for z in a.zips:
                hood_by_zip.setdefault(z, []).append(a.hood)
    areas_by_city: dict[str, list[_Area]] = {}
    for a in areas:
        areas_by_city.setdefault(a.city, []).append(a)
    ooc = []
    for line in la_data.OUT_OF_COUNTY.strip().splitlines():
        city, zips = line.split("|")
        ooc.append((city, tuple(zips.split())))
    return _Tables(
        areas=areas,
        # Areas are drawn once per street address, so divide by the voters an address holds there.
        area_cum=_cumulative(
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
        accented={k.replace("_", " "): v for k, v in la_data.ACCENTED.items()},
        iso=iso,
        age_values=ages,
        age_cum=_cumulative(age_weights),
        hood_by_zip={z: tuple(h) for z, h in hood_by_zip.items()},
        ooc=ooc,
        generic_streets=generic.streets,
    )


def _normalised(weights: list[float]) -> list[float]:
    total = sum(weights)
    return [w / total for w in weights]


# ----------------------------------------------------------------------------------------------
# People
# ----------------------------------------------------------------------------------------------
_ACCENT_WORD = re.compile(r"[A-Z]+(?: [A-Z]+)?")
_HOUSE_SIZES = _cumulative((0.28, 0.38, 0.16, 0.10, 0.05, 0.03))
_APARTMENT_SIZES = _cumulative((0.46, 0.33, 0.12, 0.06, 0.02, 0.01))
_MOBILE_SIZES = _cumulative((0.50, 0.40, 0.07, 0.03))
_STATUS_CUM = _cumulative(la_data.STATUS_SHARES.values())
_STATUSES = tuple(la_data.STATUS_SHARES)
_PARTY_CUM = {g: _cumulative(p) for g, p in la_data.PARTY_SHARES_BY_GROUP.items()}


class _People:
    """Names, ages and households; shared by the roll and the petition-line generators."""

    def __init__(self, tables: _Tables, rng: random.Random) -> None:
        self.t = tables
        self.rng = rng
        self.rnd = rng.random

    def group(self, area: _Area) -> str:
        return _GROUPS[bisect(area.group_cum, self.rnd())]

    def first(self, g: str, sex: str) -> str:
        items, cum = self.t.first[g, sex]
        return items[bisect(cum, self.rnd())]

    def surname(self, g: str) -> str:
        items, cum = self.t.surnames[g]
        rnd = self.rnd
        name = items[bisect(cum, rnd())]
        if g == "H" and " " not in name:
            r = rnd()
            if r < 0.19:  # two surnames, as registered by many Latin American-born voters
                other = items[bisect(cum, rnd())]
                if other != name:
                    name = f"{name}{' ' if r < 0.16 else '-'}{other}"
        return name

    def middle(self, g: str, sex: str) -> str:
        rnd = self.rnd
        r = rnd()
        if g == "V":
            if r < 0.55:
                return "VAN" if sex == "M" else "THI"
            return "" if r < 0.9 else self.first(g, sex)
        if g == "F" and r < 0.4:
            return _first_part(self.surname(g))  # Filipino middle name: the mother's surname
        if g in ("K", "C", "J"):
            return "" if r < 0.7 else self.first(g, sex)[0] if r < 0.8 else self.first(g, sex)
        if r < 0.42:
            return ""
        name = self.first(g, sex)
        return name[0] if r < 0.62 else name

    def age(self, lo: int = 18, hi: int = 100) -> int:
        values, cum = self.t.age_values, self.t.age_cum
        for _ in range(8):
            a = values[bisect(cum, self.rnd())]
            if lo <= a <= hi:
                return a
        return lo + int(self.rnd() * (hi - lo + 1))

    def birth(self, age: int) -> int:
        b = _REF_ORD - int((age + self.rnd()) * _YEAR)
        return min(max(b, _MIN_BIRTH), _REF_ORD - _DAYS_18)

    def person(self, g: str, sex: str, age: int, last: str | None = None) -> list:
        """[first, middle, last, suffix, birth ordinal, group, sex]."""
        suffix = ""
        if sex == "M" and self.rnd() < 0.012:
            suffix = ("JR", "JR", "JR", "II", "III")[int(self.rnd() * 5)]
        first, middle = self.first(g, sex), self.middle(g, sex)
        return [
            first,
            "" if middle == first else middle,
            last if last is not None else self.surname(g),
            suffix,
            self.birth(age),
            g,
            sex,
        ]

    def household(self, area: _Area, size: int) -> list[list]:
        rnd = self.rnd
        g = self.group(area)
        if size == 1:
            people = [self.person(g, "M" if rnd() < 0.47 else "F", self.age())]
        elif rnd() < 0.78:
            people = self._family(area, g, size)
        else:
            people = self._shared(area, g, size)
        for p in people:
            if p[5] == "H" and rnd() < 0.3:  # keeps the accents they registered with
                p[0] = self.accent(p[0])
                p[1] = self.accent(p[1])
                p[2] = self.accent(p[2])
        return people

    def accent(self, name: str) -> str:
        if not name:
            return name
        acc = self.t.accented
        return _ACCENT_WORD.sub(lambda m: acc.get(m.group(), _accent_words(m.group(), acc)), name)

    def _family(self, area: _Area, g: str, size: int) -> list[list]:
        rnd = self.rnd
        n_kids = size - 2
        head_sex = "M" if rnd() < 0.85 else "F"
        head_age = self.age(38 if n_kids else 20, 97)
        head = self.person(g, head_sex, head_age)
        pg = g if rnd() < 0.9 else self.group(area)
        p_sex = ("F" if head_sex == "M" else "M") if rnd() < 0.95 else head_sex
        p_age = min(100, max(18, head_age + int((rnd() - rnd()) * 10)))
        maiden = self.surname(pg)
        r = rnd()
        if head_sex == "M" and p_sex == "F":
            keep = 0.55 if g == "H" and pg == "H" else 0.2
            if r < keep:
                p_last = maiden
            elif r < keep + 0.1:
                p_last = f"{_first_part(maiden)}-{_first_part(head[2])}"
            else:
                p_last = head[2]
        else:
            p_last = maiden
        partner = self.person(pg, p_sex, p_age, p_last)
        people = [head, partner]
        father_last = head[2] if head_sex == "M" else (maiden if p_sex == "M" else head[2])
        mother_last = maiden if head_sex == "M" else head[2]
        kids: list[list] = []
        for k in range(n_kids):
            if k == 3 and rnd() < 0.5:  # an elderly parent rather than a fourth child
                age = min(100, head_age + 20 + int(rnd() * 12))
                people.append(self.person(g, "F" if rnd() < 0.65 else "M", age, head[2]))
                continue
            age = head_age - 20 - int(rnd() * 22)
            if age < 18:
                age = 18 + int(rnd() * 4)
            if g == "H" and pg == "H" and rnd() < 0.45:
                last = f"{_first_part(father_last)} {_first_part(mother_last)}"
            else:
                last = father_last
            kid = self.person(g, "M" if rnd() < 0.5 else "F", age, last)
            if g == "F" and rnd() < 0.6:
                kid[1] = _first_part(mother_last)  # Filipino middle name: the mother's surname
            kids.append(kid)
        if kids:
            if len(kids) >= 2 and rnd() < 0.06:  # twins
                kids[1][4] = kids[0][4]
                kids[1][2] = kids[0][2]
            if head_sex == "M" and rnd() < 0.16:
                son = next((k for k in kids if k[6] == "M"), None)
                if son is not None:
                    son[0] = head[0]
                    if rnd() < 0.5:
                        son[1] = head[1]
                    son[2] = head[2]
                    son[3] = "JR"
                    head[3] = "SR"
        return people + kids

    def _shared(self, area: _Area, g: str, size: int) -> list[list]:
        rnd = self.rnd
        if rnd() < 0.5:  # siblings or cousins sharing a surname
            last = self.surname(g)
            base = self.age(18, 80)
            return [
                self.person(g, "M" if rnd() < 0.5 else "F", min(100, base + int(rnd() * 12)), last)
                for _ in range(size)
            ]
        people = []
        for _ in range(size):
            pg = g if rnd() < 0.7 else self.group(area)
            people.append(self.person(pg, "M" if rnd() < 0.5 else "F", self.age(18, 70)))
        return people


def _accent_words(phrase: str, acc: dict[str, str]) -> str:
    return " ".join(acc.get(w, w) for w in phrase.split(" "))


def _first_part(surname: str) -> str:
    """GARCIA LOPEZ -> GARCIA; PEREZ-SOTO -> PEREZ; DE LA CRUZ stays whole."""
    if "-" in surname:
        return surname.split("-", 1)[0]
    toks = surname.split(" ")
    if len(toks) > 1 and toks[0] not in _PARTICLES:
        return toks[0]
    return surname


# ----------------------------------------------------------------------------------------------
# Addresses
# ----------------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Address:
    house_number: str
    fraction: str
    predir: str
    street_name: str
    street_type: str
    postdir: str
    city: str
    zip5: str
    plus4: str
    precinct: str
    district: str


def _address(rnd: Callable[[], float], area: _Area) -> _Address:
    si = bisect(area.street_cum, rnd())
    st = area.streets[si]
    hn = st.lo + int(rnd() * (st.hi - st.lo))
    di = int(rnd() * len(st.predirs))
    block = hn // 500
    zips = area.zips
    precinct = (si * 7 + block * 3 + di) % area.n_precincts
    return _Address(
        house_number=str(hn),
        fraction="",
        predir=st.predirs[di],
        street_name=st.name,
        street_type=st.type,
        postdir=st.postdir,
        city=area.city,
        zip5=zips[(si * 3 + block // 4) % len(zips)],
        plus4=f"{(si * 131 + block * 17 + (hn // 100) * 7 + di) % 9999 + 1:04d}",
        precinct=f"{area.pcode}{precinct:03d}",
        district=area.district,
    )


# ----------------------------------------------------------------------------------------------
# PART 1: the voter roll
# ----------------------------------------------------------------------------------------------
def _units(rnd: Callable[[], float], kind: str) -> list[tuple[str, str, list[float]]]:
    """The households' (unit type, unit number, size distribution) at one street address."""
    if kind == "house":
        return [("", "", _HOUSE_SIZES)]
    if kind == "mobile":
        spaces = 20 + int(rnd() * 180)
        return [("SPC", str(k + 1), _MOBILE_SIZES) for k in range(spaces) if rnd() < 0.7]
    r = rnd()
    n_units = (
        2 + int(rnd() * 3) if r < 0.3 else 5 + int(rnd() * 20) if r < 0.8 else 25 + int(rnd() * 96)
    )
    r = rnd()
    unit_type = "APT" if r < 0.6 else "UNIT" if r < 0.82 else "#"
    style = rnd()
    per_floor = 4 + int(rnd() * 9)
    out = []
    for k in range(n_units):
        if rnd() >= 0.8:
            continue  # no registered voters in this unit
        if n_units <= 4 and style < 0.4:
            label = chr(65 + k)
        elif n_units > 8 and style < 0.5:
            label = f"{k // per_floor + 1}{k % per_floor + 1:02d}"
        else:
            label = str(k + 1)
        out.append((unit_type, label, _APARTMENT_SIZES))
    return out


def _iter_chunk(seed: int, start: int, stop: int) -> Iterator[tuple[str, ...]]:
    """Rows for global voter indices [start, stop); deterministic in (seed, start, stop)."""
    t = _tables()
    rng = random.Random(f"roll:{seed}:{start}")  # noqa: S311
    rnd = rng.random
    people = _People(t, rng)
    areas, area_cum, iso = t.areas, t.area_cum, t.iso
    i = start
    while i < stop:
        area = areas[bisect(area_cum, rnd())]
        r = rnd()
        kind = (
            "mobile"
            if r < area.p_mobile
            else "apt"
            if r < area.p_mobile + area.p_apartment
            else "house"
        )
        addr = _address(rnd, area)
        if kind == "house" and rnd() < 0.006:
            addr.fraction = "1/2"
        base = (
            addr.house_number,
            addr.fraction,
            addr.predir,
            addr.street_name,
            addr.street_type,
            addr.postdir,
        )
        zip9 = addr.zip5 + addr.plus4
        tail = (addr.precinct, addr.district)
        for unit_type, unit_number, size_cum in _units(rnd, kind):
            size = bisect(size_cum, rnd()) + 1
            members = people.household(area, size)
            title = rnd() < 0.04  # this household's records were keyed in mixed case
            for first, middle, last, suffix, birth, g, _sex in members:
                if i >= stop:
                    return
                if title:
                    first, middle, last, suffix = (
                        first.title(),
                        middle.title(),
                        last.title(),
                        suffix.title(),
                    )
                lo = max(_ORD_1970, birth + _DAYS_18)
                reg = _REF_ORD - int((_REF_ORD - lo) * rnd())
                yield (
                    str(VOTER_ID_BASE + i * 7 + int(rnd() * 7)),
                    first,
                    middle,
                    last,
                    suffix,
                    *base,
                    unit_type,
                    unit_number,
                    addr.city,
                    "CA",
                    zip9 if rnd() < 0.85 else addr.zip5,
                    iso[birth - _DATE0],
                    iso[reg - _DATE0],
                    _STATUSES[bisect(_STATUS_CUM, rnd())],
                    la_data.PARTIES[bisect(_PARTY_CUM[g], rnd())],
                    *tail,
                )
                i += 1


def iter_voters(n: int, seed: int = 0) -> Iterator[tuple[str, ...]]:
    """The roll's rows (without the header), in file order, as tuples in ROLL_HEADER order."""
    for start in range(0, n, CHUNK_SIZE):
        yield from _iter_chunk(seed, start, min(n, start + CHUNK_SIZE))


def _render_chunk(job: tuple[int, int, int, bool]) -> bytes:
    seed, start, stop, compress = job
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if start == 0:
        writer.writerow(ROLL_HEADER)
    writer.writerows(_iter_chunk(seed, start, stop))
    data = buf.getvalue().encode("utf-8")
    # Concatenated gzip members form one valid gzip file; mtime=0 keeps the bytes reproducible.
    return gzip.compress(data, compresslevel=6, mtime=0) if compress else data


def _default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def write_roll(
    path: str | Path,
    n: int,
    seed: int = 0,
    *,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Write an n-voter canonical CSV roll to path (gzip when it ends in .gz).

    Chunks are rendered by `workers` processes (default: the CPUs available) and written in
    order, at most two per worker in flight, so memory stays constant whatever n is.
    """
    compress = str(path).endswith(".gz")
    jobs = [(seed, s, min(n, s + CHUNK_SIZE), compress) for s in range(0, max(n, 1), CHUNK_SIZE)]
    workers = max(1, min(workers or _default_workers(), len(jobs)))
    _tables()  # built once here so forked workers inherit it
    with open(path, "wb") as out:
        if workers == 1:
            for job in jobs:
                out.write(_render_chunk(job))
                if progress:
                    progress(job[2])
            return
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with ctx.Pool(workers) as pool:
            queue = iter(jobs)
            pending = deque(
                (job, pool.apply_async(_render_chunk, (job,))) for job in islice(queue, 2 * workers)
            )
            while pending:
                job, result = pending.popleft()
                data = result.get()
                nxt = next(queue, None)
                if nxt is not None:
                    pending.append((nxt, pool.apply_async(_render_chunk, (nxt,))))
                out.write(data)
                if progress:
                    progress(job[2])


# ----------------------------------------------------------------------------------------------
# PART 2: petition lines drawn from a roll
# ----------------------------------------------------------------------------------------------
# The roll columns a petition line is drawn from: the name and address, then ZIP and status.
_KEEP = (*ROLL_HEADER[: ROLL_HEADER.index("city") + 1], "zip", "status")
_SEP = "\x1f"
_TYPE_WORDS = {
    "ST": ("STREET",),
    "AVE": ("AVENUE", "AV"),
    "BLVD": ("BOULEVARD", "BL"),
    "DR": ("DRIVE",),
    "PL": ("PLACE",),
    "WAY": ("WAY",),
    "CT": ("COURT",),
    "LN": ("LANE",),
    "RD": ("ROAD",),
    "TER": ("TERRACE", "TERR"),
    "CIR": ("CIRCLE",),
    "PKWY": ("PARKWAY",),
    "HWY": ("HIGHWAY",),
    "TRL": ("TRAIL",),
}
_UNIT_WORDS = {
    "APT": ("APT ", "APT. ", "#", "# ", "UNIT "),
    "UNIT": ("UNIT ", "#", "APT "),
    "#": ("#", "# ", "APT ", "NO. "),
    "SPC": ("SPC ", "SPACE ", "SP ", "#"),
}
_STREET_NICKNAMES = {
    "MARTIN LUTHER KING JR": ("MLK", "MARTIN LUTHER KING", "M L KING"),
    "CESAR E CHAVEZ": ("CESAR CHAVEZ", "CHAVEZ"),
    "PACIFIC COAST": ("PCH",),
}
_STRIP_ACCENTS = {ord(c): unicodedata.normalize("NFKD", c)[0] for c in "ÁÉÍÓÚÜÑáéíóúüñ"}


@contextmanager
def _text_file(path: str | Path, mode: str) -> Iterator[TextIO]:
    """Open text for reading ("r") or writing ("w"); gzip when the name ends in .gz."""
    with ExitStack() as stack:
        raw = stack.enter_context(open(path, mode + "b"))
        if str(path).endswith(".gz"):
            # mtime=0 and no file name in the header: the same content gives the same bytes.
            raw = stack.enter_context(
                gzip.GzipFile(filename="", mode=mode + "b", fileobj=raw, mtime=0)
            )
        yield stack.enter_context(io.TextIOWrapper(raw, encoding="utf-8", newline=""))


@contextmanager
def _roll_rows(path: str | Path) -> Iterator[tuple[dict[str, int], Iterator[list[str]]]]:
    """The roll's column positions and an iterator over its data rows."""
    with _text_file(path, "r") as f:
        reader = csv.reader(f)
        cols = {name: i for i, name in enumerate(next(reader, []))}
        missing = [c for c in _KEEP if c not in cols]
        if missing:
            raise ValueError(f"{path}: roll is missing columns {', '.join(missing)}")
        yield cols, reader


def _address_key(house_number: str, street: str, unit: str, city: str, zip_code: str) -> int:
    """Identifies one dwelling (unit included) within this process; never written out."""
    return hash((house_number, street.upper(), unit.upper(), city.upper(), zip_code[:5]))


@dataclass(slots=True)
class _Line:
    section: int
    line: int
    kind: str
    bad: bool
    voter: int = -1  # roll index of the voter (or of the household member for "family")


def _plan(rng: random.Random, n_lines: int) -> tuple[list[_Line], list[tuple[int, bool]]]:
    """Sections, their circulators and the kind of every line, in file order."""
    rnd = rng.random
    sizes = []
    total = 0
    while total < n_lines:
        r = rnd()
        size = (
            rng.randint(10, 20)
            if r < 0.75
            else rng.randint(1, 9)
            if r < 0.87
            else rng.randint(21, 30)
        )
        size = min(size, n_lines - total)
        sizes.append(size)
        total += size
    n_circ = max(3, min(400, round(len(sizes) / 5)))
    n_bad = max(1, min(6, n_circ // 40))
    good_cum = _cumulative(_zipf(n_circ - n_bad, 5.0, 0.8))
    sections: list[tuple[int, bool]] = []  # (circulator number, careless?)
    for _ in sizes:
        if rnd() < BAD_CIRCULATOR_SHARE:
            sections.append((n_circ - n_bad + int(rnd() * n_bad), True))
        else:
            sections.append((bisect(good_cum, rnd()), False))
    good_mix = {
        k: (TARGET_MIX[k] - BAD_CIRCULATOR_SHARE * BAD_CIRCULATOR_MIX[k])
        / (1 - BAD_CIRCULATOR_SHARE)
        for k in TARGET_MIX
    }

    def kinds(mix: dict[str, float]) -> tuple[list[str], list[float]]:
        # Not-registered signers: 55% family members at a registered address, else invented.
        table = {
            "valid": mix["valid"],
            "family": mix["not_registered"] * 0.55,
            "invented": mix["not_registered"] * 0.45,
            "repeat": mix["duplicate"],
            "moved": mix["address_mismatch"],
            "canceled": mix["canceled"],
            "ooj": mix["out_of_jurisdiction"],
            "incomplete": mix["incomplete"],
        }
        return list(table), _cumulative(table.values())

    good_kinds, bad_kinds = kinds(good_mix), kinds(BAD_CIRCULATOR_MIX)
    lines = []
    for s, (size, (_, bad)) in enumerate(zip(sizes, sections, strict=True), start=1):
        names, cum = bad_kinds if bad else good_kinds
        for ln in range(1, size + 1):
            lines.append(_Line(s, ln, names[bisect(cum, rnd())], bad))
    return lines, sections


class _Writer:
    """Renders names and addresses the way people write them on a petition."""

    def __init__(self, tables: _Tables, rng: random.Random) -> None:
        self.t = tables
        self.rng = rng
        self.rnd = rng.random
        self.people = _People(tables, rng)

    def pick(self, options: tuple[str, ...] | list[str]) -> str:
        return options[int(self.rnd() * len(options))]

    def case(self, text: str, upper: float = 0.3, lower: float = 0.12) -> str:
        r = self.rnd()
        if r < upper:
            return text.upper()
        if r < upper + lower:
            return text.lower()
        if r < upper + lower + 0.05:
            return text
        return _capitalise(text)

    def typo(self, word: str) -> str:
        if len(word) < 4:
            return word
        i = 1 + int(self.rnd() * (len(word) - 2))
        r = self.rnd()
        if r < 0.4:
            return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
        if r < 0.75:
            return word[:i] + word[i + 1 :]
        return word[:i] + word[i] + word[i:]

    def name(self, first: str, middle: str, last: str, suffix: str, bad: bool) -> str:
        rnd = self.rnd
        first, middle, last, suffix = first.upper(), middle.upper(), last.upper(), suffix.upper()
        has_accent = any(ord(ch) > 127 for ch in first + last)
        if has_accent and rnd() < 0.5:
            first, middle, last = (s.translate(_STRIP_ACCENTS) for s in (first, middle, last))
        elif not has_accent and rnd() < 0.08:
            first, last = self.people.accent(first), self.people.accent(last)
        plain_first = first.translate(_STRIP_ACCENTS)
        if plain_first in la_data.NICKNAMES and rnd() < 0.15:
            first = self.pick(la_data.NICKNAMES[plain_first])
        if _first_part(last) != last and rnd() < 0.4:
            last = _first_part(last)  # compound surname written with only its first part
        elif " " in last and rnd() < 0.1:
            last = last.replace(" ", "")
        r = rnd()
        if middle and r < 0.2:
            given = [first, middle[0]]
        elif middle and r < 0.25:
            given = [first, middle]
        elif r < 0.28:
            given = [first[0]]
        else:
            given = [first]
        if rnd() < (0.15 if bad else 0.05):
            if rnd() < 0.6:
                last = self.typo(last)
            else:
                given[0] = self.typo(given[0])
        if suffix and rnd() < 0.7:
            last = f"{last} {suffix}"
        r = rnd()
        if r < 0.08:
            text = f"{last}, {' '.join(given)}"
        elif r < 0.11:
            text = f"{last} {' '.join(given)}"
        else:
            text = f"{' '.join(given)} {last}"
        return self.case(text)

    def address(self, rec: dict[str, str], bad: bool) -> str:
        rnd = self.rnd
        parts = [rec["house_number"]]
        if rec["house_fraction"] and rnd() < 0.6:
            parts.append(rec["house_fraction"])
        predir = rec["street_predir"].upper()
        if predir in _DIRS:
            r = rnd()
            if r < 0.65:
                parts.append(predir)
            elif r < 0.75:
                parts.append(predir + ".")
            elif r < 0.9:
                parts.append(_DIRS[predir])
        street = rec["street_name"].upper()
        if street in _STREET_NICKNAMES and rnd() < 0.4:
            street = self.pick(_STREET_NICKNAMES[street])
        elif street.startswith("AVENUE ") and rnd() < 0.3:
            street = "AVE " + street[7:]
        if rnd() < (0.1 if bad else 0.03):
            street = self.typo(street)  # never the house number: that is how the roll is searched
        parts.append(street)
        stype = rec["street_type"].upper()
        if stype:
            r = rnd()
            if r < 0.55:
                parts.append(stype)
            elif r < 0.65:
                parts.append(stype + ".")
            elif r < 0.9:
                parts.append(self.pick(_TYPE_WORDS.get(stype, (stype,))))
        postdir = rec["street_postdir"].upper()
        if postdir in _DIRS and rnd() < 0.95:
            parts.append(postdir if rnd() < 0.8 else _DIRS[postdir])
        unit = rec["unit_number"]
        if unit and rnd() >= (0.5 if bad else 0.3):
            words = _UNIT_WORDS.get(rec["unit_type"].upper(), ("#", "APT "))
            parts.append(self.pick(words) + unit)
        return self.case(" ".join(parts), upper=0.25, lower=0.2)

    def city_zip(self, city: str, zip_code: str, bad: bool) -> tuple[str, str]:
        rnd = self.rnd
        city = city.upper()
        zip5 = zip_code[:5]
        written = city
        r = rnd()
        if city == "LOS ANGELES":
            hoods = self.t.hood_by_zip.get(zip5)
            if hoods and r < 0.5:
                written = self.pick(hoods)
            elif r < 0.57:
                written = self.pick(la_data.CITY_ALIASES["LOS ANGELES"])
        elif (city, zip5) in la_data.SUB_COMMUNITIES and r < 0.45:
            written = self.pick(la_data.SUB_COMMUNITIES[city, zip5])
        if written in la_data.CITY_ALIASES and rnd() < 0.15:
            written = self.pick(la_data.CITY_ALIASES[written])
        zip_out = zip5 if rnd() < (0.25 if bad else 0.15) else ""
        if zip5 and rnd() < (0.08 if bad else 0.03):
            written, zip_out = "", zip5  # "a missing city is fine when the ZIP is present"
        return self.case(written, upper=0.3, lower=0.15), zip_out

    def new_address(self, area: _Area | None = None) -> dict[str, str]:
        """A real-looking LA County address (for movers and people not on the roll)."""
        t = self.t
        if area is None:
            area = t.areas[bisect(t.area_cum, self.rnd())]
        a = _address(self.rnd, area)
        unit_type = unit = ""
        if self.rnd() < area.apartment_voters:
            unit_type, unit = "APT", str(1 + int(self.rnd() * 40))
        return {
            "house_number": a.house_number,
            "house_fraction": "",
            "street_predir": a.predir,
            "street_name": a.street_name,
            "street_type": a.street_type,
            "street_postdir": a.postdir,
            "unit_type": unit_type,
            "unit_number": unit,
            "city": a.city,
            "zip": a.zip5,
        }

    def outside_address(self) -> dict[str, str]:
        city, zips = self.t.ooc[int(self.rnd() * len(self.t.ooc))]
        streets = self.t.generic_streets
        st = streets[int(self.rnd() * len(streets))]
        return {
            "house_number": str(st.lo + int(self.rnd() * (st.hi - st.lo))),
            "house_fraction": "",
            "street_predir": self.pick(st.predirs),
            "street_name": st.name,
            "street_type": st.type,
            "street_postdir": st.postdir,
            "unit_type": "",
            "unit_number": "",
            "city": city,
            "zip": self.pick(zips),
        }

    def invented_person(self) -> tuple[str, str, str, str]:
        t = self.t
        area = t.areas[bisect(t.area_cum, self.rnd())]
        p = self.people.household(area, 1)[0]
        return p[0], p[1], p[2], p[3]


def _capitalise(text: str) -> str:
    """Title case that leaves '54TH' as '54th' (str.title() would give '54Th')."""
    return " ".join(
        w[:1].upper() + w[1:].lower() if w[:1].isalpha() else w.lower() for w in text.split(" ")
    )


def _scan_roll(path: str | Path) -> tuple[bytearray, array]:
    """Pass 1: every row's status letter and dwelling key, in file order (~9 bytes a voter)."""
    status = bytearray()
    keys = array("q")
    with _roll_rows(path) as (cols, rows):
        si = cols["status"]
        at = [cols[c] for c in ("house_number", "street_name", "unit_number", "city", "zip")]
        h, st, u, c, z = at
        for row in rows:
            status.append(ord(row[si][:1].upper() or " "))
            keys.append(_address_key(row[h], row[st], row[u], row[c], row[z]))
    return status, keys


def _assign_voters(rng: random.Random, plan: list[_Line], status: bytearray) -> None:
    """Pick the roll voter behind each line that needs one, without reuse while the roll lasts."""
    rnd = rng.random
    n = len(status)
    used: set[int] = set()
    allowed_for = {"valid": b"AI", "incomplete": b"AI", "moved": b"A", "canceled": b"C"}

    def draw(allowed: bytes, unique: bool) -> int:
        for _ in range(64):
            j = int(rnd() * n)
            if status[j] in allowed and not (unique and j in used):
                used.add(j)
                return j
        for _ in range(4096):  # pool exhausted: allow a voter again (a natural duplicate)
            j = int(rnd() * n)
            if status[j] in allowed:
                return j
        return -1

    for ln in plan:
        if ln.kind in allowed_for:
            ln.voter = draw(allowed_for[ln.kind], unique=True)
        elif ln.kind == "family":
            ln.voter = draw(b"AIC", unique=False)  # anyone's home will do
        else:
            continue
        if ln.voter < 0:
            ln.kind = "invented"  # the roll has nobody of the status this line needs


def _collect(
    path: str | Path, plan: list[_Line], keys: array
) -> tuple[dict[int, str], dict[int, set[str]]]:
    """Pass 2: the chosen voters' records, and who is registered at the family lines' homes."""
    needed = {ln.voter for ln in plan if ln.voter >= 0}
    family_keys = {keys[ln.voter] for ln in plan if ln.kind == "family"}
    records: dict[int, str] = {}  # joined strings: a fraction of the memory of lists
    names_at: dict[int, set[str]] = {}
    with _roll_rows(path) as (cols, rows):
        idx = [cols[c] for c in _KEEP]
        fi = cols["first_name"]
        for i, row in enumerate(rows):
            if i in needed:
                records[i] = _SEP.join(row[k] for k in idx)
            if keys[i] in family_keys:
                names_at.setdefault(keys[i], set()).add(_plain_upper(row[fi]))
    return records, names_at


def _plain_upper(text: str) -> str:
    return text.upper().translate(_STRIP_ACCENTS)


class _Signing:
    """Turns planned lines into written lines and verdicts, in section order."""

    def __init__(
        self,
        writer: _Writer,
        records: dict[int, str],
        names_at: dict[int, set[str]],
    ) -> None:
        self.w = writer
        self.records = records
        self.names_at = names_at
        self.counted: set[int] = set()
        self.earlier: list[int] = []  # counted voters of earlier sections, for repeat signers
        self.this_section: list[int] = []
        self.repeated_here: set[int] = set()
        self.section = 0
        self.first_written: dict[int, tuple[int, dict[str, str] | None]] = {}
        # Voters whose first line cannot count (moved, cancelled) -> that line's verdict.
        self.unqualified: dict[int, str] = {}

    def sign(self, ln: _Line) -> tuple[str, dict[str, str] | None, str, str, str]:
        """(printed name, address written, signed, verdict, voter_id) for one line."""
        w = self.w
        if ln.section != self.section:
            self.earlier.extend(self.this_section)
            self.this_section = []
            self.repeated_here.clear()
            self.section = ln.section
        kind = ln.kind
        if kind == "repeat":
            if self.earlier:
                for _ in range(4):  # once per section is the common case
                    ln.voter = self.earlier[int(w.rnd() * len(self.earlier))]
                    if ln.voter not in self.repeated_here:
                        break
                self.repeated_here.add(ln.voter)
            else:
                kind = "invented"  # nobody has signed an earlier section yet
        if kind == "invented":
            first, middle, last, suffix = w.invented_person()
            name = w.name(first, middle, last, suffix, ln.bad)
            return name, w.new_address(), "yes", "not_registered", ""
        if kind == "ooj":
            first, middle, last, suffix = w.invented_person()
            name = w.name(first, middle, last, suffix, ln.bad)
            return name, w.outside_address(), "yes", "out_of_jurisdiction", ""
        rec = dict(zip(_KEEP, self.records[ln.voter].split(_SEP), strict=True))
        if kind == "family":
            home = _address_key(
                rec["house_number"], rec["street_name"], rec["unit_number"], rec["city"], rec["zip"]
            )
            name = _family_member(w, rec, self.names_at.get(home, set()), ln.bad)
            return name, rec, "yes", "not_registered", ""
        name = self._name(rec, ln.bad)
        addr: dict[str, str] | None = rec
        if kind == "moved":
            addr = _moved_address(w, rec)
        elif kind == "repeat":
            previous_name, moved_to = self.first_written[ln.voter]
            addr = moved_to or rec  # a mover writes the new address again
            for _ in range(3):  # written a bit differently from the first time
                if hash(name) != previous_name:
                    break
                name = self._name(rec, ln.bad)
        if kind == "incomplete":
            r = w.rnd()
            if r < 0.35:
                return "", addr, "yes", "incomplete", rec["voter_id"]
            if r < 0.7:
                return name, None, "yes", "incomplete", rec["voter_id"]
            return name, addr, "no", "incomplete", rec["voter_id"]
        if ln.voter in self.counted:
            # Only a qualifying signature can be signed twice (the registrar checks the line
            # against the voter's record first): a mover's second line is a different-address
            # line again, a cancelled voter's is cancelled again.
            verdict = self.unqualified.get(ln.voter, "duplicate")
            return name, addr, "yes", verdict, rec["voter_id"]
        self.counted.add(ln.voter)
        self.this_section.append(ln.voter)
        # Only a hash of the name and a mover's new address: this lives as long as the run.
        self.first_written[ln.voter] = (hash(name), addr if kind == "moved" else None)
        verdict = {"valid": "valid", "moved": "address_mismatch", "canceled": "canceled"}[kind]
        if verdict != "valid":
            self.unqualified[ln.voter] = verdict
        return name, addr, "yes", verdict, rec["voter_id"]

    def _name(self, rec: dict[str, str], bad: bool) -> str:
        return self.w.name(
            rec["first_name"], rec["middle_name"], rec["last_name"], rec["name_suffix"], bad
        )


def write_signatures(
    roll_path: str | Path,
    out_path: str | Path,
    lines: int,
    seed: int = 0,
    *,
    truth_path: str | Path | None = None,
) -> Counter[str]:
    """Write `lines` petition lines drawn from the roll; return the count of each truth status.

    1. Scan the roll for statuses and dwelling keys.
    2. Plan sections, circulators and each line's kind; pick the roll voters they need.
    3. Read the roll again, keeping only those voters and the first names at family homes.
    4. Write the lines in section order: a voter's first counted line counts, later ones are
       duplicates.
    """
    rng = random.Random(f"signatures:{seed}")  # noqa: S311
    status, keys = _scan_roll(roll_path)
    if not status:
        raise ValueError(f"{roll_path}: the roll has no voters")
    plan, sections = _plan(rng, lines)
    _assign_voters(rng, plan, status)
    records, names_at = _collect(roll_path, plan, keys)
    del status, keys
    writer = _Writer(_tables(), rng)
    circulators = []
    for _ in range(max(c for c, _ in sections) + 1):
        first, _, last, _ = writer.invented_person()
        circulators.append(_capitalise(f"{first} {_first_part(last)}"))
    signing = _Signing(writer, records, names_at)
    counts: Counter[str] = Counter()
    with ExitStack() as stack:
        out = csv.writer(stack.enter_context(_text_file(out_path, "w")), lineterminator="\n")
        out.writerow(SIGNATURES_HEADER)
        truth = None
        if truth_path:
            truth = csv.writer(
                stack.enter_context(_text_file(truth_path, "w")), lineterminator="\n"
            )
            truth.writerow(TRUTH_HEADER)
        for ln in plan:
            name, addr, signed, verdict, voter_id = signing.sign(ln)
            street = city = zip_out = ""
            if addr is not None:
                street = writer.address(addr, ln.bad)
                city, zip_out = writer.city_zip(addr["city"], addr["zip"], ln.bad)
            circulator = circulators[sections[ln.section - 1][0]]
            out.writerow((ln.section, ln.line, name, street, city, zip_out, signed, circulator))
            if truth:
                truth.writerow((ln.section, ln.line, verdict, voter_id))
            counts[verdict] += 1
    return counts


def _moved_address(writer: _Writer, rec: dict[str, str]) -> dict[str, str]:
    """A different real-looking address, usually in the same city."""
    same_city = writer.t.areas_by_city.get(rec["city"].upper())
    registered = (rec["house_number"], rec["street_name"].upper())
    while True:
        area = writer.pick(same_city) if same_city and writer.rnd() < 0.55 else None
        new = writer.new_address(area)
        if (new["house_number"], new["street_name"]) != registered:
            return new


def _family_member(writer: _Writer, rec: dict[str, str], taken: set[str], bad: bool) -> str:
    """Someone living with a registered voter: same surname, a first name not on the roll there."""
    last = rec["last_name"].upper()
    g = writer.t.surname_group.get(_plain_upper(_first_part(last)), "W")
    for _ in range(12):
        sex = "M" if writer.rnd() < 0.5 else "F"
        first = writer.people.first(g, sex)
        if first not in taken:
            break
    return writer.name(first, writer.people.middle(g, sex), last, "", bad)
