"""Name and address normalisation shared by the voter importer and the petition-line matcher.

Pure Python, no Django: the importer runs these on ~6 million voter rows (behind its own
``functools.lru_cache``) and the matcher on ~100k hand-written petition lines a minute, so both
sides of every comparison go through the same code and produce the same keys.

Every function is total on ``str``: any input, including '', punctuation only, emoji,
right-to-left scripts and very long strings, returns a value; only ``parse_zip`` raises, and
only ``ValueError`` for something that is not a ZIP code.

Folding (``fold``) is the base of everything: Unicode NFKD, combining marks dropped, upper
case, apostrophes deleted (O'Brien -> OBRIEN), every other character outside A-Z/0-9 becomes
one space. Letters NFKD does not decompose are mapped by hand (ß->SS, Æ->AE, Ø->O, Ł->L, Đ->D,
Œ->OE, Þ->TH). The result is plain ASCII, so the rest of the module can use fast ASCII-only
regexes and dict lookups.

Names:
    ``name_key``, ``surname_head``, ``first_key``, ``phonetic`` (metaphone of the surname head),
    ``nickname_canon`` / ``nickname_group`` (tables in ``voters.nicknames``), ``surname_group``,
    and ``parse_name`` -> ``ParsedName``.

Addresses (USPS Publication 28 conventions):
    ``parse_address`` -> ``ParsedAddress``, ``street_key``, ``normalize_street_type``,
    ``normalize_direction``, ``city_key``, ``parse_zip``.

To test whether two given names can be the same person, intersect their groups:
``nickname_group(a) & nickname_group(b)``. ``nickname_canon`` picks one canonical per
diminutive and is meant for blocking/indexing, not for the final decision.
"""

import re
import unicodedata
from dataclasses import dataclass

import jellyfish

from voters import nicknames

__all__ = [
    "ParsedAddress",
    "ParsedName",
    "city_key",
    "first_key",
    "fold",
    "name_key",
    "nickname_canon",
    "nickname_group",
    "normalize_direction",
    "normalize_street_type",
    "parse_address",
    "parse_name",
    "parse_zip",
    "phonetic",
    "street_key",
    "street_key_with_type",
    "surname_group",
    "surname_head",
]

# ---------------------------------------------------------------------------------------------
# Folding
# ---------------------------------------------------------------------------------------------

_APOSTROPHES = "'`\u00b4\u2018\u2019\u201b\u2032\u02bc\u02bb\u02b9\uff07\uff40"
_HYPHENS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"

# Applied before NFKD (so the acute accent U+00B4 is deleted rather than decomposed into a
# space plus a combining mark) and again after it (NFKD can produce U+02BC from U+0149 and the
# fraction slash U+2044 from vulgar fractions).
_PRE: dict[int, str | None] = {ord(c): None for c in _APOSTROPHES}
_PRE.update({ord(c): "-" for c in _HYPHENS})
_PRE.update(
    {
        ord(k): v
        for k, v in {
            "ß": "SS",
            "ẞ": "SS",
            "æ": "AE",
            "Æ": "AE",
            "ø": "O",
            "Ø": "O",
            "ł": "L",
            "Ł": "L",
            "đ": "D",
            "Đ": "D",
            "ð": "D",
            "Ð": "D",
            "œ": "OE",
            "Œ": "OE",
            "þ": "TH",
            "Þ": "TH",
            "\u0131": "I",  # dotless i
            "ħ": "H",
            "Ħ": "H",
            "ŧ": "T",
            "Ŧ": "T",
            # Vulgar fractions get a leading space so "123½" becomes "123 1/2", not "1231/2".
            "½": " 1/2 ",
            "¼": " 1/4 ",
            "¾": " 3/4 ",
            "⅓": " 1/3 ",
            "⅔": " 2/3 ",
            "\u2044": "/",
        }.items()
    }
)
_ASCII_DELETE = str.maketrans("", "", "'`")
_NON_ALNUM = re.compile(r"[^A-Z0-9]+")


