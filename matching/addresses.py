"""Addresses, in USPS Publication 28 conventions: what a signer wrote as the voter file's columns.

``parse_address`` -> ``ParsedAddress``; the matching keys ``street_key`` and
``street_key_with_type``; ``normalize_street_type``, ``normalize_direction`` for the roll's split
columns; ``city_key`` and ``parse_zip``. Suffix and unit tables are data
(matching/data/usps_suffixes.csv, usps_units.csv). Pure Python; only ``parse_zip`` raises, and
only ``ValueError`` for something that is not a ZIP code.
"""

import re
from dataclasses import dataclass

import jellyfish

from matching.datafiles import rows
from matching.text import fold, upper_ascii

__all__ = [
    "ParsedAddress",
    "city_key",
    "normalize_direction",
    "normalize_street_type",
    "parse_address",
    "parse_zip",
    "street_key",
    "street_key_with_type",
]

# USPS Publication 28, Appendix C1: each spelling of a street suffix -> its standard abbreviation
# (matching/data/usps_suffixes.csv). Later rows win where a spelling is listed twice.
_STREET_TYPES: dict[str, str] = {}
for _row in rows("usps_suffixes.csv"):
    _abbr = _row["abbreviation"]
    for _name in (_abbr, *_row["spellings"].split()):
        _STREET_TYPES[_name] = _abbr

# The suffixes that end a street name in practice. When several suffix words are on a line the
# first of these wins ("Ocean Park Blvd": PARK is part of the name), so a trailing city that
# happens to contain a suffix word ("Main St Long Beach", "Elm Ave Valley Village") is not taken
# for the street type.
_STRONG_TYPES = frozenset(
    {"ALY", "AVE", "BLVD", "CIR", "CT", "CV", "DR", "EXPY", "FWY", "HWY", "LN", "LOOP", "PKWY"}
    | {"PL", "PLZ", "RD", "SQ", "ST", "TER", "TRL", "WAY", "XING"}
)
# Strong suffixes that also end street names as often: "3394 City Terrace" is CITY TERRACE DR
# written without its type as often as a street called CITY, "Valley Circle" VALLEY CIRCLE BLVD.
_NAME_ENDING_TYPES = frozenset({"TER", "CIR"})
# Suffix words that start a numbered or lettered street name: LA's "Avenue 64", Lancaster's
# "Avenue J-8", "Highway 39". The name is spelled out so both sides of a match agree.
_NAME_LEADERS = {"AVE": "AVENUE", "HWY": "HIGHWAY", "RTE": "ROUTE"}
# Their spellings, spelled out when they begin a longer name too ("Ave of the Stars").
_NAME_LEADERS_WORDS = frozenset(k for k, v in _STREET_TYPES.items() if v in _NAME_LEADERS)

_DIRECTIONS = {
    "N": "N",
    "NO": "N",
    "NORTH": "N",
    "S": "S",
    "SO": "S",
    "SOUTH": "S",
    "E": "E",
    "EAST": "E",
    "W": "W",
    "WEST": "W",
    "NE": "NE",
    "NORTHEAST": "NE",
    "NW": "NW",
    "NORTHWEST": "NW",
    "SE": "SE",
    "SOUTHEAST": "SE",
    "SW": "SW",
    "SOUTHWEST": "SW",
}
_DIRECTION_PAIRS = {
    ("NORTH", "EAST"): "NE",
    ("NORTH", "WEST"): "NW",
    ("SOUTH", "EAST"): "SE",
    ("SOUTH", "WEST"): "SW",
}

# Secondary unit designators (Pub 28 C2) plus the spellings seen on LA petitions
# (matching/data/usps_units.csv). Designators that take no number (REAR, FRONT) are only
# recognised as the last word ("123 Main St Rear"), so "Ocean Front Walk" keeps its FRONT.
_UNIT_TYPES = {
    row["spelling"]: row["designator"]
    for row in rows("usps_units.csv")
    if row["takes_number"] == "yes"
}
_BARE_UNITS = {
    row["spelling"]: row["designator"]
    for row in rows("usps_units.csv")
    if row["takes_number"] == "no"
}

