"""A given name read at the voter's own address as a registrar reads it beside the household's
records: "ellie tong" where HELEN TONG is registered, "Jrg Fuentes" at JORGE FUENTES's, "Hcarlie
Mancilla" at CARLOS MANCILLA's.

matching.compare grades a given name on its own (exact, a nickname, a typo); these readings are
looser and count only where the household narrows the choice: matching.decide takes one for the
voter when the surname agrees at their own address and no one else registered there fits the
written name. An unregistered relative writes a name of their own, which none of these readings
make of a household member's (a name of its own is never read as letters dropped or a nickname
misspelt).

The readings, each with what the reason says:
- a published nickname that is also a name with nicknames of its own (PATSY for MARTHA, ELLIE
  for HELEN, IRWIN for ERWIN: ``nicknames.published_names_of_names``). Not when it shortens
  another name it stands for and not this one (RON is RONALD's, not AARON's); weak (review) when
  it is a common name of its own (EMMA for EMILY, MARIE for MARY);
- the English form of a Spanish name ending in O (ALFRED for ALFREDO);
- a nickname of the voter's name misspelt by one letter (HCARLIE: CHARLIE, CARLOS; IMKEY:
  MIKEY, MICHAEL; RLPH: RALPH, RAFAEL; EJSS: JESS, JESSICA);
- a published nickname (of other names) that starts the voter's name (ELI for ELIZABETH; MARY
  for MARYAM, a common name, only for review);
- the name with letters dropped (JRG for JORGE, ISAE for ISRAEL): its first letter kept, at
  least half its letters, in order; a name of its own only when it is the voter's with its last
  letter dropped (JANE for JANET), weak (review) when the two names are of two sexes (JUAN
  beside JUANA: her brother?);
- a handwriting confusion undone, then the name cut short (1ETICI: LETICI, LETICIA's).

``surname_reading`` reads a short surname a letter off (NAA for NAVA, COI for CHOI): at the
address, with the given name agreeing, matching.decide takes it for the one voter there it fits.
"""

from functools import cache, lru_cache
from typing import NamedTuple

import jellyfish

from matching import handwriting, nicknames, spelling
from matching.datafiles import rows

__all__ = ["COMMON_NAME_FREQUENCY", "Reading", "reading", "surname_reading"]

# A written name at least this common in the Census lists (percent of its sex) is a name of its
# own too often for a loose link to settle whose it is: EMMA (0.165) beside EMILY, MARIE (0.379)
# beside MARY. PATSY (0.076), ELLIE (0.006) are read.
COMMON_NAME_FREQUENCY = 0.1


class Reading(NamedTuple):
    """How the written given name may be the voter's: the reason's words, and whether the
    reading is strong enough to count (else: review)."""

    how: str
    strong: bool


@lru_cache(maxsize=1)
def _census() -> dict[str, tuple[float, str]]:
    """Each name of the Census lists -> its frequency (percent of its sex) and that sex, of the
    sex more of whose people bear it."""
    best: dict[str, tuple[float, str]] = {}
    for row in rows("given_names.csv"):
        frequency = float(row["frequency"])
        if frequency > best.get(row["name"], (-1.0, ""))[0]:
            best[row["name"]] = (frequency, row["sex"])
    return best


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    return {name: frequency for name, (frequency, _) in _census().items()}


@lru_cache(maxsize=1 << 14)
def reading(written: str, voter_first: str, voter_canon: str) -> Reading | None:
    """The reading of `written` as the voter's given name, or None. Both are first-name keys
    (matching.names.first_key); `voter_canon` is the voter's nickname_canon."""
    if len(written) < 2 or not voter_first or written == voter_first:
        return None
    published = _published_name(written, voter_first)
    if published is not None:
        return published
    if len(written) < 3:
        return None
    if (len(voter_first) >= 6 and voter_first.endswith("O") and voter_first[:-1] == written) or (
        len(written) >= 6 and written.endswith("O") and written[:-1] == voter_first
    ):
        return Reading(f"{written} is the English form of {voter_first}", True)
    if _nickname_cut(written, voter_first):
        strong = _frequencies().get(written, 0.0) < COMMON_NAME_FREQUENCY
        return Reading(f"{written}, a nickname, is {voter_first} cut short", strong)
    if spelling.known_given_name(written):
        # A name of its own: maybe a relative's, unless it is the voter's with its last letter
        # dropped, a keying slip (ADA for ADAM, JANE for JANET).
        return _last_letter_dropped(written, voter_first)
    form = _nickname_misspelt(written, voter_first, voter_canon)
    if form:
        return Reading(f"{written} is {form} (a form of {voter_first}) misspelt", True)
    if _letters_dropped(written, voter_first):
        return Reading(f"{written} is {voter_first} with letters dropped", True)
    for shape in sorted(handwriting.shape_readings(written) - {written}):
        # 1ETICI: LETICI (1 for L), LETICIA cut short.
        if len(shape) > 3 and voter_first.startswith(shape) and len(voter_first) - len(shape) <= 2:
            return Reading(f"{written} is {shape} in handwriting, {voter_first} cut short", True)
    return None