def _base(text: str) -> str:
    """Upper-case ASCII-ish text with accents and apostrophes gone, punctuation left in place.

    fold() turns the punctuation into spaces; the name and address parsers first look at the
    hyphens, commas, '#' and '/' that fold() would erase.
    """
    if text.isascii():
        # The fast path: nearly every voter-file row and petition line is plain ASCII.
        return text.translate(_ASCII_DELETE).upper()
    text = unicodedata.normalize("NFKD", text.translate(_PRE)).translate(_PRE)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.upper()


def fold(text: str) -> str:
    """NFKD, drop accents, upper-case, delete apostrophes, other non-A-Z0-9 -> single spaces."""
    return _NON_ALNUM.sub(" ", _base(text)).strip()


def name_key(text: str) -> str:
    """fold() without spaces: 'De La Cruz' -> 'DELACRUZ', 'Garcia-Lopez' -> 'GARCIALOPEZ'."""
    return _NON_ALNUM.sub("", _base(text))


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------

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


def _build_nickname_index() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """Invert the canonical -> diminutives tables into token -> canonical and token -> group."""
    groups: dict[str, set[str]] = {}
    for table in (nicknames.ENGLISH, nicknames.SPANISH, nicknames.ARMENIAN):
        for canonical, variants in table.items():
            groups.setdefault(canonical, set()).add(canonical)
            for variant in variants:
                groups.setdefault(variant, {variant}).add(canonical)
    # English and Spanish forms of one name compare as the same name (JOHNNY ~ JUAN).
    equivalents: dict[str, set[str]] = {}
    for english, spanish in nicknames.EQUIVALENTS:
        equivalents.setdefault(english, set()).add(spanish)
        equivalents.setdefault(spanish, set()).add(english)
    wider = {
        token: members.union(*(equivalents.get(m, ()) for m in members))
        for token, members in groups.items()
    }
    canon: dict[str, str] = {}
    for token, members in groups.items():
        others = members - {token}
        if token in nicknames.PREFERRED:
            canon[token] = nicknames.PREFERRED[token]
        elif not others or _is_canonical(token):
            # A canonical name (ROBERT) maps to itself even if it is also listed elsewhere.
            canon[token] = token
        else:
            # Unambiguous diminutive; an ambiguous one without a PREFERRED entry is caught by a
            # test, and min() keeps the choice deterministic meanwhile.
            canon[token] = min(others)
    return canon, {token: frozenset(members) for token, members in wider.items()}


def _is_canonical(token: str) -> bool:
    return any(
        token in table for table in (nicknames.ENGLISH, nicknames.SPANISH, nicknames.ARMENIAN)
    )


_NICK_CANON, _NICK_GROUP = _build_nickname_index()
# Canonical name -> every token that may stand for it (ROBERT -> BOB, BOBBY, ROB, ROBERTO...).
_NICK_VARIANTS: dict[str, set[str]] = {}
for _token, _members in _NICK_GROUP.items():
    for _member in _members:
        _NICK_VARIANTS.setdefault(_member, {_member}).add(_token)


def nickname_initials(key: str) -> frozenset[str]:
    """First letters a name may be written with: its own, and its diminutives' (B for ROBERT)."""
    names = _NICK_VARIANTS.get(key, {key})
    return frozenset(n[0] for n in names if n)


def nickname_canon(key: str) -> str:
    """Canonical given name for a first-name token: 'BOB' -> 'ROBERT', 'PEPE' -> 'JOSE'.

    Ambiguous diminutives get the single canonical chosen in nicknames.PREFERRED (BETO ->
    ROBERTO, TONY -> ANTHONY, FRANK -> FRANCISCO). A token not in the tables maps to itself.
    The key should already be a folded token; other input is folded to its first token.
    """
    hit = _NICK_CANON.get(key)
    if hit is not None:
        return hit
    token = first_key(key)
    return _NICK_CANON.get(token, token)