_ORDINAL_WORDS = {
    "FIRST": 1,
    "SECOND": 2,
    "THIRD": 3,
    "FOURTH": 4,
    "FIFTH": 5,
    "SIXTH": 6,
    "SEVENTH": 7,
    "EIGHTH": 8,
    "NINTH": 9,
    "TENTH": 10,
    "ELEVENTH": 11,
    "TWELFTH": 12,
    "THIRTEENTH": 13,
    "FOURTEENTH": 14,
    "FIFTEENTH": 15,
    "SIXTEENTH": 16,
    "SEVENTEENTH": 17,
    "EIGHTEENTH": 18,
    "NINETEENTH": 19,
    "TWENTIETH": 20,
    "THIRTIETH": 30,
    "FORTIETH": 40,
    "FIFTIETH": 50,
    "SIXTIETH": 60,
    "SEVENTIETH": 70,
    "EIGHTIETH": 80,
    "NINETIETH": 90,
}
_TENS_WORDS = {
    "TWENTY": 20,
    "THIRTY": 30,
    "FORTY": 40,
    "FIFTY": 50,
    "SIXTY": 60,
    "SEVENTY": 70,
    "EIGHTY": 80,
    "NINETY": 90,
}
_ORDINAL_TRIGGERS = frozenset(_ORDINAL_WORDS) | frozenset(_TENS_WORDS)
_NUMERIC_ORDINAL = re.compile(r"(\d+)(?:ST|ND|RD|TH)")

# Tokens of an upper-cased address line: a fraction, a word (hyphens inside kept for unit and
# lettered-avenue numbers, but not "123-1/2"), or '#' / ',' as separators.
_ADDR_TOKEN = re.compile(r"\d+/\d+|[A-Z0-9]+(?:-(?!\d+/)[A-Z0-9]+)*|[#,]")
_HOUSE = re.compile(r"(\d+)(?:-?([A-Z])|-\d+)?")
_ZIP_TOKEN = re.compile(r"\d{5}(?:\d{4}|-\d{4})?")
_STATES = frozenset(("CA", "CALIF", "CALIFORNIA"))
_DIGIT = re.compile(r"\d")


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}TH"
    return f"{number}{ {1: 'ST', 2: 'ND', 3: 'RD'}.get(number % 10, 'TH') }"


def _ordinalize(words: list[str]) -> list[str]:
    """FIRST -> 1ST, TWENTY FIRST -> 21ST, 2TH -> 2ND: one digit form for numbered streets."""
    if _ORDINAL_TRIGGERS.isdisjoint(words) and not any(w[0].isdigit() for w in words):
        return words  # the common case: nothing to rewrite, no new list
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        tens = _TENS_WORDS.get(word)
        unit = _ORDINAL_WORDS.get(words[i + 1]) if i + 1 < len(words) else None
        if tens is not None and unit is not None and unit < 10:
            out.append(_ordinal(tens + unit))
            i += 2
            continue
        number = _ORDINAL_WORDS.get(word)
        if number is not None:
            out.append(_ordinal(number))
        elif (match := _NUMERIC_ORDINAL.fullmatch(word)) is not None:
            out.append(_ordinal(int(match.group(1))))
        else:
            out.append(word)
        i += 1
    return out


# Leading abbreviations street_key spells out when another word follows ("ST ANDREWS").
_KEY_LEADERS = {
    "MT": "MOUNT",
    "ST": "SAINT",
    "FT": "FORT",
    "AVE": "AVENUE",
    "AV": "AVENUE",
    "HWY": "HIGHWAY",
}


