"""Names: parsing what a signer wrote, and the keys both sides of a comparison share.

``parse_name`` -> ``ParsedName`` (given, middle, surname, suffix, and the surnames to try: a
compound Hispanic surname written in full or in part, particles glued to the word after them,
"Surname, Given" order); ``name_key``-style keys: ``surname_head``, ``first_key``, ``phonetic``
(metaphone of the surname head); ``resplit_readings``, the other ways to cut a name whose
spaces were shifted or dropped ("TeresaJ ohnson", "FelixRosales"). Pure Python; total on ``str``.
"""

import re
from collections.abc import Container
from dataclasses import dataclass
from typing import NamedTuple

import jellyfish

from matching import handwriting
from matching.text import fold, upper_ascii

__all__ = [
    "ParsedName", "Reading", "first_key", "joined_letters", "parse_name", "phonetic",
    "resplit_readings", "surname_head",
]  # fmt: skip

# Surname particles: they attach to the word that follows (de la Cruz, van der Berg, St John).
_PARTICLES = frozenset(
    {"DE", "DEL", "LA", "LAS", "LOS", "DA", "DAS", "DO", "DOS", "DI", "DU", "VAN", "VON"}
    | {"DER", "DEN", "LE", "Y", "E", "ST"}
)
# Particles that parse_name glues to the following surname. E is left out: in "John E Smith"
# it is a middle initial far more often than the Portuguese "e" of "Silva e Santos".
_NAME_GLUE = _PARTICLES - {"E", "Y"}
# VAN, LE and DO are also Vietnamese middle names/surnames; before one of the commonest
# Vietnamese surnames they are not particles ("Minh Van Nguyen" is NGUYEN, middle VAN).
_VIETNAMESE_MIDDLE = frozenset(("VAN", "LE", "DO"))
_VIETNAMESE_SURNAMES = frozenset(
    {"NGUYEN", "TRAN", "LE", "PHAM", "HOANG", "HUYNH", "PHAN", "VU", "VO", "DANG", "BUI"}
    | {"DO", "HO", "NGO", "DUONG", "LY", "TRUONG", "DINH", "LAM", "LUONG", "MAI", "TA"}
)
_TITLES = frozenset(("MR", "MRS", "MS", "MISS", "MX", "DR"))
_SUFFIXES = {
    "JR": "JR",
    "JUNIOR": "JR",
    "SR": "SR",
    "SENIOR": "SR",
    "II": "II",
    "2ND": "II",
    "III": "III",
    "3RD": "III",
    "IV": "IV",
    "4TH": "IV",
}
_NAME_JUNK = re.compile(r"[^A-Z0-9-]+")
_NAME_SEPARATORS = re.compile(r"[,\uff0c;]")


def surname_head(text: str) -> str:
    """First significant token of a surname, skipping leading particles.

    'de la Cruz' -> 'CRUZ', 'Garcia Lopez' -> 'GARCIA', 'Van der Berg' -> 'BERG'. When every
    token is a particle ('Le', 'De La') the whole name is the surname: name_key(text).
    """
    tokens = fold(text).split()
    for token in tokens:
        if token not in _PARTICLES:
            return token
    return "".join(tokens)


def first_key(text: str) -> str:
    """First token of a folded given name: 'Maria Elena' -> 'MARIA', 'Mary-Ann' -> 'MARY'."""
    folded = fold(text)
    space = folded.find(" ")
    return folded if space < 0 else folded[:space]


def phonetic(text: str) -> str:
    """Metaphone of surname_head(text) (not of the whole surname), '' when there is none.

    The head is used so that 'de la Cruz', 'Cruz' and 'DELACRUZ'-style compounds that keep
    their particles separate still meet; jellyfish.metaphone is deterministic.
    """
    head = surname_head(text)
    return jellyfish.metaphone(head) if head else ""


@dataclass(frozen=True, slots=True)
class ParsedName:
    """A person's name split into folded parts ('' when absent).

    last_options lists surnames the matcher should try, most likely first: for 'Maria Garcia
    Lopez' it is ('LOPEZ', 'GARCIA LOPEZ'); for 'Garcia Lopez, Maria' it is ('GARCIA LOPEZ',
    'GARCIA', 'LOPEZ').
    """

    first: str = ""
    middle: str = ""
    last: str = ""
    suffix: str = ""
    last_options: tuple[str, ...] = ()


_EMPTY_NAME = ParsedName()


