"""Receivers of the voters app's signals (voters depends on nothing of petitions: it tells us)."""

from typing import Any

from petitions.tasks import revalidate_after_roll_change
from voters.models import VoterRoll


def roll_activated(sender: type[VoterRoll], *, roll: VoterRoll, **kwargs: Any) -> None:
    """A new roll is active: lines decided against an older one are checked again (the signal is
    sent after commit, so the worker sees the new roll)."""
    revalidate_after_roll_change.delay()
