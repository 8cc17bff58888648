"""Movers against the unregistered: a line whose name the roll holds only at other addresses
(matching.decide), read with what the roll knows beyond the name."""

from matching.compare import Candidate, line_keys
from matching.decide import Couple, InPlace, Kind, Outcome, decide
from tests.matching.roll import JONESES, candidate, graded, name_count, places

NEW = ("12674 N Greenwood Ln", "Whittier", "90605")  # where the household signs now


def _jones(voter_id: str, first: str, number: str, street: str, city: str, **fields: str):
    return candidate(
        voter_id, first_name=first, last_name="JONES", house_number=number, street_name=street,
        street_predir="", city=city, zip="90000", **fields,
    )  # fmt: skip


# The JONESes of tests/matching/roll.py, and others.
ROLL = [
    *(_jones(*row) for row in JONESES),
    candidate("NEXT", first_name="ROSA", last_name="PENA", house_number="12674",
              street_name="GREENWOOD", street_type="LN", city="WHITTIER", zip="90605"),
]  # fmt: skip


def _decide(roll: list[Candidate], name: str, moved_with: tuple[Candidate, ...] = (),
            count: int | None = None, couple: Couple | None = None) -> Outcome:  # fmt: skip
    keys = line_keys(name, *NEW)
    where = places(roll)
    return decide(keys, graded(keys, roll), places=where, moved_with=moved_with,
                  name_count=name_count(keys, roll) if count is None else count,
                  couple=couple)  # fmt: skip


def _co_signer(roll: list[Candidate], first: str) -> tuple[Candidate, ...]:
    """What the batch hands decide for a co-signer: the voters of their name elsewhere."""
    return tuple(c for c in roll if c.first_name == first and c.last_name == "JONES")


def test_a_household_signing_together_is_the_one_registered_together_elsewhere():
    got = _decide(ROLL, "Linda Jones", _co_signer(ROLL, "MICHAEL"))
    assert (got.kind, got.rule, got.voter.registrant_id) == (Kind.ELSEWHERE, "moved", "L1")
    got = _decide(ROLL, "Michael Jones", _co_signer(ROLL, "LINDA"))
    assert (got.kind, got.voter.registrant_id) == (Kind.ELSEWHERE, "M1")


def test_without_its_household_a_name_borne_at_three_addresses_is_no_mover():
    got = _decide(ROLL, "Linda Jones")
    assert (got.kind, got.rule, got.voter) == (Kind.NONE, "common_name_elsewhere", None)


def test_co_signers_registered_apart_from_every_namesake_prove_nothing():
    roll = [c for c in ROLL if c.registrant_id != "M1"]
    got = _decide(roll, "Linda Jones", _co_signer(roll, "MICHAEL"))
    assert (got.kind, got.rule) == (Kind.NONE, "common_name_elsewhere")


def test_two_addresses_holding_both_names_are_not_settled_by_the_household():
    roll = [*ROLL, _jones("L4", "LINDA", "5805", "ORCHID", "SANTA CLARITA")]
    got = _decide(roll, "Linda Jones", _co_signer(roll, "MICHAEL"))
    assert (got.kind, got.rule) == (Kind.NONE, "common_name_elsewhere")


def test_the_line_itself_is_no_household_of_its_own():
    # A co-signer found as the very voter the line names (the same person signing twice on the
    # section) is no evidence that the line's signer moved.
    roll = [c for c in ROLL if c.first_name == "LINDA" or c.registrant_id == "NEXT"]
    got = _decide(roll, "Linda Jones", _co_signer(roll, "LINDA"))
    assert (got.kind, got.rule) == (Kind.NONE, "common_name_elsewhere")


def test_a_cancelled_registration_moved_with_its_household_is_no_mover():
    roll = [c if c.registrant_id != "L1" else _jones("L1", "LINDA", "3518", "LAURA", "COMPTON",
                                                      status="C") for c in ROLL]  # fmt: skip
    got = _decide(roll, "Linda Jones", _co_signer(roll, "MICHAEL"))
    assert got.kind == Kind.NONE


def test_a_name_too_common_to_have_seen_every_bearer_goes_to_review_with_the_household():
    got = _decide(ROLL, "Linda Jones", _co_signer(ROLL, "MICHAEL"), count=6)
    assert (got.kind, got.rule) == (Kind.GREY, "grey_moved_together")
    assert got.candidates[0]["voter_id"] == "L1"
    assert "3518" not in got.summary  # where a voter lives is not the keyer's to read


