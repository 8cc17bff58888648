"""Comparing a petition line with one voter: each field's level of agreement.

``line_keys`` normalises what a signer wrote with the same code that normalised the roll
(matching.names, matching.addresses); ``compare`` grades each field of a candidate against the
line (a ``Level`` each) and scores the person match. Design rules, from the CCR 20931
tolerances: a missing or different unit, or a missing fraction, never matters; JR is not SR.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import NamedTuple

import jellyfish

from matching import addresses, handwriting, names, nicknames, spelling
from matching.names import ParsedName, Reading
from matching.text import fold, name_key

__all__ = [
    "GIVEN_WEIGHT", "LOOSE_NICKNAME", "MATCH", "SURNAME_WEIGHT", "Agreement", "Candidate",
    "Level", "LineKeys", "compare", "given_level", "line_keys", "surname_level",
]  # fmt: skip

# Voter names repeat across lines and batches: normalise each once per process.
_fold = lru_cache(maxsize=1 << 17)(fold)
_phonetic = lru_cache(maxsize=1 << 17)(names.phonetic)
_first_key = lru_cache(maxsize=1 << 16)(names.first_key)
_nickname_group = lru_cache(maxsize=1 << 16)(nicknames.nickname_group)
_name_key = lru_cache(maxsize=1 << 16)(name_key)
_nickname_initials = lru_cache(maxsize=1 << 14)(nicknames.nickname_initials)
# A batch's lines share their cities, and households their streets.
_city_key = lru_cache(maxsize=1 << 12)(addresses.city_key)
_street_key = lru_cache(maxsize=1 << 16)(addresses.street_key)


@lru_cache(maxsize=1 << 17)
def _tokens(name: str) -> frozenset[str]:
    """The words of a (compound) surname, folded."""
    return frozenset(_fold(name).split())


class Level(StrEnum):
    """How one field of a line agrees with a voter's (stored in reasons as its string value)."""

    # Names and streets, best first.
    EXACT = "exact"
    NICKNAME = "nickname"
    COMPOUND = "compound"  # part of a compound surname (GARCIA for GARCIA LOPEZ)
    CLOSE = "close"  # a typo
    PHONETIC = "phonetic"
    INITIAL = "initial"
    SPELLING = "misspelt"  # a given name misspelt beyond a typo (matching.spelling)
    NICK_INITIAL = "initial of a nickname"  # B for ROBERT
    MISSING = "missing"
    DIFFERENT = "different"
    # A name the line gives that the voter's record lacks (a roll's row with one name only).
    NOT_ON_RECORD = "none on record"
    # A suffix on one side only.
    NOT_WRITTEN = "not written"
    LINE_ONLY = "written only on the line"
    # The place: ZIP, city (EXACT), a neighbourhood or alias, a name we cannot read.
    ZIP = "zip"
    ALIAS = "alias"
    UNKNOWN = "unknown"
    # A given name only the published nickname list links, less surely than NICKNAME: through a
    # nickname of several names (SADIE: SARAH, MERCEDES), or one that is no shortening of the
    # name (SULA for URSULA; the list also has LLOYD for FLOYD, LEAH for ASHLEY).
    LOOSE_NICKNAME = "loose nickname"


EXACT, NICKNAME, COMPOUND, CLOSE, PHONETIC = (
    Level.EXACT, Level.NICKNAME, Level.COMPOUND, Level.CLOSE, Level.PHONETIC,
)  # fmt: skip
INITIAL, NICK_INITIAL, MISSING, DIFFERENT = (
    Level.INITIAL, Level.NICK_INITIAL, Level.MISSING, Level.DIFFERENT,
)  # fmt: skip
SURNAME_WEIGHT = {EXACT: 1.0, COMPOUND: 0.92, CLOSE: 0.85, PHONETIC: 0.75, DIFFERENT: 0.0}
LOOSE_NICKNAME = Level.LOOSE_NICKNAME
# LOOSE_NICKNAME with the surname exact scores 0.8875: a match at the address when nothing there
# is better, never a voter found elsewhere (moved: 0.9), nor a name read again (compare._resplit).
GIVEN_WEIGHT = {
    EXACT: 1.0, NICKNAME: 0.92, CLOSE: 0.85, LOOSE_NICKNAME: 0.75, INITIAL: 0.6,
    NICK_INITIAL: 0.5, MISSING: 0.3, DIFFERENT: 0.0,
}  # fmt: skip

MATCH = 0.85  # a person match

# A misspelt given name weighs as an initial: the surname and the address must carry the match
# (matching.decide reads it as the voter only where no one else registered there is as close).
SPELLING = Level.SPELLING
GIVEN_WEIGHT[SPELLING] = 0.6


