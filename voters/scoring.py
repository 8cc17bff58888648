"""Comparing a petition line with voter candidates, and deciding what the registrar would say.

Pure Python (no Django): `line_keys` normalises what a signer wrote with the same code that
normalised the roll (voters.normalize); `compare` grades each field's agreement; `decide` turns the
graded candidates into a status with a reason a person can read.

Design rules, from the CCR 20931 tolerances and the cost of mistakes:
- A line counts only when one voter clearly wins and the address agrees: house number and street,
  city or ZIP compatible. A missing or different unit, or a missing fraction, never matters.
- Wrongly counting a line is worse than sending it to review: close calls (JR/SR at one address
  with no suffix written, two voters matching the same initial) go to review.
- A person found only elsewhere in the county is a different-address line when the name is rare
  enough to be that person; with a common name it is not registered (at this address).
"""

from dataclasses import dataclass, field
from functools import lru_cache

import jellyfish

from voters import normalize as nz

# Voter names repeat across lines and batches: normalise each once per process.
_fold = lru_cache(maxsize=1 << 17)(nz.fold)
_phonetic = lru_cache(maxsize=1 << 17)(nz.phonetic)
_first_key = lru_cache(maxsize=1 << 16)(nz.first_key)
_nickname_group = lru_cache(maxsize=1 << 16)(nz.nickname_group)


@lru_cache(maxsize=1 << 17)
def _tokens(name: str) -> frozenset[str]:
    """The words of a (compound) surname, folded."""
    return frozenset(_fold(name).split())


# Levels of agreement of one field, best first.
EXACT, NICKNAME, COMPOUND, CLOSE, PHONETIC, INITIAL, MISSING, DIFFERENT = (
    "exact", "nickname", "compound", "close", "phonetic", "initial", "missing", "different",
)  # fmt: skip
NICK_INITIAL = "initial of a nickname"
SURNAME_WEIGHT = {EXACT: 1.0, COMPOUND: 0.92, CLOSE: 0.85, PHONETIC: 0.75, DIFFERENT: 0.0}
GIVEN_WEIGHT = {
    EXACT: 1.0, NICKNAME: 0.92, CLOSE: 0.85, INITIAL: 0.6, NICK_INITIAL: 0.5, MISSING: 0.3,
    DIFFERENT: 0.0,
}  # fmt: skip

MATCH = 0.85  # a person match
WEAK = 0.6  # an initial or a sound-alike: a match only if nothing else at the address is close
TIE = 0.08  # two candidates this close are a tie: review
RARE_NAME = 2  # at most this many voters of one name county-wide: a sighting elsewhere is them


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
    # The street read with its weak suffix as part of the name (INDIAN HILL for "Indian Hill").
    street_alt: str = ""
    unit: str = ""
    city_key: str = ""
    zip5: str = ""
    # Derived once per line, for comparing it with many candidates.
    option_words: tuple[frozenset[str], ...] = ()
    first_as_surname: str = ""  # the first word read as a surname (swapped order)
    # A compound surname written first: (its key, the given name after it, the words after that).
    leading: tuple[tuple[str, str, str], ...] = ()

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
        return nz.surname_head(self.last_options[0]) if self.last_options else ""

    @property
    def last_phon(self) -> str:
        return nz.phonetic(self.last_options[0]) if self.last_options else ""


def line_keys(printed_name: str, residence_address: str, city: str, zip_text: str) -> LineKeys:
    name = nz.parse_name(printed_name or "")
    address = nz.parse_address(residence_address or "")
    try:
        zip5, _ = nz.parse_zip(zip_text or "")
    except ValueError:
        zip5 = ""
    options = tuple(o for o in (name.last_options or (name.last,)) if o)
    first = nz.first_key(name.first)
    return LineKeys(
        first=first,
        first_canon=nz.nickname_canon(first) if first else "",
        middle=nz.first_key(name.middle),
        last_options=options,
        last_keys=tuple(dict.fromkeys(nz.name_key(o) for o in options)),
        suffix=name.suffix,
        house_number=address.house_number,
        street_key=nz.street_key(address.street_name) if address.street_name else "",
        street_alt=nz.street_key_with_type(address.street_name, address.street_type),
        unit=address.unit_number,
        city_key=nz.city_key(city or ""),
        zip5=zip5,
        option_words=tuple(frozenset(o.split()) for o in options),
        first_as_surname=nz.name_key(first) if first else "",
        leading=leading_surnames(name),
    )


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
    passes: set[str] = field(default_factory=set)


