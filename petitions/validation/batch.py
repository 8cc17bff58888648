"""Deciding one batch of a petition's pending lines: claim, match, decide, count once, write.

The batch's candidates are found set-based (voters.matching), each line's outcome comes from
matching.decide and is read as a petition's decision by petitions.decisions, step by step; the
decisions are written in one UPDATE."""

import json
import logging
from collections.abc import Collection, Iterable
from dataclasses import replace

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from matching.compare import COMPOUND, EXACT, Candidate, LineKeys, line_keys
from matching.decide import WEAK, Couple, decide, relatives_here
from petitions import decisions as steps
from petitions.decisions import MANUAL, Decision, decision_for, tie_options
from petitions.electorate import Boundary, decided_inside
from petitions.models import Line, LineStatus, Petition, Section
from petitions.validation.counting import Counting, recount
from voters.matching import (
    MOVER,
    Found,
    couples_pass,
    find_candidates,
    household_pass,
    residents_pass,
    voter_names,
    voters_named,
    voters_pass,
)
from voters.models import VoterRoll
from voters.selectors import active_roll

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
# A line of these statuses is its voter's: a tie line's options are stored with it.
COUNTABLE = (LineStatus.VALID, LineStatus.DUPLICATE)


def petition_validate_pending(*, petition_id: int, batch_size: int = BATCH_SIZE) -> int:
    """Claim one batch of the petition's pending lines and decide them; 0 when none are left."""
    roll = active_roll()
    if roll is None:
        log.warning("no active voter roll: lines of petition %s stay pending", petition_id)
        return 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            # If a database crash loses this commit, the batch's lines are simply still pending
            # and the sweep sends them out again: the commit need not wait for the disk. A
            # batch's queries are many short ones: compiling any of them (JIT, for a cost
            # estimate swollen by stale statistics) takes longer than running it.
            cursor.execute("SET LOCAL synchronous_commit = off; SET LOCAL jit = off")
        lines = _claim(petition_id, batch_size)
        if lines:
            _decide_locked(Petition.objects.get(pk=petition_id), lines, roll)
    return len(lines)


# What the decisions read of a claimed line, in the model's field order (Model.from_db's).
_CLAIMED_FIELDS = tuple(
    f.attname
    for f in Line._meta.concrete_fields
    if f.attname in {"id", "petition_id", "section_id", "number", "printed_name",
                     "residence_address", "city", "zip", "signed", "date_signed", "withdrawn"}
)  # fmt: skip
# Claimed and read in one statement: the batch's lines (locked, skipping those another batch
# holds) with what the decisions read of their sections.
_CLAIM = f"""
    WITH claimed AS MATERIALIZED (
        SELECT {", ".join(_CLAIMED_FIELDS)}
        FROM petitions_line
        WHERE petition_id = %s AND status = 'pending'
        ORDER BY id LIMIT %s
        FOR UPDATE SKIP LOCKED
    )
    SELECT c.*, s.serial, s.circulated_to, s.county_code
    FROM claimed c JOIN petitions_section s ON s.id = c.section_id
    ORDER BY c.id
"""  # noqa: S608 - fixed SQL, values are parameters


# What the decisions read of a line's section: its id, then the columns _CLAIM adds.
_SECTION_FIELDS = ("id", "serial", "circulated_to", "county_code")


def _claim(petition_id: int, batch_size: int) -> list[Line]:
    """Lock up to batch_size of the petition's pending lines and read them, each section once."""
    with connection.cursor() as cursor:
        cursor.execute(_CLAIM, [petition_id, batch_size])
        rows = cursor.fetchall()
    width = len(_CLAIMED_FIELDS)
    sections: dict[int, Section] = {}
    lines = []
    for row in rows:
        line = Line.from_db(connection.alias, _CLAIMED_FIELDS, row[:width])
        section = sections.get(line.section_id)
        if section is None:
            read = dict(zip(_SECTION_FIELDS, (line.section_id, *row[width:]), strict=True))
            # from_db takes the values in the model's field order, whatever order they are named.
            names = [f.attname for f in Section._meta.concrete_fields if f.attname in read]
            section = sections[line.section_id] = Section.from_db(
                connection.alias, names, [read[name] for name in names]
            )
        line.section = section
        lines.append(line)
    return lines


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


