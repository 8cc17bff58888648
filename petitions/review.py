"""Deciding lines by hand: a reviewer's pick of a candidate or a status, and undoing it.

A decision by hand goes through the same counting as a worker's (one counted line per voter,
under the voter's advisory lock) and is marked `manual`, so re-validation never overwrites it.
Every decision and every undo is a LineEvent with the line's state before and after.
"""

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from matching.compare import Level, compare, line_keys
from petitions.decisions import Decision, as_manual, stored_parts
from petitions.electorate import Boundary, decided_inside
from petitions.entry import LINE_FIELDS, LineInput, line_event_record, line_state, line_update
from petitions.models import Line, LineEvent, LineStatus, SecondEntry
from petitions.validation import (
    apply_registration_rule,
    line_promote_replacement,
    recount,
    write_decisions,
)
from voters.matching import roll_places, voter_candidate
from voters.selectors import active_roll

# The statuses a reviewer sets without picking a voter (keys N, O, I on the review page).
HAND_STATUSES = {
    Line.Status.NOT_REGISTERED: "no voter on the roll is this signer",
    Line.Status.OUT_OF_JURISDICTION: "the signer lives outside the county",
    Line.Status.INCOMPLETE: "the line lacks a required part",
}
UNDECIDABLE = (Line.Status.PENDING, Line.Status.BLANK)


@transaction.atomic
def line_decide(*, line_id: int, choice: str, reviewer: User) -> Line:
    """Decide a line by hand: `voter:<registrant id>` (one of its candidates) or a status.

    1. Lock the line; a voter pick becomes valid, address_mismatch or canceled by the rules
       (the voter's registration and address against the line's), a status is taken as is.
    2. Count it like a worker would (a voter already counted makes it a duplicate).
    3. If the line counted for another voter before, that voter's next line counts instead.
    4. Record the event.
    """
    line = _locked(line_id)
    if line.status in UNDECIDABLE:
        raise ValidationError(_("Line %(number)s is %(status)s: there is nothing to decide yet.")
                              % {"number": line.number,
                                 "status": line.get_status_display().lower()})  # fmt: skip
    if line.withdrawn:
        raise ValidationError(_("Line %(number)s was withdrawn by its signer (EC 11303): "
                                "it cannot count, whatever is decided.")
                              % {"number": line.number})  # fmt: skip
    before = line_state(line)
    decision = _apply(line, _hand_decision(line, choice, reviewer), manual=True)
    return line_event_record(line=line, kind=LineEvent.Kind.REVIEWED, user=reviewer, before=before,
                             note=decision.summary)  # fmt: skip


@transaction.atomic
def event_undo(*, event_id: int, user: User) -> Line:
    """Undo a line's latest change (an edit, a decision, a transcription chosen)."""
    event = LineEvent.objects.select_for_update().get(pk=event_id)
    line = _locked(event.line_id)
    if event.kind == LineEvent.Kind.UNDONE:
        raise ValidationError(_("An undo cannot be undone: decide or fix the line again."))
    if event.kind == LineEvent.Kind.WITHDRAWN:
        # The signer's written request, not a reviewer's call: undoing it here would also leave
        # the line marked withdrawn, which re-validation would decide withdrawn again.
        raise ValidationError(_("A withdrawal is the signer's written request (EC 11303): "
                                "it is not undone here."))  # fmt: skip
    latest = (
        LineEvent.objects.filter(line=line, undone_by__isnull=True)
        .exclude(kind=LineEvent.Kind.UNDONE)
        .order_by("-at", "-id")
        .first()
    )
    if latest != event:
        raise ValidationError(_("Undo this line's later changes first (newest first)."))
    before = line_state(line)
    if event.kind == LineEvent.Kind.EDITED:
        state = event.before
        data = LineInput(**{name: state[name] for name in LINE_FIELDS},
                         blank=state["status"] == Line.Status.BLANK)  # fmt: skip
        return line_update(line_id=line.pk, data=data, edited_by=user, undoes=event, by_review=True,
                           note="the line reads as before the edit")  # fmt: skip
    if event.kind == LineEvent.Kind.TRANSCRIPTION:
        SecondEntry.objects.filter(pk=event.before.get("second_entry")).update(
            resolved_at=None, resolved_by=None
        )
        note = "transcriptions back in the review queue"
    else:
        _apply(line, _restored_decision(event.before), manual=False)
        with translation.override("en"):  # stored in the history, English as every note
            note = f"status back to {Line.Status(event.before['status']).label}"
    return line_event_record(line=line, kind=LineEvent.Kind.UNDONE, user=user, before=before,
                             note=note, undoes=event)  # fmt: skip


def _locked(line_id: int) -> Line:
    return Line.objects.select_for_update().select_related("section", "petition").get(pk=line_id)


