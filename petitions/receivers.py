"""Receivers of the voters app's signals (voters depends on nothing of petitions: it tells us)."""

from petitions.tasks import revalidate_after_roll_change


def roll_activated(sender, *, roll, **kwargs) -> None:
    """A new roll is active: lines decided against an older one are checked again (the signal is
    sent after commit, so the worker sees the new roll)."""
    revalidate_after_roll_change.delay()