def normalize_street_type(text: str) -> str:
    """USPS standard suffix abbreviation: 'Avenue'/'AV' -> 'AVE', 'Wy' -> 'WAY'.

    For already-split voter-file columns; an unknown value comes back folded, unchanged.
    """
    folded = fold(text)
    return _STREET_TYPES.get(folded.replace(" ", ""), folded)


def normalize_direction(text: str) -> str:
    """'North'/'N.'/'No' -> 'N', 'North East'/'NE' -> 'NE'; an unknown value comes back folded."""
    folded = fold(text)
    return _DIRECTIONS.get(folded.replace(" ", ""), folded)


# Names signers use for a few long streets, as the key of the registered name.
_STREET_ALIASES = {
    "PCH": "PACIFICCOAST",
    "P C H": "PACIFICCOAST",
    "PACIFIC COAST": "PACIFICCOAST",
    "MLK": "MARTINLUTHERKINGJR",
    "MARTIN LUTHER KING": "MARTINLUTHERKINGJR",
    # Its initials as signers write them ("7551 E M L King Blvd").
    **dict.fromkeys(
        (
            "MLK JR",
            "M L K",
            "M L K JR",
            "M L KING",
            "M L KING JR",
            "ML KING",
            "ML KING JR",
            "MARTIN L KING",
            "MARTIN L KING JR",
        ),
        "MARTINLUTHERKINGJR",
    ),
    # Cesar E Chavez Avenue (Boyle Heights, East LA) as signers write it: by the surname alone
    # too. Roll and line keys both pass here, so a town's own plain CHAVEZ street still agrees
    # with itself.
    **dict.fromkeys(("CHAVEZ", "CESAR CHAVEZ", "C E CHAVEZ", "CESAR E CHAVEZ"), "CESARECHAVEZ"),
}


def street_key(street_name: str) -> str:
    """Matching key of a street name (without type or directions).

    Folds, writes ordinals as digits (FIRST -> 1ST), spells out a leading MT/ST/FT/AVE/HWY when
    another word follows (ST ANDREWS -> SAINTANDREWS, AVE 64 -> AVENUE64) and removes spaces
    (MARTIN LUTHER KING JR -> MARTINLUTHERKINGJR).
    """
    words = fold(street_name).split()
    if not words:
        return ""
    whole = _STREET_ALIASES.get(" ".join(words))
    if whole is not None:
        return whole
    if len(words) > 1:
        lead = _KEY_LEADERS.get(words[0])
        if lead is not None:
            words[0] = lead
    return "".join(_ordinalize(words))


# The spelled-out word of each suffix abbreviation (the longest of its spellings: VIS -> VISTA).
_TYPE_WORDS: dict[str, str] = {}
for _name, _abbr in _STREET_TYPES.items():
    if len(_name) > len(_TYPE_WORDS.get(_abbr, "")):
        _TYPE_WORDS[_abbr] = _name


def street_key_with_type(street_name: str, street_type: str) -> str:
    """The key of the street read with its weak suffix as part of the name, '' when not apt.

    A line without a street type ("17019 Indian Hill", "1617 Lemon Grove") parses its last
    word as the suffix (HL, GRV), while the roll's street is INDIAN HILL BLVD. Strong suffixes
    (St, Ave, Blvd, Dr...) are never part of a name this way, but for TERRACE and CIRCLE
    ("City Terrace" for CITY TERRACE DR, "Valley Circle" for VALLEY CIRCLE BLVD)."""
    if not street_name or not street_type or street_type in _STRONG_TYPES - _NAME_ENDING_TYPES:
        return ""
    word = _TYPE_WORDS.get(street_type)
    if not word:
        return ""
    if street_name in _DIRECTIONS:
        return street_key(word)  # "North Shore": N SHORE, not a street called NORTH
    return street_key(f"{street_name} {word}")


