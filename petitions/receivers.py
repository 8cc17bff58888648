"""Receivers of the voters app's signals (voters depends on nothing of petitions: it tells us)."""

from datetime import datetime
from typing import Any

from petitions.tasks import revalidate_after_roll_change
from petitions.validation.county import lines_reset_for_county
from voters.models import VoterRoll


def roll_activated(sender: type[VoterRoll], *, roll: VoterRoll, **kwargs: Any) -> None:
    """A new roll is active: lines decided against an older one are checked again (the signal is
    sent after commit, so the worker sees the new roll)."""
    revalidate_after_roll_change.delay()


def roll_county_replacing(
    sender: type[VoterRoll],
    *,
    roll: VoterRoll,
    county_code: str,
    old_table: str,
    since: datetime,
    **kwargs: Any,
) -> int:
    """One county's voters of a roll by county are being replaced: its lines go back to pending
    in the same transaction (petitions.validation.county)."""
    return lines_reset_for_county(
        roll=roll, county_code=county_code, old_table=old_table, since=since
    )