def test_a_household_registered_at_the_written_address_keeps_the_line_a_relative():
    roll = [*ROLL, candidate("HERE", first_name="DOROTHY", last_name="JONES",
                             house_number="12674", street_name="GREENWOOD", street_type="LN",
                             city="WHITTIER", zip="90605")]  # fmt: skip
    got = _decide(roll, "Linda Jones", _co_signer(roll, "MICHAEL"))
    assert (got.kind, got.voter) == (Kind.NONE, None)


def _soto(voter_id: str, number: str, city: str, zip_code: str, **fields: str):
    return candidate(
        voter_id, first_name="MANUEL", last_name="SOTO", house_number=number,
        street_name="VALLE VISTA", city=city, zip=zip_code, **fields,
    )  # fmt: skip


# Three MANUEL SOTOs: in Whittier (a town of one ZIP here), Los Angeles and Santa Fe Springs.
SOTOS = [
    _soto("WH", "4717", "WHITTIER", "90605"),
    _soto("LA", "12662", "LOS ANGELES", "90002"),
    _soto("SF", "14119", "SANTA FE SPRINGS", "90670"),
]
# Los Angeles as the roll has it: many ZIPs.
BIG_CITY = [candidate(f"LA{z}", first_name="X", last_name="Y", city="LOS ANGELES", zip=str(z))
            for z in range(90001, 90031)]  # fmt: skip


def _line(roll: list[Candidate], name: str, address: str, city: str, zip_code: str = ""):
    keys = line_keys(name, address, city, zip_code)
    return decide(keys, graded(keys, roll), places=places(roll),
                  name_count=name_count(keys, roll))  # fmt: skip


def test_of_a_few_namesakes_the_one_registered_in_the_lines_small_town_moved_there():
    got = _line(SOTOS + BIG_CITY, "Manuel Soto", "4560 Watson Ave", "Whittier")
    assert (got.kind, got.rule, got.voter.registrant_id) == (Kind.ELSEWHERE, "moved", "WH")


def test_the_namesake_in_the_lines_zip_moved_within_it_even_in_a_big_city():
    got = _line(SOTOS + BIG_CITY, "Manuel Soto", "600 Broadway", "Los Angeles", "90002")
    assert (got.kind, got.voter.registrant_id) == (Kind.ELSEWHERE, "LA")


def test_a_namesake_somewhere_in_a_big_city_is_no_mover():
    got = _line(SOTOS + BIG_CITY, "Manuel Soto", "600 Broadway", "Los Angeles", "90011")
    assert (got.kind, got.rule) == (Kind.NONE, "common_name_elsewhere")
    got = _line(SOTOS + BIG_CITY, "Manuel Soto", "600 Broadway", "Los Angeles")
    assert got.kind == Kind.NONE


def test_two_namesakes_in_the_lines_town_or_a_name_too_common_settle_nothing():
    roll = [*SOTOS, *BIG_CITY, _soto("WH2", "90", "WHITTIER", "90605")]
    assert _line(roll, "Manuel Soto", "4560 Watson Ave", "Whittier").kind == Kind.NONE
    roll = [*SOTOS, *BIG_CITY, *(_soto(f"SF{i}", str(i), "SANTA FE SPRINGS", "90670")
                                 for i in range(1, 4))]  # fmt: skip
    assert _line(roll, "Manuel Soto", "4560 Watson Ave", "Whittier").kind == Kind.NONE


def test_a_cancelled_namesake_in_the_lines_town_is_no_mover():
    roll = [_soto("WH", "4717", "WHITTIER", "90605", status="C"), *SOTOS[1:], *BIG_CITY]
    got = _line(roll, "Manuel Soto", "4560 Watson Ave", "Whittier")
    assert (got.kind, got.voter) == (Kind.NONE, None)


def test_a_household_of_the_surname_at_the_line_keeps_it_a_relative_not_a_mover():
    here = candidate("HH", first_name="ROSA", last_name="SOTO", house_number="4560",
                     street_name="WATSON", street_predir="", street_type="AVE", city="WHITTIER",
                     zip="90605")  # fmt: skip
    got = _line([*SOTOS, *BIG_CITY, here], "Manuel Soto", "4560 Watson Ave", "Whittier")
    assert (got.kind, got.voter) == (Kind.NONE, None)


WHITTIER = ROLL[-1]  # a voter of the town where the lines are written