def _decide_locked(petition: Petition, lines: list[Line], roll: VoterRoll) -> None:
    """Decide a claimed batch.

    1. Find the candidates of all its lines at once; read each line's outcome as a decision.
    2. Count once: the batch's valid lines with the lines decided before of the same voters.
    3. Lines not found at their address whose name a counted voter bears: that voter again.
    4. Write the batch; lines decided before under the name of a voter who counts now go back
       to pending (decided again, they see that voter).
    """
    keys = {
        line.id: line_keys(line.printed_name, line.residence_address, line.city, line.zip)
        for line in lines
    }
    found = find_candidates(roll.id, keys)
    couples = couples_pass(found, roll.id, _co_signers(lines, keys, found))
    households = moved_with(lines, keys, found, couples)
    # The lines of such a household not yet found by name (an initial, a misspelling): its
    # surname at the addresses its co-signers' voters are registered at.
    household_pass(found, roll.id, {
        i: {_home(c) for c in voters}
        for i, voters in households.items() if voters and not found.matched_here(i)
    })  # fmt: skip
    boundary = Boundary.of(petition, roll.id)
    decisions = {
        line.id: _first_reading(
            petition, boundary, line, keys[line.id], found, households.get(line.id, ()),
            couple=couples.get(line.id),
        )
        for line in lines
    }  # fmt: skip
    decisions = _beside_movers(petition, boundary, lines, keys, decisions, found, roll)
    # Lines not found at their address whose name a counted voter may bear, and those voters:
    # locked with the batch's own, so that whichever of a voter's line and such a line is
    # decided first, the other batch sees it (see _lines_of_names_reopen). The written
    # addresses of lines not registered or moved are locked too (see _signed_again).
    open_lines = _open_lines(lines, keys, decisions, found)
    named = voters_named(roll.id, set(open_lines.values()))
    addresses = _address_keys(lines, keys, decisions)
    counting = recount(
        petition, lines, decisions,
        also_lock=set().union(*named.values()) | {f"@{k}" for k in addresses.values()},
    )  # fmt: skip
    decisions = _signed_again(
        petition, boundary, lines, keys, counting.decisions, found, addresses, households, roll
    )
    decisions = _namesakes_of_signers(petition, lines, decisions, open_lines, named)
    decisions = decisions | {
        i: replace(decisions[i], address_key=k) for i, k in addresses.items()
        if _at_address_key(decisions[i])
    }  # fmt: skip
    write_decisions(lines, decisions, counting.counted, roll)
    _lines_of_names_reopen(petition, roll, lines, decisions, counting)
    _lines_at_addresses_reopen(petition, lines, decisions)


def _first_reading(
    petition: Petition, boundary: Boundary, line: Line, keys: LineKeys, found: Found,
    household: tuple[Candidate, ...] = (), signed_again: Collection[str] = (),
    couple: Couple | None = None, housemates: Collection[Candidate] = (),
) -> Decision:  # fmt: skip
    """A line's decision before counting: the roll's outcome, withdrawal, the electorate (and
    the section's county), the registration rule."""
    outcome = decide(
        keys, found.ranked(line.id), signed=line.signed, moved_with=household,
        signed_again=signed_again, couple=couple, housemates=housemates, **found.facts(line.id),
    )  # fmt: skip
    decision = decided_inside(
        boundary, line.section, decision_for(outcome, withdrawn=line.withdrawn)
    )
    return apply_registration_rule(petition, line, decision)


# Lines a co-signer found moved may settle: not registered, or a household for a reviewer.
_BESIDE_RULES = ("not_found", "common_name_elsewhere", "grey_moved_together")