def _name_units(part: str) -> list[str]:
    """Split one comma-free part of a name into units; a hyphenated word is one unit.

    'Mary-Ann Garcia-Lopez' -> ['MARY ANN', 'GARCIA LOPEZ']: the hyphen is the writer telling
    us the words belong together, which fold() alone would lose.
    """
    raw = _NAME_JUNK.sub(" ", upper_ascii(part)).split()
    units: list[str] = []
    join_next = False
    for word in raw:
        pieces = [p for p in word.split("-") if p]
        if not pieces:
            # A free-standing hyphen ('Garcia - Lopez') glues its neighbours.
            join_next = bool(units)
            continue
        unit = " ".join(pieces)
        if join_next or (word.startswith("-") and units):
            units[-1] = f"{units[-1]} {unit}"
        else:
            units.append(unit)
        join_next = word.endswith("-") and bool(units)
    return units


def _strip_title(units: list[str]) -> list[str]:
    while len(units) > 1 and units[0] in _TITLES:
        units = units[1:]
    return units


def _strip_suffix(units: list[str]) -> tuple[list[str], str]:
    if len(units) > 1 and units[-1] in _SUFFIXES:
        return units[:-1], _SUFFIXES[units[-1]]
    return units, ""


def _surname_options(last: str) -> list[str]:
    """The full surname, then its significant head and its final word when it has several."""
    options = [last]
    words = last.split()
    if len(words) > 1:
        head = next((w for w in words if w not in _PARTICLES), "")
        if "Y" in words:
            options.append(" ".join(w for w in words if w != "Y"))
        if head:
            options.append(head)
        options.append(words[-1])
    return options


def _dedupe(options: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(o for o in options if o))


def parse_name(text: str) -> ParsedName:
    """Split a printed name into first, middle, last and suffix.

    Accepts "Last, First Middle", "LAST, FIRST M.", "First Last", "First M. Last",
    "First Middle Last", a trailing or comma-separated suffix (Jr, Sr, II, III, IV), leading
    titles (Mr, Mrs, Ms, Dr), particles that glue to the surname ("Maria de la Cruz" -> last
    "DE LA CRUZ") and hyphenated compounds. For "A B C" without a comma B is taken as the middle
    name but "B C" is offered in last_options, because Hispanic signers often write both
    surnames. A single word is a surname.
    """
    parts = [_name_units(p) for p in _NAME_SEPARATORS.split(text)]
    suffix = ""
    kept: list[list[str]] = []
    for units in parts:
        if not units:
            continue
        if kept and all(u in _SUFFIXES for u in units):
            # "Smith, John, Jr." : a part that is only a suffix.
            suffix = _SUFFIXES[units[-1]]
            continue
        kept.append(units)
    if not kept:
        return _EMPTY_NAME
    if len(kept) > 1:
        return _parse_last_first(kept, suffix)
    return _parse_first_last(kept[0], suffix)


def _parse_last_first(parts: list[list[str]], suffix: str) -> ParsedName:
    last_units, last_suffix = _strip_suffix(_strip_title(parts[0]))
    given = [u for units in parts[1:] for u in units]
    given, given_suffix = _strip_suffix(_strip_title(given))
    last = " ".join(last_units)
    return ParsedName(
        first=given[0] if given else "",
        middle=" ".join(given[1:]),
        last=last,
        suffix=suffix or given_suffix or last_suffix,
        last_options=_dedupe(_surname_options(last)),
    )


def _vietnamese_middle(before: str, surname: str) -> bool:
    return before in _VIETNAMESE_MIDDLE and surname in _VIETNAMESE_SURNAMES


def _only_particles_before_last(units: list[str]) -> bool:
    return all(u in _NAME_GLUE for u in units[:-1]) and not _vietnamese_middle(*units[-2:])


