"""How the dashboard shows its figures: rates as percentages, keys as words, times as local."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop, pgettext_lazy

from petitions.models import LineStatus
from petitions.reasons import reason_in_words

register = template.Library()
ACRONYMS = {"zip": "ZIP"}
# The area headings the dashboard shows ({% translate dimension|words %}); a district column of
# another roll is shown as its file names it.
AREA_HEADINGS = (
    gettext_noop("City"), gettext_noop("ZIP"), gettext_noop("Precinct"),
    gettext_noop("Supervisorial district"), gettext_noop("Congressional district"),
    gettext_noop("Assembly district"), gettext_noop("Senate district"),
)  # fmt: skip


# The facts of the roll behind a reason (its refs), as reviewers and organizers see them.
REF_LABELS = {
    "signed_as": pgettext_lazy("a reason's fact of the roll", "signed as"),
    "taken_as": pgettext_lazy("a reason's fact of the roll", "taken as"),
    "picked": pgettext_lazy("a reason's fact of the roll", "picked"),
    "registered_at": pgettext_lazy("a reason's fact of the roll", "registered at"),
    "registered_on": pgettext_lazy("a reason's fact of the roll", "registered on"),
    "registered_in": pgettext_lazy("a reason's fact of the roll", "registered in"),
    "found_at": pgettext_lazy("a reason's fact of the roll", "found at"),
}


@register.filter
def ref_label(key: str) -> str:
    """A reason's ref key in the reader's language ("signed_as" -> "signed as")."""
    label = REF_LABELS.get(key)
    return str(label) if label is not None else words(key).lower()


@register.filter
def percent(rate: float | str | None, digits: int = 1) -> str:
    """A rate from 0 to 1 as a percentage ("64.0%"); empty when there is none."""
    if rate is None or rate == "":
        return ""
    return f"{float(rate) * 100:.{int(digits)}f}%"


@register.filter
def words(key: str) -> str:
    """A data key as a heading: "supervisorial_district" -> "Supervisorial district"."""
    if key in ACRONYMS:
        return ACRONYMS[key]
    text = str(key).replace("_", " ")
    return text[:1].upper() + text[1:]


@register.filter
def when(value: str | datetime | None) -> str:
    """An ISO timestamp (as the cached figures keep it) in the campaign's time zone."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    if moment is None:
        return str(value or "")
    # The format is the language's: "Dec 5, 9:25 PM PST", "5 dic, 21:25 PST".
    return date_format(timezone.localtime(moment), gettext("M j, g:i A T"))


@register.filter
def status_name(code: str) -> str:
    """A line's stored status as its name: "needs_review" -> "Needs review"."""
    try:
        return str(LineStatus(code).label)
    except ValueError:
        return str(code or "")


@register.filter
def reason_words(summary: str) -> str:
    """A decision's stored (English) summary in the active language (petitions.reasons)."""
    return reason_in_words(str(summary or ""))