@dataclass(frozen=True)
class LineKeys:
    """A petition line as the matcher sees it."""

    first: str = ""
    first_canon: str = ""
    middle: str = ""
    last_options: tuple[str, ...] = ()
    last_keys: tuple[str, ...] = ()
    suffix: str = ""
    house_number: str = ""
    street_key: str = ""
    # The street read with its weak suffix as part of the name (INDIAN HILL for "Indian Hill"),
    # or without a misspelt or run-in suffix (CARR for "Carr Crscent", BRUNTON for "Bruntonstreet").
    street_alt: str = ""
    unit: str = ""
    city_key: str = ""
    zip5: str = ""
    # Derived once per line, for comparing it with many candidates.
    option_words: tuple[frozenset[str], ...] = ()
    first_as_surname: str = ""  # the first word read as a surname (swapped order)
    # A compound surname written first: (its key, the given name after it, the words after that).
    leading: tuple[tuple[str, str, str], ...] = ()
    # The given name's words: its first unit without spaces (JI-HOON -> JIHOON), then the middle
    # words (a two-syllable given name written spaced: "Ji Hoon Kim").
    given_words: tuple[str, ...] = ()

    # The name's letters run together, and its (given, middle, surname) as written, folded: the
    # name read again with its spaces elsewhere ("TeresaJ ohnson") starts from these.
    joined: str = ""
    written: tuple[str, str, str] = ("", "", "")

    @cached_property
    def readings(self) -> tuple[Reading, ...]:
        """The name's other readings (names.resplit_readings), worked out on first use. The
        matcher asks only for those with a given surname (a voter's, the roll's), which is
        cheaper: names.resplit_readings(joined, written, surnames)."""
        return names.resplit_readings(self.joined, self.written)

    @property
    def has_name(self) -> bool:
        return bool(self.last_keys and self.last_keys[0])

    @property
    def has_address(self) -> bool:
        return bool(self.house_number and self.street_key)

    @property
    def last_key(self) -> str:
        return self.last_keys[0] if self.last_keys else ""

    @property
    def last_head(self) -> str:
        return names.surname_head(self.last_options[0]) if self.last_options else ""

    @property
    def last_phon(self) -> str:
        return names.phonetic(self.last_options[0]) if self.last_options else ""


def line_keys(printed_name: str, residence_address: str, city: str, zip_text: str) -> LineKeys:
    name = names.parse_name(printed_name or "")
    address = addresses.parse_address(residence_address or "")
    try:
        zip5, _ = addresses.parse_zip(zip_text or "")
    except ValueError:
        zip5 = ""
    options = tuple(o for o in (name.last_options or (name.last,)) if o)
    first = names.first_key(name.first)
    return LineKeys(
        first=first,
        first_canon=nicknames.nickname_canon(first) if first else "",
        middle=names.first_key(name.middle),
        last_options=options,
        last_keys=tuple(dict.fromkeys(name_key(o) for o in options)),
        suffix=name.suffix,
        house_number=address.house_number,
        street_key=_street_key(address.street_name) if address.street_name else "",
        street_alt=_street_alt(address),
        unit=address.unit_number,
        city_key=_city_key(city or ""),
        zip5=zip5,
        option_words=tuple(frozenset(o.split()) for o in options),
        first_as_surname=name_key(first) if first else "",
        leading=leading_surnames(name),
        given_words=_given_words(name),
        joined=names.joined_letters(name),
        written=(fold(name.first), fold(name.middle), fold(name.last)),
    )


def _street_alt(address: addresses.ParsedAddress) -> str:
    if address.street_type:
        return addresses.street_key_with_type(address.street_name, address.street_type)
    return addresses.street_key_loose_type(address.street_name)


def _given_words(name: ParsedName) -> tuple[str, ...]:
    if not name.first:
        return ()
    return (name_key(name.first), *fold(name.middle).split())


@dataclass
class Candidate:
    """A voter the blocking passes found for a line (the fields the decision needs)."""

    registrant_id: str
    first_name: str
    middle_name: str
    last_name: str
    name_suffix: str
    house_number: str
    street_line: str
    unit_number: str
    city: str
    zip5: str
    status: str
    registration_date: object
    last_key: str
    first_key: str
    first_canon: str
    street_key: str
    city_key: str
    # Where the voter is an elector (the petition's electorate is read from these, outside
    # this package): the county code of a statewide roll, the number of the roll's district set.
    county_code: str = ""
    attribute_set: int | None = None
    passes: set[str] = field(default_factory=set)


