"""A given name misspelt beyond a typo: cut short, its last letter wrong, a letter off, or two
letters off in a long name ("Kimberl" KIMBERLY, "Miriat" MIRIAM, "Stephine" STEPHANIE).

matching.compare grades such a name ``Level.SPELLING``: weak evidence on its own, which
matching.decide reads as the voter's only at the voter's own address, surname exact, when no one
else registered there is as close to what was written. A written name that is a given name of
its own (ERIN, beside ERIC) is never a misspelling: it is someone else, maybe an unregistered
relative of the same household.
"""

from functools import cache, lru_cache

import jellyfish

from matching import nicknames
from matching.datafiles import rows

__all__ = ["KNOWN_NAME_FREQUENCY", "known_given_name", "misspelt", "near"]

# A name listed in the 1990 Census at this frequency (percent of its sex) or more is a name of
# its own; rarer listed spellings (STEPHINE 0.003%, BRITTANI 0.004%) are read as misspellings
# of a commoner name as often as they are worn.
KNOWN_NAME_FREQUENCY = 0.01


@cache
def _census_names() -> frozenset[str]:
    return frozenset(
        row["name"] for row in rows("given_names.csv")
        if float(row["frequency"]) >= KNOWN_NAME_FREQUENCY
    )  # fmt: skip


@lru_cache(maxsize=1 << 14)
def known_given_name(key: str) -> bool:
    """A given name of its own: common in the Census lists, or in our nickname tables (which
    hold the Spanish, Armenian and other forms the Census lists lack)."""
    return key in _census_names() or key in nicknames._variants()


def _off(written: str, name: str) -> bool:
    """`written` is `name` cut short by one or two letters, with its last letter wrong, one
    letter off anywhere, or (both names long) two letters off."""
    if len(name) < 4 or written == name:
        return False
    if name.startswith(written) and len(written) >= 4 and len(name) - len(written) <= 2:
        return True  # KIMBERL, PEDR
    if len(written) == len(name) and written[:-1] == name[:-1]:
        return True  # MIRIAT
    distance = jellyfish.damerau_levenshtein_distance(written, name)
    return distance == 1 or (distance == 2 and min(len(written), len(name)) >= 7)


@lru_cache(maxsize=1 << 16)
def misspelt(written: str, voter_first: str, voter_canon: str) -> bool:
    """Is the written given name a misspelling of the voter's, or one letter off one of its
    nicknames ("Stve" for STEVEN, "Nachho" for IGNACIO)? Never with another first letter, nor
    when it is a given name of its own."""
    if len(written) < 3 or not voter_first or known_given_name(written):
        return False
    if written[0] == voter_first[0] and _off(written, voter_first):
        return True
    # Every form of the voter's name in the nickname tables (their inverse, read once).
    forms = nicknames._variants().get(voter_canon, ())
    return any(
        form[0] == written[0] and jellyfish.damerau_levenshtein_distance(written, form) == 1
        for form in forms if len(form) >= 4
    )  # fmt: skip


@lru_cache(maxsize=1 << 16)
def near(written: str, voter_first: str) -> bool:
    """A looser reading than `misspelt`, for a reviewer to settle: two letters off, both names of
    five letters or more (LINH and LONG are two names), the first letter kept, and what was
    written no given name of its own."""
    if min(len(written), len(voter_first)) < 5 or written[0] != voter_first[0]:
        return False
    if known_given_name(written):
        return False
    return jellyfish.damerau_levenshtein_distance(written, voter_first) <= 2
