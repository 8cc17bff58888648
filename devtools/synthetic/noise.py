"""Transcription noise: names and addresses rendered the way people write them on a petition.

Case, nicknames, dropped or added accents, typos, short or long street types, units left out,
neighbourhoods and aliases for the city, a ZIP now and then; and, each at a small rate, what a
hand on paper and a transcriber's eye add: given names misspelt by a letter or two, the space
between the names shifted or dropped, handwriting confusions (rn/m, cl/d, O/0, l/1, S/5, u/v),
a house number's digit misread, nicknames from a published list (the `nicknames` package),
Korean and Chinese given names split or joined, Armenian surnames ending -IAN for -YAN.

The Writer records the noise classes it applies to the line in hand (`Writer.noise`, cleared by
`Writer.new_line`); the truth file names them, so a benchmark can say which classes it misses.
"""

from __future__ import annotations

import random
import unicodedata
from bisect import bisect
from collections.abc import Sequence
from functools import cache
from typing import TypeVar

from nicknames import NickNamer

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

# Shapes a hand or a reader confuses, written -> read (upper case: names are upper-cased first).
OCR_CONFUSIONS = (
    ("RN", "M"),
    ("M", "RN"),
    ("CL", "D"),
    ("D", "CL"),
    ("O", "0"),
    ("L", "1"),
    ("I", "1"),
    ("S", "5"),
    ("U", "V"),
    ("V", "U"),
    ("N", "H"),
    ("A", "O"),
    ("E", "C"),
)
# A handwritten house-number digit read as another.
DIGIT_MISREADS = {
    "0": "6",
    "1": "7",
    "2": "7",
    "3": "8",
    "4": "9",
    "5": "6",
    "6": "0",
    "7": "1",
    "8": "3",
    "9": "4",
}

# Rates of the transcription classes (per name or address; a careless circulator's lines double).
NICKNAME_RATE = 0.15  # of names our own list (data/nicknames.json) has nicknames for
TYPO_RATE = 0.05  # a letter swapped, dropped or doubled, in the surname or the given name
GIVEN_TYPO_RATE = 0.03
SPACE_SHIFT_RATE = 0.015
OCR_RATE = 0.015
HOUSE_DIGIT_RATE = 0.005
PUBLISHED_NICKNAME_RATE = 0.06  # of names the published list has nicknames for
SPLIT_JOIN_RATE = 0.35  # of two-syllable Korean and Chinese given names
ARMENIAN_ENDING_RATE = 0.3  # of surnames ending -IAN or -YAN


# The classes that change the given name's letters: moot when only its initial is written, unless
# they changed that initial.
GIVEN_CLASSES = frozenset(("nickname", "published_nickname", "given_split_join", "given_typo"))


@cache
def _namer() -> NickNamer:
    return NickNamer()


@cache
def published_nicknames(name: str) -> tuple[str, ...]:
    """Nicknames the `nicknames` package lists for a given name, upper case, sorted."""
    found = _namer().nicknames_of(name.lower())
    return tuple(sorted({n.upper() for n in found if n.isalpha() and len(n) >= 2} - {name}))


@cache
def _syllables() -> frozenset[str]:
    return frozenset(s for by_sex in county.GIVEN_SYLLABLES.values() for ss in by_sex.values()
                     for s in ss)  # fmt: skip


def split_syllables(name: str) -> tuple[str, str] | None:
    """JIHOON -> (JI, HOON), JI HOON or JI-HOON -> (JI, HOON); None if not two known syllables."""
    known = _syllables()
    for sep in (" ", "-"):
        if sep in name:
            one, _, two = name.partition(sep)
            return (one, two) if one in known and two in known else None
    if len(name) < 5:  # MINA, LINA: more often not Korean or Chinese at all
        return None
    for i in range(2, len(name) - 1):
        if name[:i] in known and name[i:] in known:
            return name[:i], name[i:]
    return None


