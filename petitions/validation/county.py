"""Lines to decide again after one county's voters of a roll by county were replaced.

The roll keeps its id, so "decided against another roll" (lines_reset_for_revalidation) does not
find them: these are the automatically decided lines whose decision the county's voters may
change, found set-based.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate
from django.utils import timezone

from petitions.decisions import MANUAL
from petitions.models import Line
from petitions.validation.queue import validation_enqueue
from voters.models import VoterRoll


def _may_change(county_code: str, voters: RawSQL | None) -> Q:
    """Lines of a section circulated in the county; lines of sections without a county in a
    petition whose electorate takes the county in (its counties name it, or it has none: the
    whole roll); lines not found on the roll in such a petition (the county may hold them now);
    and lines whose voter is among `voters` (the county's registrant ids, old or new: they may
    have moved, gone, or now be out of the section's county)."""
    electorate = Q(petition__electorate_counties__contains=[county_code]) | Q(
        petition__electorate_counties=[]
    )
    where = (
        Q(section__county_code=county_code)
        | (Q(section__county_code="") & electorate)
        | (Q(status=Line.Status.NOT_REGISTERED) & electorate)
    )
    # A semi-join on the county's primary key (ids compared in its "C" collation).
    return where | Q(registrant_c__in=voters) if voters is not None else where


def _decided(roll: VoterRoll) -> QuerySet[Line]:
    return (
        Line.objects.alias(registrant_c=Collate("voter_registrant_id", "C"))
        .filter(validated_roll=roll)
        .exclude(status__in=(Line.Status.PENDING, Line.Status.BLANK))
        .exclude(reason__rule__in=(MANUAL, "fixed_after_review"))
    )


def lines_reset_for_county(
    *, roll: VoterRoll, county_code: str, old_table: str, since: datetime
) -> int:
    """Put back to pending the automatically decided lines the county's new voters may decide
    otherwise (inside the replacement's transaction, before its swap); after commit, the lines
    decided meanwhile against the old voters likewise, and workers are sent."""
    if roll.state != VoterRoll.State.ACTIVE:
        return 0  # lines are decided against the active roll only
    # The table name is the roll's own (voters.services builds it from integers).
    select = f"SELECT registrant_id FROM {old_table} WHERE roll_id = %s"  # noqa: S608
    old_voters = RawSQL(select, [roll.pk]) if old_table else None  # noqa: S611
    lines = _decided(roll).filter(_may_change(county_code, old_voters))
    petitions = set(lines.values_list("petition_id", flat=True).distinct())
    reopened = lines.update(status=Line.Status.PENDING, counted=False, updated_at=timezone.now())

    def after_commit() -> None:
        # A batch that read the county's old voters finished before the swap could take the
        # roll (it holds the roll's table until it commits): what it decided since is redone.
        # The county's new voters stand for the old ones here (their table is dropped).
        new_voters = RawSQL(
            "SELECT registrant_id FROM voters_voter WHERE roll_id = %s AND county_code = %s",
            [roll.pk, county_code],
        )
        late = (
            _decided(roll)
            .filter(validated_at__gte=since)
            .filter(_may_change(county_code, new_voters))
        )
        petitions.update(late.values_list("petition_id", flat=True).distinct())
        late.update(status=Line.Status.PENDING, counted=False, updated_at=timezone.now())
        for petition_id in sorted(petitions):
            validation_enqueue(petition_id=petition_id)

    transaction.on_commit(after_commit)
    return reopened
