"""A decision's reason in the reader's language.

The matching engine (matching/, no Django) writes each reason as an English summary made of
parts joined by "; ", and the line keeps it. Shown, the summary is said in the active language
part by part: a part this table knows is translated, any other is shown as written (English).
"""

import re

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from matching.compare import Level
from petitions.models import LineStatus

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
    "the one voter of this name signed this petition at their registered address: another "
    "person of the name": gettext_lazy(
        "the one voter of this name signed this petition at their registered address: another "
        "person of the name"
    ),
    "no registered voter of this name at this address": gettext_lazy(
        "no registered voter of this name at this address"
    ),
    "counts in place of the voter's line that no longer does": gettext_lazy(
        "counts in place of the voter's line that no longer does"
    ),
    "house number or street missing": gettext_lazy("house number or street missing"),
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
    "no registered voter of this name": gettext_lazy("no registered voter of this name"),
    "no registered voter of this name (others of the household are registered here)": gettext_lazy(
        "no registered voter of this name (others of the household are registered here)"
    ),
    "no voter of this name at this address": gettext_lazy("no voter of this name at this address"),
    "registered at another address": gettext_lazy("registered at another address"),
    "a voter at this address partly matches": gettext_lazy(
        "a voter at this address partly matches"
    ),
    "a voter on this street partly matches": gettext_lazy("a voter on this street partly matches"),
    "a voter at this address may be the signer": gettext_lazy(
        "a voter at this address may be the signer"
    ),
    "another line at this address is theirs too": gettext_lazy(
        "another line at this address is theirs too"
    ),
    "the one voter of this name registered in the place written": gettext_lazy(
        "the one voter of this name registered in the place written"
    ),
    "where chance alone would put fewer than 0.1": gettext_lazy(
        "where chance alone would put fewer than 0.1"
    ),
    "a co-signer's namesake is registered with them: no other pair of these names in the "
    "county": gettext_lazy(
        "a co-signer's namesake is registered with them: no other pair of these names in the county"
    ),
    "registered with a co-signer found moved": gettext_lazy(
        "registered with a co-signer found moved"
    ),
    "one name only": gettext_lazy("one name only"),
    "no one else registered here fits": gettext_lazy("no one else registered here fits"),
    "the surname written is not theirs (a changed name?)": gettext_lazy(
        "the surname written is not theirs (a changed name?)"
    ),
    "no one else registered here has either name": gettext_lazy(
        "no one else registered here has either name"
    ),
    "registered outside the petition's electorate": gettext_lazy(
        "registered outside the petition's electorate"
    ),
    "registered in another county than the section's": gettext_lazy(
        "registered in another county than the section's"
    ),
    "others of the household are registered here": gettext_lazy(
        "others of the household are registered here"
    ),
    "taken to be the voter of this name who also signed by name": gettext_lazy(
        "taken to be the voter of this name who also signed by name"
    ),
    "registration cancelled": gettext_lazy("registration cancelled"),
    "street agrees": gettext_lazy("street agrees"),
    "the name is common": gettext_lazy("the name is common"),
    "a household of these names may have moved here together": gettext_lazy(
        "a household of these names may have moved here together"
    ),
    "no one else registered here has a first name this close": gettext_lazy(
        "no one else registered here has a first name this close"
    ),
    "no one else registered here has a name this close": gettext_lazy(
        "no one else registered here has a name this close"
    ),
    "and no one else registered here fits it": gettext_lazy(
        "and no one else registered here fits it"
    ),
    "the unit written is theirs": gettext_lazy("the unit written is theirs"),
    "the middle initial written is theirs alone": gettext_lazy(
        "the middle initial written is theirs alone"
    ),
    "the suffix written is theirs alone": gettext_lazy("the suffix written is theirs alone"),
    "the whole surname written is theirs alone": gettext_lazy(
        "the whole surname written is theirs alone"
    ),
    "a voter of this name lives in another unit": gettext_lazy(
        "a voter of this name lives in another unit"
    ),
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
    Level.NOT_ON_RECORD: gettext_lazy("none on record"),
    Level.NOT_WRITTEN: gettext_lazy("not written"),
    Level.LINE_ONLY: gettext_lazy("written only on the line"),
}
_NO = re.compile(r"no ((?:signature|name|address)(?: or (?:signature|name|address))*)")
_NAME = re.compile(r"(surname|first name) (.+)")
_ALSO_ON = re.compile(r"signed more than once: also on section (\d+) line (\d+)")
_UNIT = re.compile(r"unit (missing|different) \(allowed\)")
_ELSEWHERE = re.compile(r"(\d+)\+ voters of this name elsewhere in the county")
_OUTSIDE = re.compile(r"(.+) is not in the county's voter roll")
_READ = re.compile(r"read as (.+)")
_SUFFIX = re.compile(r"suffix (.+)")
_ONE_VOTER = re.compile(r"the one voter (at this address|of it) it may be: (.+)")
_FIXED = re.compile(r"fixed after a reviewer decided it \((.+)\): decide again")
_LATE = re.compile(r"registered after (filing|signing) \((\d{4}-\d\d-\d\d)\)")
_LIVE_HERE = re.compile(r"(\d+) voters of this name live here")
_TIED = re.compile(r"(\d+) voters at this address match about equally well")
_NUMBER_READ = re.compile(r"house number (\S+) read as (\S+)")
_PUBLISHED = re.compile(r"(\S+) is a published nickname of (\S+)")
_DROPPED = re.compile(r"(\S+) is (\S+) with (its last letter|letters) dropped")
_FIT_HERE = re.compile(r"(\d+) voters here fit the name")


