"""Validating petition lines against the active voter roll: claim, match, decide, count once.

Workers claim pending lines in batches (FOR UPDATE SKIP LOCKED, so any number of workers share the
work without overlap), find candidates for the whole batch set-based (voters.matching), decide
each line (voters.scoring) and write the decisions in one transaction. One voter counts once per
petition: the partial unique index on counted lines guarantees it, and per-voter advisory locks
make concurrent batches that meet the same voter take turns instead of failing.
"""

import contextlib
import json
import logging
import math
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone
from redis.exceptions import RedisError

from petitions.models import Line, Petition
from voters.matching import NAME_CAP, counted_namesakes, find_candidates
from voters.models import VoterRoll
from voters.scoring import Decision, decide, line_keys
from voters.selectors import active_roll

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
MANUAL = "manual"  # reason rule of a decision made by a reviewer: never overwritten automatically


def validation_enqueue(*, petition_id: int) -> int:
    """Send workers to validate a petition's pending lines; returns how many tasks were sent.

    Idempotent: each task claims its own lines, so extra tasks find nothing and stop.
    """
    from petitions.tasks import validate_pending

    pending = Line.objects.filter(petition_id=petition_id, status=Line.Status.PENDING).count()
    tasks = min(math.ceil(pending / BATCH_SIZE), settings.VALIDATION_PARALLEL_TASKS)
    for _ in range(tasks):
        validate_pending.delay(petition_id)
    return tasks


# Set while a validation task of the petition is queued and not started (it clears the key when
# it starts): saves meanwhile send no other task, since that one will claim their lines too.
QUEUED_FOR = 30  # seconds; if the message is lost, the sweep sends another anyway


def validation_queued_key(petition_id: int) -> str:
    return f"validation:{petition_id}:queued"


def validation_request(*, petition_id: int) -> bool:
    """Send a worker to a petition's pending lines, unless one is already queued and has not
    started; True if a task was sent. Without the cache, always sends one. The task starts
    VALIDATION_GATHER_MS later, and takes every line saved until then."""
    from petitions.tasks import validate_pending

    try:
        if not cache.add(validation_queued_key(petition_id), 1, timeout=QUEUED_FOR):
            return False
    except RedisError:
        pass
    gather = settings.VALIDATION_GATHER_MS / 1000
    validate_pending.apply_async((petition_id,), countdown=gather or None)
    return True


def validation_started(*, petition_id: int) -> None:
    """A validation task starts: lines saved from now on need a task of their own (this one may
    have claimed its last batch before they are committed)."""
    with contextlib.suppress(RedisError):
        cache.delete(validation_queued_key(petition_id))


def pending_lines_sweep(*, stale_after: timedelta) -> list[int]:
    """Send workers again to petitions with lines pending for longer than stale_after (their
    message lost with the broker, or their worker killed mid-batch); returns those petitions."""
    stale = (
        Line.objects.filter(status=Line.Status.PENDING)
        .values("petition_id")
        .annotate(oldest=Min("updated_at"))
        .filter(oldest__lt=timezone.now() - stale_after)
    )
    petitions = [row["petition_id"] for row in stale]
    for petition_id in petitions:
        validation_enqueue(petition_id=petition_id)
    return petitions


