"""A mover signing twice at one new address (matching.decide's signed_again): a line not
registered at its written address whose name fits the voter another line at that address was
found to be (registered elsewhere) is that voter writing again."""

import pytest

from matching.addresses import parse_address, street_key
from matching.compare import Candidate, line_keys
from matching.decide import Kind, Outcome, decide
from tests.matching.roll import candidate, graded, name_count, places

NEW = ("10945 Hazel Ave", "Bell", "90201")  # where the mover signs now


def _voter(voter_id: str, first: str, last: str, number: str, street: str, **fields: str):
    fields = {"street_predir": "", "city": "LOS ANGELES", "zip": "90011", **fields}
    return candidate(
        voter_id, first_name=first, last_name=last, house_number=number, street_name=street,
        **fields,
    )  # fmt: skip


ROLL = [
    _voter("AM", "ALMA", "MEDINA", "812", "CENTRAL"),
    _voter("EA", "EVELYN", "ACOSTA", "55", "FLORENCE"),
    _voter("HA", "ANI", "HAMAZASPIAN", "4", "VERMONT"),
    _voter("YC1", "YOUNG", "CHA", "900", "WESTERN"),
    _voter("YC2", "YOUNG", "CHA", "31", "NORMANDIE"),
    _voter("RM", "ROSA", "MEDINA", "812", "CENTRAL"),
    _voter("NEXT", "ROSA", "PENA", "10945", "HAZEL", street_type="AVE", city="BELL",
           zip="90201"),
]  # fmt: skip


def _decide(name: str, again: tuple[str, ...], roll: list[Candidate] = ROLL) -> Outcome:
    keys = line_keys(name, *NEW)
    return decide(keys, graded(keys, roll), name_count=name_count(keys, roll),
                  places=places(roll), signed_again=again)  # fmt: skip


@pytest.mark.parametrize(
    ("written", "voter"),
    [
        ("a medina", "AM"),  # the same initial again
        ("Alma Medina", "AM"),  # the whole name beside an initial
        ("E Acosta", "EA"),  # an initial beside the whole name
        ("A Hamazasp1an", "HA"),  # an initial and a handwriting confusion in the surname
        ("Young Cha", "YC1"),  # a name borne at two addresses: the one the other line was
    ],
)
def test_a_line_at_a_movers_written_address_fitting_their_name_is_theirs(written, voter):
    got = _decide(written, (voter,))
    assert (got.kind, got.rule, got.voter.registrant_id) == (Kind.ELSEWHERE, "moved", voter)
    assert "another line at this address is theirs too" in got.summary
    assert "registered_at" in got.refs


def test_without_another_line_found_moved_the_name_stays_not_found():
    assert _decide("a medina", ()).kind == Kind.NONE
    assert _decide("Young Cha", ()).rule == "common_name_elsewhere"


def test_a_given_name_of_its_own_is_a_relative_not_the_mover():
    got = _decide("Elena Acosta", ("EA",))
    assert (got.kind, got.voter) == (Kind.NONE, None)


def test_another_surname_is_not_the_mover():
    got = _decide("A Molina", ("AM",))
    assert got.voter is None or got.voter.registrant_id != "AM"


def test_two_movers_the_line_fits_alike_are_not_settled_by_this_rule():
    # ALMA and ANA MEDINA both found moved at this address: "A Medina" may be either; ALMA and
    # ROSA: "R Medina" is ROSA's.
    roll = [*ROLL, _voter("AM2", "ANA", "MEDINA", "812", "CENTRAL")]
    got = _decide("A Medina", ("AM", "AM2"), roll)
    assert got.rule != "moved" or "another line at this address" not in got.summary
    got = _decide("R Medina", ("AM", "RM"), roll)
    assert (got.rule, got.voter.registrant_id) == ("moved", "RM")


def test_a_household_of_the_surname_at_the_written_address_is_a_relative_there():
    roll = [*ROLL, _voter("HERE", "JOSE", "MEDINA", "10945", "HAZEL", street_type="AVE",
                          city="BELL", zip="90201")]  # fmt: skip
    got = _decide("a medina", ("AM",), roll)
    assert got.voter is None or got.voter.registrant_id != "AM"


def test_a_cancelled_registration_is_not_the_mover():
    roll = [*(c for c in ROLL if c.registrant_id != "EA"),
            _voter("EA", "EVELYN", "ACOSTA", "55", "FLORENCE", status="C")]  # fmt: skip
    assert _decide("E Acosta", ("EA",), roll).voter is None


@pytest.mark.parametrize(
    "written", ["7551 E M L King Blvd", "7551 E ML King Jr Blvd", "7551 Martin L King Jr Blvd"]
)
def test_martin_luther_king_written_by_its_initials_is_the_registered_street(written):
    parsed = parse_address(written)
    assert street_key(parsed.street_name) == street_key("MARTIN LUTHER KING")


def test_another_of_the_movers_household_the_line_fits_is_not_settled_by_this_rule():
    # JUSTIN KRAUSE found moved here; JANE KRAUSE registered with him: "J Krause" may be either
    # (the household that moved together settles it: matching.decide's _moved_together).
    roll = [_voter("JU", "JUSTIN", "KRAUSE", "12", "INDIAN"),
            _voter("JA", "JANE", "KRAUSE", "12", "INDIAN")]  # fmt: skip
    got = _decide("J Krause", ("JU",), roll)
    assert "another line at this address is theirs too" not in got.summary
    # A father of a nickname of the son's name: FERDIE is FERDINAND SR's, not JR's.
    roll = [_voter("JR", "FERDINAND", "CASTILLO", "9", "VALLEY", name_suffix="JR"),
            _voter("SR", "FERDINAND", "CASTILLO", "9", "VALLEY", name_suffix="SR")]  # fmt: skip
    got = _decide("Ferdie S Castilo", ("JR",), roll)
    assert "another line at this address is theirs too" not in got.summary
