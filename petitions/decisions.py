"""A petition line's decision, made from the roll's outcome (matching.decide) in small steps.

Pure (no database): each step takes a decision and returns a new one. In the order validation
takes them: `decision_for` (the outcome as a petition status, or withdrawn), `registered_late`
(the petition's registration rule), `with_name_key` and `namesake_of_signer` (the one voter of
this name counted, at home), `counted_as` and `duplicate_of` (counting once). The reason keeps
its parts as data (`notes` before the outcome's summary, `settled` after it), stored with the
line beside the readable summary, so a later step (a recount, a replacement line) reads them
rather than taking the summary apart.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from matching.compare import Candidate
from matching.decide import Kind, Outcome, tie_order
from petitions.models import LineStatus

MANUAL = "manual"  # reason rule of a decision made by a reviewer: never overwritten automatically
SETTLED = "; taken to be the voter of this name who also signed by name"
ALSO_ON = "signed more than once: also on "
REPLACES = "counts in place of the voter's line that no longer does"
WITHDRAWN_SUMMARY = "the signer withdrew (EC 11303)"

# The petition status of each kind of outcome (a matched voter whose registration is
# cancelled is "canceled").
STATUS_OF = {
    Kind.MATCHED: LineStatus.VALID,
    Kind.TIE: LineStatus.NEEDS_REVIEW,
    Kind.GREY: LineStatus.NEEDS_REVIEW,
    Kind.ELSEWHERE: LineStatus.ADDRESS_MISMATCH,
    Kind.NONE: LineStatus.NOT_REGISTERED,
    Kind.OUTSIDE: LineStatus.OUT_OF_JURISDICTION,
    Kind.INCOMPLETE: LineStatus.INCOMPLETE,
}


@dataclass(frozen=True)
class Decision:
    status: LineStatus
    voter: Candidate | None = None
    score: float | None = None
    rule: str = ""
    # The readable summary, in parts: what the steps added before the base (newest first),
    # the base (the roll's outcome), and whether a tie line was taken to be one of its voters.
    base: str = ""
    notes: tuple[str, ...] = ()
    settled: bool = False
    candidates: tuple[dict[str, Any], ...] = ()
    # Equally good namesakes at the address: the line may be any of them (see matching.decide).
    alternatives: tuple[Candidate, ...] = ()
    # Registrant ids of all the voters a counted tie line may be (set when it counts).
    namesakes: tuple[str, ...] = ()
    # Facts of the roll behind the summary that not every role may see (a registrant id, a
    # registration date), kept apart from it: the summary is shown to whoever keyed the line.
    refs: Mapping[str, str] = field(default_factory=dict)
    # The line's name ("surname key|given name") when a voter of that name counting makes it a
    # namesake's (namesake_of_signer): stored, so such lines are found again when one does.
    name_key: str = ""
    # The written house number and street of a line not registered, or found moved: stored, so
    # that a line of the same mover at the same written address is found again (batch.py).
    address_key: str = ""

    @property
    def found(self) -> Candidate:
        """The voter of a decision that has one (valid, duplicate, canceled, address_mismatch)."""
        if self.voter is None:
            raise ValueError(f"a {self.status} decision ({self.rule}) has no voter")
        return self.voter

    @property
    def summary(self) -> str:
        return "; ".join((*self.notes, self.base)) + (SETTLED if self.settled else "")

    def reason(self) -> dict[str, Any]:
        """The reason stored with the line (its summary, and the parts it is made of)."""
        reason: dict[str, Any] = {
            "rule": self.rule, "summary": self.summary, "candidates": list(self.candidates),
        }  # fmt: skip
        if self.refs:
            reason["refs"] = dict(self.refs)
        if self.name_key:
            reason["name_key"] = self.name_key
        if self.address_key:
            reason["address_key"] = self.address_key
        if self.notes:
            reason["notes"] = list(self.notes)
        if self.settled:
            reason["settled"] = True
        return reason


def decision_for(outcome: Outcome, *, withdrawn: bool = False) -> Decision:
    """The petition's first reading of the roll's outcome: its status, or withdrawn (EC 11303)."""
    if withdrawn:
        return Decision(LineStatus.WITHDRAWN, rule="withdrawn", base=WITHDRAWN_SUMMARY)
    status = LineStatus.CANCELED if outcome.kind == Kind.MATCHED and outcome.cancelled else None
    return Decision(
        status or STATUS_OF[outcome.kind], voter=outcome.voter, score=outcome.score,
        rule=outcome.rule, base=outcome.summary, candidates=outcome.candidates,
        alternatives=outcome.alternatives, refs=dict(outcome.refs),
    )  # fmt: skip


# The statuses of a line whose voter was found, which a registration outside the electorate
# overrides: such a voter cannot sign this petition, however well the line agrees.
FOUND_STATUSES = (
    LineStatus.VALID,
    LineStatus.CANCELED,
    LineStatus.ADDRESS_MISMATCH,
    LineStatus.NEEDS_REVIEW,
)


def outside_electorate(decision: Decision, where: Mapping[str, tuple[str, str] | None]) -> Decision:
    """A line whose voter (every voter it may be, for a tie) is registered outside the
    petition's electorate or the section's county: out of jurisdiction, saying so (`where`: each
    candidate's registrant id -> (note, where it is registered), None when inside)."""
    if decision.status not in FOUND_STATUSES or decision.voter is None:
        return decision
    places = [where.get(c.registrant_id) for c in (decision.voter, *decision.alternatives)]
    if not all(places):
        return decision
    note, registered_in = places[0]  # type: ignore[misc]  # all() above: none is None
    return replace(
        decision, status=LineStatus.OUT_OF_JURISDICTION, rule="outside_electorate",
        notes=(note, *decision.notes), refs={**decision.refs, "registered_in": registered_in},
    )  # fmt: skip


def registered_late(decision: Decision, *, cutoff: date | None, when: str) -> Decision:
    """A voter registered after the cut-off (of `when`: signing or filing) does not count."""
    if decision.status != LineStatus.VALID or decision.voter is None or cutoff is None:
        return decision
    registered = decision.voter.registration_date
    if not isinstance(registered, date) or not registered > cutoff:
        return decision
    return replace(
        decision, status=LineStatus.REGISTERED_LATE, rule="registered_late",
        notes=(f"registered after {when} ({cutoff:%Y-%m-%d})", *decision.notes),
        refs={**decision.refs, "registered_on": f"{registered:%Y-%m-%d}"},
    )  # fmt: skip


def name_key(last_key: str, first_canon: str) -> str:
    return f"{last_key}|{first_canon}"


def with_name_key(decision: Decision, key: str) -> Decision:
    """A line not found at its address: kept findable by its name (see namesake_of_signer)."""
    return replace(decision, name_key=key)


# The rule of a line taken for a namesake of a voter who signed at home (namesake_of_signer),
# and the rule such lines had before (a duplicate), still in reasons stored then.
NAMESAKE_OF_SIGNER = "namesake_of_signer"
SIGNED_BEFORE_ELSEWHERE = "signed_before_elsewhere"


def namesake_of_signer(decision: Decision, registrant_id: str) -> Decision:
    """A line not found at its address whose name one voter only bears, when that voter counts
    in the petition: they signed at the address they are registered at, so the signer here, at
    another address, is another person of the name, not registered. A voter who signs twice
    writes the same address twice, and one who moved writes the new one; as the registrar checks
    each line against the record before looking for repeats, a line at an address not theirs
    would not be their duplicate either (bench 50k/10k seed 7: all 17 such lines were another
    person's, 16 not registered and 1 a mover; 1M/100k: 31 of 32 not registered)."""
    refs = {k: v for k, v in decision.refs.items() if k != "registered_at"}
    return replace(
        decision, status=LineStatus.NOT_REGISTERED, rule=NAMESAKE_OF_SIGNER, voter=None,
        score=None, alternatives=(), base="no registered voter of this name at this address",
        notes=("the one voter of this name signed this petition at their registered address: "
               "another person of the name", *decision.notes),
        refs={**refs, "signed_as": registrant_id},
    )  # fmt: skip


def duplicate_of(decision: Decision, where: str) -> Decision:
    """Another line of the same voter counts (`where` it is: "section 3 line 7")."""
    return replace(
        decision, status=LineStatus.DUPLICATE, rule="duplicate",
        notes=(f"{ALSO_ON}{where}", *decision.notes),
    )  # fmt: skip


def counted_as(
    decision: Decision, registrant_id: str, namesakes: list[str], *, settled: bool
) -> Decision:
    """The counting's reading of a valid line: which of its voters it is, all the voters a
    counted tie line may be, and whether a tie line was taken to be the one who signed by name."""
    options = [c for c in (decision.voter, *decision.alternatives) if c is not None]
    voter = next(c for c in options if c.registrant_id == registrant_id)
    refs = {**decision.refs, "taken_as": registrant_id} if settled else decision.refs
    return replace(
        decision, voter=voter, alternatives=tuple(c for c in options if c is not voter),
        namesakes=tuple(namesakes), settled=decision.settled or settled, refs=refs,
    )  # fmt: skip


def as_manual(decision: Decision) -> Decision:
    return replace(decision, rule=MANUAL)


def tie_options(decision: Decision) -> list[str]:
    """A household-tie line's voters, in one order whatever order the roll returned them in
    (the first, the likeliest signer, stands for the line until one of them signs by name); []
    for another line."""
    if not decision.alternatives or decision.voter is None:
        return []
    return [
        c.registrant_id for c in sorted((decision.voter, *decision.alternatives), key=tie_order)
    ]


def stored_parts(reason: Mapping[str, Any]) -> tuple[tuple[str, ...], str, bool]:
    """(notes, base, settled) of a line's stored reason (migration 0010 gave the parts to the
    reasons stored before they were kept)."""
    notes = tuple(reason.get("notes", ()))
    settled = bool(reason.get("settled", False))
    summary = str(reason.get("summary", ""))
    base = summary.removesuffix(SETTLED) if settled else summary
    return notes, base.removeprefix("".join(f"{note}; " for note in notes)), settled


def with_parts(
    reason: Mapping[str, Any], notes: tuple[str, ...], base: str, settled: bool
) -> dict[str, Any]:
    """A stored reason with its summary (and the parts it is made of) said anew."""
    out = {k: v for k, v in reason.items() if k not in ("notes", "settled")}
    out["summary"] = "; ".join((*notes, base)) + (SETTLED if settled else "")
    if notes:
        out["notes"] = list(notes)
    if settled:
        out["settled"] = True
    return out


def without_duplicate_note(notes: tuple[str, ...]) -> tuple[str, ...]:
    """The notes of a line the counting decides again: its own earlier duplicate note goes."""
    return notes[1:] if notes and notes[0].startswith(ALSO_ON) else notes


def recounted_reason(
    reason: Mapping[str, Any], *, counts_alone: bool, taken_as: str | None, duplicate_of: str | None
) -> dict[str, Any]:
    """A line decided before, as a recount has it: taken_as, the voter a tie line is taken to be
    (settled); duplicate_of, where the voter's counted line is, if not this one; counts_alone,
    whether it is one voter's line (not a household tie's), for the rule it counts by again."""
    notes, base, _ = stored_parts(reason)
    notes = without_duplicate_note(notes)
    refs = {k: v for k, v in reason.get("refs", {}).items() if k != "taken_as"}
    rule = reason.get("rule")
    if rule == "duplicate":  # counts again: as matched (a tie line's kind of tie is not kept)
        rule = "match" if counts_alone else "namesakes_at_address"
    if taken_as is not None:
        refs["taken_as"] = taken_as
    if duplicate_of is not None:
        notes = (f"{ALSO_ON}{duplicate_of}", *notes)
        rule = "duplicate"
    out = with_parts({**reason, "rule": rule, "refs": refs}, notes, base, taken_as is not None)
    if not refs:
        out.pop("refs")
    return out


def replacing_reason(reason: Mapping[str, Any]) -> dict[str, Any]:
    """A voter's duplicate line that counts in place of their line that no longer does."""
    notes, base, settled = stored_parts(reason)
    notes = (REPLACES, *without_duplicate_note(notes))
    return with_parts({**reason, "rule": "match"}, notes, base, settled)