def _beside_movers(
    petition: Petition,
    boundary: Boundary,
    lines: list[Line],
    keys: dict[int, LineKeys],
    decisions: dict[int, Decision],
    found: Found,
    roll: VoterRoll,
) -> dict[int, Decision]:
    """Lines not registered (or a household's, grey) beside co-signers found moved (the same
    section, the same written house number and street) read again with those movers'
    housemates as candidates: a household that moved together, one member found by a rare name
    or a couple, the others named there (matching.decide's moved beside). Not a line whose
    household is registered at its address (a relative not registered). Returns the batch's
    decisions with those lines'."""
    housemates: dict[int, tuple[Candidate, ...]] = {}
    for ids in _signed_together(lines, keys):
        # Found moved by their whole name (not an initial: "J Phillips" found moved beside
        # PETER PHILLIPS, because of his namesakes, would vouch for him in turn).
        movers = {
            i: voter for i in ids
            if decisions[i].status == LineStatus.ADDRESS_MISMATCH
            and (voter := decisions[i].voter) is not None and (decisions[i].score or 0) >= MOVER
        }  # fmt: skip
        for i in ids:
            others = tuple(v for j, v in movers.items() if j != i)
            open_line = decisions[i].rule in _BESIDE_RULES
            if others and open_line and not relatives_here(found.agreements[i].values()):
                housemates[i] = others
    if not housemates:
        return decisions
    residents_pass(found, roll.id, {i: {_home(v) for v in vs} for i, vs in housemates.items()})
    by_id = {ln.id: ln for ln in lines}
    again = {
        i: _first_reading(petition, boundary, by_id[i], keys[i], found, housemates=vs)
        for i, vs in housemates.items()
    }  # fmt: skip
    return decisions | {
        i: d for i, d in again.items() if d.status == LineStatus.ADDRESS_MISMATCH
    }  # fmt: skip


def _co_signers(lines: list[Line], keys: dict[int, LineKeys], found: Found) -> dict[int, set[int]]:
    """For each line no voter at its address matches even weakly, the other such lines of its
    section at the same written house number and street: the household it may have moved with
    (voters.matching.couples_pass)."""
    open_lines = [line for line in lines if not found.matched_here(line.id, WEAK)]
    return {i: set(ids) - {i} for ids in _signed_together(open_lines, keys) for i in ids}


def _signed_together(lines: list[Line], keys: dict[int, LineKeys]) -> list[list[int]]:
    """The lines, with a name, of one section at one written house number and street: a
    household's, if several (their ids, two or more per group)."""
    groups: dict[tuple[int, str, str], list[int]] = {}
    for line in lines:
        k = keys[line.id]
        if k.has_name and k.house_number and k.street_key:
            groups.setdefault((line.section_id, k.house_number, k.street_key), []).append(line.id)
    return [ids for ids in groups.values() if len(ids) > 1]


def moved_with(
    lines: list[Line], keys: dict[int, LineKeys], found: Found, couples: dict[int, Couple]
) -> dict[int, tuple[Candidate, ...]]:
    """For each line, the voters registered elsewhere whose names its co-signers wrote: other
    lines of its section at the same written house number and street (matching.decide: a
    household that moved together). Of any surname: a couple or flatmates of two surnames move
    together too (bench 50k/10k: 10 more movers found so, none wrongly). A co-signer whose
    couple the couples pass settled is that one voter, not every namesake: their household is
    the one at that address ("A Davis" beside TIMOTHY and PAMELA DAVIS, common names)."""

    def named(j: int) -> Iterable[Candidate]:
        if j in couples and (one := found.candidates[j].get(couples[j].voter)) is not None:
            return (one,)
        return (
            a.candidate for a in found.agreements[j].values()
            if not a.at_address and a.person >= MOVER and a.surname in (EXACT, COMPOUND)
        )  # fmt: skip

    return {
        i: tuple(c for j in ids if j != i for c in named(j))
        for ids in _signed_together(lines, keys) for i in ids
    }  # fmt: skip