# Spellings of the suffixes that end a street name (and CRESCENT), long enough that one edit
# still names them: a hand misspells them ("Carr Crscent", "Atherton Tsreet") or runs them into
# the name ("Beagleistreet", "Brunto Nstreet"), and the parser then reads no street type.
_LOOSE_TYPE_WORDS = tuple(
    sorted(
        word
        for abbr, word in _TYPE_WORDS.items()
        if (abbr in _STRONG_TYPES or abbr == "CRES") and len(word) >= 5 and abbr != "ALY"
    )
)  # ALLEY is left out: any VALLEY would end in it.


def street_key_loose_type(street_name: str) -> str:
    """The key of a street read without a misspelt or run-in suffix at its end, '' when none.

    For a street name the parser found no type in: "BEAGLEISTREET" -> BEAGLEI, "BRUNTO NSTREET"
    -> BRUNTON (a suffix spelling ends the key), "CARR CRSCENT" -> CARR, "KINGSCOTE RESCENT" ->
    KINGSCOTE (the last word is one edit from one: a letter wrong, missing, extra or swapped),
    "WESTO ATREET" -> WESTO (the key's end is). Five letters of suffix or more, three of name.
    """
    key = street_key(street_name)
    for word in _LOOSE_TYPE_WORDS:
        if key.endswith(word) and len(key) - len(word) >= 3:
            return key[: -len(word)]
    words = fold(street_name).split()
    name = street_key(" ".join(words[:-1]))
    if len(name) >= 3 and any(_one_edit(words[-1], word) for word in _LOOSE_TYPE_WORDS):
        return name
    # Run into the name and misspelt: a wrong or swapped letter first, then one missing or extra.
    for tail in (0, -1, 1):
        for word in _LOOSE_TYPE_WORDS:
            size = len(word) + tail
            if len(key) - size >= 3 and _one_edit(key[-size:], word):
                return key[:-size]
    return ""


def _one_edit(text: str, word: str) -> bool:
    return abs(len(text) - len(word)) <= 1 and (
        jellyfish.damerau_levenshtein_distance(text, word) <= 1
    )


@dataclass(frozen=True, slots=True)
class ParsedAddress:
    """A residence address in the voter file's columns; every field folded, '' when absent."""

    house_number: str = ""
    house_fraction: str = ""
    number_suffix: str = ""
    predir: str = ""
    street_name: str = ""
    street_type: str = ""
    postdir: str = ""
    unit_type: str = ""
    unit_number: str = ""

    @property
    def ok(self) -> bool:
        """False when the line has no house number or no street name: not matchable."""
        return bool(self.house_number and self.street_name)


_EMPTY_ADDRESS = ParsedAddress()


def _has_digit(token: str) -> bool:
    return _DIGIT.search(token) is not None


def _unit_at(tokens: list[str], i: int) -> tuple[str, str, int] | None:
    """(unit_type, unit_number, next index) if tokens[i] starts a unit, else None."""
    word = tokens[i]
    n = len(tokens)
    after = tokens[i + 1] if i + 1 < n else ","
    if word in _BARE_UNITS:
        return (_BARE_UNITS[word], "", i + 1) if after == "," else None
    kind = _UNIT_TYPES.get(word)
    if kind is None:
        return None
    j = i + 1
    if after == "#" and word != "#":  # "Apt #4"
        j += 1
        after = tokens[j] if j < n else ","
    if after == ",":
        return kind, "", j
    if not (_has_digit(after) or len(after) == 1):
        return None  # "Outer Space Way": SPACE is part of the name here
    number = after.replace("-", "")
    j += 1
    # "Apt 4 B": a lone letter straight after the number belongs to it.
    if (
        j < n
        and len(tokens[j]) == 1
        and tokens[j].isalpha()
        and (j + 1 == n or tokens[j + 1] == ",")
    ):
        number += tokens[j]
        j += 1
    return kind, number, j