def surname_reading(written_keys: tuple[str, ...], voter_last_key: str) -> str:
    """A short surname with one letter dropped, added or swapped (NAA for NAVA, COI for CHOI),
    which matching.compare does not read as close (too short to tell from another surname):
    the key it reads so, or ""."""
    for key in written_keys:
        if (
            len(key) >= 3
            and min(len(key), len(voter_last_key)) <= 4
            and jellyfish.damerau_levenshtein_distance(key, voter_last_key) == 1
        ):
            return key
    return ""


def _published_name(written: str, voter_first: str) -> Reading | None:
    """A published link between two names that both have nicknames of their own."""
    loose = nicknames.published_names_of_names()
    if voter_first in loose.get(written, ()):
        nickname, name = written, voter_first
    elif written in loose.get(voter_first, ()):
        nickname, name = voter_first, written
    else:
        return None
    if (
        nickname == written
        and not name.startswith(nickname)
        and any(other != name and other.startswith(nickname) for other in loose[nickname])
    ):
        return None  # RON for AARON: RON is RONALD's (not ELLIE for HELEN: ELEANOR's too)
    strong = _frequencies().get(written, 0.0) < COMMON_NAME_FREQUENCY
    return Reading(f"{written} is a published nickname of {voter_first}", strong)


def _last_letter_dropped(written: str, voter_first: str) -> Reading | None:
    """The voter's name with its last letter dropped, itself a name (JANE for JANET, ANDRE for
    ANDRES, ADA for ADAM): strong when both are names of one sex, or for a reviewer: a brother or
    a sister of the other name may live there unregistered (JUAN beside JUANA, ROBERT beside
    ROBERTA). Bench 1M/100k seed 7: 8 lines counted, all rightly; 16 for review, 14 of them
    the voter's and 2 relatives' (JUAN beside JUANA), which had been "not registered"."""
    if len(written) < 3 or voter_first[:-1] != written:
        return None
    sexes = _sexes()
    one_sex = written in sexes and sexes.get(written) == sexes.get(voter_first)
    return Reading(f"{written} is {voter_first} with its last letter dropped", one_sex)


@lru_cache(maxsize=1)
def _sexes() -> dict[str, str]:
    """Each name of the Census lists -> the sex (F, M) more of whose people bear it."""
    return {name: sex for name, (_, sex) in _census().items()}


def _nickname_misspelt(written: str, voter_first: str, voter_canon: str) -> str:
    """The nickname of the voter's name that `written` is one letter off (a letter dropped, added,
    changed or two swapped, the first included: HCARLIE for CHARLIE), or ""."""
    names = {voter_first, voter_canon}
    for english, spanish in nicknames.english_spanish():  # RALPH for RAFAEL
        if english in names or spanish in names:
            names |= {english, spanish}
    forms = {form for name in names for form in nicknames._variants().get(name, (name,))}
    forms |= _published_nicknames().get(voter_first, set())
    forms.discard(voter_canon)
    forms.discard(voter_first)
    for form in sorted(forms):
        if len(form) >= 4 and _one_off(written, form):
            return form
    return ""


@cache
def _published_nicknames() -> dict[str, set[str]]:
    """Name -> its nicknames in the published list (MICHAEL -> MIKEY...)."""
    out: dict[str, set[str]] = {}
    for nickname, names in nicknames.published_names().items():
        for name in names:
            out.setdefault(name, set()).add(nickname)
    return out


def _one_off(a: str, b: str) -> bool:
    return jellyfish.damerau_levenshtein_distance(a, b) == 1


def _nickname_cut(written: str, name: str) -> bool:
    """A published nickname (of other names) that is the start of the voter's name, two letters
    short or more (ELI for ELIZABETH, MARY for MARYAM); not a name one letter or so off, which is
    another person's (LOREN, LORENA; ANDRE, ANDREW)."""
    return (
        len(written) >= 3
        and len(name) - len(written) >= 2
        and name.startswith(written)
        and (
            written in nicknames.published_names()
            or written in nicknames.published_names_of_names()
        )
    )


def _letters_dropped(written: str, name: str) -> bool:
    """`written` is `name` with letters left out: the first kept, the rest in order, at least
    half of the name's letters (JRG for JORGE, ISAE for ISRAEL)."""
    if written[0] != name[0] or len(written) >= len(name) or 2 * len(written) < len(name):
        return False
    rest = iter(name[1:])
    return all(letter in rest for letter in written[1:])