def write_decisions(
    lines: list[Line], decisions: dict[int, Decision], counted: set[int], roll: VoterRoll | None
) -> None:
    """One set-based UPDATE for the whole batch (bulk_update's CASE per row is far slower)."""
    ids = [line.id for line in lines]
    decided = [decisions[i] for i in ids]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE petitions_line AS l
            SET status = d.status, voter_registrant_id = d.voter, counted = d.counted,
                score = d.score, reason = d.reason::jsonb, validated_roll_id = %s,
                namesakes = string_to_array(d.namesakes, ' '),
                options = string_to_array(d.options, ' '), validated_at = now(),
                updated_at = now()
            FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::boolean[], %s::float8[],
                        %s::text[], %s::text[], %s::text[])
                AS d(id, status, voter, counted, score, reason, namesakes, options)
            WHERE l.id = d.id
            """,
            [
                roll.id if roll else None, ids, [d.status for d in decided],
                [d.voter.registrant_id if d.voter else "" for d in decided],
                [i in counted for i in ids], [d.score for d in decided],
                [json.dumps(d.reason()) for d in decided],
                [" ".join(decisions[i].namesakes) if i in counted else "" for i in ids],
                [" ".join(tie_options(d)) if d.status in COUNTABLE else "" for d in decided],
            ],
        )  # fmt: skip


def apply_registration_rule(petition: Petition, line: Line, decision: Decision) -> Decision:
    """A voter registered after the petition's cut-off date does not count (a petition setting)."""
    if decision.status != LineStatus.VALID:
        return decision
    if petition.registration_rule == Petition.RegistrationRule.AT_SIGNING:
        cutoff = line.date_signed or line.section.circulated_to
        when = "signing"
    else:
        cutoff, when = petition.filed_on, "filing"
    return steps.registered_late(decision, cutoff=cutoff, when=when)


def _open_lines(
    lines: list[Line],
    keys: dict[int, LineKeys],
    decisions: dict[int, Decision],
    found: Found,
) -> dict[int, tuple[str, str]]:
    """Lines not found at their address whose name (last_key, first_canon) a voter counted in
    the petition may bear: then another person of that name (see below). Not a line whose
    household (its surname) is registered at its address: a relative not registered there, as
    matching.decide reads it already."""
    # A name borne by several voters: the one who counted says nothing of the others; the line
    # may be another bearer who moved (bench 50k/10k seed 3: of 36 such lines, 15 movers).
    return {
        ln.id: (keys[ln.id].last_key, keys[ln.id].first_canon)
        for ln in lines
        if decisions[ln.id].status in (LineStatus.NOT_REGISTERED, LineStatus.ADDRESS_MISMATCH)
        and keys[ln.id].has_name
        and found.name_counts.get(ln.id, 0) <= 1
        and not relatives_here(found.agreements[ln.id].values())
    }