def _last_unit(tokens: list[str], unit: tuple[str, str, int]) -> tuple[str, str, int]:
    """Follow "Bldg 3 Apt 4" to its last, most specific unit (the one voter files record)."""
    while unit[2] < len(tokens) and (following := _unit_at(tokens, unit[2])) is not None:
        unit = following
    return unit


def _can_name(rest: list[str]) -> bool:
    """Would rest (what follows a direction word) still hold a street name?"""
    if not rest:
        return False
    first = rest[0]
    if first not in _STREET_TYPES:
        return True
    if len(rest) < 2:
        return False  # "123 North St": NORTH is the name
    if _STREET_TYPES[first] in _NAME_LEADERS:
        return True  # "W Avenue 64"
    return not _has_digit(rest[1]) and rest[1] not in _DIRECTIONS


def _split_words(tokens: list[str]) -> list[str]:
    if not any("-" in t for t in tokens):
        return tokens
    return [w for t in tokens for w in t.split("-") if w]


def parse_address(text: str) -> ParsedAddress:
    """Split a one-line residence address into the voter file's address columns.

    Handles house numbers with a letter (123B) or fraction (123 1/2, 123½), pre- and
    post-directions (a direction word that is the whole name stays the name: "123 North St"),
    USPS suffixes (Pub 28 C1, normalised to the standard abbreviation), ordinals (First, 1st ->
    1ST), numbered/lettered names ("Avenue 64", "Avenue J-8": name, no type), and units (Apt,
    Unit, #, Ste, Spc/Space, Bldg, Fl, Rm, Lot, Trlr, No.), also after a comma.

    A trailing 5- or 9-digit ZIP and a trailing CA/California are removed. City names cannot be
    recognised without a gazetteer, so the parser uses structure instead: text after a comma
    that does not start a unit, and words after the street type that are not a direction or a
    unit, are taken to be the city and ignored ("123 Main St Long Beach" -> MAIN ST). Without a
    street type a city cannot be told from the street name and stays in street_name.
    """
    tokens = _ADDR_TOKEN.findall(upper_ascii(text))
    if not tokens:
        return _EMPTY_ADDRESS
    _drop_zip_and_state(tokens)

    i, n = 0, len(tokens)
    while i < n and tokens[i] == ",":
        i += 1
    house_number = house_fraction = number_suffix = ""
    if i < n and (match := _HOUSE.fullmatch(tokens[i])) is not None:
        house_number = match.group(1).lstrip("0") or "0"
        number_suffix = match.group(2) or ""
        i += 1
        if i < n and "/" in tokens[i]:
            house_fraction = tokens[i]
            i += 1

    # The street runs to the first comma or unit designator.
    street: list[str] = []
    unit_type = unit_number = ""
    while i < n:
        word = tokens[i]
        if word == ",":
            break
        if word == "#" or (street and (word in _UNIT_TYPES or word in _BARE_UNITS)):
            unit = _unit_at(tokens, i)
            if unit is not None:
                unit_type, unit_number, i = _last_unit(tokens, unit)
                break
        if word != "#":
            street.append(word)
        i += 1
    if not unit_type:
        # "123 Main St, Unit 7": a unit in the next comma part; any other part is the city.
        while i < n and tokens[i] == ",":
            i += 1
        if i < n:
            unit = _unit_at(tokens, i)
            if unit is not None:
                unit_type, unit_number, i = _last_unit(tokens, unit)

    predir, name, street_type, postdir, loose_number = _split_street(street)
    if loose_number and not unit_number:
        unit_number = loose_number
    return ParsedAddress(
        house_number=house_number,
        house_fraction=house_fraction,
        number_suffix=number_suffix,
        predir=predir,
        street_name=name,
        street_type=street_type,
        postdir=postdir,
        unit_type=unit_type,
        unit_number=unit_number,
    )


