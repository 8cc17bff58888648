"""Counting each voter once per petition: a voter's earliest line on paper counts, whichever
batch decided which line first; household-tie lines, the reject-all rule, a withdrawn line's
replacement."""

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from petitions import decisions as steps
from petitions.decisions import MANUAL, Decision, tie_options
from petitions.entry import line_event_record, line_state
from petitions.models import Line, LineEvent, LineStatus, Petition


def _lock_voters(petition_id: int, registrant_ids: list[str]) -> None:
    # Sorted, so two batches meeting the same voters always lock them in the same order.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, hashtext(r))) "
            "FROM (SELECT r FROM unnest(%s::text[]) AS r ORDER BY r) AS ordered",
            [petition_id, sorted(registrant_ids)],
        )


@dataclass
class Counting:
    """What counting a batch decided: its lines that count, the voters whose counted line
    changed among the lines decided before (whose names may change other lines' decisions), and
    the batch's decisions as the counting left them."""

    counted: set[int]
    voters_changed: set[str]
    decisions: dict[int, Decision]


# The decisions of lines that counting may change: matched lines, valid or made duplicates.
COUNTING_RULES = {"match", "namesakes_at_address", "household_initial", "duplicate"}


@dataclass
class _Signer:
    """One line in the counting: who it may be, and what the counting makes of it."""

    line: Line
    options: list[str]  # the voters it may be (one, unless a household tie: see tie_options)
    voter: str = ""
    counted: bool = False
    namesakes: list[str] = field(default_factory=list)
    settled: bool = False  # a tie line taken to be the one of its voters who signed by name
    duplicate_of: Line | None = None


def recount(
    petition: Petition,
    lines: list[Line],
    decisions: dict[int, Decision],
    also_lock: frozenset[str] | set[str] = frozenset(),
) -> Counting:
    """Count a batch's valid lines with every line decided before that shares a voter with them.

    1. Lock every voter the batch's valid lines may be (namesakes included), and also_lock, in
       sorted order, at once; then the other voters of the tie lines met on the way (rarely
       any: a second round of locks can deadlock with another batch, which Postgres detects;
       the batch then fails and its lines are validated again).
    2. Read the lines decided before that may be any of these voters.
    3. Count them all again, in section/line order, as if decided in one batch: a voter's
       earliest line counts and the later ones are duplicates, whichever batch decided which
       line first, so the same lines get the same decisions whatever the order of the batches.
       A line that fits several voters of a household equally (namesakes, a shared initial)
       counts as one of them only while none of them has signed by name; a voter who signs by
       name later on paper finds that line standing for them (and is the duplicate), so that
       whoever the tie line was, no voter counts twice. A reviewer's counted line keeps its
       voter whatever comes before it.
    4. Write what changed for the lines decided before (those that stop counting first: one
       counted line per voter holds at every step); the batch's decisions are set for the
       caller to write.
    """
    valid = [ln for ln in lines if decisions[ln.id].status == LineStatus.VALID]
    voters = {
        c.registrant_id for ln in valid
        for c in (decisions[ln.id].found, *decisions[ln.id].alternatives)
    }  # fmt: skip
    locked = voters | set(also_lock)
    if locked:
        _lock_voters(petition.pk, list(locked))
    if not valid:
        return Counting(set(), set(), decisions)
    if petition.duplicate_rule == Petition.DuplicateRule.REJECT_ALL:
        counted, decisions = _count_reject_all(petition, lines, valid, decisions, voters)
        return Counting(counted, set(), decisions)
    batch = {ln.id for ln in lines}
    # Every line of every voter these lines may be, and of every voter those lines may be in
    # turn (a tie line brings its other voters). The lines of a locked voter cannot change
    # before this transaction ends: each voter's are read once.
    before: dict[int, Line] = {}
    read: set[str] = set()
    unread = set(voters)
    while unread:
        if unread - locked:  # rarely: another voter of a tie line decided before
            _lock_voters(petition.pk, list(unread - locked))
            locked |= unread
        before |= {ln.id: ln for ln in _lines_of_voters(petition.pk, unread, batch)}
        read |= unread
        unread = {v for ln in before.values() for v in _may_be(ln)} - read
    signers = [
        *(_Signer(ln, tie_options(decisions[ln.id]) or [decisions[ln.id].found.registrant_id])
          for ln in valid),
        *(_Signer(ln, _may_be(ln)) for ln in before.values()
          if ln.reason.get("rule") != MANUAL),
    ]  # fmt: skip
    fixed = [ln for ln in before.values() if ln.reason.get("rule") == MANUAL and ln.counted]
    _count_in_order(signers, fixed)
    decisions = decisions | {
        s.line.id: _decision_counted(decisions[s.line.id], s) for s in signers if s.line.id in batch
    }
    changed = [s for s in signers if s.line.id not in batch and _changes(s)]
    for signer in sorted(changed, key=lambda s: s.counted):  # those that stop counting first
        _write_counted(signer)
    return Counting(
        {s.line.id for s in signers if s.counted and s.line.id in batch},
        {v for s in changed for v in (s.voter, s.line.voter_registrant_id) if v},
        decisions,
    )