def petition_validate_pending(*, petition_id: int, batch_size: int = BATCH_SIZE) -> int:
    """Claim one batch of the petition's pending lines and decide them; 0 when none are left."""
    roll = active_roll()
    if roll is None:
        log.warning("no active voter roll: lines of petition %s stay pending", petition_id)
        return 0
    with transaction.atomic():
        # If a database crash loses this commit, the batch's lines are simply still pending and
        # the sweep sends them out again: the commit need not wait for the disk.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
        ids = list(
            Line.objects.filter(petition_id=petition_id, status=Line.Status.PENDING)
            .order_by("id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:batch_size]
        )
        if ids:
            _decide_locked(Petition.objects.get(pk=petition_id), ids, roll)
    return len(ids)


def lines_reset_for_revalidation(*, petition_id: int, stale_roll_only: bool = True) -> int:
    """Put automatically decided lines back to pending (not reviewers' decisions, and never a
    blank line: blank is what the paper says, not a decision against a roll)."""
    roll = active_roll()
    lines = Line.objects.filter(petition_id=petition_id).exclude(
        status__in=(Line.Status.PENDING, Line.Status.BLANK)
    )
    # A reviewer's decision, and a line waiting for a reviewer after such a decision was fixed.
    lines = lines.exclude(reason__rule__in=(MANUAL, "fixed_after_review"))
    if stale_roll_only and roll is not None:
        lines = lines.filter(~Q(validated_roll=roll) | Q(validated_roll__isnull=True))
    return lines.update(status=Line.Status.PENDING, counted=False, updated_at=timezone.now())


def _decide_locked(petition: Petition, ids: list[int], roll: VoterRoll) -> None:
    lines = list(
        Line.objects.filter(id__in=ids)
        .select_related("section")
        .only(
            "id",
            "petition_id",
            "number",
            "printed_name",
            "residence_address",
            "city",
            "zip",
            "signed",
            "withdrawn",
            "date_signed",
            "section__serial",
            "section__circulated_to",
        )
    )
    keys = {
        line.id: line_keys(line.printed_name, line.residence_address, line.city, line.zip)
        for line in lines
    }
    found = find_candidates(roll.id, keys)
    decisions = {
        line.id: decide(
            keys[line.id],
            found.ranked(line.id),
            name_count=found.name_counts.get(line.id, 0),
            places=found.places,
            signed=line.signed,
            withdrawn=line.withdrawn,
        )
        for line in lines
    }
    for line in lines:
        apply_registration_rule(petition, line, decisions[line.id])
    counted = count_once(petition, lines, decisions)
    _signed_before_under_this_name(petition, roll, lines, keys, decisions, found.name_counts)
    write_decisions(lines, decisions, counted, roll)


def write_decisions(lines, decisions, counted: set[int], roll: VoterRoll | None) -> None:
    """One set-based UPDATE for the whole batch (bulk_update's CASE per row is far slower)."""
    ids = [line.id for line in lines]
    decided = [decisions[i] for i in ids]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE petitions_line AS l
            SET status = d.status, voter_registrant_id = d.voter, counted = d.counted,
                score = d.score, reason = d.reason::jsonb, validated_roll_id = %s,
                namesakes = string_to_array(d.namesakes, ' '), validated_at = now(),
                updated_at = now()
            FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::boolean[], %s::float8[],
                        %s::text[], %s::text[])
                AS d(id, status, voter, counted, score, reason, namesakes)
            WHERE l.id = d.id
            """,
            [
                roll.id if roll else None, ids, [d.status for d in decided],
                [d.voter.registrant_id if d.voter else "" for d in decided],
                [i in counted for i in ids], [d.score for d in decided],
                [json.dumps(d.reason()) for d in decided],
                [" ".join(decisions[i].namesakes) if i in counted else "" for i in ids],
            ],
        )  # fmt: skip


def apply_registration_rule(petition: Petition, line: Line, decision: Decision) -> None:
    """A voter registered after the petition's cut-off date does not count (a petition setting)."""
    if decision.status != "valid" or decision.voter.registration_date is None:
        return
    if petition.registration_rule == Petition.RegistrationRule.AT_SIGNING:
        cutoff = line.date_signed or line.section.circulated_to
        when = "signing"
    else:
        cutoff, when = petition.filed_on, "filing"
    if cutoff is not None and decision.voter.registration_date > cutoff:
        decision.status = "registered_late"
        decision.rule = "registered_late"
        decision.summary = (
            f"registered on {decision.voter.registration_date:%Y-%m-%d}, after {when} "
            f"({cutoff:%Y-%m-%d}); {decision.summary}"
        )


def _lock_voters(petition_id: int, registrant_ids: list[str]) -> None:
    # Sorted, so two batches meeting the same voters always lock them in the same order.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, hashtext(r))) "
            "FROM (SELECT r FROM unnest(%s::text[]) AS r ORDER BY r) AS ordered",
            [petition_id, sorted(registrant_ids)],
        )


