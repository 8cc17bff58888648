from django.db.models import QuerySet, Subquery

from voters.models import VoterRoll


def voter_roll_list(limit: int = 50) -> QuerySet[VoterRoll]:
    return VoterRoll.objects.select_related("imported_by").order_by("-created_at")[:limit]


def _active() -> QuerySet[VoterRoll]:
    return VoterRoll.objects.filter(state=VoterRoll.State.ACTIVE)


def active_roll() -> VoterRoll | None:
    # Every hint and validation batch asks: without the import's report (its first rejected
    # rows can be large JSON), which none of them reads.
    return _active().defer("rejects", "reject_counts").first()


def active_roll_id_subquery() -> Subquery:
    """The active roll's id, for another query to carry along: the live hint gets it with its
    section, in one round trip."""
    return Subquery(_active().values("pk")[:1])