class Writer:
    """Renders names and addresses the way people write them on a petition."""

    def __init__(self, tables: Tables, rng: random.Random) -> None:
        self.t = tables
        self.rng = rng
        self.rnd = rng.random
        self.people = People(tables, rng)
        self.noise: list[str] = []

    def new_line(self) -> None:
        """Forget the noise classes of the previous line."""
        self.noise = []

    def tag(self, label: str) -> None:
        if label not in self.noise:
            self.noise.append(label)

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

    def misspell(self, word: str) -> str:
        """A given name misspelt by a letter or two: dropped, doubled, swapped or cut short."""
        if len(word) < 4 or not word.isalpha():
            return word
        r = self.rnd()
        if r < 0.3:  # cut short, as a hand running out of line or patience: KIMBERL, PEDR
            return word[: -2 if len(word) >= 7 and self.rnd() < 0.4 else -1]
        return self.typo(word)

    def confuse(self, word: str) -> str:
        """One handwriting or OCR confusion (RN for M, CL for D, 0 for O...) if the word has one."""
        options = [(a, b) for a, b in OCR_CONFUSIONS if a in word]
        if not options:
            return word
        a, b = self.pick(options)
        starts = [i for i in range(len(word)) if word.startswith(a, i)]
        i = self.pick(starts)
        return word[:i] + b + word[i + len(a) :]

    def name(
        self, first: str, middle: str, last: str, suffix: str, bad: bool, given_noise: bool = True
    ) -> str:
        """The name as written; given_noise=False keeps the given name's letters (a relative not
        registered must not be written into a registered member's name)."""
        rnd = self.rnd
        first, middle, last, suffix = first.upper(), middle.upper(), last.upper(), suffix.upper()
        has_accent = any(ord(ch) > 127 for ch in first + last)
        if has_accent and rnd() < 0.5:
            first, middle, last = (s.translate(STRIP_ACCENTS) for s in (first, middle, last))
        elif not has_accent and rnd() < 0.08:
            first, last = self.people.accent(first), self.people.accent(last)
        plain_first = first.translate(STRIP_ACCENTS)
        if given_noise:
            first = self._given(first, plain_first, bad)
        if first_part(last) != last and rnd() < 0.4:
            last = first_part(last)  # compound surname written with only its first part
            self.tag("surname_part")
        elif " " in last and rnd() < 0.1:
            last = last.replace(" ", "")
        if last[-3:] in ("IAN", "YAN") and len(last) >= 6 and rnd() < ARMENIAN_ENDING_RATE:
            last = last[:-3] + ("YAN" if last[-3:] == "IAN" else "IAN")
            self.tag("armenian_ending")
        r = rnd()
        if middle and r < 0.2:
            given = [first, middle[0]]
        elif middle and r < 0.25:
            given = [first, middle]
        elif r < 0.28:
            given = [first[0]]
            if first[0].translate(STRIP_ACCENTS) == plain_first[0]:
                self.noise = [c for c in self.noise if c not in GIVEN_CLASSES]
            # else the initial is the noise's (B for ROBERT's BOB, U for JUANA typed UJANA):
            # its class stays on the line
        else:
            given = [first]
        if rnd() < (3 if bad else 1) * TYPO_RATE:
            if rnd() < 0.6:
                typed = self.typo(last)
                if typed != last:
                    last = typed
                    self.tag("surname_typo")
            elif given_noise:
                typed = self.typo(given[0])
                if typed != given[0]:
                    given[0] = typed
                    self.tag("given_typo")
        if rnd() < (2 if bad else 1) * OCR_RATE:
            if given_noise and rnd() < 0.5:
                confused = self.confuse(given[0])
                if confused != given[0]:
                    given[0] = confused
                    self.tag("ocr")
            else:
                confused = self.confuse(last)
                if confused != last:
                    last = confused
                    self.tag("ocr")
        if suffix and rnd() < 0.7:
            last = f"{last} {suffix}"
        r = rnd()
        if r < 0.08:
            return self.case(f"{last}, {' '.join(given)}")
        if r < 0.11:
            return self.case(f"{last} {' '.join(given)}")
        head = " ".join(given)
        text = self.case(f"{head} {last}")
        if rnd() < (2 if bad else 1) * SPACE_SHIFT_RATE:
            text = self.space_shift(text, len(head))
        return text

    def _given(self, first: str, plain_first: str, bad: bool) -> str:
        """The given name's own noise: nicknames, syllables split or joined, misspellings."""
        rnd = self.rnd
        if plain_first in county.NICKNAMES and rnd() < NICKNAME_RATE:
            self.tag("nickname")
            return self.pick(county.NICKNAMES[plain_first])
        published = published_nicknames(plain_first)
        if published and rnd() < PUBLISHED_NICKNAME_RATE:
            self.tag("published_nickname")
            return self.pick(published)
        parts = split_syllables(plain_first)
        if parts and rnd() < SPLIT_JOIN_RATE:
            one, two = parts
            joined = one + two
            first = f"{one} {two}" if plain_first == joined else joined
            self.tag("given_split_join")
            return first
        if rnd() < (2 if bad else 1) * GIVEN_TYPO_RATE:
            misspelt = self.misspell(first)
            if misspelt != first:
                self.tag("given_typo")
                return misspelt
        return first

    def space_shift(self, text: str, at: int) -> str:
        """Move the space at text[at] one letter left or right, or drop it: "TeresaJ ohnson",
        "Michae lSchmidt", "FelixRosales"."""
        left, right = text[:at], text[at + 1 :]
        if len(left) < 3 or len(right) < 3 or not (left[-1].isalpha() and right[0].isalpha()):
            return text
        self.tag("space_shift")
        r = self.rnd()
        if r < 0.4:
            return left + right
        if r < 0.7:
            return f"{left}{right[0]} {right[1:]}"
        return f"{left[:-1]} {left[-1]}{right}"

    def address(self, rec: dict[str, str], bad: bool) -> str:
        rnd = self.rnd
        house = rec["house_number"]
        if house and rnd() < (3 if bad else 1) * HOUSE_DIGIT_RATE:
            i = int(rnd() * len(house))
            if house[i] in DIGIT_MISREADS:
                house = house[:i] + DIGIT_MISREADS[house[i]] + house[i + 1 :]
                self.tag("house_digit")
        parts = [house]
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
            street = self.typo(street)
            self.tag("street_typo")
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
