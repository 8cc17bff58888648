"""The live hint on the entry row: will the line being typed likely count?

One line through the same candidate search and decision as the workers, against the active roll,
plus a look at whether the voter's signature is already counted in this petition. A hint shows
of a voter only what the entry screen needs (name, house number and street, city), and only of a
voter that the typed name and address together make a strong candidate for the line: never a
voter found by name alone elsewhere (that would make the hint a search for where someone lives),
nor the residents of an address whose names the typed one does not match (who lives there).
"""

import logging
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matching.compare import (
    CLOSE,
    COMPOUND,
    DIFFERENT,
    EXACT,
    INITIAL,
    NICK_INITIAL,
    NICKNAME,
    PHONETIC,
    line_keys,
)
from matching.decide import decide
from petitions.decisions import decision_for
from petitions.electorate import OTHER_COUNTY, Boundary, decided_inside
from petitions.entry import LineInput
from petitions.models import Line, LineStatus, Petition, Section
from petitions.reasons import reason_in_words
from recall.cache import REDIS_ERRORS, RedisCache, redis_down, redis_failed
from recall.models import AuditEvent, audit
from voters.matching import find_candidates

HINT_CANDIDATES = 3
log = logging.getLogger(__name__)


@dataclass
class Hint:
    outcome: str  # counts, already_signed, other_address, not_found, ...
    message: str
    candidates: list[dict[str, str]] = field(default_factory=list)  # name, address, city only


_OUTCOMES = {
    LineStatus.VALID: ("counts", gettext_lazy("Will likely count")),
    LineStatus.ADDRESS_MISMATCH: ("other_address", gettext_lazy("Registered at another address")),
    LineStatus.NOT_REGISTERED: ("not_found", gettext_lazy("Not found on the voter roll")),
    LineStatus.CANCELED: (LineStatus.CANCELED, gettext_lazy("Registration cancelled")),
    LineStatus.OUT_OF_JURISDICTION: ("out_of_county", gettext_lazy("Not in the county")),
    LineStatus.NEEDS_REVIEW: ("unsure", gettext_lazy("Unsure: a reviewer will decide")),
    LineStatus.REGISTERED_LATE: ("counts", gettext_lazy("Will likely count")),
    LineStatus.DUPLICATE: ("already_signed", gettext_lazy("Already signed this petition")),
}
# The outcomes that may show voters: the typed line is someone at that address. The others
# (not found, another address, out of the county, incomplete) show nobody.
_SHOWS_VOTERS = {"counts", "already_signed", "unsure", "canceled"}
# How well a candidate's surname and given name must agree with the typed ones to be shown:
# both at least partly (an initial, a nickname, a misspelling), never one of them alone.
_SURNAME_LEVELS = {EXACT, COMPOUND, CLOSE, PHONETIC}
_GIVEN_LEVELS = {EXACT, NICKNAME, CLOSE, PHONETIC, INITIAL, NICK_INITIAL}


def _strong(candidate: dict[str, Any]) -> bool:
    """The typed name and address together point at this voter: both names agree at least
    partly and the voter is registered at the typed house number and street, in a city that
    does not contradict the typed one."""
    fields = candidate.get("fields", {})
    return (
        fields.get("surname") in _SURNAME_LEVELS
        and fields.get("first") in _GIVEN_LEVELS
        and fields.get("number") == "agree"
        and fields.get("street") in (EXACT, CLOSE)
        and fields.get("city") != DIFFERENT
    )