def nickname_group(key: str) -> frozenset[str]:
    """Every canonical name a token may stand for, the token itself included.

    'BETO' -> {'BETO', 'ALBERTO', 'ROBERTO', 'HUMBERTO', ...}; 'ROBERT' -> {'ROBERT'}.
    Two tokens can be the same given name when their groups intersect.
    """
    hit = _NICK_GROUP.get(key)
    if hit is not None:
        return hit
    token = first_key(key)
    return _NICK_GROUP.get(token) or frozenset((token,))


def _build_surname_index() -> dict[str, frozenset[str]]:
    index: dict[str, frozenset[str]] = {}
    for group in nicknames.SURNAME_GROUPS:
        members = frozenset(group)
        for name in group:
            index[name] = index.get(name, frozenset()) | members
    return index


_SURNAME_GROUP = _build_surname_index()


def surname_group(text: str) -> frozenset[str]:
    """Spellings of one surname: Korean romanisations, Vietnamese forms, Armenian -IAN/-YAN.

    Works on name_key(text); always contains name_key(text) itself ('' for empty input).
    'LEE' -> {'LEE', 'YI', 'RHEE', 'RHIE', 'RI'}; 'PETROSYAN' -> {'PETROSYAN', 'PETROSIAN'}.
    """
    key = name_key(text)
    group = _SURNAME_GROUP.get(key)
    if group is not None:
        return group
    # Armenian surnames end in -IAN (Western, pre-1990s arrivals) or -YAN (Eastern, recent
    # arrivals) for the same family; a 3-letter stem keeps short names like RYAN out.
    if len(key) >= 6 and key.endswith("YAN"):
        return frozenset((key, key[:-3] + "IAN"))
    if len(key) >= 6 and key.endswith("IAN"):
        return frozenset((key, key[:-3] + "YAN"))
    return frozenset((key,))


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
    raw = _NAME_JUNK.sub(" ", _base(part)).split()
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


# ---------------------------------------------------------------------------------------------
# Addresses
# ---------------------------------------------------------------------------------------------

