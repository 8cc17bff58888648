"""Folding: every comparison of names and addresses starts from the same plain-ASCII text.

``fold`` is the base of everything: Unicode NFKD, combining marks dropped, upper case,
apostrophes deleted (O'Brien -> OBRIEN), every other character outside A-Z/0-9 becomes one
space. Letters NFKD does not decompose are mapped by hand (ß->SS, Æ->AE, Ø->O, Ł->L, Đ->D,
Œ->OE, Þ->TH). The result is plain ASCII, so the rest of the package can use fast ASCII-only
regexes and dict lookups. Every function is total on ``str``.

Why not anyascii: measured in matching/README.md (same decisions on the benchmark; it reads
"123½ Main St" as 1231/2, losing the house number, and transliterates scripts the roll's keys
drop).
"""

import re
import unicodedata

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


def upper_ascii(text: str) -> str:
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
    return _NON_ALNUM.sub(" ", upper_ascii(text)).strip()


def name_key(text: str) -> str:
    """fold() without spaces: 'De La Cruz' -> 'DELACRUZ', 'Garcia-Lopez' -> 'GARCIALOPEZ'."""
    return _NON_ALNUM.sub("", upper_ascii(text))


def one_edit_spellings(word: str, alphabet: str) -> set[str]:
    """Every spelling one typo from a folded word, of the alphabet's characters: one changed,
    dropped or added, or two neighbours swapped (Damerau-Levenshtein distance 1); not the word
    itself. About 80 times its length: looked up in a set, not compared one by one."""
    n = len(word)
    found = {word[:i] + word[i + 1 :] for i in range(n)}
    found.update(word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(n - 1))
    for i in range(n + 1):
        for c in alphabet:
            found.add(word[:i] + c + word[i:])
            if i < n:
                found.add(word[:i] + c + word[i + 1 :])
    found.discard(word)
    return found
