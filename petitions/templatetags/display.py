"""How the dashboard shows its figures: rates as percentages, keys as words, times as local."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format

from petitions.models import LineStatus

register = template.Library()
ACRONYMS = {"zip": "ZIP"}


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
    return date_format(timezone.localtime(moment), "M j, g:i A T")


@register.filter
def status_name(code: str) -> str:
    """A line's stored status as its name: "needs_review" -> "Needs review"."""
    try:
        return str(LineStatus(code).label)
    except ValueError:
        return str(code or "")