def _status_words() -> dict[str, str | Promise]:
    """A status as the stored reasons say it (its English label, lower case) -> its label."""
    with translation.override("en"):
        english: dict[str, str | Promise] = {
            str(label).lower(): label for label in LineStatus.labels
        }
    return english


def _part(text: str) -> str:
    if text in _PARTS:
        return str(_PARTS[text])
    if m := _NO.fullmatch(text):
        what = _(" or ").join(str(_MISSING[w]) for w in m.group(1).split(" or "))
        return _("no %(what)s") % {"what": what}
    if m := _ALSO_ON.fullmatch(text):
        return _("signed more than once: also on section %(serial)s line %(number)s") % {
            "serial": m.group(1), "number": m.group(2),
        }  # fmt: skip
    if m := _UNIT.fullmatch(text):
        return _("unit %(level)s (allowed)") % {"level": _LEVELS[Level(m.group(1))]}
    if m := _ELSEWHERE.fullmatch(text):
        return _("%(count)s+ voters of this name elsewhere in the county") % {"count": m.group(1)}
    if m := _OUTSIDE.fullmatch(text):
        return _("%(place)s is not in the county's voter roll") % {"place": m.group(1)}
    if m := _READ.fullmatch(text):
        return _("read as %(reading)s") % {"reading": m.group(1)}
    if (m := _SUFFIX.fullmatch(text)) and m.group(1) in _LEVELS:
        return _("suffix %(level)s") % {"level": _LEVELS[Level(m.group(1))]}
    if m := _ONE_VOTER.fullmatch(text):
        said = _say(m.group(2))
        if m.group(1) == "at this address":
            return _("the one voter at this address it may be: %(how)s") % {"how": said}
        return _("the one voter of it it may be: %(how)s") % {"how": said}
    if m := _FIXED.fullmatch(text):
        label = _status_words().get(m.group(1))
        status = str(label).lower() if label is not None else m.group(1)
        return _("fixed after a reviewer decided it (%(status)s): decide again") % {
            "status": status
        }
    if m := _LATE.fullmatch(text):
        if m.group(1) == "filing":
            return _("registered after filing (%(date)s)") % {"date": m.group(2)}
        return _("registered after signing (%(date)s)") % {"date": m.group(2)}
    if m := _LIVE_HERE.fullmatch(text):
        return _("%(count)s voters of this name live here") % {"count": m.group(1)}
    if m := _TIED.fullmatch(text):
        return _("%(count)s voters at this address match about equally well") % {
            "count": m.group(1)
        }
    if m := _NUMBER_READ.fullmatch(text):
        return _("house number %(registered)s read as %(written)s") % {
            "registered": m.group(1), "written": m.group(2),
        }  # fmt: skip
    if m := _PUBLISHED.fullmatch(text):
        return _("%(written)s is a published nickname of %(name)s") % {
            "written": m.group(1), "name": m.group(2),
        }  # fmt: skip
    if m := _DROPPED.fullmatch(text):
        words = {"written": m.group(1), "name": m.group(2)}
        if m.group(3) == "letters":
            return _("%(written)s is %(name)s with letters dropped") % words
        return _("%(written)s is %(name)s with its last letter dropped") % words
    if m := _FIT_HERE.fullmatch(text):
        return _("%(count)s voters here fit the name") % {"count": m.group(1)}
    if (m := _NAME.fullmatch(text)) and m.group(2) in _LEVELS:
        level = _LEVELS[Level(m.group(2))]
        if m.group(1) == "surname":
            return _("surname %(level)s") % {"level": level}
        return _("first name %(level)s") % {"level": level}
    return text


def _top_level(text: str, sep: str) -> list[str]:
    """text split at each sep outside parentheses."""
    pieces, depth, start, i = [], 0, 0, 0
    while i < len(text):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
        elif depth == 0 and text.startswith(sep, i):
            pieces.append(text[start:i])
            start = i = i + len(sep)
            continue
        i += 1
    return [*pieces, text[start:]]


def _say(text: str) -> str:
    if (said := _part(text)) != text:
        return said
    for sep in ("; ", ", "):
        if len(pieces := _top_level(text, sep)) > 1:
            return sep.join(_say(piece) for piece in pieces)
    # "... (...)": the part and what it says in parentheses.
    if (opening := _closing_parenthesis(text)) > 0:
        return f"{_say(text[:opening])} ({_say(text[opening + 2 : -1])})"
    return text


def _closing_parenthesis(text: str) -> int:
    """Where " (" opens the parentheses that close text, or -1."""
    depth, start = 0, -1
    for i, char in enumerate(text):
        if char == "(":
            if depth == 0 and text[i - 1 : i] == " ":
                start = i - 1
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0 and i < len(text) - 1:
                start = -1
    return start if text.endswith(")") and depth == 0 else -1


def reason_in_words(summary: str) -> str:
    """The summary in the active language, part by part (unknown parts as written)."""
    return _say(summary)