def _parse_first_last(units: list[str], suffix: str) -> ParsedName:
    units, trailing = _strip_suffix(_strip_title(units))
    suffix = suffix or trailing
    inner = next((i for i, u in enumerate(units[1:-1], 1) if u in _SUFFIXES and u.isalpha()), 0)
    if inner and not suffix:
        # "Lara Jr Mario": the surname first, its suffix after it, then the given name (no
        # comma): a suffix is never a middle name (a 3RD inside is more likely an address's).
        return _parse_last_first([units[:inner], units[inner + 1 :]], _SUFFIXES[units[inner]])
    n = len(units)
    if n == 1 or _only_particles_before_last(units):
        # "Smith", or "de la Cruz" with no given name: all of it is the surname.
        last = " ".join(units)
        return ParsedName(last=last, suffix=suffix, last_options=_dedupe(_surname_options(last)))
    # The surname starts at the last unit and takes in the particles before it ("de la"), and
    # a "y" joining two surnames ("Garcia y Lopez"); units[0] always stays the given name.
    start = n - 1
    while start > 1:
        before = units[start - 1]
        if _vietnamese_middle(before, units[start]):
            break  # "Minh Van Nguyen": VAN is the Vietnamese middle name, not the Dutch particle
        if before in _NAME_GLUE:
            start -= 1
        elif before == "Y" and start > 2:
            start -= 2
        else:
            break
    last = " ".join(units[start:])
    options = _surname_options(last)
    if start == n - 1 and start >= 2 and " " not in last:
        # "Maria Garcia Lopez": also offer the compound surname "GARCIA LOPEZ", with any
        # particles in front of the first surname ("Maria de la Garza Lopez").
        compound = start - 1
        if len(units[compound]) > 1:  # an initial (John M Smith) is not a surname
            while compound > 1 and units[compound - 1] in _NAME_GLUE:
                compound -= 1
            options.insert(1, " ".join(units[compound:]))
    return ParsedName(
        first=units[0],
        middle=" ".join(units[1:start]),
        last=last,
        suffix=suffix,
        last_options=_dedupe(options),
    )


class Reading(NamedTuple):
    """One way to cut a name's letters into given name, middle initial and surname."""

    first: str
    middle: str
    last: str

    @property
    def text(self) -> str:
        return " ".join(p for p in self) if self.middle else f"{self.first} {self.last}"


# Re-split names of at most this many letters: every split point of a name of 32 letters is
# fewer than 100 readings (only those of a surname the roll knows are looked up), and a longer
# run of letters is seldom one person's names run together; a Hispanic name with both surnames
# often passes 24 ("CAROLINAHERNANDEZ MARTINEZ", 25).
RESPLIT_MAX = 32
_VOWELS = frozenset("AEIOUY")


def joined_letters(name: ParsedName) -> str:
    """The letters of the given name, middle name and surname run together ('TERESAJOHNSON'),
    a digit read as the letter it looks like ('CarmenMonr0y': CARMENMONROY), '' when anything
    else is in them (a suffix or title is not among them)."""
    joined = "".join(
        part.replace(" ", "").replace("-", "") for part in (name.first, name.middle, name.last)
    )
    readings = handwriting.digit_readings(joined)
    if readings:
        joined = readings[0]
    return joined if joined.isalpha() and joined.isascii() else ""


def _plausible(part: str) -> bool:
    """A given name or surname: two letters or more, one of them a vowel (or Y)."""
    return len(part) > 1 and not _VOWELS.isdisjoint(part)


def resplit_readings(
    joined: str,
    written: tuple[str, str, str] = ("", "", ""),
    surnames: Container[str] | None = None,
) -> tuple[Reading, ...]:
    """The other readings of a name's letters (joined_letters), with the spaces put back in
    every place: given name and surname ('TERESAJ OHNSON' -> TERESA JOHNSON, 'FELIXROSALES' ->
    FELIX ROSALES), given name, middle initial and surname ('TIGRANLPETROSYAN' -> TIGRAN L
    PETROSYAN), an initial and the surname ('JGREEN' -> J GREEN), and surname first
    ('ROSALESFELIX'). Only readings whose parts are plausible
    (two letters or more with a vowel; one letter for the initial), never the reading written
    (written: the given name, middle name and surname as parsed, folded), and none for a name
    of more than RESPLIT_MAX letters. Which reading is a voter's name is for the roll to say;
    surnames: only the readings whose surname is one of these (the roll's)."""
    if not 3 < len(joined) <= RESPLIT_MAX:
        return ()
    found: list[Reading] = []
    initial, rest = joined[0], joined[1:]
    if (surnames is None or rest in surnames) and _plausible(rest):
        found.append(Reading(initial, "", rest))  # "JGREEN": an initial run into the surname
    cuts = range(2, len(joined) - 1)
    for k in cuts:
        head, tail = joined[:k], joined[k:]
        if (surnames is None or tail in surnames) and _plausible(head) and _plausible(tail):
            found.append(Reading(head, "", tail))
        rest = joined[k + 1 :]
        if (surnames is None or rest in surnames) and _plausible(head) and _plausible(rest):
            found.append(Reading(head, joined[k], rest))
    for k in cuts:
        head, tail = joined[:k], joined[k:]
        if (surnames is None or head in surnames) and _plausible(head) and _plausible(tail):
            found.append(Reading(tail, "", head))  # the surname written first
    as_written = Reading(*(part.replace(" ", "") for part in written))
    return tuple(dict.fromkeys(r for r in found if r != as_written))