def _namesakes_of_signers(
    petition: Petition,
    lines: list[Line],
    decisions: dict[int, Decision],
    open_lines: dict[int, tuple[str, str]],
    named: dict[tuple[str, str], set[str]],
) -> dict[int, Decision]:
    """A line not found at its address whose name is counted in this petition (one voter only
    bears it) is another person of that name, not registered: the voter signed at home
    (decisions.namesake_of_signer). Which lines were decided before does not matter: when a
    voter of the name counts later, such lines are decided again (_lines_of_names_reopen).
    Returns the batch's decisions with those lines'."""
    if not open_lines:
        return decisions
    # Voter by voter through the index of counted lines: the plan does not hang on the table's
    # statistics, stale while a filing is validated (taken for all pending, the planner read
    # the petition's every counted line, 60-90 ms a batch at 100,000 lines).
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT l.voter_registrant_id
            FROM unnest(%s::text[]) AS v(id)
            JOIN petitions_line l ON l.petition_id = %s AND l.counted
                                 AND l.voter_registrant_id = v.id
            """,
            [sorted(set().union(*named.values())), petition.pk],
        )
        counted = {voter for (voter,) in cursor.fetchall()}
    # Valid lines of this very batch count too (not committed yet, so not in the query).
    in_batch: dict[tuple[str, str], set[str]] = {}
    for ln in lines:
        decision = decisions[ln.id]
        if decision.status == LineStatus.VALID:
            voter = decision.found
            in_batch.setdefault((voter.last_key, voter.first_canon), set()).add(voter.registrant_id)
    reread: dict[int, Decision] = {}
    for line_id, name in open_lines.items():
        decision = steps.with_name_key(decisions[line_id], _name_key(*name))
        voters = (named.get(name, set()) & counted) | in_batch.get(name, set())
        if len(voters) == 1:
            decision = steps.namesake_of_signer(decision, next(iter(voters)))
        reread[line_id] = decision
    return decisions | reread


_name_key = steps.name_key


def _lines_of_names_reopen(
    petition: Petition,
    roll: VoterRoll,
    lines: list[Line],
    decisions: dict[int, Decision],
    counting: Counting,
) -> int:
    """Lines decided earlier that a voter of their name may have signed (not found at their
    address, or taken to be such a voter) go back to pending when a voter of that name counts
    in this batch: decided again, they see that voter. Under the voters' locks (count_once),
    so a batch deciding such a line meanwhile either sees the voter or is seen here."""
    names = sorted(
        {_name_key(decisions[i].found.last_key, decisions[i].found.first_canon)
         for i in counting.counted}
        | {_name_key(*name) for name in voter_names(roll.id, counting.voters_changed)}
    )  # fmt: skip
    if not names:
        return 0
    # Through the partial index of lines that carry a name_key (petitions_line_name_key).
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE petitions_line SET status = 'pending', counted = false, updated_at = now()
            WHERE petition_id = %s AND reason ? 'name_key' AND (reason ->> 'name_key') = ANY(%s)
              AND status IN ('not_registered', 'address_mismatch', 'duplicate')
              AND NOT id = ANY(%s)
            """,
            [petition.pk, names, [ln.id for ln in lines]],
        )
        return cursor.rowcount


# The lines at one written address _signed_again reads at most (a building's, a campaign office's).
_LINES_AT_ONE_ADDRESS = 10_000

# A line not registered that its writer may have signed again under a voter found moved.
_NOT_FOUND_RULES = ("not_found", "common_name_elsewhere")


def _address_keys(
    lines: list[Line], keys: dict[int, LineKeys], decisions: dict[int, Decision]
) -> dict[int, str]:
    """The written house number and street of the batch's lines not found at their address (not
    registered, or moved): the key their other lines at the same written address share."""
    return {
        ln.id: f"{k.house_number}|{k.street_key}"
        for ln in lines
        if (k := keys[ln.id]).has_name and k.house_number and k.street_key
        and decisions[ln.id].status in (LineStatus.NOT_REGISTERED, LineStatus.ADDRESS_MISMATCH)
    }  # fmt: skip


def _at_address_key(decision: Decision) -> bool:
    """A decision other lines at its written address look for: moved, or not found."""
    return (decision.status == LineStatus.ADDRESS_MISMATCH and decision.voter is not None) or (
        decision.status == LineStatus.NOT_REGISTERED and decision.rule in _NOT_FOUND_RULES
    )