class Agreement(NamedTuple):
    """How one voter agrees with a line, field by field, and the person score. A named tuple:
    immutable like a frozen dataclass, and three times faster to build (one per candidate a
    batch finds, about six per line)."""

    candidate: Candidate
    surname: Level
    given: Level
    middle: Level
    suffix: Level
    number: bool
    street: Level
    place: Level
    unit: Level
    person: float
    swapped: bool = False
    # The house number as written when it is the voter's with one digit misread (at their street).
    misread: str = ""

    reading: str = ""  # the name re-read with its spaces elsewhere (TERESA JOHNSON)

    @property
    def at_address(self) -> bool:
        return self.number and self.street in (EXACT, CLOSE) and self.place != DIFFERENT

    def describe(self) -> str:
        parts = [f"surname {self.surname}", f"first name {self.given}"]
        if self.swapped:
            parts.append("first and last name swapped")
        if self.reading:
            parts.append(f"read as {self.reading}")
        if self.middle == DIFFERENT:
            parts.append("middle initial differs")
        if self.suffix == EXACT:
            parts.append("suffix exact")
        elif self.suffix != MISSING:
            parts.append(f"suffix {self.suffix}")
        if self.at_address:
            parts.append(
                "house number and street agree" + (" (spelling)" if self.street == CLOSE else "")
            )
            parts.append(
                {
                    EXACT: "city agrees",
                    Level.ZIP: "ZIP agrees",
                    MISSING: "no city given",
                    Level.ALIAS: "city written as a neighbourhood",
                    Level.UNKNOWN: "city not recognised",
                    CLOSE: "city misspelt",
                }.get(self.place, "")
            )
            if self.unit in (MISSING, DIFFERENT):
                parts.append(f"unit {self.unit} (allowed)")
        elif self.misread:
            parts.append(
                f"house number {self.candidate.house_number} read as {self.misread}, street agrees"
                + (" (spelling)" if self.street == CLOSE else "")
            )
        return ", ".join(p for p in parts if p)


def _transposed(a: str, b: str) -> bool:
    """Two neighbouring letters swapped (AGLINDO for GALINDO)."""
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]


def _close_given(a: str, b: str) -> bool:
    """A typo in a given name: swapped letters, or one letter off inside the name. The first and
    last letters must agree otherwise, so MARIA is never close to MARIO."""
    length_a, length_b = len(a), len(b)
    if length_a < 3 or length_b < 3 or (length_a < 4 and length_b < 4):
        return False  # LUS for LUIS is a typo; ANA and AVA are two names
    if not -1 <= length_a - length_b <= 1:
        return False  # more than one edit apart (spares the distance, most pairs)
    if _transposed(a, b):
        return True
    return a[0] == b[0] and a[-1] == b[-1] and jellyfish.damerau_levenshtein_distance(a, b) <= 1


def _close_surname(a: str, b: str) -> bool:
    length_a, length_b = len(a), len(b)
    if length_a < 4 or length_b < 4 or not -1 <= length_a - length_b <= 1:
        return False  # short, or more than one edit apart
    if length_a >= 5 and length_b >= 5:
        return jellyfish.damerau_levenshtein_distance(a, b) <= 1
    return _close_given(a, b)


def surname_level(line: LineKeys, voter_last_key: str, voter_last_name: str) -> Level:
    if voter_last_key in line.last_keys:
        return EXACT
    if not voter_last_key:
        return DIFFERENT  # a record with a given name only (matching.decide reads it)
    voter_tokens = _tokens(voter_last_name)
    for tokens in line.option_words:
        # A compound surname written in part (GARCIA for GARCIA LOPEZ), or the other way round.
        if tokens and (tokens < voter_tokens or voter_tokens < tokens):
            return COMPOUND
    if any(_close_surname(k, voter_last_key) for k in line.last_keys):
        return CLOSE
    for option in line.last_options:
        # A typo in one part of a compound surname (RIUZ for RUIZ RIVERA).
        if any(_close_surname(t, v) for t in option.split() for v in voter_tokens):
            return CLOSE
    if line.last_options and _phonetic(line.last_options[0]) == _phonetic(voter_last_name):
        return PHONETIC
    return DIFFERENT


def given_level(line_first: str, line_canon: str, voter_first_key: str, voter_canon: str) -> Level:
    if not line_first:
        return MISSING
    if line_first == voter_first_key:
        return EXACT
    if line_canon == voter_canon or (
        _nickname_group(line_first) & _nickname_group(voter_first_key)
    ):
        return NICKNAME
    if len(line_first) == 1:
        if voter_first_key.startswith(line_first):
            return INITIAL
        # "B. Staring" for ROBERT STARING: the initial of one of the name's diminutives.
        return NICK_INITIAL if line_first in _nickname_initials(voter_canon) else DIFFERENT
    if _close_given(line_first, voter_first_key):
        return CLOSE
    # A published nickname of one name that shortens it (MARC, MARCUS) before a misspelling (a
    # name cut short); a looser published link after it (STEPHINE is STEPHANIE misspelt).
    published = _published_level(line_first, voter_first_key)
    if published is not NICKNAME and spelling.misspelt(line_first, voter_first_key, voter_canon):
        return SPELLING
    return published