def _hand_decision(line: Line, choice: str, reviewer: User) -> Decision:
    candidates = line.reason.get("candidates", [])
    who = reviewer.get_username()
    if choice in HAND_STATUSES:
        status = LineStatus(choice)
        return Decision(
            status, base=f"{who}: {HAND_STATUSES[status]}", candidates=tuple(candidates)
        )
    registrant_id = choice.removeprefix("voter:")
    if not choice.startswith("voter:") or registrant_id not in {
        c.get("voter_id") for c in candidates
    }:
        raise ValidationError(_("Pick one of the line's candidates (1-5) or a status."))
    roll = active_roll()
    voter = voter_candidate(roll.id, registrant_id) if roll else None
    if roll is None or voter is None:
        raise ValidationError(
            _("Voter %(voter)s is not on the active roll any more: the line will be "
              "checked again against it; pick a status instead.") % {"voter": registrant_id}
        )  # fmt: skip
    keys = line_keys(line.printed_name, line.residence_address, line.city, line.zip)
    agreement = compare(keys, voter, roll_places(roll.id))
    refs = {"picked": registrant_id}
    if voter.status == "C":
        status, summary = LineStatus.CANCELED, "registration cancelled"
    elif agreement.at_address:
        status, summary = LineStatus.VALID, agreement.describe()
    else:
        status, summary = LineStatus.ADDRESS_MISMATCH, "registered at another address"
        refs["registered_at"] = f"{voter.street_line}, {voter.city}"
    # The voter picked is the line's voter (and in refs), as is where they are registered: not
    # in the summary, which the line's keyer reads too.
    decision = Decision(status, voter=voter, score=agreement.person, candidates=tuple(candidates),
                        base=f"{who} picked a candidate: {summary}", refs=refs)  # fmt: skip
    # A voter registered outside the electorate cannot sign it, whoever picks them.
    return decided_inside(Boundary.of(line.petition, roll.id), line.section, decision)


def _restored_decision(state: dict[str, Any]) -> Decision:
    reason = state.get("reason") or {}
    roll = active_roll()
    voter = (
        voter_candidate(roll.id, state["voter_registrant_id"])
        if roll and state.get("voter_registrant_id")
        else None
    )
    notes, base, settled = stored_parts(reason)
    status = state["status"]
    if status == Line.Status.VALID and voter is None:
        status = Line.Status.NEEDS_REVIEW  # the voter left the roll meanwhile: look again
    return Decision(status, voter=voter, score=state.get("score"), rule=reason.get("rule", ""),
                    base=base, notes=notes, settled=settled,
                    candidates=tuple(reason.get("candidates", [])),
                    refs=reason.get("refs", {}))  # fmt: skip


def _apply(line: Line, decision: Decision, *, manual: bool) -> Decision:
    """Write a decision for one locked line, counting it like a worker's batch would; the
    decision as written."""
    was_counted, old_voter = line.counted, line.voter_registrant_id
    if was_counted:  # so the count below does not find this very line holding the voter
        Line.objects.filter(pk=line.pk).update(counted=False, namesakes=[])
    counted: set[int] = set()
    if decision.status == Line.Status.VALID:
        decision = apply_registration_rule(line.petition, line, decision)
    if decision.status == Line.Status.VALID:
        counting = recount(line.petition, [line], {line.pk: decision})
        counted, decision = counting.counted, counting.decisions[line.pk]
    if manual:
        decision = as_manual(decision)
    write_decisions([line], {line.pk: decision}, counted, active_roll())
    new_voter = decision.voter.registrant_id if decision.voter else ""
    if was_counted and old_voter and (line.pk not in counted or new_voter != old_voter):
        line_promote_replacement(petition_id=line.petition_id, registrant_id=old_voter)
    line.refresh_from_db()
    return decision


# The levels matching.compare grades fields with ("agree" for the house number, as the evidence
# spells it).
_GOOD = {Level.EXACT, Level.NICKNAME, Level.COMPOUND, Level.ZIP, Level.ALIAS, "agree"}
_PARTIAL = {Level.CLOSE, Level.PHONETIC, Level.INITIAL, Level.NICK_INITIAL, Level.MISSING,
            Level.UNKNOWN, Level.SPELLING, Level.LOOSE_NICKNAME}  # fmt: skip


def agreement_marks(fields: dict[str, Any]) -> dict[str, str]:
    """How a candidate's name, address and city agree with the line: agree, partial, differs."""

    def mark(*levels: str) -> str:
        if all(level in _GOOD for level in levels):
            return "agree"
        if any(level in _GOOD | _PARTIAL for level in levels):
            return "partial"
        return "differs"

    return {
        "name": mark(fields.get("surname", ""), fields.get("first", "")),
        "address": mark(fields.get("number", ""), fields.get("street", "")),
        "city": mark(fields.get("city", "")),
    }