def _signed_again(
    petition: Petition,
    boundary: Boundary,
    lines: list[Line],
    keys: dict[int, LineKeys],
    decisions: dict[int, Decision],
    found: Found,
    addresses: dict[int, str],
    households: dict[int, tuple[Candidate, ...]],
    roll: VoterRoll,
) -> dict[int, Decision]:
    """A line not registered written at the same house number and street as another line of the
    petition found moved (in this batch, or decided before, in any section) may be that mover
    writing again ("a medina" beside "A MEDINA", "E Acosta" beside "EVELYN ACOSTA"):
    matching.decide's signed_again rule. Under the addresses' locks, so that whichever of the
    two lines is decided first, the other's batch sees it (see _lines_at_addresses_reopen)."""
    open_ids = {
        ln.id: addresses[ln.id] for ln in lines
        if ln.id in addresses and decisions[ln.id].status == LineStatus.NOT_REGISTERED
        and decisions[ln.id].rule in _NOT_FOUND_RULES
        and not relatives_here(found.agreements[ln.id].values())
    }  # fmt: skip
    if not open_ids:
        return decisions
    movers: dict[str, set[str]] = {}
    for ln in lines:
        decision = decisions[ln.id]
        if ln.id in addresses and decision.status == LineStatus.ADDRESS_MISMATCH and decision.voter:
            movers.setdefault(addresses[ln.id], set()).add(decision.voter.registrant_id)
    batch = {ln.id for ln in lines}
    with connection.cursor() as cursor:
        # Address by address through petitions_line_address_key, whatever the table's statistics
        # say (as _lines_at_addresses_reopen): the LIMIT keeps each address's look-up apart. Of
        # a few hundred addresses a batch, joined whole, the planner read every line moved, or
        # every line with an address key: 10-60 ms a batch at 100,000 lines, growing with them.
        cursor.execute(
            f"""
            SELECT k.key, l.voter_registrant_id, l.id
            FROM unnest(%s::text[]) AS k(key)
            CROSS JOIN LATERAL (
                SELECT l.id, l.voter_registrant_id, l.status FROM petitions_line l
                WHERE l.petition_id = %s AND l.reason ? 'address_key'
                  AND (l.reason ->> 'address_key') = k.key
                LIMIT {_LINES_AT_ONE_ADDRESS}
            ) l
            WHERE l.status = 'address_mismatch' AND l.voter_registrant_id <> ''
            """,  # noqa: S608
            [sorted(set(open_ids.values())), petition.pk],
        )
        for key, voter, line_id in cursor.fetchall():
            if line_id not in batch:
                movers.setdefault(key, set()).add(voter)
    wanted = {i: movers[k] for i, k in open_ids.items() if k in movers}
    if not wanted:
        return decisions
    # The movers themselves (a surname misread too), and their households, whom the line may
    # be instead (a parent, a child of the same initial).
    voters_pass(found, roll.id, wanted)
    residents_pass(found, roll.id, {
        i: {_home(a.candidate) for a in found.agreements[i].values()
            if a.candidate.registrant_id in voters}
        for i, voters in wanted.items()
    })  # fmt: skip
    by_id = {ln.id: ln for ln in lines}
    again: dict[int, Decision] = {}
    for i, voters in wanted.items():
        decision = _first_reading(
            petition, boundary, by_id[i], keys[i], found, households.get(i, ()),
            signed_again=voters,
        )  # fmt: skip
        if decision.status == LineStatus.ADDRESS_MISMATCH:
            again[i] = decision
    return decisions | again


def _home(voter: Candidate) -> tuple[str, str, str]:
    return voter.house_number, voter.street_key, voter.city_key


def _lines_at_addresses_reopen(
    petition: Petition, lines: list[Line], decisions: dict[int, Decision]
) -> int:
    """Lines decided earlier not registered at a written address where this batch found a line
    moved go back to pending: decided again, they see that mover (see _signed_again)."""
    keys = sorted({
        d.address_key for ln in lines
        if (d := decisions[ln.id]).address_key and d.status == LineStatus.ADDRESS_MISMATCH
    })  # fmt: skip
    if not keys:
        return 0
    with connection.cursor() as cursor:
        # Address by address through petitions_line_address_key: the plan does not hang on the
        # table's statistics, stale while a filing is validated (by status, it read every line
        # not registered: 50 ms a batch at 100,000 lines).
        cursor.execute(
            """
            UPDATE petitions_line AS l
            SET status = 'pending', counted = false, updated_at = now()
            FROM unnest(%s::text[]) AS k(key)
            WHERE l.petition_id = %s AND l.reason ? 'address_key'
              AND (l.reason ->> 'address_key') = k.key AND l.status = 'not_registered'
              AND (l.reason ->> 'rule') = ANY(%s) AND NOT l.id = ANY(%s)
            """,
            [keys, petition.pk, list(_NOT_FOUND_RULES), [ln.id for ln in lines]],
        )
        return cursor.rowcount