def _published_level(line_first: str, voter_first: str) -> Level:
    """The published nickname list's word on two given names our tables do not link: NICKNAME
    for a nickname of that one name that shortens it (MARC, MARCUS; MARV, MARVIN),
    LOOSE_NICKNAME for any other link it makes (SADIE: SARAH, MERCEDES; SULA, URSULA), else
    DIFFERENT."""
    names_linked = nicknames.published_link(line_first, voter_first)
    if not names_linked:
        return DIFFERENT
    if names_linked == 1 and nicknames.shortens(line_first, voter_first):
        return NICKNAME
    return LOOSE_NICKNAME


@lru_cache(maxsize=1 << 16)
def _shape_given_keys(token: str) -> tuple[frozenset[str], frozenset[str]]:
    """A given name's handwriting readings (with their nicknames' canonical names), and the
    initials it may be (5 for S, CL for D)."""
    readings = handwriting.shape_readings(token)
    whole = {r for r in readings if len(r) > 1}
    return (
        frozenset(whole.union(*(_nickname_group(r) for r in whole))),
        frozenset(r for r in readings if len(r) == 1),
    )


def _given(token: str, canon: str, voter: Candidate) -> Level:
    """given_level, and when it finds them different, a handwriting confusion read back
    (ARTUR0, CARMEH, 1ETICIA: close; 5 or CL written for an initial: initial)."""
    level = given_level(token, canon, voter.first_key, voter.first_canon)
    if level not in (DIFFERENT, SPELLING) or not token:
        return level
    read = _handwritten_given(token, voter)
    # A confusion read back is a closer reading than a misspelling (ARTUR0: close, not misspelt).
    return read if read is not DIFFERENT or level is DIFFERENT else level


def _handwritten_given(token: str, voter: Candidate) -> Level:
    names, initials = _shape_given_keys(token)
    if voter.first_key in names or voter.first_canon in names:
        return CLOSE  # CHARL1E for CARLOS: one of CHARLIE's names
    for reading in handwriting.digit_readings(token):
        # A digit read back, graded as written: a typo on top of it too (GARBIE1A, GABRIELA).
        if len(reading) > 1 and given_level(
            reading, nicknames.nickname_canon(reading), voter.first_key, voter.first_canon
        ) in (EXACT, NICKNAME, CLOSE):
            return CLOSE
    # A letter written as an initial is that letter: only a digit or CL, RN... is read back.
    if len(token) == 1 and token.isalpha():
        return DIFFERENT
    return INITIAL if voter.first_key[:1] in initials else DIFFERENT


def _shape_surname(line: LineKeys, voter: Candidate) -> Level:
    """A surname with one handwriting confusion (KIRNURA for KIMURA, KONCLO for KONDO), whole
    or one part of a compound: close."""
    for key in line.last_keys:
        readings = handwriting.shape_readings(key)
        if voter.last_key in readings or any(
            len(t) > 2 and t in readings for t in _tokens(voter.last_name)
        ):
            return CLOSE
        for reading in handwriting.digit_readings(key):  # WRG1HT for WRIGHT: a typo on top
            if _close_surname(reading, voter.last_key) or any(
                _close_surname(reading, t) for t in _tokens(voter.last_name)
            ):
                return CLOSE
    return DIFFERENT


def _joined(words: tuple[str, ...], voter: Candidate) -> int:
    """How many of these given-name words, joined, spell the voter's whole given name (JI HOON,
    JIHOON, JI-HOON are one name): see handwriting.joined_given."""
    return handwriting.joined_given(
        words, _name_key(voter.first_name), _first_key(voter.middle_name)
    )


def _joined_typo(words: tuple[str, ...], voter: Candidate) -> int:
    """How many of these given-name words (1 or 2), joined, are the voter's whole given name of
    two syllables with a typo (_close_given: "Xue Ijng" for XUEJING, "JOONYOUNNG" for JOON
    YOUNG); 0 if none. One word only against a given name of several (a single word against a
    single name is _close_given's own case)."""
    whole = _name_key(voter.first_name)
    if len(whole) < 5:
        return 0
    for n in (1, 2):
        if len(words) < n or len(words[n - 1]) < 2:
            break
        form = "".join(words[:n])
        if (n == 2 or whole != voter.first_key) and form != whole and _close_given(form, whole):
            return n
    return 0


def _may_join(given: Level, voter: Candidate) -> bool:
    """Whether to read the line's given name joined: when it does not already agree, or when the
    voter's given name has several words (YING QING: the line's QING is no middle name)."""
    return given not in (EXACT, NICKNAME) or _name_key(voter.first_name) != voter.first_key