def _drop_zip_and_state(tokens: list[str]) -> None:
    """Remove a trailing ZIP, then a trailing CA/California, in place (commas ignored)."""
    for pattern_match, kept_after in (
        (_ZIP_TOKEN.fullmatch, _UNIT_TYPES.keys()),
        # A state after a direction is the name of a street written without its type
        # ("14538 E California"); a ZIP after one is still a ZIP ("123 Main St N 90012").
        (_STATES.__contains__, _UNIT_TYPES.keys() | _DIRECTIONS.keys()),
    ):
        end = len(tokens)
        while end and tokens[end - 1] == ",":
            end -= 1
        # Keep at least a number and a street word in front, and never take a unit's number.
        if end >= 3 and pattern_match(tokens[end - 1]) and tokens[end - 2] not in kept_after:
            del tokens[end - 1 :]


def ordinal_number(street_key: str) -> str:
    """The digits of a numbered street's key (35TH: 35), '' for another street."""
    match = _NUMERIC_ORDINAL.fullmatch(street_key)
    return match.group(1) if match else ""


# A lettered or numbered avenue's name after AVENUE (Lancaster's J12, LA's 64).
_AVENUE_NAME = re.compile(r"[A-Z]\d{0,2}|\d{1,3}")
# "AVEJ12", "AVE53", "AVEJ": the name run into the word.
_AVENUE_RUN_IN = re.compile(r"AVE(?:NUE)?([A-Z]\d{1,2}|\d{1,3})|AVE([A-Z])")


def _misspelt_avenue(street: list[str]) -> list[str]:
    """The street words with AVENUE put back where a lettered or numbered avenue's word was
    misspelt or its name run into it ("Vaenue J6", "AVNEUE P8", "Aev I1", "Avej12" for AVENUE
    J6, P8, I1, J12), else as they were: the parser would read its name as a unit."""
    first = street[0]
    if len(street) == 1 and (run_in := _AVENUE_RUN_IN.fullmatch(first)):
        return ["AVENUE", run_in.group(1) or run_in.group(2)]
    # A letter and a digit after it (J6, K9) name one of Lancaster's avenues whatever the word
    # before: "Aenue L5", "Ae K9" with the V dropped.
    lettered = len(street) == 2 and street[1][:1].isalpha() and _has_digit(street[1])

    def off(word: str) -> int:
        return jellyfish.damerau_levenshtein_distance(first, word)

    if (
        len(street) == 2
        and first not in _STREET_TYPES
        and first not in _DIRECTIONS
        and first[:1] in ("A", "V")
        and _AVENUE_NAME.fullmatch(street[1]) is not None
        and (
            # ALENE, ALAMO are streets of their own: a V, or a lettered avenue's name after.
            ("V" in first and (off("AVENUE") <= 2 or (len(first) >= 3 and off("AVE") == 1)))
            or (lettered and 1 in (off("AVE"), off("AVENUE")))
        )
    ):
        return ["AVENUE", street[1]]
    return street