def _medina(voter_id: str, first: str, number: str = "10945", **fields: str):
    return candidate(
        voter_id, first_name=first, last_name="MEDINA", house_number=number, street_name="HAZEL",
        street_predir="", city="BELL", zip="90201", **fields,
    )  # fmt: skip


def test_a_household_vouches_for_its_member_written_with_an_initial():
    roll = [_medina("ROSA", "ROSA"), _medina("ALMA", "ALMA"), _medina("ALMA2", "ALMA", "77"),
            WHITTIER]  # fmt: skip
    got = _decide(roll, "A Medina", (roll[0],))
    assert (got.kind, got.rule, got.voter.registrant_id) == (Kind.ELSEWHERE, "moved", "ALMA")


def test_an_initial_two_of_the_household_bear_is_not_settled_by_it():
    roll = [_medina("ROSA", "ROSA"), _medina("ALMA", "ALMA"), _medina("ALEX", "ALEX"), WHITTIER]
    got = _decide(roll, "A Medina", (roll[0],))
    assert (got.kind, got.voter) == (Kind.NONE, None)


def test_an_initial_with_no_household_behind_it_is_no_mover():
    roll = [_medina("ROSA", "ROSA"), _medina("ALMA", "ALMA"), WHITTIER]
    assert _decide(roll, "A Medina").kind == Kind.NONE
    # Nor another given name beside the household's voter: GLORIA is no one registered there.
    assert _decide(roll, "Gloria Medina", (roll[0],)).kind == Kind.NONE


def _xu(voter_id: str, number: str, middle: str = "", **fields: str):
    return candidate(
        voter_id, first_name="MING", middle_name=middle, last_name="XU", house_number=number,
        street_name="HALE", city="BELL", zip="90201", **fields,
    )  # fmt: skip


def test_a_written_middle_initial_one_namesake_has_recorded_singles_them_out():
    # Namesakes with no middle recorded do not stand against the one whose middle agrees.
    roll = [_xu("J", "10", "JIE"), _xu("N1", "20"), _xu("N2", "30"), WHITTIER]
    got = _decide(roll, "Ming J Xu")
    assert (got.kind, got.rule, got.voter.registrant_id) == (Kind.ELSEWHERE, "moved", "J")


def test_a_middle_initial_two_namesakes_at_two_addresses_share_settles_nothing():
    roll = [_xu("J1", "10", "JIE"), _xu("J2", "20", "JUN"), _xu("N1", "30"), WHITTIER]
    assert _decide(roll, "Ming J Xu").kind == Kind.NONE
    # Nor with no middle written, nor for a cancelled registration.
    roll = [_xu("J", "10", "JIE"), _xu("N1", "20"), WHITTIER]
    assert _decide(roll, "Ming Xu").kind == Kind.NONE
    roll = [_xu("J", "10", "JIE", status="C"), _xu("N1", "20"), WHITTIER]
    assert (_decide(roll, "Ming J Xu").kind, _decide(roll, "Ming J Xu").voter) == (Kind.NONE, None)


def test_two_co_signers_registered_with_a_common_named_signer_settle_it():
    roll = [*ROLL, _jones("D1", "DOROTHY", "3518", "LAURA", "COMPTON")]
    household = (*_co_signer(roll, "MICHAEL"), *_co_signer(roll, "DOROTHY"))
    got = _decide(roll, "Linda Jones", household, count=6)
    assert (got.kind, got.rule, got.voter.registrant_id) == (Kind.ELSEWHERE, "moved", "L1")
    # JR and SR of one name there are one co-signer's namesakes, not two of the household.
    roll = [*ROLL, _jones("M1B", "MICHAEL", "3518", "LAURA", "COMPTON", name_suffix="JR")]
    got = _decide(roll, "Linda Jones", _co_signer(roll, "MICHAEL"), count=6)
    assert (got.kind, got.rule) == (Kind.GREY, "grey_moved_together")


def _quillfeather(middle: str = "") -> list[Candidate]:
    return [*ROLL, candidate("Q1", first_name="ZEBEDIAH", middle_name=middle,
                             last_name="QUILLFEATHER", house_number="1200", street_name="MAIN",
                             city="LONG BEACH", zip="90802")]  # fmt: skip


def test_a_middle_initial_written_that_the_voter_elsewhere_has_none_of_is_no_mover():
    # One ZEBEDIAH QUILLFEATHER in the county, registered elsewhere with no middle name: the
    # name alone would find him moved; "Zebediah K Quillfeather" is likelier a namesake.
    assert _decide(_quillfeather(), "Zebediah Quillfeather").kind is Kind.ELSEWHERE
    got = _decide(_quillfeather(), "Zebediah K Quillfeather")
    assert (got.kind, got.voter) == (Kind.NONE, None), got
    # With that middle initial on record, he is found moved again.
    assert _decide(_quillfeather("KARL"), "Zebediah K Quillfeather").kind is Kind.ELSEWHERE