def _second_given_differs(line: LineKeys, voter: Candidate) -> bool:
    """The voter's given name has a second word (JI-MIN, MARIA GUADALUPE) and the line another
    one where it would be (JI-HOON, "Ji Hoon", "Maria Elena"), which is not the voter's middle
    name nor part of their surname: siblings sharing a first syllable are two people."""
    voter_rest = _name_key(voter.first_name)[len(voter.first_key) :]
    if not voter_rest or not line.given_words:
        return False
    first_unit = line.given_words[0]
    if first_unit != line.first:
        second = first_unit[len(line.first) :]  # JIHOON for "Ji-Hoon": HOON
    elif len(line.given_words) > 1:
        second = line.given_words[1]
    else:
        return False
    return (
        len(second) > 1
        and second != voter_rest
        and second not in _fold(voter.first_name).split()  # CARMEN of MARIA DEL CARMEN
        and voter_rest not in handwriting.shape_readings(second)  # YUH for YUN
        and second != _first_key(voter.middle_name)
        and second not in _tokens(voter.last_name)
    )


def _street_level(line: LineKeys, voter_street: str) -> Level:
    best = DIFFERENT
    for key in (line.street_key, line.street_alt):
        if not key:
            continue
        if key == voter_street:
            return EXACT
        if (
            jellyfish.damerau_levenshtein_distance(key, voter_street) <= 1
            or jellyfish.jaro_winkler_similarity(key, voter_street) >= 0.93
            or voter_street in handwriting.shape_readings(key)
            or _ordinal_slip(key, voter_street)
        ):
            best = CLOSE
    return best


def _ordinal_slip(written: str, registered: str) -> bool:
    """A numbered street written with a digit dropped, added, changed or two swapped ("3th St"
    for 35TH, "18st" for 81ST, "211st" for 21ST), of two digits or more on the roll; its ordinal
    ending is the parser's (3TH reads 3RD)."""
    line = addresses.ordinal_number(written)
    roll = addresses.ordinal_number(registered)
    return (
        bool(line and roll)
        and max(len(line), len(roll)) >= 2
        and jellyfish.damerau_levenshtein_distance(line, roll) == 1
    )


def _place(line: LineKeys, voter: Candidate, places: dict[str, set[str]]) -> Level:
    if line.zip5 and line.zip5 == voter.zip5:
        return Level.ZIP
    if line.city_key and line.city_key == voter.city_key:
        return EXACT
    if not line.city_key and not line.zip5:
        return MISSING
    if line.city_key and voter.zip5 in places.get(line.city_key, ()):
        return Level.ALIAS  # a neighbourhood or another name of the voter's city
    if line.city_key and _close_city(line.city_key, voter.city_key):
        return CLOSE  # the voter's city misspelt (MELVILKE, DANDENO NG NORTH), whatever the ZIP
    if _near_place(line, voter):
        return CLOSE  # a short name misspelt and the ZIP a digit off: DATO 04672 for DAPTO 04670
    if line.city_key and line.city_key not in places and not line.zip5:
        return Level.UNKNOWN  # a place name we cannot read: it neither supports nor contradicts
    return DIFFERENT


def _zip_near(a: str, b: str) -> bool:
    """Two ZIPs one digit apart, or with two neighbouring digits swapped (05703 for 05073)."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 1 or (
        len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
        and a[diff[1]] == b[diff[0]]
    )  # fmt: skip


def _near_place(line: LineKeys, voter: Candidate) -> bool:
    """The line's city a letter off the voter's (even a short name: DATO for DAPTO) and its ZIP
    a digit off theirs: both written carelessly, neither another place's."""
    if not line.city_key or not _zip_near(line.zip5, voter.zip5):
        return False
    a, b = line.city_key.replace(" ", ""), voter.city_key.replace(" ", "")
    return min(len(a), len(b)) >= 4 and jellyfish.damerau_levenshtein_distance(a, b) <= 1


def _close_city(line_city: str, voter_city: str) -> bool:
    """A city name misspelt: a letter or a space off (two in a long name), never a short one."""
    a, b = line_city.replace(" ", ""), voter_city.replace(" ", "")
    if min(len(a), len(b)) < 5:
        return False
    edits = jellyfish.damerau_levenshtein_distance(a, b)
    return edits <= 1 or (edits <= 2 and min(len(a), len(b)) >= 9)


def leading_surnames(name: ParsedName) -> tuple[tuple[str, str, str], ...]:
    """Readings of the name as a compound surname written before the given name ("JIMENEZ
    PANTOJA ANGELICA", "DE LA FUENTE D", "GARCIA CAMACHO JOSE E"): for each split after the
    second word, (the surname's key, the next word, the words after it)."""
    if not name.first or not name.middle or not name.last:
        return ()
    words = [name.first, *name.middle.split(), *name.last.split()]
    return tuple(
        (name_key(" ".join(words[:k])), words[k], " ".join(words[k + 1 :]))
        for k in range(2, len(words))
    )


