"""A given name a typo off the name two household namesakes share (JAMES LEE SR and JR, "Jmes
Lee"): the line is one of them, as for the name written right (matching.decide._namesakes)."""

from matching.decide import Kind
from tests.matching.roll import candidate, outcome

HOME = {"house_number": "7556", "street_predir": "E", "street_name": "43RD", "street_type": "PL",
        "city": "LOS ANGELES", "zip": "90011"}  # fmt: skip


def test_a_typo_of_a_name_two_namesakes_share_is_one_of_them():
    roll = [
        candidate(suffix, first_name="JAMES", last_name="LEE", name_suffix=suffix, **HOME)
        for suffix in ("SR", "JR")
    ]
    got = outcome(roll, "Jmes Lee", "7556 E 43rd Pl", "Los Angeles")
    assert (got.kind, got.rule) == (Kind.MATCHED, "namesakes_at_address")
    assert {got.voter.registrant_id, *(c.registrant_id for c in got.alternatives)} == {"SR", "JR"}


def test_a_typo_two_household_members_of_different_names_are_as_close_to_stays_a_tie():
    roll = [candidate("JA", first_name="JAMES", last_name="LEE", **HOME),
            candidate("JO", first_name="JAMIE", last_name="LEE", **HOME)]  # fmt: skip
    got = outcome(roll, "Jmes Lee", "7556 E 43rd Pl", "Los Angeles")
    assert got.rule != "namesakes_at_address"