def _may_be(line: Line) -> list[str]:
    """The voters a line decided before may be: its tie's voters, or its own."""
    return list(line.options) or [line.voter_registrant_id]


def _count_in_order(signers: list[_Signer], fixed: list[Line]) -> None:
    """The counting itself, over lines in section/line order (see recount)."""
    holders: dict[str, _Signer | Line] = {ln.voter_registrant_id: ln for ln in fixed}
    ties: dict[str, _Signer] = {}  # counted tie lines, by every voter they may stand for
    for signer in sorted(signers, key=lambda s: _place(s.line)):
        options = signer.options
        # If one of the voters a tie line fits has signed already, nothing on paper tells a
        # second signer from the same one again: counting it would risk counting one twice.
        voter = next((v for v in options if v in holders), options[0])
        tie = ties.get(voter) if len(options) == 1 else None
        if tie is not None and holders.get(voter, tie) is not tie:
            tie = None  # this voter counts on a line of their own already
        if tie is not None:
            for other in tie.namesakes:
                ties.pop(other, None)
            holders.pop(tie.voter, None)
            tie.voter, tie.namesakes, tie.settled = voter, [], True
            holders[voter] = tie
        signer.voter = voter
        holder = holders.get(voter)
        if holder is None:
            signer.counted = True
            holders[voter] = signer
            if len(options) > 1:
                signer.namesakes = list(options)
                ties.update(dict.fromkeys(options, signer))
        else:
            signer.duplicate_of = holder.line if isinstance(holder, _Signer) else holder


def _decision_counted(decision: Decision, signer: _Signer) -> Decision:
    """A batch line's decision as the counting left it."""
    decision = steps.counted_as(decision, signer.voter, signer.namesakes, settled=signer.settled)
    if signer.duplicate_of is not None:
        decision = steps.duplicate_of(decision, _where([signer.duplicate_of], signer.line))
    return decision


def _changes(signer: _Signer) -> bool:
    """Whether the counting changes a line decided before."""
    line = signer.line
    status = Line.Status.VALID if signer.counted else Line.Status.DUPLICATE
    return (line.status, line.counted, line.voter_registrant_id, list(line.namesakes)) != (
        status, signer.counted, signer.voter, signer.namesakes,
    )  # fmt: skip


def _write_counted(signer: _Signer) -> None:
    """A line decided before, as the counting now has it (its summary said anew)."""
    line = signer.line
    other = signer.duplicate_of
    reason = steps.recounted_reason(
        line.reason, counts_alone=len(signer.options) == 1,
        taken_as=signer.voter if signer.settled else None,
        duplicate_of=f"section {other.section.serial} line {other.number}" if other else None,
    )  # fmt: skip
    # Unless changed meanwhile (a fix puts a line back to pending without its voter's lock): it
    # is then decided again, and counted with the others again.
    Line.objects.filter(pk=line.pk, updated_at=line.updated_at).update(
        status=Line.Status.VALID if signer.counted else Line.Status.DUPLICATE,
        counted=signer.counted, voter_registrant_id=signer.voter, namesakes=signer.namesakes,
        reason=reason, updated_at=timezone.now(),
    )  # fmt: skip


def _place(line: Line) -> tuple[int, int]:
    """Where a line is on paper: which of a voter's lines comes first is decided by this."""
    return (line.section.serial, line.number)