@dataclass
class Agreement:
    candidate: Candidate
    surname: str
    given: str
    middle: str
    suffix: str
    number: bool
    street: str
    place: str
    unit: str
    person: float
    swapped: bool = False

    @property
    def at_address(self) -> bool:
        return self.number and self.street in (EXACT, CLOSE) and self.place != DIFFERENT

    def describe(self) -> str:
        parts = [f"surname {self.surname}", f"first name {self.given}"]
        if self.swapped:
            parts.append("first and last name swapped")
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
                    "zip": "ZIP agrees",
                    MISSING: "no city given",
                    "alias": "city written as a neighbourhood",
                    "unknown": "city not recognised",
                }.get(self.place, "")
            )
            if self.unit in (MISSING, DIFFERENT):
                parts.append(f"unit {self.unit} (allowed)")
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
    if min(len(a), len(b)) < 3 or max(len(a), len(b)) < 4:
        return False  # LUS for LUIS is a typo; ANA and AVA are two names
    if _transposed(a, b):
        return True
    return a[0] == b[0] and a[-1] == b[-1] and jellyfish.damerau_levenshtein_distance(a, b) <= 1


def _close_surname(a: str, b: str) -> bool:
    if min(len(a), len(b)) < 4:
        return False
    if len(a) >= 5 and len(b) >= 5:
        return jellyfish.damerau_levenshtein_distance(a, b) <= 1
    return _close_given(a, b)


def surname_level(line: LineKeys, voter_last_key: str, voter_last_name: str) -> str:
    if voter_last_key in line.last_keys:
        return EXACT
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


def given_level(line_first: str, line_canon: str, voter_first_key: str, voter_canon: str) -> str:
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
        return NICK_INITIAL if line_first in nz.nickname_initials(voter_canon) else DIFFERENT
    if _close_given(line_first, voter_first_key):
        return CLOSE
    return DIFFERENT


def _street_level(line: LineKeys, voter_street: str) -> str:
    best = DIFFERENT
    for key in (line.street_key, line.street_alt):
        if not key:
            continue
        if key == voter_street:
            return EXACT
        if (
            jellyfish.damerau_levenshtein_distance(key, voter_street) <= 1
            or jellyfish.jaro_winkler_similarity(key, voter_street) >= 0.93
        ):
            best = CLOSE
    return best


def _place(line: LineKeys, voter: Candidate, places: dict[str, set[str]]) -> str:
    if line.zip5 and line.zip5 == voter.zip5:
        return "zip"
    if line.city_key and line.city_key == voter.city_key:
        return EXACT
    if not line.city_key and not line.zip5:
        return MISSING
    if line.city_key and voter.zip5 in places.get(line.city_key, ()):
        return "alias"  # a neighbourhood or another name of the voter's city
    if line.city_key and line.city_key not in places and not line.zip5:
        return "unknown"  # a place name we cannot read: it neither supports nor contradicts
    return DIFFERENT


def leading_surnames(name: nz.ParsedName) -> tuple[tuple[str, str, str], ...]:
    """Readings of the name as a compound surname written before the given name ("JIMENEZ
    PANTOJA ANGELICA", "DE LA FUENTE D", "GARCIA CAMACHO JOSE E"): for each split after the
    second word, (the surname's key, the next word, the words after it)."""
    if not name.first or not name.middle or not name.last:
        return ()
    words = [name.first, *name.middle.split(), *name.last.split()]
    return tuple(
        (nz.name_key(" ".join(words[:k])), words[k], " ".join(words[k + 1 :]))
        for k in range(2, len(words))
    )


def _swapped_surname(line: LineKeys, voter: Candidate) -> tuple[str, tuple[str, str] | None]:
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
    return DIFFERENT, None