# The couples pass (voters.matching.couples_pass) searched the whole roll: LINDA JONES and
# MICHAEL JONES are registered together at one address only (3518 LAURA ST).


def test_the_one_couple_of_the_names_in_the_county_settles_a_common_name():
    got = _decide(ROLL, "Linda Jones", _co_signer(ROLL, "MICHAEL"), count=6,
                  couple=Couple("L1", chance=0.2))  # fmt: skip
    assert (got.kind, got.rule, got.voter.registrant_id) == (Kind.ELSEWHERE, "moved", "L1")
    assert "a co-signer's namesake is registered with them" in got.summary
    assert "3518" not in got.summary  # where a voter lives is not the keyer's to read
    assert got.refs["registered_at"].startswith("3518")


def test_names_so_common_that_a_couple_of_them_is_expected_by_chance_settle_nothing():
    got = _decide(ROLL, "Linda Jones", _co_signer(ROLL, "MICHAEL"), count=6,
                  couple=Couple("L1", chance=1.5))  # fmt: skip
    assert (got.kind, got.rule) == (Kind.GREY, "grey_moved_together")
    got = _decide(ROLL, "Linda Jones", count=6, couple=Couple("L1", chance=1.5))
    assert (got.kind, got.rule) == (Kind.NONE, "common_name_elsewhere")


def test_a_couple_settles_nothing_for_a_cancelled_registration_or_a_household_here():
    roll = [c if c.registrant_id != "L1" else _jones("L1", "LINDA", "3518", "LAURA", "COMPTON",
                                                      status="C") for c in ROLL]  # fmt: skip
    got = _decide(roll, "Linda Jones", count=6, couple=Couple("L1", chance=0.2))
    assert (got.kind, got.voter) == (Kind.NONE, None)
    roll = [*ROLL, candidate("HERE", first_name="DOROTHY", last_name="JONES",
                             house_number="12674", street_name="GREENWOOD", street_type="LN",
                             city="WHITTIER", zip="90605")]  # fmt: skip
    got = _decide(roll, "Linda Jones", count=6, couple=Couple("L1", chance=0.2))
    assert (got.kind, got.voter) == (Kind.NONE, None)


def test_a_couple_whose_namesake_has_another_middle_name_settles_nothing():
    rose = _jones("L1", "LINDA", "3518", "LAURA", "COMPTON", middle_name="ROSE")
    roll = [c if c.registrant_id != "L1" else rose for c in ROLL]
    got = _decide(roll, "Linda K Jones", count=6, couple=Couple("L1", chance=0.2))
    assert (got.kind, got.voter) == (Kind.NONE, None)


def _beside(roll: list[Candidate], name: str, *movers: str) -> Outcome:
    keys = line_keys(name, *NEW)
    housemates = tuple(c for c in roll if c.registrant_id in movers)
    return decide(keys, graded(keys, roll), places=places(roll), name_count=6,
                  housemates=housemates)  # fmt: skip


def test_a_line_beside_a_co_signer_found_moved_is_their_housemate_of_its_name():
    # MICHAEL JONES (M1) found moved; "Linda Jones" beside him is the LINDA registered with him,
    # however many LINDA JONESes the county holds; "L Jones" too, the one L there.
    for name in ("Linda Jones", "L Jones", "Lynda Jones"):
        got = _beside(ROLL, name, "M1")
        assert (got.kind, got.rule, got.voter.registrant_id) == (Kind.ELSEWHERE, "moved", "L1")
        assert "registered with a co-signer found moved" in got.summary
    # A given name unlike any housemate's is a relative not registered, not one of them.
    assert _beside(ROLL, "Dorothy Jones", "M1").voter is None
    # The mover is not their own housemate (the same name twice is signed_again's question).
    assert _beside(ROLL, "Michael Jones", "M1").voter is None


def test_two_housemates_the_line_fits_settle_nothing():
    roll = [*ROLL, _jones("L1B", "LAURA", "3518", "LAURA", "COMPTON")]
    assert _beside(roll, "L Jones", "M1").voter is None
    # A cancelled registration is no mover.
    roll = [c if c.registrant_id != "L1" else _jones("L1", "LINDA", "3518", "LAURA", "COMPTON",
                                                      status="C") for c in ROLL]  # fmt: skip
    assert _beside(roll, "Linda Jones", "M1").voter is None


