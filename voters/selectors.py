from typing import TypedDict

from django.conf import settings
from django.db.models import QuerySet, Subquery, Sum

from voters.models import VoterPlace, VoterRoll, VoterRollCounty


def voter_roll_list(limit: int = 50) -> QuerySet[VoterRoll]:
    return VoterRoll.objects.select_related("imported_by").order_by("-created_at")[:limit]


def roll_counties(roll: VoterRoll) -> QuerySet[VoterRollCounty]:
    """A roll by county's counties: voters, file, when loaded and last replaced alone."""
    return VoterRollCounty.objects.filter(roll=roll).select_related("replaced_by")


def _active() -> QuerySet[VoterRoll]:
    return VoterRoll.objects.filter(state=VoterRoll.State.ACTIVE)


def active_roll() -> VoterRoll | None:
    # Every hint and validation batch asks: without the import's report (its first rejected
    # rows can be large JSON), which none of them reads.
    return _active().defer("rejects", "reject_counts", "warnings", "warning_counts").first()


def active_roll_id_subquery() -> Subquery:
    """The active roll's id, for another query to carry along: the live hint gets it with its
    section, in one round trip."""
    return Subquery(_active().values("pk")[:1])


class CityVoters(TypedDict):
    city: str
    old: int
    new: int
    difference: int


def roll_voters_by_city(*, candidate: VoterRoll, active: VoterRoll | None) -> list[CityVoters]:
    """The voters of two rolls by city (the roll's normalised city), largest changes first:
    [{"city", "old", "new", "difference"}]. From the rolls' place tables, not their voters."""
    counts: dict[str, dict[str, int]] = {}
    side = {candidate.pk: "new"} | ({active.pk: "old"} if active else {})
    rows = (
        VoterPlace.objects.filter(roll_id__in=side)
        .values("roll_id", "city_key")
        .annotate(voters=Sum("voters"))
        .values_list("roll_id", "city_key", "voters")
    )
    for roll_id, city, voters in rows:  # both rolls in one query
        counts.setdefault(city or "(no city)", {"old": 0, "new": 0})[side[roll_id]] += voters
    table: list[CityVoters] = [
        {"city": city, "old": c["old"], "new": c["new"], "difference": c["new"] - c["old"]}
        for city, c in counts.items()
    ]
    return sorted(table, key=lambda row: (-abs(row["difference"]), row["city"]))


def roll_shrink_reason(*, candidate: VoterRoll, active: VoterRoll | None) -> str:
    """Why this roll must not become active without an admin confirming ('' if it may): it
    has far fewer voters than the active roll (a partial or wrong-county file)."""
    if active is None or active.pk == candidate.pk or not active.rows_imported:
        return ""
    share = candidate.rows_imported / active.rows_imported
    if share * 100 >= settings.ROLL_SHRINK_CONFIRM_PERCENT:
        return ""
    return (
        f"it has {candidate.rows_imported:,} voters, {share:.0%} of the active roll's "
        f"{active.rows_imported:,} (below ROLL_SHRINK_CONFIRM_PERCENT, "
        f"{settings.ROLL_SHRINK_CONFIRM_PERCENT}%)"
    )