# USPS Publication 28, Appendix C1: standard suffix abbreviation -> primary name and the common
# abbreviations. TRAILER/TRLR is left out on purpose: on an LA address it is a unit (mobile
# home parks), and treating it as a street type would eat the street name.
_C1 = """
ALY ALLEY ALLEE ALLY
ANX ANEX ANNEX ANNX
ARC ARCADE
AVE AVENUE AV AVEN AVENU AVN AVNUE
BYU BAYOU BAYOO
BCH BEACH
BND BEND
BLF BLUFF BLUF
BLFS BLUFFS
BTM BOTTOM BOT BOTTM
BLVD BOULEVARD BOUL BOULV BL
BR BRANCH BRNCH
BRG BRIDGE BRDGE
BRK BROOK
BRKS BROOKS
BG BURG
BGS BURGS
BYP BYPASS BYPA BYPAS BYPS
CP CAMP CMP
CYN CANYON CANYN CNYN
CPE CAPE
CSWY CAUSEWAY CAUSWA
CTR CENTER CEN CENT CENTR CENTRE CNTER CNTR
CTRS CENTERS
CIR CIRCLE CIRC CIRCL CRCL CRCLE
CIRS CIRCLES
CLF CLIFF
CLFS CLIFFS
CLB CLUB
CMN COMMON
CMNS COMMONS
COR CORNER
CORS CORNERS
CRSE COURSE
CT COURT
CTS COURTS
CV COVE
CVS COVES
CRK CREEK
CRES CRESCENT CRSENT CRSNT
CRST CREST
XING CROSSING CRSSNG
XRD CROSSROAD
XRDS CROSSROADS
CURV CURVE
DL DALE
DM DAM
DV DIVIDE DIV DVD
DR DRIVE DRIV DRV
DRS DRIVES
EST ESTATE
ESTS ESTATES
EXPY EXPRESSWAY EXP EXPR EXPRESS EXPW
EXT EXTENSION EXTN EXTNSN
EXTS EXTENSIONS
FALL FALL
FLS FALLS
FRY FERRY FRRY
FLD FIELD
FLDS FIELDS
FLT FLAT
FLTS FLATS
FRD FORD
FRDS FORDS
FRST FOREST FORESTS
FRG FORGE FORG
FRGS FORGES
FRK FORK
FRKS FORKS
FT FORT FRT
FWY FREEWAY FREEWY FRWAY FRWY
GDN GARDEN GARDN GRDEN GRDN
GDNS GARDENS GRDNS
GTWY GATEWAY GATEWY GATWAY GTWAY
GLN GLEN
GLNS GLENS
GRN GREEN
GRNS GREENS
GRV GROVE GROV
GRVS GROVES
HBR HARBOR HARB HARBR HRBOR
HBRS HARBORS
HVN HAVEN
HTS HEIGHTS HT
HWY HIGHWAY HIGHWY HIWAY HIWY HWAY
HL HILL
HLS HILLS
HOLW HOLLOW HLLW HOLLOWS HOLWS
INLT INLET
IS ISLAND ISLND
ISS ISLANDS ISLNDS
ISLE ISLES
JCT JUNCTION JCTION JCTN JUNCTN JUNCTON
JCTS JUNCTIONS JCTNS
KY KEY
KYS KEYS
KNL KNOLL KNOL
KNLS KNOLLS
LK LAKE
LKS LAKES
LAND LAND
LNDG LANDING LNDNG
LN LANE
LGT LIGHT
LGTS LIGHTS
LF LOAF
LCK LOCK
LCKS LOCKS
LDG LODGE LDGE LODG
LOOP LOOPS
MALL MALL
MNR MANOR
MNRS MANORS
MDW MEADOW
MDWS MEADOWS MEDOWS
MEWS MEWS
ML MILL
MLS MILLS
MSN MISSION MISSN MSSN
MTWY MOTORWAY
MT MOUNT MNT
MTN MOUNTAIN MNTAIN MNTN MOUNTIN MTIN
MTNS MOUNTAINS MNTNS
NCK NECK
ORCH ORCHARD ORCHRD
OVAL OVL
OPAS OVERPASS
PARK PARKS PRK
PKWY PARKWAY PARKWY PKWAY PKY PARKWAYS PKWYS
PASS PASS
PSGE PASSAGE
PATH PATHS
PIKE PIKES
PNE PINE
PNES PINES
PL PLACE
PLN PLAIN
PLNS PLAINS
PLZ PLAZA PLZA
PT POINT
PTS POINTS
PRT PORT
PRTS PORTS
PR PRAIRIE PRR
RADL RADIAL RAD RADIEL
RAMP RAMP
RNCH RANCH RANCHES RNCHS
RPD RAPID
RPDS RAPIDS
RST REST
RDG RIDGE RDGE
RDGS RIDGES
RIV RIVER RVR RIVR
RD ROAD
RDS ROADS
RTE ROUTE
ROW ROW
RUE RUE
RUN RUN
SHL SHOAL
SHLS SHOALS
SHR SHORE SHOAR
SHRS SHORES SHOARS
SKWY SKYWAY
SPG SPRING SPNG SPRNG
SPGS SPRINGS SPNGS SPRNGS
SPUR SPURS
SQ SQUARE SQR SQRE SQU
SQS SQUARES SQRS
STA STATION STATN STN
STRA STRAVENUE STRAV STRAVEN STRAVN STRVN STRVNUE
STRM STREAM STREME
ST STREET STRT STR
STS STREETS
SMT SUMMIT SUMIT SUMITT
TER TERRACE TERR
TRWY THROUGHWAY
TRCE TRACE TRACES
TRAK TRACK TRACKS TRK TRKS
TRFY TRAFFICWAY
TRL TRAIL TRAILS TRLS
TUNL TUNNEL TUNEL TUNLS TUNNELS TUNNL
TPKE TURNPIKE TRNPK TURNPK
UPAS UNDERPASS
UN UNION
UNS UNIONS
VLY VALLEY VALLY VLLY
VLYS VALLEYS
VIA VIADUCT VDCT VIADCT
VW VIEW
VWS VIEWS
VLG VILLAGE VILL VILLAG VILLG VILLIAGE
VLGS VILLAGES
VL VILLE
VIS VISTA VIST VST VSTA
WALK WALKS
WALL WALL
WAY WY
WAYS WAYS
WL WELL
WLS WELLS
"""
_STREET_TYPES: dict[str, str] = {}
for _line in _C1.strip().splitlines():
    _abbr, *_names = _line.split()
    for _name in (_abbr, *_names):
        _STREET_TYPES[_name] = _abbr

