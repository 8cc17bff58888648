"""A decision's reason in the reader's language.

The matching engine (matching/, no Django) writes each reason as an English summary made of
parts joined by "; ", and the line keeps it. Shown, the summary is said in the active language
part by part: a part this table knows is translated, any other is shown as written (English).
"""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from matching.compare import Level

# What a line lacks ("no signature or name").
_MISSING = {
    "signature": pgettext_lazy("reason: what a line lacks", "signature"),
    "name": pgettext_lazy("reason: what a line lacks", "name"),
    "address": pgettext_lazy("reason: what a line lacks", "address"),
}
# Whole parts, as the engine writes them.
_PARTS = {
    "the signer withdrew (EC 11303)": gettext_lazy("the signer withdrew (EC 11303)"),
    "a voter of this name already signed this petition": gettext_lazy(
        "a voter of this name already signed this petition"
    ),
    "counts in place of the voter's line that no longer does": gettext_lazy(
        "counts in place of the voter's line that no longer does"
    ),
    "first and last name swapped": gettext_lazy("first and last name swapped"),
    "middle initial differs": gettext_lazy("middle initial differs"),
    "suffix exact": gettext_lazy("suffix exact"),
    "house number and street agree": gettext_lazy("house number and street agree"),
    "house number and street agree (spelling)": gettext_lazy(
        "house number and street agree (spelling)"
    ),
    "city agrees": gettext_lazy("city agrees"),
    "ZIP agrees": gettext_lazy("ZIP agrees"),
    "no city given": gettext_lazy("no city given"),
    "city written as a neighbourhood": gettext_lazy("city written as a neighbourhood"),
    "city not recognised": gettext_lazy("city not recognised"),
    "city misspelt": gettext_lazy("city misspelt"),
}
# How well a name agrees (matching.compare.Level), after "surname" or "first name".
_LEVELS = {
    Level.EXACT: gettext_lazy("exact"),
    Level.NICKNAME: gettext_lazy("nickname"),
    Level.COMPOUND: gettext_lazy("compound"),
    Level.CLOSE: gettext_lazy("close spelling"),
    Level.PHONETIC: gettext_lazy("sounds alike"),
    Level.INITIAL: gettext_lazy("initial"),
    Level.SPELLING: gettext_lazy("misspelt"),
    Level.NICK_INITIAL: gettext_lazy("initial of a nickname"),
    Level.MISSING: gettext_lazy("missing"),
    Level.DIFFERENT: gettext_lazy("different"),
    Level.LOOSE_NICKNAME: gettext_lazy("loose nickname"),
}
_NO = re.compile(r"no ((?:signature|name|address)(?: or (?:signature|name|address))*)")
_NAME = re.compile(r"(surname|first name) (.+)")
_SEPARATORS = re.compile(r"(; |, | \(|\)$)")


def _part(text: str) -> str:
    if text in _PARTS:
        return str(_PARTS[text])
    if m := _NO.fullmatch(text):
        what = _(" or ").join(str(_MISSING[w]) for w in m.group(1).split(" or "))
        return _("no %(what)s") % {"what": what}
    if (m := _NAME.fullmatch(text)) and m.group(2) in _LEVELS:
        level = _LEVELS[m.group(2)]
        if m.group(1) == "surname":
            return _("surname %(level)s") % {"level": level}
        return _("first name %(level)s") % {"level": level}
    return text


def reason_in_words(summary: str) -> str:
    """The summary in the active language, part by part (unknown parts as written)."""
    pieces = _SEPARATORS.split(summary)
    return "".join(p if i % 2 else _part(p) for i, p in enumerate(pieces))
