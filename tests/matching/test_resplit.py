"""A name with its spaces shifted or dropped ("TeresaJ ohnson", "FelixRosales"): read again with its
letters cut elsewhere (matching.names.resplit_readings, compared by matching.compare)."""

import pytest

from matching.compare import RESPLIT_PENALTY, Level, compare, line_keys
from matching.decide import Kind
from matching.names import RESPLIT_MAX, Reading, joined_letters, parse_name, resplit_readings
from tests.matching.roll import candidate, outcome, places

HOME = {"house_number": "640", "street_predir": "", "street_name": "LARCH", "street_type": "ST",
        "city": "GLENDALE", "zip": "91205"}  # fmt: skip
ADDRESS = "640 Larch St"

# (as written, the voter's given name, middle name, surname, the reading the reason shows)
MISREAD = [
    ("TeresaJ ohnson", "TERESA", "", "JOHNSON", "TERESA JOHNSON"),
    ("Michae lSchmidt", "MICHAEL", "", "SCHMIDT", "MICHAEL SCHMIDT"),
    ("Christophe rEvans", "CHRISTOPHER", "", "EVANS", "CHRISTOPHER EVANS"),
    ("FelixRosales", "FELIX", "", "ROSALES", "FELIX ROSALES"),
    ("tigranlpetrosyan", "TIGRAN", "LEVON", "PETROSYAN", "TIGRAN L PETROSYAN"),
    ("RosalesFelix", "FELIX", "", "ROSALES", "FELIX ROSALES"),  # surname first
    # Bench 50k/10k seed 7, "not registered" at the voter's own address: the hyphenated given
    # name read whole, a digit read as its letter.
    ("TAE-SEO KKANG", "TAE-SEOK", "SAMUEL", "KANG", "TAESEOK KANG"),
    ("CarmenMonr0y", "CARMEN", "NANCY", "MONROY", "CARMEN MONROY"),
]


def _readings(text: str) -> tuple[Reading, ...]:
    name = parse_name(text)
    return resplit_readings(joined_letters(name), (name.first, name.middle, name.last))


@pytest.mark.parametrize(("written", "first", "middle", "last", "reading"), MISREAD)
def test_the_readings_of_a_misspaced_name_hold_the_voters_name(written, first, middle, last,
                                                                reading):  # fmt: skip
    assert reading in {r.text for r in _readings(written)}


def test_readings_are_plausible_names_and_never_the_name_as_written():
    readings = _readings("Maria Garcia")
    assert Reading("MARIA", "", "GARCIA") not in readings
    assert Reading("MARI", "", "AGARCIA") in readings
    assert Reading("GARCIA", "", "MARIA") in readings  # the surname written first
    assert Reading("MARIA", "G", "ARCIA") in readings  # a middle initial between
    assert readings[0] == Reading("M", "", "ARIAGARCIA")  # an initial run into the surname
    for r in readings[1:]:
        # Two letters or more with a vowel each; only the middle initial is one letter.
        assert len(r.first) > 1
        assert len(r.last) > 1
        assert len(r.middle) <= 1
        assert set(r.first) & set("AEIOUY")
        assert set(r.last) & set("AEIOUY")
    assert Reading("MARIAG", "", "RC") not in _readings("Maria Garcia Rc")  # RC: no vowel


def test_readings_are_bounded():
    assert (
        _readings("a" * RESPLIT_MAX + "b") == ()
    )  # too long to be one person's names run together
    assert _readings("Al") == ()
    assert len(_readings("Christophe rEvans")) < 3 * len("CHRISTOPHEREVANS")
    assert joined_letters(parse_name("Mary-Ann O'Neil Jr")) == "MARYANNONEIL"
    assert joined_letters(parse_name("John 3rd Street")) == ""  # not letters only


@pytest.mark.parametrize(("written", "first", "middle", "last", "reading"), MISREAD)
def test_a_misspaced_name_at_the_voters_address_is_that_voter(written, first, middle, last,
                                                              reading):  # fmt: skip
    voter = candidate("V", first_name=first, middle_name=middle, last_name=last, **HOME)
    result = outcome([voter], written, ADDRESS, "Glendale")
    assert (result.kind, result.rule, result.voter) == (Kind.MATCHED, "match", voter)
    assert f"read as {reading}" in result.summary
    assert result.agreement is not None
    assert (result.agreement.surname, result.agreement.given) == (Level.EXACT, Level.EXACT)


def test_a_reading_scores_below_the_same_name_written_right():
    voter = candidate("V", first_name="TERESA", last_name="JOHNSON", **HOME)
    where = places([voter])
    right = compare(line_keys("Teresa Johnson", ADDRESS, "Glendale", ""), voter, where)
    misread = compare(line_keys("TeresaJ ohnson", ADDRESS, "Glendale", ""), voter, where)
    assert right.person == 1.0
    assert not right.reading
    assert misread.person == pytest.approx(1.0 - RESPLIT_PENALTY)
    assert misread.reading == "TERESA JOHNSON"


