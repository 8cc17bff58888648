"""petitions.decisions: an outcome read as a petition's decision, step by step (no database)."""

from datetime import date

import pytest

from matching.decide import Kind, Outcome
from petitions import decisions as steps
from petitions.decisions import SETTLED, Decision, decision_for
from tests.matching.roll import candidate

JOSE_SR = candidate("SR1", first_name="JOSE", last_name="MARTINEZ", name_suffix="SR",
                    registration_date="2020-01-01")  # fmt: skip
JOSE_JR = candidate("JR1", first_name="JOSE", last_name="MARTINEZ", name_suffix="JR",
                    registration_date="2026-09-01")  # fmt: skip


def matched(voter=JOSE_SR, *alternatives) -> Decision:
    outcome = Outcome(Kind.MATCHED, "match", "surname exact", voter=voter, score=1.0,
                      alternatives=alternatives)  # fmt: skip
    return decision_for(outcome)


@pytest.mark.parametrize(
    ("kind", "status"),
    [(Kind.MATCHED, "valid"), (Kind.TIE, "needs_review"), (Kind.GREY, "needs_review"),
     (Kind.ELSEWHERE, "address_mismatch"), (Kind.NONE, "not_registered"),
     (Kind.OUTSIDE, "out_of_jurisdiction"), (Kind.INCOMPLETE, "incomplete")],
)  # fmt: skip
def test_each_kind_of_outcome_has_its_status(kind, status):
    assert decision_for(Outcome(kind, "rule", "summary")).status == status


def test_a_match_on_a_cancelled_registration_is_canceled():
    voter = candidate("CAN", status="C")
    outcome = Outcome(Kind.MATCHED, "cancelled", "registration cancelled", voter=voter)
    assert decision_for(outcome).status == "canceled"


def test_a_withdrawn_line_is_withdrawn_whatever_the_roll_says():
    decision = decision_for(Outcome(Kind.MATCHED, "match", "x", voter=JOSE_SR), withdrawn=True)
    assert (decision.status, decision.rule, decision.voter) == ("withdrawn", "withdrawn", None)
    assert decision.reason() == {
        "rule": "withdrawn", "summary": "the signer withdrew (EC 11303)", "candidates": [],
    }  # fmt: skip


def test_registered_after_the_cutoff_is_registered_late_and_says_when():
    decision = steps.registered_late(matched(JOSE_JR), cutoff=date(2026, 8, 15), when="filing")
    assert (decision.status, decision.rule) == ("registered_late", "registered_late")
    assert decision.summary == "registered after filing (2026-08-15); surname exact"
    assert decision.refs == {"registered_on": "2026-09-01"}
    assert decision.reason()["notes"] == ["registered after filing (2026-08-15)"]


def test_registered_before_the_cutoff_or_without_one_is_unchanged():
    decision = matched(JOSE_SR)
    assert steps.registered_late(decision, cutoff=date(2026, 8, 15), when="filing") is decision
    assert steps.registered_late(decision, cutoff=None, when="filing") is decision


def test_each_step_returns_a_new_decision_and_leaves_the_old_one_alone():
    decision = matched()
    duplicate = steps.duplicate_of(decision, "section 1 line 2")
    assert (decision.status, decision.summary) == ("valid", "surname exact")
    assert (duplicate.status, duplicate.rule) == ("duplicate", "duplicate")
    assert duplicate.summary == "signed more than once: also on section 1 line 2; surname exact"
    with pytest.raises(AttributeError):
        decision.status = "duplicate"  # type: ignore[misc]


def test_a_tie_line_counted_as_the_voter_who_signed_by_name_is_settled():
    decision = steps.counted_as(matched(JOSE_SR, JOSE_JR), "JR1", [], settled=True)
    assert decision.voter is JOSE_JR
    assert decision.alternatives == (JOSE_SR,)
    assert decision.summary == "surname exact" + SETTLED
    assert decision.refs == {"taken_as": "JR1"}
    assert decision.reason()["settled"] is True


def test_a_counted_tie_line_keeps_all_its_voters():
    decision = steps.counted_as(matched(JOSE_SR, JOSE_JR), "SR1", ["JR1", "SR1"], settled=False)
    assert decision.namesakes == ("JR1", "SR1")
    assert steps.tie_options(decision) == ["JR1", "SR1"]
    assert "settled" not in decision.reason()


def test_a_tie_names_first_the_voter_with_no_middle_name_on_record():
    # LINDA MARTIN and LINDA JENNIFER MARTIN at one address, "Linda Martin" written: the one
    # with none on record never writes one, the other only sometimes does.
    with_middle = candidate("A1", first_name="LINDA", middle_name="JENNIFER", last_name="MARTIN")
    without = candidate("Z9", first_name="LINDA", last_name="MARTIN")
    assert steps.tie_options(matched(with_middle, without)) == ["Z9", "A1"]
    assert steps.tie_options(matched(without, with_middle)) == ["Z9", "A1"]


def test_a_namesake_of_a_signer_names_the_voter_in_refs_only_and_links_none():
    moved = decision_for(Outcome(
        Kind.ELSEWHERE, "moved", "registered at another address (surname exact)",
        voter=JOSE_SR, score=1.0, refs={"registered_at": "500 ELM ST, PASADENA"},
    ))  # fmt: skip
    decision = steps.namesake_of_signer(steps.with_name_key(moved, "MARTINEZ|JOSE"), "SR1")
    assert (decision.status, decision.rule) == ("not_registered", "namesake_of_signer")
    assert (decision.voter, decision.score, decision.alternatives) == (None, None, ())
    assert decision.summary == (
        "the one voter of this name signed this petition at their registered address: another "
        "person of the name; no registered voter of this name at this address"
    )
    # Where that voter lives is no longer the line's business; who they are, for reviewers.
    assert decision.refs == {"signed_as": "SR1"}
    assert decision.reason()["name_key"] == "MARTINEZ|JOSE"


@pytest.mark.parametrize(
    "reason",
    [
        # As stored now: the parts beside the summary.
        {"rule": "duplicate", "summary": "signed more than once: also on section 1 line 2; x"
         + SETTLED, "notes": ["signed more than once: also on section 1 line 2"],
         "settled": True, "refs": {"taken_as": "JR1"}},
    ],
)  # fmt: skip
def test_a_recount_says_a_stored_reason_anew(reason):
    assert steps.stored_parts(reason) == (
        ("signed more than once: also on section 1 line 2",), "x", True,
    )  # fmt: skip
    counts = steps.recounted_reason(reason, counts_alone=True, taken_as=None, duplicate_of=None)
    assert counts == {"rule": "match", "summary": "x"}
    again = steps.recounted_reason(
        reason, counts_alone=False, taken_as="SR1", duplicate_of="section 2 line 1"
    )
    assert again["summary"] == "signed more than once: also on section 2 line 1; x" + SETTLED
    assert (again["rule"], again["refs"], again["settled"]) == (
        "duplicate", {"taken_as": "SR1"}, True,
    )  # fmt: skip


def test_a_replacement_line_counts_in_place_of_the_one_that_no_longer_does():
    reason = {"rule": "duplicate", "summary": "signed more than once: also on section 1 line 2; x",
              "notes": ["signed more than once: also on section 1 line 2"]}  # fmt: skip
    assert steps.replacing_reason(reason) == {
        "rule": "match", "summary": "counts in place of the voter's line that no longer does; x",
        "notes": ["counts in place of the voter's line that no longer does"],
    }  # fmt: skip