def _lines_of_voters(petition_id: int, voter_ids: set[str], batch: set[int]) -> list[Line]:
    """Lines decided before (not of the batch) that are one of these voters, or a tie line that
    may be one of them: valid or made duplicates by the counting, reviewers' included."""
    with connection.cursor() as cursor:
        # One probe each into the (petition, voter) index. Statistics taken while the lines
        # were all pending (one voter, '', for every line) would have the planner read the
        # whole petition for each voter instead, LIMIT or not: the column's n_distinct is set
        # (migration 0012, tests/petitions/test_validation_plans.py)...
        cursor.execute(
            """
            SELECT p.id, p.status FROM unnest(%s::text[]) AS v(registrant_id)
            CROSS JOIN LATERAL (
                SELECT id, status FROM petitions_line
                WHERE petition_id = %s AND voter_registrant_id = v.registrant_id LIMIT 1000
            ) p
            """,
            [sorted(voter_ids), petition_id],
        )
        rows = cursor.fetchall()
        # ...and the tie lines through their small partial GIN index ("+ 0" keeps the planner
        # off the petition's big indexes). With the statistics of lines just loaded, the
        # planner believes every line a tie line and reads the whole petition instead (30 ms
        # for 20,000 lines, against 2): not for this one statement.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            """
            SELECT id, status FROM petitions_line
            WHERE NOT options = '{}' AND options && %s::varchar(32)[] AND petition_id + 0 = %s
            """,
            [sorted(voter_ids), petition_id],
        )
        rows += cursor.fetchall()
        cursor.execute("SET LOCAL enable_seqscan = on")
    ids = {i for i, status in rows if status in (Line.Status.VALID, Line.Status.DUPLICATE)}
    ids -= batch
    if not ids:
        return []
    lines = Line.objects.filter(id__in=ids).select_related("section")
    return [ln for ln in lines if ln.reason.get("rule") in COUNTING_RULES | {MANUAL}]


def _count_reject_all(
    petition: Petition,
    lines: list[Line],
    valid: list[Line],
    decisions: dict[int, Decision],
    voter_ids: set[str],
) -> tuple[set[int], dict[int, Decision]]:
    """Reject-all rule: a voter with more than one line has none counted; (the lines that
    count, the decisions as the rule left them)."""
    earlier: dict[str, list[Line]] = {}
    for other in (
        Line.objects.filter(petition=petition, voter_registrant_id__in=list(voter_ids))
        .filter(status__in=[LineStatus.VALID, LineStatus.DUPLICATE])
        .exclude(id__in=[ln.id for ln in lines])
        .select_related("section")
        .order_by("section__serial", "number")
    ):
        earlier.setdefault(other.voter_registrant_id, []).append(other)
    counted: set[int] = set()
    by_voter: dict[str, list[Line]] = {}
    for line in valid:
        decision = decisions[line.id]
        by_voter.setdefault(decision.found.registrant_id, []).append(line)
    marked: dict[int, Decision] = {}
    for voter, voter_lines in by_voter.items():
        previous = earlier.get(voter, [])
        if len(voter_lines) + len(previous) > 1:
            for line in voter_lines:
                where = _where(previous or voter_lines, line)
                marked[line.id] = steps.duplicate_of(decisions[line.id], where)
            _reject_earlier(petition, voter, previous)
        else:
            counted.add(voter_lines[0].id)
    return counted, decisions | marked


def _where(others: list[Line], line: Line) -> str:
    """Where another line of the voter is on paper (the first of others that is not line)."""
    other = next((o for o in others if o.id != line.id), None)
    return f"section {other.section.serial} line {other.number}" if other else "another line"


def _reject_earlier(petition: Petition, registrant_id: str, previous: list[Line]) -> None:
    """Reject-all rule: lines of this voter decided earlier stop counting too."""
    ids = [o.id for o in previous if o.status == LineStatus.VALID or o.counted]
    if ids:
        Line.objects.filter(id__in=ids).update(
            status=Line.Status.DUPLICATE, counted=False, updated_at=timezone.now()
        )


@transaction.atomic
def line_withdraw(*, line_id: int, by: User | None = None, note: str = "") -> Line:
    """Record a signer's written withdrawal (EC 11303); another line of the voter takes its place.

    1. Lock the line; refuse a blank line, a line withdrawn already and a petition filed already
       (a withdrawal must be filed before the petition is).
    2. Mark it withdrawn (it no longer counts).
    3. If it was the voter's counted line, the voter's earliest duplicate line found at its
       address counts instead (under the voter's advisory lock, like any counting).
    4. Record who withdrew it, when and why, in the line's history and the audit log.
    """
    line = (
        Line.objects.select_for_update(of=("self",))
        .select_related("section", "petition")
        .get(pk=line_id)
    )
    _check_withdrawable(line)
    before = line_state(line)
    was_counted, voter = line.counted, line.voter_registrant_id
    line.withdrawn = True
    line.status = Line.Status.WITHDRAWN
    line.counted = False
    line.reason = {"rule": "withdrawn", "summary": steps.WITHDRAWN_SUMMARY,
                   "candidates": line.reason.get("candidates", [])}  # fmt: skip
    line.save(update_fields=["withdrawn", "status", "counted", "reason", "updated_at"])
    replacement = None
    if was_counted and voter:
        replacement = line_promote_replacement(petition_id=line.petition_id, registrant_id=voter)
    instead = (
        f"section {replacement.section.serial} line {replacement.number} counts instead"
        if replacement
        else ""
    )
    return line_event_record(line=line, kind=LineEvent.Kind.WITHDRAWN, user=by, before=before,
                             note="; ".join(filter(None, [note.strip(), instead])))  # fmt: skip


def _check_withdrawable(line: Line) -> None:
    """Refuse a withdrawal the law or the paper does not allow (ValidationError by field)."""
    where = f"Section {line.section.serial} line {line.number}"
    if line.status == Line.Status.BLANK:
        raise ValidationError(
            {"line": f"{where} is blank or crossed out: there is no signature to withdraw."}
        )
    if line.withdrawn:
        raise ValidationError({"line": f"{where} is withdrawn already."})
    filed = line.petition.filed_on
    if filed is not None and filed < timezone.localdate():
        raise ValidationError({"petition": (
            f"Petition {line.petition.slug} was filed on {filed.isoformat()}: a signature can be "
            "withdrawn only before the petition is filed (EC 11303)."
        )})  # fmt: skip


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
    replacement.reason = steps.replacing_reason(replacement.reason)
    replacement.save(update_fields=["status", "counted", "reason", "updated_at"])
    return replacement