def _far(name_chance: float | None, city: str = "Whittier", middle: str = "") -> Outcome:
    """ZEBEDIAH QUILLFEATHER, the one of his name, registered in Long Beach; the line in another
    place (or his own), with how many of the name chance alone would give."""
    roll = _quillfeather(middle)
    keys = line_keys("Zebediah Quillfeather", "12674 N Greenwood Ln", city, "")
    return decide(keys, graded(keys, roll), places=places(roll), name_count=1,
                  name_chance=name_chance)  # fmt: skip


def test_a_name_rarer_than_its_parts_registered_in_another_place_is_the_mover():
    got = _far(name_chance=0.01)
    assert (got.kind, got.voter.registrant_id) == (Kind.ELSEWHERE, "Q1")
    assert _far(name_chance=None).kind is Kind.ELSEWHERE  # not looked up: as before


def test_a_name_as_common_as_its_parts_registered_in_another_place_is_no_mover():
    # One voter of the name in the county, but as many as chance gives (JOSE KIM): in another
    # place, as likely an unregistered namesake.
    got = _far(name_chance=0.5)
    assert (got.kind, got.rule, got.voter) == (Kind.NONE, "common_name_elsewhere", None)
    # In the voter's own place, the mover still.
    assert _far(name_chance=0.5, city="Long Beach").voter.registrant_id == "Q1"


# A LINDA JONES registered in Whittier, where "Linda Jones" signs at a new address.
IN_WHITTIER = [*ROLL, _jones("LW", "LINDA", "400", "PAINTER", "WHITTIER")]


def _in_place(in_place: InPlace | None, roll: list[Candidate] = IN_WHITTIER) -> Outcome:
    """Linda Jones at a new address in Whittier, four LINDA JONESes registered elsewhere (six
    voters of the name county-wide, say), with the one the place pass found in the line's place."""
    keys = line_keys("Linda Jones", *NEW)
    return decide(keys, graded(keys, roll), places=places(roll), name_count=6, in_place=in_place)


def test_the_one_bearer_of_a_common_name_in_the_line_s_place_is_the_mover():
    got = _in_place(InPlace("LW", 0.04))
    assert (got.kind, got.rule, got.voter.registrant_id) == (Kind.ELSEWHERE, "moved", "LW")
    assert "the one voter of this name registered in the place written" in got.summary
    assert got.refs["registered_at"] == "400 PAINTER ST, WHITTIER"


def test_a_bearer_chance_would_put_in_the_place_or_none_found_leaves_the_line_unregistered():
    for in_place in (InPlace("LW", 0.3), None):
        got = _in_place(in_place)
        assert (got.kind, got.rule, got.voter) == (Kind.NONE, "common_name_elsewhere", None)


def test_a_cancelled_bearer_in_the_place_is_no_mover():
    roll = [*ROLL, _jones("LW", "LINDA", "400", "PAINTER", "WHITTIER", status="C")]
    assert _in_place(InPlace("LW", 0.04), roll).voter is None


def test_an_initial_whose_one_bearer_in_the_place_the_pass_found_is_the_mover():
    keys = line_keys("L Jones", *NEW)
    got = decide(keys, graded(keys, IN_WHITTIER), places=places(IN_WHITTIER), name_count=0,
                 in_place=InPlace("LW", 0.04))  # fmt: skip
    assert (got.kind, got.rule, got.voter.registrant_id) == (Kind.ELSEWHERE, "moved", "LW")
    got = decide(keys, graded(keys, IN_WHITTIER), places=places(IN_WHITTIER), name_count=0)
    assert got.voter is None


def test_a_namesake_on_the_line_s_own_street_says_more_than_the_place():
    # LINDA JONES GARCIA on the line's street (a compound surname the place pass does not
    # count) beside the one LINDA JONES registered in Whittier.
    on_street = candidate("LG", first_name="LINDA", last_name="JONES GARCIA", house_number="500",
                          street_predir="N", street_name="GREENWOOD", street_type="LN",
                          city="WHITTIER", zip="90605")  # fmt: skip
    got = _in_place(InPlace("LW", 0.04), [*IN_WHITTIER, on_street])
    assert (got.kind, got.voter.registrant_id) == (Kind.ELSEWHERE, "LG"), got
    assert got.refs["found_at"] == "another house number of this street"