def _swapped_surname(line: LineKeys, voter: Candidate) -> tuple[Level, tuple[str, str] | None]:
    """How the first word (or first words) of the line, read as the surname, agree with the
    voter's surname; with (given name, rest) when several words make up that surname."""
    key = line.first_as_surname
    if key == voter.last_key:
        return EXACT, None
    for leading, given, rest in line.leading:
        if leading == voter.last_key:
            return EXACT, (given, rest)
    if _close_surname(key, voter.last_key):
        return CLOSE, None
    if len(key) > 2 and key in _tokens(voter.last_name):
        return COMPOUND, None  # MORALES for MORALES GARCIA, written first
    # A hyphenated surname written first with a typo in it ("HERNANDZ-NUNEZ ELIZABETH").
    unit = line.given_words[0] if line.given_words else ""
    if unit != key and len(unit) > 7 and _close_surname(unit, voter.last_key):
        return CLOSE, None
    return DIFFERENT, None


RESPLIT_PENALTY = 0.09  # a name read with its spaces moved: below the name as written


def _may_resplit(line: LineKeys, voter: Candidate) -> bool:
    """Could the line's letters, cut elsewhere, hold this voter's surname (or a part of a
    compound one)? A cheap test before any reading is worked out (it runs for most candidates):
    the surname must start or end the run of letters, and not be the surname as written."""
    joined = line.joined
    last = voter.last_key
    if not joined or last in line.last_keys:
        return False
    if joined.endswith(last) or joined.startswith(last):
        return len(last) > 1
    if _typo_tails(joined, last):
        return True
    parts = _tokens(voter.last_name)
    return len(parts) > 1 and any(
        len(part) > 1
        and (joined.endswith(part) or joined.startswith(part))
        and not any(part in words for words in line.option_words)  # LOPEZ, written
        for part in parts
    )


_VOWELS = frozenset("AEIOUY")


def _middle_run_in(line: LineKeys, voter: Candidate) -> bool:
    """The given name written with the voter's middle initial or middle name run into it
    ("LauraR", "Brando nD", "shirleygloria" for SHIRLEY GLORIA). Not a vowel for the initial:
    LUISA is not LUIS A, nor DANIELA her father DANIEL A."""
    middle = name_key(voter.middle_name)
    if not middle:
        return False
    written = (line.written[0] + line.written[1]).replace(" ", "")
    first = voter.first_key
    if len(written) <= len(first) or not written.startswith(first):
        return False
    rest = written[len(first) :]
    if len(rest) == 1:
        return rest == middle[0] and rest not in _VOWELS
    return rest == middle


def _resplit(line: LineKeys, voter: Candidate) -> tuple[float, Level, Level, str, str] | None:
    """The best reading of the line's letters as this voter's name ("TeresaJ ohnson" for
    TERESA JOHNSON, "ADRIAN AROJAS" for ADRIANA ROJAS MONTOYA), scored RESPLIT_PENALTY below
    the same name written with its spaces right: the surname exact or a part of the voter's
    compound one, never a surname as written; the given name exact, a nickname, a typo of it, or
    its initial ("JGREEN": 0.73, at the address only), or misspelt beside the surname exact
    ("NancSteinberg": 0.73, matching.decide's rule for a misspelt name), with no middle initial
    cut from the letters but for an exact given name ("FelixRosales" is not FELI X ROSALES, for
    FELICIA).
    (person, surname level, given level, middle initial, reading) or None."""
    best: tuple[float, Level, Level, str, str] | None = None
    written = {word for words in line.option_words for word in words} | set(line.last_keys)
    parts = {voter.last_key, *_tokens(voter.last_name)}
    whole = name_key(voter.first_name)  # TAESEOK for TAE-SEOK (its first_key is TAE)
    middle = name_key(voter.middle_name)
    written_given = line.written[0].replace(" ", "")  # "" for a name written in one word
    # Only the readings ending in the voter's surname: cheaper than all of line.readings.
    typos = _surname_typo_readings(line, voter, middle)
    for reading in (*names.resplit_readings(line.joined, line.written, parts),
                    *_middle_run_into_surname(line, voter, middle), *typos):  # fmt: skip
        if reading.last == voter.last_key:
            surname = EXACT
        elif len(reading.last) > 2 and reading.last in _tokens(voter.last_name):
            surname = COMPOUND
        elif reading in typos:
            surname = CLOSE
        else:
            continue
        if reading.last in written:
            continue  # "Maria Garcia" is not MARI A GARCIA
        if reading.first == whole:
            level = EXACT
        else:
            level = given_level(reading.first, nicknames.nickname_canon(reading.first),
                                voter.first_key, voter.first_canon)  # fmt: skip
        # A middle initial cut from the letters only where the given name was written apart
        # from it and the initial is the voter's ("ANTHNOY ECOOK" for ANTHONY E COOK):
        # "FelixRosales" is not FELI X ROSALES, for FELICIA.
        middle_kept = (
            reading.middle and middle.startswith(reading.middle) and reading.first == written_given
        )
        if level != EXACT and (
            level not in (NICKNAME, CLOSE, INITIAL, SPELLING)
            or (reading.middle and not middle_kept)
        ):
            continue
        if level == SPELLING and (
            surname != EXACT or reading.middle
            or (written_given and not written_given.startswith(reading.first))
        ):  # fmt: skip
            # "JAMEWEBBROOK", "NancSteinberg": a misspelt given name (never a name of its own,
            # so no relative's) cut from the surname, not one that takes a letter across a
            # space written ("ANTHNOY ECOOK" is not ANTHNOYE COOK).
            continue
        if surname == CLOSE and level != EXACT:
            continue  # one typo at most beside the spaces moved: not FELI XROSALES, for FELICIA
        person = 0.55 * SURNAME_WEIGHT[surname] + 0.45 * GIVEN_WEIGHT[level] - RESPLIT_PENALTY
        if best is None or person > best[0]:
            best = (person, surname, level, reading.middle, reading.text)
    return best