def line_hint(
    *, petition: Petition, data: LineInput, roll_id: int | None, line_id: int | None = None,
    section: Section | None = None,
) -> Hint | None:  # fmt: skip
    """The likely outcome of a line as typed against the active roll (roll_id; None: no roll is
    active) for a line of `section`; None until it has a name and an address."""
    keys = line_keys(data.printed_name, data.residence_address, data.city, data.zip)
    if not keys.has_name or not keys.has_address:
        return None
    if roll_id is None:
        return Hint("no_roll", _("No voter roll is loaded yet: lines wait for one."))
    found = find_candidates(roll_id, {0: keys})
    decision = decision_for(decide(keys, found.ranked(0), signed=data.signed, **found.facts(0)))
    boundary = Boundary.of(petition, roll_id)
    decision = decided_inside(boundary, section, decision)
    outcome, label = _OUTCOMES.get(decision.status, ("incomplete", gettext_lazy("Incomplete")))
    message = str(label)
    if decision.rule == "outside_electorate":
        # Who signs outside the electorate is no secret of the roll: the keyer may set the line
        # aside or tell the circulator (never where the voter is registered).
        if decision.notes and decision.notes[0] == OTHER_COUNTY:
            message = _("Registered in another county: this section's county does not count it")
        else:
            message = _("Registered outside %(electorate)s: will not count") % {
                "electorate": boundary.electorate.label(petition)
            }
    if decision.status == LineStatus.VALID:
        voters = [decision.found.registrant_id, *(c.registrant_id for c in decision.alternatives)]
        counted = Line.objects.filter(
            petition=petition, counted=True, voter_registrant_id__in=voters
        ).select_related("section")
        if line_id is not None:  # a saved line is not its own earlier signature
            counted = counted.exclude(pk=line_id)
        earlier = counted.first()
        if earlier is not None:
            outcome = "already_signed"
            message = _("Already signed on section %(serial)s line %(number)s") % {
                "serial": earlier.section.serial, "number": earlier.number,
            }  # fmt: skip
    elif decision.status == LineStatus.INCOMPLETE:
        message = _("Incomplete: %(summary)s") % {"summary": reason_in_words(decision.summary)}
    shown = [c for c in decision.candidates if _strong(c)] if outcome in _SHOWS_VOTERS else []
    return Hint(outcome, message, [
        {"name": c["name"], "address": c["address"], "city": c["city"]}
        for c in shown[:HINT_CANDIDATES]
    ])  # fmt: skip


def _flag(user: User, reason: str, **detail: Any) -> None:
    log.warning("voter look-ups flagged for user %s: %s", user.get_username(), reason)
    audit(user=user, action=AuditEvent.Action.LOOKUP_FLAG, target=f"user {user.get_username()}",
          reason=reason, **detail)  # fmt: skip


class LookupsPaused(Exception):
    """Redis is unreachable: look-ups cannot be counted against the limits, so none are made
    (uncounted, the hint would be an unlimited search of the roll)."""


class LookupRefused(StrEnum):
    """Why a look-up was refused: the minute's limit, or the day's cap (paused until tomorrow)."""

    MINUTE = "minute"
    DAY = "day"


def lookup_refused(*, user: User) -> LookupRefused | None:
    """Count a user's voter look-up; why it is refused, or None when it may go ahead.

    Refused over the per-minute limit (VOTER_LOOKUPS_PER_MINUTE) and, for the rest of the day,
    past the day's cap (VOTER_LOOKUPS_MAX_PER_DAY). Unusual volume is flagged to admins in the
    audit log: going over the minute's limit (at most once an hour), and passing the day's flag
    level (once; refused look-ups still count, so the flag comes even if the cap is lower). Both
    counts are Redis counters, taken in one round trip: a hint is the most frequent request.
    Raises LookupsPaused when Redis is unreachable."""
    now = timezone.localtime()
    if redis_down():
        raise LookupsPaused
    try:
        # The configured backend is recall.cache.RedisCache (settings.CACHES), which adds incr_all.
        minute, today = cast(RedisCache, cache).incr_all({
            f"lookups:{user.pk}:{now:%Y%m%d%H%M}": 120,
            f"lookups:{user.pk}:{now:%Y%m%d}": 2 * 86400,
        })  # fmt: skip
    except REDIS_ERRORS as exc:
        redis_failed(exc)
        raise LookupsPaused from None
    limit = settings.VOTER_LOOKUPS_PER_MINUTE
    over = minute > limit
    if over and cache.add(f"lookups:{user.pk}:flagged:{now:%Y%m%d%H}", 1, 3600):
        _flag(user, f"over {limit} look-ups a minute", limit=limit)
    # incr is atomic in Redis: exactly one request sees the count pass the level.
    level = settings.VOTER_LOOKUPS_FLAG_PER_DAY
    if today == level + 1:
        _flag(user, f"over {level:,} look-ups today", level=level)
    if today > settings.VOTER_LOOKUPS_MAX_PER_DAY:
        return LookupRefused.DAY
    return LookupRefused.MINUTE if over else None
