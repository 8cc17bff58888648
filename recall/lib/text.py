"""Text as people see it: no invisible format or control characters.

Unicode's format characters (category Cf: bidi overrides and isolates, zero-width spaces and
joiners, the byte-order mark, the soft hyphen) and control characters (Cc) show nothing, or change
how the text around them shows: U+202E makes "ANA GOMEZ" read "ZEMOG ANA". A name keyed or
imported with one would look like another on screen and in an export while matching nothing.

Two policies, one test of what is invisible:
- `visible_text` strips them: text copied from paper (lines, circulators, imported files), where
  an invisible character is noise from a copy and paste and the visible text is what was meant.
- `invisible_characters` finds them, for fields a person composes for the system (a petition's
  title), which refuse them: there a hidden character is a mistake or a trick to be fixed.
"""

import unicodedata

# Controls that separate words: kept as a space, so "ANA\tGOMEZ" does not become "ANAGOMEZ".
# U+2028 and U+2029 (categories Zl and Zp) break lines as invisibly as a newline does.
_SPACES = frozenset("\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029")
INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc"})


def is_invisible(char: str) -> bool:
    return char in _SPACES or unicodedata.category(char) in INVISIBLE_CATEGORIES


def visible_text(value: str) -> str:
    """The text without format and control characters (those that separate words become a
    space); plain text comes back unchanged, the same object."""
    if value.isascii() and value.isprintable():  # the common case, at C speed
        return value
    return "".join(
        " " if char in _SPACES else char
        for char in value
        if char in _SPACES or unicodedata.category(char) not in INVISIBLE_CATEGORIES
    )


def invisible_characters(value: str) -> list[str]:
    """The invisible characters in the text, each once and named, e.g. ["U+202E RIGHT-TO-LEFT
    OVERRIDE"]; [] when there are none."""
    if value.isascii() and value.isprintable():
        return []
    found = dict.fromkeys(char for char in value if is_invisible(char))
    return [f"U+{ord(c):04X} {unicodedata.name(c, 'CONTROL CHARACTER')}" for c in found]


def invisible_problem(label: str, value: str) -> str:
    """Why a composed field refuses the text (it holds invisible characters), or ""."""
    found = invisible_characters(value)
    if not found:
        return ""
    return (f"{label} contains invisible characters that change how it reads "
            f"({', '.join(found[:3])}): type it again without them")  # fmt: skip