def compare(line: LineKeys, voter: Candidate, places: dict[str, set[str]]) -> Agreement:
    """Grade each field of a candidate against the line."""
    surname = surname_level(line, voter.last_key, voter.last_name)
    given = given_level(line.first, line.first_canon, voter.first_key, voter.first_canon)
    swap = None  # the swapped reading of the surname, graded once when it is needed
    if surname == DIFFERENT and given == DIFFERENT:
        swap = _swapped_surname(line, voter) if line.first else (DIFFERENT, None)
        if swap[0] == DIFFERENT:
            # Another resident of the building: nothing to grade further (most candidates).
            return Agreement(
                candidate=voter, surname=surname, given=given, middle=MISSING, suffix=MISSING,
                number=False, street=DIFFERENT, place=DIFFERENT, unit=MISSING, person=0.0,
            )  # fmt: skip
    person = 0.55 * SURNAME_WEIGHT[surname] + 0.45 * GIVEN_WEIGHT[given]
    swapped = False
    line_middle = line.middle
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
            swapped_given = given_level(token, nz.nickname_canon(token), voter.first_key,
                                        voter.first_canon)  # fmt: skip
            other = (
                0.55 * SURNAME_WEIGHT[swapped_surname] + 0.45 * GIVEN_WEIGHT[swapped_given] - 0.03
            )
            if other > person:
                person, surname, given, swapped = other, swapped_surname, swapped_given, True
                line_middle = _first_key(rest) if rest != word else ""
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
        suffix = "not written" if voter_suffix else "written only on the line"
    number = bool(line.house_number) and line.house_number == voter.house_number
    street = _street_level(line, voter.street_key)
    unit = EXACT if line.unit and line.unit == voter.unit_number else (
        MISSING if not line.unit or not voter.unit_number else DIFFERENT
    )  # fmt: skip
    return Agreement(
        candidate=voter, surname=surname, given=given, middle=middle, suffix=suffix,
        number=number, street=street, place=_place(line, voter, places), unit=unit,
        person=round(person, 3), swapped=swapped,
    )  # fmt: skip


@dataclass
class Decision:
    status: str
    voter: Candidate | None = None
    score: float | None = None
    rule: str = ""
    summary: str = ""
    candidates: list[dict] = field(default_factory=list)
    # Equally good namesakes at the address: the line may be any of them (see decide()).
    alternatives: list[Candidate] = field(default_factory=list)
    # Registrant ids of all the voters a counted tie line may be (set when it counts).
    namesakes: list[str] = field(default_factory=list)
    # Facts of the roll behind the summary that not every role may see (a registrant id, a
    # registration date), kept apart from it: the summary is shown to whoever keyed the line.
    refs: dict[str, str] = field(default_factory=dict)
    # The line's name ("surname key|given name") when a voter of that name counting makes it a
    # duplicate (signed before, elsewhere): stored, so such lines are found again when one does.
    name_key: str = ""

    def reason(self) -> dict:
        reason = {"rule": self.rule, "summary": self.summary, "candidates": self.candidates}
        if self.refs:
            reason["refs"] = self.refs
        if self.name_key:
            reason["name_key"] = self.name_key
        return reason


def _evidence(agreements: list[Agreement], limit: int = 5) -> list[dict]:
    return [
        {
            "voter_id": a.candidate.registrant_id,
            "name": " ".join(
                p
                for p in (
                    a.candidate.first_name,
                    a.candidate.middle_name,
                    a.candidate.last_name,
                    a.candidate.name_suffix,
                )
                if p
            ),
            "address": a.candidate.street_line,
            "city": a.candidate.city,
            "registration": a.candidate.status,  # A active, I inactive, C cancelled
            "score": a.person,
            "fields": {
                "surname": a.surname,
                "first": a.given,
                "middle": a.middle,
                "suffix": a.suffix,
                "number": "agree" if a.number else "differs",
                "street": a.street,
                "city": a.place,
                "unit": a.unit,
            },
        }
        for a in agreements[:limit]
    ]


def agreements_for(
    line: LineKeys, candidates: list[Candidate], places: dict[str, set[str]]
) -> list[Agreement]:
    """Each candidate graded against the line, best person match first."""
    return sorted((compare(line, c, places) for c in candidates), key=lambda a: -a.person)