def count_once(petition: Petition, lines: list[Line], decisions: dict[int, Decision]) -> set[int]:
    """Which valid lines of this batch count; the others of the same voter become duplicates.

    1. Lock every voter the batch's valid lines may be (namesakes included), in sorted order.
    2. Read which of them already have lines in the petition (decided earlier, committed), and
       which counted household-tie lines could be them.
    3. In section/line order, the first line of a voter counts unless an earlier one does.
       A line that fits several voters of a household equally (namesakes, a shared initial)
       counts as one of them only while none of them has signed by name; a voter who signs by
       name later finds that line already standing for them (see _settle_tie).
    """
    ordered = sorted(lines, key=lambda ln: (ln.section.serial, ln.number))
    valid = [ln for ln in ordered if decisions[ln.id].status == "valid"]
    if not valid:
        return set()
    voter_ids = {
        c.registrant_id
        for ln in valid
        for c in (decisions[ln.id].voter, *decisions[ln.id].alternatives)
    }
    _lock_voters(petition.pk, list(voter_ids))
    if petition.duplicate_rule == Petition.DuplicateRule.REJECT_ALL:
        return _count_reject_all(petition, lines, valid, decisions, voter_ids)
    holders: dict[str, Line] = {
        line.voter_registrant_id: line for line in _counted_lines(petition.pk, voter_ids)
    }
    # Counted tie lines (committed, then of this batch) by every voter they may stand for.
    ties: dict[str, Line] = {}
    batch = {ln.id for ln in lines}
    for tie in _tie_lines(petition.pk, voter_ids):
        if tie.id not in batch:
            ties.update(dict.fromkeys(tie.namesakes, tie))
    counted: set[int] = set()
    for line in valid:
        decision = decisions[line.id]
        options = [decision.voter, *decision.alternatives]
        # If one of the voters a tie line fits has signed already, nothing on paper tells a
        # second signer from the same one again: counting it would risk counting one twice.
        held = next((c for c in options if c.registrant_id in holders), None)
        decision.voter = held or options[0]
        voter = decision.voter.registrant_id
        tie = ties.get(voter) if not decision.alternatives else None
        if tie is not None and voter in holders and holders[voter].id != tie.id:
            tie = None  # this voter counts on a line of their own already
        if tie is not None:
            for other in tie.namesakes:
                ties.pop(other, None)
            holders.pop(tie.voter_registrant_id, None)
            _settle_tie(tie, voter, decisions)
            holders[voter] = tie
        holder = holders.get(voter)
        if holder is None:
            counted.add(line.id)
            holders[voter] = line
            if decision.alternatives:
                decision.namesakes = [c.registrant_id for c in options]
                # Mirrored on the line, so batch and committed tie lines read alike.
                line.voter_registrant_id, line.namesakes = voter, decision.namesakes
                ties.update(dict.fromkeys(decision.namesakes, line))
        else:
            _mark_duplicate(decision, [holder], line)
    return counted


def _settle_tie(tie: Line, voter: str, decisions: dict[int, Decision]) -> None:
    """A voter signing by name meets a counted household-tie line that may be them: that line
    now stands for this voter for good (whose own line is then the duplicate), so that whoever
    the tie line was, no voter counts twice. Erring this way never overstates the count."""
    note = f"; taken to be voter {voter}, who also signed by name"
    if tie.id in decisions:  # of this batch: not written yet
        decision = decisions[tie.id]
        options = [decision.voter, *decision.alternatives]
        decision.voter = next(c for c in options if c.registrant_id == voter)
        decision.namesakes = []
        decision.summary += note
        tie.voter_registrant_id, tie.namesakes = voter, []
        return
    reason = {**tie.reason, "summary": tie.reason.get("summary", "") + note}
    Line.objects.filter(pk=tie.pk).update(
        voter_registrant_id=voter, namesakes=[], reason=reason, updated_at=timezone.now()
    )
    tie.voter_registrant_id, tie.namesakes, tie.reason = voter, [], reason