@lru_cache(maxsize=1 << 14)
def _typo_tails(joined: str, last: str) -> tuple[str, ...]:
    """The runs of letters ending the name that are the voter's surname with a typo (a letter
    changed, dropped, added or two swapped), not the surname itself. Cached: _may_resplit asks
    first, _surname_typo_readings again for the candidates it lets through."""
    if len(last) < 4:
        return ()
    return tuple(
        tail for size in (len(last) - 1, len(last), len(last) + 1)
        if len(joined) - size >= 2 and (tail := joined[-size:]) != last
        and _close_surname(tail, last)
    )  # fmt: skip


def _surname_typo_readings(line: LineKeys, voter: Candidate, middle: str) -> tuple[Reading, ...]:
    """The name's letters cut before a run that is the voter's surname with a typo ("KevinC
    ehn" for KEVIN CHEN, "deshaw nwals" for DESHAWN WALLS, "JuanTorers" for JUAN TORRES): the
    given name before it, or the given name and the voter's middle initial ("Nicholas
    SCarteer" for NICHOLAS S CARTER)."""
    joined = line.joined
    found: list[Reading] = []
    for tail in _typo_tails(joined, voter.last_key):
        head = joined[: -len(tail)]
        found.append(Reading(head, "", tail))
        if middle and len(head) > 3 and head[-1] == middle[0]:
            found.append(Reading(head[:-1], middle[0], tail))
    return tuple(found)


def _middle_run_into_surname(line: LineKeys, voter: Candidate, middle: str) -> tuple[Reading, ...]:
    """The given name written apart and the voter's middle name run into the surname ("KEISHA
    DIANALOWSBY" for KEISHA DIANA LOWSBY): the reading with the middle name's initial, or ()."""
    given = line.written[0].replace(" ", "")
    if len(middle) < 2 or not given or line.written[1]:
        return ()
    if line.joined != given + middle + voter.last_key:
        return ()
    return (Reading(given, middle[0], voter.last_key),)


