"""What making another voter roll active would do to each petition: estimated on a sample.

Read-only: a random sample of each petition's automatically decided lines is decided again
against the candidate roll by the validation engine (voters.matching, matching.decide, the
electorate as that roll draws it, and the registration rule), nothing is written, and the
share that changes is spread over all of them. Counting once (duplicates) is not replayed: a
line valid for the same voter as before is taken as unchanged, whether it counts or is that
voter's duplicate. Hand decisions are never re-decided on a roll change, so they are left out.
"""

from typing import Any

from django.db.models import Q

from matching.compare import line_keys
from matching.decide import decide
from petitions import decisions as steps
from petitions.decisions import MANUAL, decision_for
from petitions.electorate import Boundary, decided_inside
from petitions.models import Line, LineStatus, Petition
from petitions.validation import apply_registration_rule
from voters.matching import find_candidates
from voters.models import VoterRoll

SAMPLE_LINES = 500
# Statuses re-validation leaves alone: still waiting, or not a signature.
UNDECIDED = (Line.Status.PENDING, Line.Status.BLANK)
COUNTED_STATUSES = (LineStatus.VALID, LineStatus.DUPLICATE)
# Rules of lines decided by who else counts (a reason stored before the rule's rename, too).
FOUND_BY_COUNTING = (steps.NAMESAKE_OF_SIGNER, steps.SIGNED_BEFORE_ELSEWHERE)


def _redecided_lines(petition: Petition, candidate: VoterRoll) -> tuple[int, int, int, int]:
    """(decided lines, sampled, changed in the sample, valid now lost in the sample)."""
    decided = (
        Line.objects.filter(petition=petition)
        .exclude(status__in=UNDECIDED)
        .exclude(reason__rule=MANUAL)
    )
    total = decided.count()
    sample = list(decided.select_related("section").order_by("?")[:SAMPLE_LINES])
    if not sample:
        return total, 0, 0, 0
    keys = {
        ln.id: line_keys(ln.printed_name, ln.residence_address, ln.city, ln.zip) for ln in sample
    }
    found = find_candidates(candidate.pk, keys)
    # The electorate as the candidate roll draws it (a district column it lacks: nobody inside).
    boundary = Boundary.of(petition, candidate.pk)
    changed = lost = 0
    for line in sample:
        outcome = decide(
            keys[line.id], found.ranked(line.id), signed=line.signed, **found.facts(line.id)
        )
        decision = decided_inside(
            boundary, line.section, decision_for(outcome, withdrawn=line.withdrawn)
        )
        decision = apply_registration_rule(petition, line, decision)
        if line.reason.get("rule") in FOUND_BY_COUNTING:
            # A namesake of a voter who signed is found by counting, which is not replayed here.
            same = decision.status in (LineStatus.NOT_REGISTERED, LineStatus.ADDRESS_MISMATCH)
        elif line.status in COUNTED_STATUSES:
            voters = {c.registrant_id for c in (decision.voter, *decision.alternatives) if c}
            same = decision.status == LineStatus.VALID and line.voter_registrant_id in voters
        else:
            same = decision.status == line.status
        if not same:
            changed += 1
            lost += line.status == Line.Status.VALID
    return total, len(sample), changed, lost


def roll_activation_preview(
    sender: object, *, candidate: VoterRoll, active: VoterRoll | None, **kwargs: Any
) -> list[dict[str, Any]]:
    """For the voters app's confirmation page (voters.signals.roll_activation_preview)."""
    rows: list[dict[str, Any]] = []
    petitions = Petition.objects.filter(
        Q(lines__status__isnull=False) & ~Q(lines__status__in=UNDECIDED)
    ).distinct()
    for petition in petitions.order_by("title"):
        total, sampled, changed, lost = _redecided_lines(petition, candidate)
        valid_now = Line.objects.filter(petition=petition, status=Line.Status.VALID).count()
        scale = total / sampled if sampled else 0.0
        rows.append(
            {
                "title": petition.title, "decided": total, "sampled": sampled,
                "changed_in_sample": changed, "changed": round(changed * scale),
                "valid_now": valid_now, "valid_after": max(valid_now - round(lost * scale), 0),
            }
        )  # fmt: skip
    return rows