def test_a_misspaced_name_registered_elsewhere_is_that_voter_moved():
    voter = candidate("V", first_name="CHRISTOPHER", last_name="EVANS", **HOME)
    result = outcome([voter], "Christophe rEvans", "9 Birch Ln", "Glendale")
    assert (result.kind, result.rule, result.voter) == (Kind.ELSEWHERE, "moved", voter)
    assert "read as CHRISTOPHER EVANS" in result.summary


def test_a_reading_the_household_holds_under_another_given_name_is_no_match():
    # The letters hold the surname, not this voter's given name: a relative, not registered.
    roll = [candidate("V", first_name="CHRISTINA", last_name="EVANS", **HOME),
            candidate("W", first_name="FELICIA", last_name="ROSALES", **HOME)]  # fmt: skip
    for written in ("Christophe rEvans", "FelixRosales"):
        result = outcome(roll, written, ADDRESS, "Glendale")
        assert result.kind == Kind.NONE, written
        assert result.voter is None


def test_a_reading_with_another_middle_initial_is_not_a_match():
    voter = candidate("V", first_name="TIGRAN", middle_name="ARAM", last_name="PETROSYAN", **HOME)
    result = outcome([voter], "tigranlpetrosyan", ADDRESS, "Glendale")
    assert result.kind == Kind.GREY  # a plausible reading the engine cannot settle: review
    assert result.voter is None


def test_a_name_written_right_is_not_read_into_a_relatives():
    # Another voter whose name the letters also spell, cut elsewhere: the name as written wins
    # (by more than a tie), and the reason says nothing of a reading.
    roll = [candidate("T", first_name="TERESA", last_name="JOHNSON", **HOME),
            candidate("R", first_name="TERESAJ", last_name="OHNSON", **HOME)]  # fmt: skip
    result = outcome(roll, "Teresa Johnson", ADDRESS, "Glendale")
    assert (result.kind, result.voter) == (Kind.MATCHED, roll[0])
    assert "read as" not in result.summary


def test_an_initial_run_into_the_surname_is_read_at_the_address_only():
    voter = candidate("V", first_name="JAMES", last_name="GREEN", **HOME)
    result = outcome([voter], "JGREEN", ADDRESS, "Glendale")
    assert (result.kind, result.voter) == (Kind.MATCHED, voter)
    assert "first name initial, read as J GREEN" in result.summary
    # Registered elsewhere: an initial is too little to say it is them, moved.
    assert outcome([voter], "JGREEN", "9 Birch Ln", "Glendale").kind == Kind.NONE


@pytest.mark.parametrize(
    ("written", "first", "middle", "last", "reading"),
    [# A middle initial run into the given name (a middle name run in, "shirleygloria ross", is
     # read as given and middle joined: handwriting.joined_given, test_handwriting.py).
     ("LauraR Hernandez", "LAURA", "ROSARIO", "HERNANDEZ", "read as LAURA R HERNANDEZ"),
     ("Brando nD Brown", "BRANDON", "D", "BROWN", "read as BRANDON D BROWN"),
     ("Lemus, MariaL", "MARIA", "LESLIE", "LEMUS", "read as MARIA L LEMUS"),
     # Bench 1M/100k seed 7: 22 valid lines "not registered", their spaces moved and a typo in
     # the surname (the given name exact).
     ("KevinC ehn", "KEVIN", "", "CHEN", "surname close, first name exact, read as KEVIN CEHN"),
     ("deshaw nwals", "DESHAWN", "", "WALLS", "read as DESHAWN WALS"),
     ("JuanTorers", "JUAN", "", "TORRES", "read as JUAN TORERS"),
     ("Nicholas SCarteer", "NICHOLAS", "SAMUEL", "CARTER", "read as NICHOLAS S CARTEER")],
)  # fmt: skip
def test_a_misspaced_name_with_one_slip_more_is_read_at_the_voters_address(
    written, first, middle, last, reading
):
    voter = candidate("V", first_name=first, middle_name=middle, last_name=last, **HOME)
    sister = candidate("S", first_name="ALMA", last_name=last, **HOME)
    result = outcome([voter, sister], written, ADDRESS, "Glendale")
    assert (result.kind, result.voter) == (Kind.MATCHED, voter)
    assert reading in result.summary


@pytest.mark.parametrize(
    ("written", "first", "middle"),
    [("Luisa Garcia", "LUIS", "ALBERTO"),  # a vowel is a name's ending, not an initial
     ("Daniela Garcia", "DANIEL", "A")],
)  # fmt: skip
def test_a_relatives_given_name_is_not_read_as_a_voters_name_and_initial(written, first, middle):
    voter = candidate("V", first_name=first, middle_name=middle, last_name="GARCIA", **HOME)
    result = outcome([voter], written, ADDRESS, "Glendale")
    assert result.kind == Kind.NONE
    assert result.voter is None


