"""What a hand on paper and a reader's eye change in a line, read back as the registrar would.

``shape_readings``: a name or street word with one handwriting confusion undone (RN read for M,
CL for D, 0 for O, 1 for L or I, 5 for S...), or all its digits read as letters;
``digit_misread``: a house number one digit off another (a digit misread, two swapped, one
dropped or doubled), and ``digit_misreadings`` all those a written one may be;
``joined_given``: a two-syllable given name written joined, spaced or hyphenated ("Ji Hoon",
JIHOON, JI-HOON). Pure Python, on folded keys (matching.text).
"""

from functools import lru_cache

from matching.text import one_edit_spellings

__all__ = ["digit_misread", "digit_misreadings", "digit_readings", "joined_given", "shape_readings"]

# Shapes confused in handwriting and by OCR: (as read on the line, as the signer wrote it).
# Compiled by hand (the classic confusions of handwriting recognition). A digit or a
# two-letter shape is never a name's own letters, so undoing one is safe anywhere; O and A are
# read back only as the first letter: at the end they tell MARIA from MARIO, JULIA from JULIO.
_SHAPES = (
    ("RN", "M"), ("M", "RN"), ("CL", "D"), ("D", "CL"), ("VV", "W"), ("W", "VV"),
    ("0", "O"), ("1", "L"), ("1", "I"), ("5", "S"), ("8", "B"), ("6", "G"), ("2", "Z"),
    ("U", "V"), ("V", "U"), ("H", "N"), ("N", "H"), ("C", "E"), ("E", "C"), ("O", "A"),
    ("A", "O"),
)  # fmt: skip
_FIRST_LETTER_ONLY = frozenset(("O", "A"))
DIGITS = "0123456789"
_DIGITS = {"0": "O", "1": "I", "5": "S", "8": "B", "6": "G", "2": "Z"}


@lru_cache(maxsize=1 << 16)
def shape_readings(word: str) -> frozenset[str]:
    """What the writer may have meant by a folded word: each one confusion of _SHAPES undone,
    and the word with every digit read as a letter (1 as I, and as L). The word itself is not
    among them."""
    if not word or len(word) > 24:
        return frozenset()
    found: set[str] = set()
    for read, written in _SHAPES:
        start = word.find(read)
        while start >= 0 and (start == 0 or read not in _FIRST_LETTER_ONLY):
            found.add(word[:start] + written + word[start + len(read) :])
            start = word.find(read, start + 1)
    found.update(digit_readings(word))
    found.discard(word)
    return frozenset(found)


@lru_cache(maxsize=1 << 16)
def digit_readings(word: str) -> tuple[str, ...]:
    """The word with every digit read as the letter it looks like (1 as I, and as L); () when it
    has none. A digit in a name is a misreading for certain, so what it reads as may be graded
    like any other spelling (a typo on top of it too)."""
    if not any(c in _DIGITS for c in word):
        return ()
    as_i = "".join(_DIGITS.get(c, c) for c in word)
    as_l = "".join("L" if c == "1" else _DIGITS.get(c, c) for c in word)
    return (as_i,) if as_i == as_l else (as_i, as_l)


def digit_misread(written: str, registered: str) -> bool:
    """The written house number is the registered one with one digit misread, two neighbouring
    digits swapped, or one digit dropped or added (not a number of one digit: too many houses
    are one digit from it)."""
    if written == registered or not (written.isdigit() and registered.isdigit()):
        return False
    if min(len(written), len(registered)) < 2:
        return False
    if len(written) == len(registered):
        diff = [i for i, (a, b) in enumerate(zip(written, registered, strict=True)) if a != b]
        if len(diff) == 1:
            return True
        i = diff[0]
        return diff == [i, i + 1] and (written[i], written[i + 1]) == (
            registered[i + 1],
            registered[i],
        )
    short, long = sorted((written, registered), key=len)
    if len(long) - len(short) != 1 or len(short) < 3:
        return False
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


@lru_cache(maxsize=1 << 12)
def digit_misreadings(written: str) -> frozenset[str]:
    """Every house number the written one may be a digit misread of (those digit_misread
    accepts): about a hundred for a number of four digits, the registered numbers to look up
    at its street."""
    if not written.isdigit():
        return frozenset()
    return frozenset(r for r in one_edit_spellings(written, DIGITS) if digit_misread(written, r))


def joined_given(words: tuple[str, ...], voter_first: str, voter_middle: str) -> int:
    """How many of the line's given-name words (1 or 2), joined, spell the voter's whole given
    name, or their given and middle name joined; 0 if none. words: the first unit of the name
    without its spaces (JI-HOON -> JIHOON), then the middle words; voter_first: the voter's
    given name without spaces (JI HOON -> JIHOON); voter_middle: the first word of theirs."""
    if not words or len(voter_first) < 4:
        return 0
    forms = {voter_first}
    if len(voter_middle) > 1:  # a syllable, not an initial: DANIELA is not DANIEL A
        forms.add(voter_first + voter_middle)
    if words[0] in forms:
        return 1
    if len(words) > 1 and len(words[1]) > 1 and words[0] + words[1] in forms:
        return 2
    return 0