def _split_street(street: list[str]) -> tuple[str, str, str, str, str]:
    """(predir, street_name, street_type, postdir, loose unit number) from the street words."""
    if not street:
        return "", "", "", "", ""
    predir = ""
    pair = _DIRECTION_PAIRS.get((street[0], street[1])) if len(street) > 2 else None
    if pair and _can_name(street[2:]):
        predir, street = pair, street[2:]
    if not predir and street[0] in _DIRECTIONS and _can_name(street[1:]):
        predir, street = _DIRECTIONS[street[0]], street[1:]

    street_type = postdir = loose = ""
    street = _misspelt_avenue(street)
    lead_type = _STREET_TYPES.get(street[0])
    if (
        lead_type in _NAME_LEADERS
        and len(street) > 1
        and (_has_digit(street[1]) or len(street[1]) == 1)
    ):
        # "Avenue 64", "Avenue J-8": a numbered name with no suffix.
        name = [_NAME_LEADERS[lead_type], street[1].replace("-", "")]
        tail = street[2:]
    else:
        position = _type_position(street)
        if position:
            name, tail = street[:position], street[position + 1 :]
            street_type = _STREET_TYPES[street[position]]
        else:
            name, tail = street, []
            # No suffix: a trailing number is a unit, a trailing direction a postdir.
            if len(name) > 1 and _has_digit(name[-1]):
                loose, name = name[-1].replace("-", ""), name[:-1]
            if len(name) > 1 and name[-1] in _DIRECTIONS:
                postdir, name = _DIRECTIONS[name[-1]], name[:-1]
        if len(name) > 1 and name[0] in _NAME_LEADERS_WORDS:
            name = [_NAME_LEADERS[_STREET_TYPES[name[0]]], *name[1:]]

    if (
        tail
        and tail[0] in _DIRECTIONS
        and (len(tail) == 1 or (len(tail) == 2 and _has_digit(tail[1])))
    ):
        postdir, tail = _DIRECTIONS[tail[0]], tail[1:]
    if len(tail) == 1 and _has_digit(tail[0]):
        loose = tail[0].replace("-", "")
    # Anything else in tail is a city written without a comma: ignored (see parse_address).

    words = _ordinalize(_split_words(name))
    if street_type and len(words) == 1 and words[0].isdigit():
        words = [_ordinal(int(words[0]))]  # "123 1 St" -> 1ST
    return predir, " ".join(words), street_type, postdir, loose


def _type_position(street: list[str]) -> int:
    """Index of the street-type word, 0 when there is none (position 0 is always the name)."""
    strong = weak = 0
    for position in range(1, len(street)):
        kind = _STREET_TYPES.get(street[position])
        if kind is None:
            continue
        if kind in _STRONG_TYPES:
            strong = position
            break
        weak = position
    if strong:
        # "Park Place Dr": adjacent suffix words, the last one is the type.
        while strong + 1 < len(street) and _STREET_TYPES.get(street[strong + 1]) in _STRONG_TYPES:
            strong += 1
        return strong
    return weak


# ---------------------------------------------------------------------------------------------
# City and ZIP
# ---------------------------------------------------------------------------------------------

_CITY_LEADERS = {
    "E": "EAST",
    "N": "NORTH",
    "NO": "NORTH",
    "S": "SOUTH",
    "SO": "SOUTH",
    "W": "WEST",
    "STA": "SANTA",
    "MT": "MOUNT",
    "PT": "POINT",
    "FT": "FORT",
}
_LOS_ANGELES = ("LA", "L A")


def city_key(text: str) -> str:
    """Folded city with leading abbreviations spelled out: 'N Hollywood' -> 'NORTH HOLLYWOOD'.

    E/N/S/W (and No./So.), STA, MT, PT, FT expand only when another word follows, so a city
    really called 'N' would survive. 'LA' or 'L.A.' alone (or after a direction: 'E LA') means
    Los Angeles.
    """
    folded = fold(text)
    if folded in _LOS_ANGELES:
        return "LOS ANGELES"
    words = folded.split(" ")
    if len(words) > 1 and words[0] in _CITY_LEADERS:
        words[0] = _CITY_LEADERS[words[0]]
        if len(words) == 2 and words[1] == "LA" and words[0] in ("EAST", "NORTH", "SOUTH", "WEST"):
            words[1] = "LOS ANGELES"
        return " ".join(words)
    return folded


_ZIP = re.compile(r"([0-9]{5})(?:-?([0-9]{4}))?")


def parse_zip(text: str) -> tuple[str, str]:
    """'90012', '90012-1234', '900121234' -> ('90012', '1234' or ''); '' -> ('', '').

    Surrounding whitespace is ignored. Anything else raises ValueError quoting the value.
    """
    stripped = text.strip()
    if not stripped:
        return "", ""
    match = _ZIP.fullmatch(stripped)
    if match is None:
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise ValueError(f"{shown!r} is not a ZIP code")
    return match.group(1), match.group(2) or ""