@pytest.mark.parametrize("middle", ["ANTHONY", ""])
def test_a_letter_run_onto_the_given_name_that_is_not_the_middle_initial_is_a_misspelling(middle):
    # "Markt": not MARK T (T is not his middle initial); a registrar reads MARK misspelt
    # (matching.spelling), theirs when no one else at the address is as close.
    voter = candidate("V", first_name="MARK", middle_name=middle, last_name="GARCIA", **HOME)
    result = outcome([voter], "Markt Garcia", ADDRESS, "Glendale")
    assert (result.kind, result.voter) == (Kind.MATCHED, voter)
    assert "first name misspelt" in result.summary
    assert "read as" not in result.summary


def test_a_long_name_with_both_surnames_run_together_is_read_again():
    # 25 letters: CAROLINA HERNANDEZ MARTINEZ with the first space dropped.
    readings = resplit_readings("CAROLINAHERNANDEZMARTINEZ", surnames={"HERNANDEZMARTINEZ"})
    assert ("CAROLINA", "", "HERNANDEZMARTINEZ") in [tuple(r) for r in readings]


def test_a_middle_name_run_into_the_surname_is_read_when_it_is_the_voters():
    # Bench 50k/10k seed 7: "not registered" at her own address.
    voter = candidate("V", first_name="KEISHA", middle_name="DIANA", last_name="LOWSBY", **HOME)
    result = outcome([voter], "KEISHA DIANALOWSBY", ADDRESS, "Glendale")
    assert (result.kind, result.voter) == (Kind.MATCHED, voter)
    assert "read as KEISHA D LOWSBY" in result.summary
    # Another middle name: not read so (another rule may still take her: a surname changed,
    # the given name hers alone).
    other = candidate("V", first_name="KEISHA", middle_name="MARIE", last_name="LOWSBY", **HOME)
    assert "read as" not in outcome([other], "KEISHA DIANALOWSBY", ADDRESS, "Glendale").summary


def test_a_middle_initial_cut_from_the_surname_counts_with_a_given_name_typo_only_if_theirs():
    # "ANTHNOY ECOOK": ANTHONY E COOK, the given name written apart with a typo: theirs when no
    # one else registered there matches even weakly, else for a reviewer.
    # Another middle initial: the letters are not read so (ECOOK may still be COOK a letter
    # off, matching.household).
    voter = candidate("V", first_name="ANTHONY", middle_name="EDWARD", last_name="COOK", **HOME)
    result = outcome([voter], "ANTHNOY ECOOK", ADDRESS, "Glendale")
    assert (result.kind, result.voter) == (Kind.MATCHED, voter)
    assert "read as ANTHNOY E COOK" in result.summary
    assert "no one else registered here has a name this close" in result.summary
    # (Someone else there as close: review, as for a name written surname first with typos,
    # tests/matching/test_febrl_classes.py.)
    other = candidate("V", first_name="ANTHONY", middle_name="JAMES", last_name="COOK", **HOME)
    assert "read as ANTHNOY" not in outcome([other], "ANTHNOY ECOOK", ADDRESS, "Glendale").summary


def test_a_misspaced_name_with_a_surname_typo_needs_the_given_name_exact():
    # One typo beside the spaces moved: "KveinC ehn" is not read so, nor "FelixRosales" as
    # FELI XROSALES for FELICIA ROSALES (tests above).
    voter = candidate("V", first_name="KEVIN", last_name="CHEN", **HOME)
    assert "read as" not in outcome([voter], "KveinC ehn", ADDRESS, "Glendale").summary


@pytest.mark.parametrize(
    ("written", "first", "reading"),
    # Bench 1M/100k seed 7: "not registered" at the voter's own address, the space dropped and
    # the given name cut short or misspelt (never a name of its own: no relative's).
    [("JAMEWEBBROOK", "JAMES", "read as JAME WEBBROOK"),
     ("NancSteinberg", "NANCY", "read as NANC STEINBERG"),
     ("williaterrell", "WILLIAM", "read as WILLIA TERRELL"),
     ("BARBAREDWARDS", "BARBARA", "read as BARBAR EDWARDS")],
)  # fmt: skip
def test_a_run_together_name_with_its_given_name_misspelt_is_read_at_the_voters_address(
    written, first, reading
):
    last = reading.split()[-1]
    voter = candidate("V", first_name=first, last_name=last, **HOME)
    brother = candidate("B", first_name="OSCAR", last_name=last, **HOME)
    result = outcome([voter, brother], written, ADDRESS, "Glendale")
    assert (result.kind, result.voter) == (Kind.MATCHED, voter)
    assert f"first name misspelt, {reading}" in result.summary
    # Another voter there as close (a misspelling of two names): not theirs.
    jamie = candidate("J", first_name="JAMIE", last_name="WEBBROOK", **HOME)
    if first == "JAMES":
        assert outcome([voter, jamie], written, ADDRESS, "Glendale").voter is None
    # Registered elsewhere: a misspelt name read again is too little to say it is them, moved.
    assert outcome([voter], written, "9 Birch Ln", "Glendale").kind == Kind.NONE