def _lines_found_by(sql: str, params: list) -> list[Line]:
    """Lines (with their section) whose ids a hand-planned query returns."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    return list(Line.objects.filter(id__in=ids).select_related("section")) if ids else []


def _counted_lines(petition_id: int, voter_ids: set[str]) -> list[Line]:
    """The lines that count for these voters (committed): one probe each into the partial unique
    index, whatever the planner believes about a petition whose lines were just loaded."""
    return _lines_found_by(
        """
        SELECT p.id FROM unnest(%s::text[]) AS v(registrant_id)
        JOIN petitions_line p ON p.petition_id = %s AND p.counted
                             AND p.voter_registrant_id = v.registrant_id
        """,
        [list(voter_ids), petition_id],
    )


def _tie_lines(petition_id: int, voter_ids: set[str]) -> list[Line]:
    """Counted household-tie lines that may stand for any of these voters."""
    # Through the small partial GIN index of tie lines only ("+ 0" keeps the planner off the
    # petition's big indexes when its statistics are stale).
    return _lines_found_by(
        """
        SELECT id FROM petitions_line
        WHERE counted AND NOT namesakes = '{}' AND namesakes && %s::varchar(32)[]
          AND petition_id + 0 = %s
        """,
        [list(voter_ids), petition_id],
    )


def _count_reject_all(petition, lines, valid, decisions, voter_ids) -> set[int]:
    """Reject-all rule: a voter with more than one line has none counted."""
    earlier: dict[str, list[Line]] = {}
    for other in (
        Line.objects.filter(petition=petition, voter_registrant_id__in=list(voter_ids))
        .filter(status__in=["valid", "duplicate"])
        .exclude(id__in=[ln.id for ln in lines])
        .select_related("section")
        .order_by("section__serial", "number")
    ):
        earlier.setdefault(other.voter_registrant_id, []).append(other)
    counted: set[int] = set()
    by_voter: dict[str, list[Line]] = {}
    for line in valid:
        decision = decisions[line.id]
        by_voter.setdefault(decision.voter.registrant_id, []).append(line)
    for voter, voter_lines in by_voter.items():
        previous = earlier.get(voter, [])
        if len(voter_lines) + len(previous) > 1:
            for line in voter_lines:
                _mark_duplicate(decisions[line.id], previous or voter_lines, line)
            _reject_earlier(petition, voter, previous)
        else:
            counted.add(voter_lines[0].id)
    return counted


def _signed_before_under_this_name(petition, roll, lines, keys, decisions, name_counts) -> None:
    """A line not found at its address whose name is already counted in this petition (by one
    voter only) is that voter signing again, at another address: a duplicate."""
    # A name borne by NAME_CAP or more voters cannot tell one signer from another: skip it.
    open_lines = {
        ln.id: (keys[ln.id].last_key, keys[ln.id].first_canon)
        for ln in lines
        if decisions[ln.id].status in ("not_registered", "address_mismatch")
        and keys[ln.id].has_name
        and name_counts.get(ln.id, 0) < NAME_CAP
    }
    if not open_lines:
        return
    namesakes = counted_namesakes(roll.id, petition.pk, open_lines)
    # Valid lines of this very batch count too (not committed yet, so not in the query).
    in_batch: dict[tuple[str, str], set[str]] = {}
    for ln in lines:
        decision = decisions[ln.id]
        if decision.status == "valid":
            key = (decision.voter.last_key, decision.voter.first_canon)
            in_batch.setdefault(key, set()).add(decision.voter.registrant_id)
    for line_id, name in open_lines.items():
        voters = namesakes.get(line_id, set()) | in_batch.get(name, set())
        if len(voters) == 1:
            decision = decisions[line_id]
            decision.status, decision.rule = "duplicate", "signed_before_elsewhere"
            decision.summary = (
                f"a voter of this name ({next(iter(voters))}) already signed this petition; "
                f"{decision.summary}"
            )


def _mark_duplicate(decision: Decision, others: list[Line], line: Line) -> None:
    other = next((o for o in others if o.id != line.id), None)
    where = f"section {other.section.serial} line {other.number}" if other else "another line"
    decision.status = "duplicate"
    decision.rule = "duplicate"
    decision.summary = f"signed more than once: also on {where}; {decision.summary}"


def _reject_earlier(petition: Petition, registrant_id: str, previous: list[Line]) -> None:
    """Reject-all rule: lines of this voter decided earlier stop counting too."""
    ids = [o.id for o in previous if o.status == "valid" or o.counted]
    if ids:
        Line.objects.filter(id__in=ids).update(
            status=Line.Status.DUPLICATE, counted=False, updated_at=timezone.now()
        )


@transaction.atomic
def line_withdraw(*, line_id: int) -> Line:
    """Record a signer's written withdrawal (EC 11303); another line of the voter takes its place.

    1. Lock the line; mark it withdrawn (it no longer counts).
    2. If it was the voter's counted line, the voter's earliest duplicate line found at its
       address counts instead (under the voter's advisory lock, like any counting).
    """
    line = Line.objects.select_for_update().get(pk=line_id)
    was_counted, voter = line.counted, line.voter_registrant_id
    line.withdrawn = True
    line.status = Line.Status.WITHDRAWN
    line.counted = False
    line.reason = {"rule": "withdrawn", "summary": "the signer withdrew (EC 11303)",
                   "candidates": line.reason.get("candidates", [])}  # fmt: skip
    line.save(update_fields=["withdrawn", "status", "counted", "reason", "updated_at"])
    if was_counted and voter:
        line_promote_replacement(petition_id=line.petition_id, registrant_id=voter)
    return line


def line_promote_replacement(*, petition_id: int, registrant_id: str) -> Line | None:
    """The voter's counted line is gone: their earliest duplicate line (at their address) counts."""
    _lock_voters(petition_id, [registrant_id])
    if Line.objects.filter(
        petition_id=petition_id, voter_registrant_id=registrant_id, counted=True
    ).exists():
        return None
    replacement = (
        Line.objects.select_for_update()
        .filter(
            petition_id=petition_id,
            voter_registrant_id=registrant_id,
            status=Line.Status.DUPLICATE,
            reason__rule__in=["duplicate", MANUAL],
        )
        .select_related("section")
        .order_by("section__serial", "number")
        .first()
    )
    if replacement is None:
        return None
    replacement.status, replacement.counted = Line.Status.VALID, True
    summary = replacement.reason.get("summary", "").split("; ", 1)[-1]
    replacement.reason = {
        **replacement.reason,
        "rule": "match",
        "summary": f"counts in place of the voter's line that no longer does; {summary}",
    }
    replacement.save(update_fields=["status", "counted", "reason", "updated_at"])
    return replacement