# The suffixes that end a street name in practice. When several suffix words are on a line the
# first of these wins ("Ocean Park Blvd": PARK is part of the name), so a trailing city that
# happens to contain a suffix word ("Main St Long Beach", "Elm Ave Valley Village") is not taken
# for the street type.
_STRONG_TYPES = frozenset(
    {"ALY", "AVE", "BLVD", "CIR", "CT", "CV", "DR", "EXPY", "FWY", "HWY", "LN", "LOOP", "PKWY"}
    | {"PL", "PLZ", "RD", "SQ", "ST", "TER", "TRL", "WAY", "XING"}
)
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

# Secondary unit designators (Pub 28 C2) plus the spellings seen on LA petitions. SP/SPACE are
# mobile-home spaces; "No." and "#" both mean "number, type unknown".
_UNIT_TYPES = {
    "APT": "APT",
    "APARTMENT": "APT",
    "APTS": "APT",
    "UNIT": "UNIT",
    "STE": "STE",
    "SUITE": "STE",
    "SPC": "SPC",
    "SPACE": "SPC",
    "SP": "SPC",
    "BLDG": "BLDG",
    "BLD": "BLDG",
    "BUILDING": "BLDG",
    "FL": "FL",
    "FLR": "FL",
    "FLOOR": "FL",
    "RM": "RM",
    "ROOM": "RM",
    "LOT": "LOT",
    "TRLR": "TRLR",
    "TRAILER": "TRLR",
    "DEPT": "DEPT",
    "NO": "#",
    "NUM": "#",
    "NUMBER": "#",
    "#": "#",
}
# Designators that take no number; only recognised as the last word ("123 Main St Rear"), so
# "Ocean Front Walk" keeps its FRONT.
_BARE_UNITS = {
    "REAR": "REAR",
    "FRNT": "FRNT",
    "FRONT": "FRNT",
    "UPPR": "UPPR",
    "UPPER": "UPPR",
    "LOWR": "LOWR",
    "LOWER": "LOWR",
    "BSMT": "BSMT",
    "BASEMENT": "BSMT",
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
    (St, Ave, Blvd, Dr...) are never part of a name this way.
    """
    if not street_name or not street_type or street_type in _STRONG_TYPES:
        return ""
    word = _TYPE_WORDS.get(street_type)
    if not word:
        return ""
    if street_name in _DIRECTIONS:
        return street_key(word)  # "North Shore": N SHORE, not a street called NORTH
    return street_key(f"{street_name} {word}")


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
    tokens = _ADDR_TOKEN.findall(_base(text))
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
    for pattern_match in (_ZIP_TOKEN.fullmatch, _STATES.__contains__):
        end = len(tokens)
        while end and tokens[end - 1] == ",":
            end -= 1
        # Keep at least a number and a street word in front, and never take a unit's number.
        if end >= 3 and pattern_match(tokens[end - 1]) and tokens[end - 2] not in _UNIT_TYPES:
            del tokens[end - 1 :]


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