def decide(
    line: LineKeys,
    agreements: list[Agreement],
    *,
    name_count: int,
    places: dict[str, set[str]],
    signed: bool = True,
    withdrawn: bool = False,
) -> Decision:
    """The registrar's category for one line, with the evidence.

    name_count: how many voters in the county bear the line's surname and given name (capped).
    """
    if withdrawn:
        return Decision("withdrawn", rule="withdrawn", summary="the signer withdrew (EC 11303)")
    if not signed or not line.has_name or not line.has_address:
        missing = [w for w, ok in (("signature", signed), ("name", line.has_name),
                                   ("address", line.has_address)) if not ok]  # fmt: skip
        return Decision("incomplete", rule="incomplete", summary=f"no {' or '.join(missing)}")
    evidence = _evidence(agreements)
    at_address = [a for a in agreements if a.at_address]
    best = at_address[0] if at_address else None
    if best is not None and best.person >= WEAK:
        rivals = [
            a for a in at_address[1:]
            if a.person >= best.person - TIE and a.person >= WEAK and _as_good(a, best)
        ]  # fmt: skip
        if rivals and _namesakes(best, rivals):
            # Two registered voters of this name live here (JR/SR unwritten, a parent and child):
            # the line counts either way, unless one of them has signed already (see count).
            decision = _registered(best, evidence)
            decision.alternatives = [a.candidate for a in rivals]
            # An initial shared by household members is weaker evidence than a whole name.
            decision.rule = "household_initial" if best.given == INITIAL else "namesakes_at_address"
            decision.summary += f"; {len(rivals) + 1} voters of this name live here"
            return decision
        if rivals:
            return Decision(
                "needs_review", score=best.person, rule="tie_at_address", candidates=evidence,
                summary=f"{len(rivals) + 1} voters at this address match about equally well"
                + (" (JR/SR?)" if best.suffix != MISSING or rivals[0].suffix != MISSING else ""),
            )  # fmt: skip
        if (
            best.person >= MATCH
            or best.given in (INITIAL, NICK_INITIAL)
            or best.surname == PHONETIC
        ):
            return _registered(best, evidence)
        return Decision(
            "needs_review",
            score=best.person,
            rule="grey_zone",
            candidates=evidence,
            summary=f"a voter at this address partly matches ({best.describe()})",
        )
    elsewhere = [a for a in agreements if not a.at_address and a.person >= 0.9]
    if elsewhere and name_count <= RARE_NAME and len(elsewhere) == 1:
        person = elsewhere[0]
        return Decision(
            "address_mismatch", voter=person.candidate, score=person.person, rule="moved",
            candidates=evidence,
            summary=f"registered at another address ({person.describe()})",
            # Where they are registered is the roll's, not the keyer's: a volunteer saving a
            # made-up address for a name would otherwise learn where that voter lives.
            refs={"registered_at": f"{person.candidate.street_line}, {person.candidate.city}"},
        )  # fmt: skip
    if not _in_county(line, places):
        where = " ".join(p for p in (line.city_key.title(), line.zip5) if p)
        return Decision("out_of_jurisdiction", rule="out_of_county", candidates=evidence,
                        summary=f"{where} is not in the county's voter roll")  # fmt: skip
    if elsewhere:
        return Decision(
            "not_registered", rule="common_name_elsewhere", candidates=evidence,
            summary=f"no voter of this name at this address; {name_count}+ voters of this name "
            "elsewhere in the county",
        )  # fmt: skip
    household = [a for a in at_address if a.surname in (EXACT, COMPOUND)]
    return Decision(
        "not_registered",
        rule="not_found",
        candidates=evidence,
        summary="no registered voter of this name"
        + (" (others of the household are registered here)" if household else ""),
    )


_RANK = {EXACT: 0, NICKNAME: 1, COMPOUND: 1, CLOSE: 2, PHONETIC: 3, INITIAL: 3, NICK_INITIAL: 4,
         MISSING: 5, DIFFERENT: 6}  # fmt: skip


def _as_good(rival: Agreement, best: Agreement) -> bool:
    """A rival ties only if its reading of the name is as good, field by field: an exact name is
    not tied by a compound-surname or one-letter-off reading of another voter."""
    return _RANK[rival.surname] <= _RANK[best.surname] and _RANK[rival.given] <= _RANK[best.given]


def _namesakes(best: Agreement, rivals: list[Agreement]) -> bool:
    """Rivals the line fits exactly as well as the best, all registered, of one household name:
    the same name twice (JR/SR unwritten), or one initial shared ("J Orozco" for JUANA or
    JOSHUA). Whichever of them signed, the line counts."""
    group = [best, *rivals]
    # A typo'd surname is fine when every one of them is registered under that same surname.
    one_surname = len({a.candidate.last_key for a in group}) == 1
    return all(
        a.surname == best.surname and a.given == best.given
        and (a.surname in (EXACT, COMPOUND) or (a.surname == CLOSE and one_surname))
        and a.given in (EXACT, NICKNAME, INITIAL) and a.candidate.status in ("A", "I")
        for a in group
    )  # fmt: skip


def _registered(best: Agreement, evidence: list[dict]) -> Decision:
    voter = best.candidate
    if voter.status == "C":
        return Decision(
            "canceled",
            voter=voter,
            score=best.person,
            rule="cancelled",
            candidates=evidence,
            summary=f"registration cancelled ({best.describe()})",
        )
    return Decision("valid", voter=voter, score=best.person, rule="match", candidates=evidence,
                    summary=best.describe())  # fmt: skip


def _in_county(line: LineKeys, places: dict[str, set[str]]) -> bool:
    if line.zip5:
        return any(line.zip5 in zips for zips in places.values())
    if line.city_key:
        return line.city_key in places
    return True