def compare(line: LineKeys, voter: Candidate, places: dict[str, set[str]]) -> Agreement:
    """Grade each field of a candidate against the line."""
    surname = surname_level(line, voter.last_key, voter.last_name)
    if surname == DIFFERENT:
        surname = _shape_surname(line, voter)
    given = _given(line.first, line.first_canon, voter)
    line_middle = line.middle
    if (
        line.given_words
        and _may_join(given, voter)
        and (joined := _joined(line.given_words, voter))
    ):
        given = EXACT  # "Ji Hoon" for JIHOON: the words after the joined ones are the middle
        line_middle = line.given_words[joined] if len(line.given_words) > joined else ""
    elif given == EXACT and _second_given_differs(line, voter):
        given = DIFFERENT  # JI HOON is not JI-MIN, MARIA ELENA not MARIA GUADALUPE
    elif (
        given == DIFFERENT
        and line.given_words
        and (joined := _joined_typo(line.given_words, voter))
    ):
        given = CLOSE  # "Xue Ijng" for XUEJING, "JOONYOUNNG" for JOON YOUNG
        line_middle = line.given_words[joined] if len(line.given_words) > joined else ""
    swap = None  # the swapped reading of the surname, graded once when it is needed
    if surname == DIFFERENT and given == DIFFERENT:
        swap = _swapped_surname(line, voter) if line.first else (DIFFERENT, None)
        if swap[0] == DIFFERENT and not _may_resplit(line, voter):
            # Another resident of the building: nothing to grade further (most candidates).
            return Agreement(
                candidate=voter, surname=surname, given=given, middle=MISSING, suffix=MISSING,
                number=False, street=DIFFERENT, place=DIFFERENT, unit=MISSING, person=0.0,
            )  # fmt: skip
    person = 0.55 * SURNAME_WEIGHT[surname] + 0.45 * GIVEN_WEIGHT[given]
    swapped = False
    if person < MATCH and line.first and line.last_keys:
        # "GARCIA MARIA" or "SELNEY JENNIFER S" for JENNIFER SELNEY: the other way round, with
        # the given name in the last or (before a trailing initial) the middle word; "JIMENEZ
        # PANTOJA ANGELICA": both surnames first.
        swapped_surname, leading = swap or _swapped_surname(line, voter)
        readings = (
            (leading, (line.last_options[0], ""))
            if leading
            else ((line.last_options[0], line.middle), (line.middle, line.last_options[0]))
        )
        for word, rest in readings:
            token = _first_key(word)
            if not token:
                continue
            swapped_given = _given(token, nicknames.nickname_canon(token), voter)
            # The middle read as the given name: all its words (LineKeys.middle is the first).
            head = line.given_words[1:] if word == line.middle else _fold(word).split()
            words = (*head, *_fold(rest).split())
            joined = 0
            if _may_join(swapped_given, voter) and (joined := _joined(words, voter)):
                swapped_given = EXACT  # "Chiang Weiming", "Luo Hao Feng" for HAOFENG LUO
            other = (
                0.55 * SURNAME_WEIGHT[swapped_surname] + 0.45 * GIVEN_WEIGHT[swapped_given] - 0.03
            )
            if other > person:
                person, surname, given, swapped = other, swapped_surname, swapped_given, True
                line_middle = _first_key(rest) if rest != word else ""
                if joined:
                    line_middle = words[joined] if len(words) > joined else ""
    reading = ""
    if person < MATCH and _may_resplit(line, voter):
        resplit = _resplit(line, voter)
        if resplit is not None and resplit[0] > person:
            person, surname, given, line_middle, reading = resplit
            swapped = False
    elif (
        given in (DIFFERENT, SPELLING)
        and surname in (EXACT, COMPOUND)
        and _middle_run_in(line, voter)
    ):
        # "LauraR Hernandez" for LAURA R HERNANDEZ: read as her name and middle initial.
        middle_key = _first_key(voter.middle_name)
        person = 0.55 * SURNAME_WEIGHT[surname] + 0.45 - RESPLIT_PENALTY
        reading = f"{voter.first_key} {middle_key[0]} {line.written[2]}"
        given, line_middle = EXACT, middle_key
    voter_middle = _first_key(voter.middle_name)
    middle = MISSING
    # A middle word that is part of the voter's compound surname is no middle name.
    if line_middle and any(
        line_middle == token or _close_surname(line_middle, token)
        for token in _tokens(voter.last_name)
    ):
        line_middle = ""  # ... also when misspelt (ALVAREZZ CASTANEDA, SLOIS VELASCO)
    if line_middle and voter_middle:
        middle = EXACT if line_middle[0] == voter_middle[0] else DIFFERENT
        if middle == DIFFERENT:
            person -= 0.15
    voter_suffix = voter.name_suffix.upper().rstrip(".")
    suffix = MISSING
    if line.suffix and voter_suffix:
        suffix = EXACT if line.suffix == voter_suffix else DIFFERENT
        if suffix == DIFFERENT:
            person -= 0.4  # JR is not SR
    elif line.suffix or voter_suffix:
        suffix = Level.NOT_WRITTEN if voter_suffix else Level.LINE_ONLY
    number = bool(line.house_number) and line.house_number == voter.house_number
    street = _street_level(line, voter.street_key)
    misread = (
        line.house_number
        if not number and street in (EXACT, CLOSE)
        and handwriting.digit_misread(line.house_number, voter.house_number)
        else ""
    )  # fmt: skip
    unit = EXACT if line.unit and line.unit == voter.unit_number else (
        MISSING if not line.unit or not voter.unit_number else DIFFERENT
    )  # fmt: skip
    place = _place(line, voter, places)
    if (
        place == DIFFERENT and number and street == EXACT and not swapped
        and surname in (EXACT, CLOSE) and given in (EXACT, NICKNAME, CLOSE, SPELLING)
        and EXACT in (surname, given) and _zip_near(line.zip5, voter.zip5)
        and line.zip5 not in places.get(line.city_key, ())  # PASADENA 91101: another place
    ):  # fmt: skip
        # The name (one part exact, the other at most misspelt), house number and street the
        # voter's, the ZIP a digit off theirs and no place of the county with the city written:
        # the city is a slip (or the neighbourhood's), not another place.
        place = Level.UNKNOWN
    return Agreement(
        candidate=voter, surname=surname, given=given, middle=middle, suffix=suffix,
        number=number, street=street, place=place, unit=unit,
        person=round(person, 3), swapped=swapped, misread=misread, reading=reading,
    )  # fmt: skip
