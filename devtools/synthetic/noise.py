"""Transcription noise: names and addresses rendered the way people write them on a petition.

Case, nicknames, dropped or added accents, typos, short or long street types, units left out,
neighbourhoods and aliases for the city, a ZIP now and then.
"""

from __future__ import annotations

import random
import unicodedata
from bisect import bisect
from collections.abc import Sequence
from typing import TypeVar

from devtools.synthetic import county
from devtools.synthetic.addresses import draw_address
from devtools.synthetic.people import People, first_part
from devtools.synthetic.tables import DIRS, Area, Tables

_T = TypeVar("_T")

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
STRIP_ACCENTS = {ord(c): unicodedata.normalize("NFKD", c)[0] for c in "ÁÉÍÓÚÜÑáéíóúüñ"}


class Writer:
    """Renders names and addresses the way people write them on a petition."""

    def __init__(self, tables: Tables, rng: random.Random) -> None:
        self.t = tables
        self.rng = rng
        self.rnd = rng.random
        self.people = People(tables, rng)

    def pick(self, options: Sequence[_T]) -> _T:
        return options[int(self.rnd() * len(options))]

    def case(self, text: str, upper: float = 0.3, lower: float = 0.12) -> str:
        r = self.rnd()
        if r < upper:
            return text.upper()
        if r < upper + lower:
            return text.lower()
        if r < upper + lower + 0.05:
            return text
        return capitalise(text)

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
            first, middle, last = (s.translate(STRIP_ACCENTS) for s in (first, middle, last))
        elif not has_accent and rnd() < 0.08:
            first, last = self.people.accent(first), self.people.accent(last)
        plain_first = first.translate(STRIP_ACCENTS)
        if plain_first in county.NICKNAMES and rnd() < 0.15:
            first = self.pick(county.NICKNAMES[plain_first])
        if first_part(last) != last and rnd() < 0.4:
            last = first_part(last)  # compound surname written with only its first part
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
        if predir in DIRS:
            r = rnd()
            if r < 0.65:
                parts.append(predir)
            elif r < 0.75:
                parts.append(predir + ".")
            elif r < 0.9:
                parts.append(DIRS[predir])
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
        if postdir in DIRS and rnd() < 0.95:
            parts.append(postdir if rnd() < 0.8 else DIRS[postdir])
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
                written = self.pick(county.CITY_ALIASES["LOS ANGELES"])
        elif (city, zip5) in county.SUB_COMMUNITIES and r < 0.45:
            written = self.pick(county.SUB_COMMUNITIES[city, zip5])
        if written in county.CITY_ALIASES and rnd() < 0.15:
            written = self.pick(county.CITY_ALIASES[written])
        zip_out = zip5 if rnd() < (0.25 if bad else 0.15) else ""
        if zip5 and rnd() < (0.08 if bad else 0.03):
            written, zip_out = "", zip5  # "a missing city is fine when the ZIP is present"
        return self.case(written, upper=0.3, lower=0.15), zip_out

    def new_address(self, area: Area | None = None) -> dict[str, str]:
        """A real-looking LA County address (for movers and people not on the roll)."""
        t = self.t
        if area is None:
            area = t.areas[bisect(t.area_cum, self.rnd())]
        a = draw_address(self.rnd, area)
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


def capitalise(text: str) -> str:
    """Title case that leaves '54TH' as '54th' (str.title() would give '54Th')."""
    return " ".join(
        w[:1].upper() + w[1:].lower() if w[:1].isalpha() else w.lower() for w in text.split(" ")
    )


def plain_upper(text: str) -> str:
    return text.upper().translate(STRIP_ACCENTS)
