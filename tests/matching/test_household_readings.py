"""A given name read at the voter's own address as a registrar reads it beside the household's
records (matching.household): each class of reading counts when no one else registered there fits
the written name, goes to review when two do or the reading is weak, and a relative who wrote a
name of their own stays not registered."""

import pytest

from matching.decide import Kind
from matching.household import reading
from matching.nicknames import nickname_canon
from tests.matching.roll import candidate, outcome

HOME = {"house_number": "5370", "street_predir": "", "street_name": "HOOD", "street_type": "AVE",
        "city": "SANTA CLARITA", "zip": "91350"}  # fmt: skip
ADDRESS = "5370 Hood Ave"


def _household(*first_names: str, surname: str = "REYES") -> list:
    return [
        candidate(f"V{i}", first_name=first, last_name=surname, **HOME)
        for i, first in enumerate(first_names)
    ]


# (as written, the voter's given name, the words of the reason): one per class of reading.
READ = [
    # A published nickname that is a name with nicknames of its own.
    ("Patsy", "MARTHA", "PATSY is a published nickname of MARTHA"),
    ("ellie", "HELEN", "ELLIE is a published nickname of HELEN"),
    ("Mitzie", "MIRIAM", "MITZIE is a published nickname of MIRIAM"),
    ("Irwin", "ERWIN", "IRWIN is a published nickname of ERWIN"),
    # The English form of a Spanish name.
    ("Alfred", "ALFREDO", "ALFRED is the English form of ALFREDO"),
    # A nickname (or the English form) misspelt.
    ("Hcarlie", "CARLOS", "HCARLIE is CHARLIE (a form of CARLOS) misspelt"),
    ("Imkey", "MICHAEL", "IMKEY is MIKEY (a form of MICHAEL) misspelt"),
    ("RLPH", "RAFAEL", "RLPH is RALPH (a form of RAFAEL) misspelt"),
    ("Ejss", "JESSICA", "EJSS is JESS (a form of JESSICA) misspelt"),
    # Letters dropped.
    ("Jrg", "JORGE", "JRG is JORGE with letters dropped"),
    ("Isae", "ISRAEL", "ISAE is ISRAEL with letters dropped"),
]


@pytest.mark.parametrize(("written", "voter_first", "how"), READ)
def test_a_reading_of_the_one_household_member_it_fits_counts(written, voter_first, how):
    roll = _household(voter_first, "GUADALUPE")
    result = outcome(roll, f"{written} Reyes", ADDRESS, "Santa Clarita")
    assert (result.kind, result.rule, result.voter) == (Kind.MATCHED, "match", roll[0])
    assert how in result.summary
    assert "no one else registered here fits it" in result.summary


@pytest.mark.parametrize(("written", "voter_first", "how"), READ)
def test_the_reading_needs_the_voters_own_address(written, voter_first, how):
    roll = _household(voter_first)
    result = outcome(roll, f"{written} Reyes", "9 Birch Ln", "Santa Clarita")
    assert result.voter is None


def test_a_surname_with_a_typo_still_agrees():
    roll = _household("MARTHA", surname="GUERRERO")
    result = outcome(roll, "Patsy Gurerero", ADDRESS, "Santa Clarita")
    assert (result.kind, result.voter) == (Kind.MATCHED, roll[0])


def test_hand_list_diminutives_are_nicknames():
    # CONNIE for CONCEPCION, MO for MOHAMMAD: matching/data/nicknames.csv, not a reading.
    roll = _household("CONCEPCION", surname="ESPINOSA")
    result = outcome(roll, "CONNIE ESPINOSA", ADDRESS)
    assert (result.kind, result.voter) == (Kind.MATCHED, roll[0])
    assert "first name nickname" in result.summary
    for registered in ("MOHAMMAD", "MOHAMMED", "MUHAMMAD"):
        roll = _household(registered, surname="KHOURY")
        assert outcome(roll, "MO KHOURY", ADDRESS).voter == roll[0]
    assert nickname_canon("CONNIE") == "CONSTANCE"  # the stored blocking key is unchanged


def test_two_members_the_written_name_may_be_are_for_a_reviewer():
    # HCARLIE: CHARLIE, CARLOS's or CHARLES's; ELLIE: HELEN's or HELENE's.
    for written, names in (("Hcarlie", ("CARLOS", "CHARLES")), ("Ellie", ("HELEN", "HELENE"))):
        result = outcome(_household(*names), f"{written} Reyes", ADDRESS)
        assert (result.kind, result.rule, result.voter) == (
            Kind.GREY, "grey_household_reading", None,
        )  # fmt: skip
        assert {c["name"] for c in result.candidates[:2]} == {f"{n} REYES" for n in names}


def test_namesakes_of_the_name_read_count_once():
    roll = [*_household("JORGE", "JORGE")]
    result = outcome(roll, "Jrg Reyes", ADDRESS)
    assert result.kind == Kind.MATCHED


@pytest.mark.parametrize(
    ("written", "household"),
    [
        ("Maria", ("JORGE",)),  # a relative of an unrelated name
        ("Ron", ("AARON",)),  # RON is RONALD's: a relative
        ("Juana", ("JUAN",)),  # a name of its own, a letter more: his sister
        ("Pedro", ("PAULA",)),  # a name of its own, the same first letter
        ("Jose", ("JORGE",)),  # a name of its own, however close
        ("Jrg", ("JUAN",)),  # the letters are not JUAN's
    ],
)
def test_a_relative_with_a_name_of_their_own_stays_not_registered(written, household):
    result = outcome(_household(*household), f"{written} Reyes", ADDRESS)
    assert result.kind == Kind.NONE
    assert result.voter is None


def test_a_common_name_a_published_link_ties_to_the_household_is_for_a_reviewer():
    result = outcome(_household("MARY"), "Marie Reyes", ADDRESS)
    assert (result.kind, result.rule) == (Kind.GREY, "grey_household_reading")
    assert result.voter is None


def test_a_name_our_tables_link_wins_over_a_reading():
    # ELLIE is ELEANOR's nickname in our own table: hers, though the package also gives it HELEN.
    roll = _household("HELEN", "ELEANOR")
    assert outcome(roll, "Ellie Reyes", ADDRESS).voter == roll[1]


def test_readings_are_not_made_of_names_far_apart():
    assert reading("RON", "AARON", "AARON") is None
    assert reading("JRG", "JUAN", "JUAN") is None
    assert reading("JO", "JORGE", "JORGE") is None  # fewer than half the letters


def test_a_handwriting_confusion_then_the_name_cut_short():
    roll = _household("LETICIA", "GUADALUPE")
    result = outcome(roll, "1ETICI Reyes", ADDRESS)
    assert (result.kind, result.voter) == (Kind.MATCHED, roll[0])
    assert "1ETICI is LETICI in handwriting, LETICIA cut short" in result.summary


def test_a_short_surname_a_letter_off_with_the_given_name_agreeing():
    # NAA for NAVA, COI for CHOI: too short for compare to call close.
    for written, surname in (("Josefina Naa", "NAVA"), ("Jun Tae Coi", "CHOI")):
        first = written.split()[0].upper()
        roll = [candidate("V", first_name=first, last_name=surname, **HOME),
                candidate("W", first_name="ALMA", last_name=surname, **HOME)]  # fmt: skip
        result = outcome(roll, written, ADDRESS)
        assert (result.kind, result.voter) == (Kind.MATCHED, roll[0])
        # Read so, or by the FEBRL rule before it (a surname two letters off with the given
        # name exact at the exact address: tests/matching/test_febrl_classes.py).
        assert (f"read as {surname}, a letter off" in result.summary
                or "the surname written two letters off theirs" in result.summary)  # fmt: skip


def test_a_short_surname_a_letter_off_needs_the_given_name():
    roll = [candidate("V", first_name="ALMA", last_name="NAVA", **HOME)]
    assert outcome(roll, "Josefina Naa", ADDRESS).kind == Kind.NONE
    # Two voters of that given name there, of two surnames it may be: not settled.
    roll = [candidate("V", first_name="JOSEFINA", last_name="NAVA", **HOME),
            candidate("W", first_name="JOSEFINA", last_name="NAAS", **HOME)]  # fmt: skip
    assert outcome(roll, "Josefina Naa", ADDRESS).voter is None


@pytest.mark.parametrize(
    ("written", "first", "surname"),
    [("M WLF", "MICHAEL", "WOLF"), ("r cuz", "ROSA", "CRUZ"), ("E Wng", "EDWARD", "WONG"),
     ("W Cen", "WEN", "CHEN"), ("Tran, D", "DUNG", "TAN")],
)  # fmt: skip
def test_an_initial_and_a_surname_a_letter_off(written, first, surname):
    # A letter dropped, changed, added or two swapped, the first kept: the one voter of that
    # initial at the address, with another of the household of another initial.
    roll = [candidate("V", first_name=first, last_name=surname, **HOME),
            candidate("W", first_name="ALMA", last_name=surname, **HOME)]  # fmt: skip
    result = outcome(roll, written, ADDRESS)
    assert (result.kind, result.voter) == (Kind.MATCHED, roll[0])
    assert f"read as {surname}, a letter off; no one else here of this initial" in result.summary
    assert "surname close, first name initial" in result.summary


def test_an_initial_and_a_surname_a_letter_off_needs_one_voter_of_the_initial_and_no_bearer():
    wolf = candidate("V", first_name="MICHAEL", last_name="WOLF", **HOME)
    # Two of that initial there (whose line?), of one surname or two.
    for other in (candidate("W", first_name="MARTA", last_name="WOLF", **HOME),
                  candidate("W", first_name="MAX", last_name="WELLS", **HOME)):  # fmt: skip
        assert outcome([wolf, other], "M WLF", ADDRESS).voter is None
    # Someone registered there bears the surname as written: a relative of theirs wrote it.
    tran = candidate("V", first_name="DUNG", last_name="TRAN", **HOME)
    assert outcome([tran], "D Tan", ADDRESS).voter == tran
    tan = candidate("W", first_name="ALMA", last_name="TAN", **HOME)
    assert outcome([tran, tan], "D Tan", ADDRESS).voter is None
    # Two letters off, or the first letter changed: not read.
    assert outcome([wolf], "M WL", ADDRESS).voter is None
    assert outcome([wolf], "M Golf", ADDRESS).voter is None
    # The middle initial against it.
    assert outcome([candidate("V", first_name="MICHAEL", middle_name="RAY", last_name="WOLF",
                              **HOME)], "M T WLF", ADDRESS).voter is None  # fmt: skip


def test_a_published_nickname_that_starts_the_name():
    roll = _household("ELIZABETH", "GUADALUPE")
    result = outcome(roll, "Eli Reyes", ADDRESS)
    assert (result.kind, result.voter) == (Kind.MATCHED, roll[0])
    assert "ELI, a nickname, is ELIZABETH cut short" in result.summary
    # Not a name a letter or so off, another person's, maybe (LOREN beside LORENA: her last
    # letter dropped, of the other sex, for review); a common one is for review (MARIE, beside
    # MARIELA).
    result = outcome(_household("LORENA"), "Loren Reyes", ADDRESS)
    assert (result.kind, result.rule) == (Kind.GREY, "grey_household_reading")
    assert "LOREN is LORENA with its last letter dropped" in result.summary
    result = outcome(_household("MARIELA"), "Marie Reyes", ADDRESS)
    assert (result.kind, result.rule) == (Kind.GREY, "grey_household_reading")
    # MARY for MARYAM: the English form of the name, listed (nicknames_published_additions).
    result = outcome(_household("MARYAM"), "Mary Reyes", ADDRESS)
    assert (result.kind, result.voter) == (Kind.MATCHED, _household("MARYAM")[0])


def test_the_surname_written_first():
    roll = _household("MARY", "JORGE", surname="LOMBARDI")
    result = outcome(roll, "Lombardi Mitzi", ADDRESS)
    assert (result.kind, result.voter) == (Kind.MATCHED, roll[0])
    assert "MITZI is a published nickname of MARY" in result.summary


def _namesakes_elsewhere(first: str, n: int = 7, surname: str = "REYES") -> list:
    return [
        candidate(f"E{i}", first_name=first, last_name=surname, house_number=str(100 + i),
                  street_name="ELM", street_type="ST", city="SANTA CLARITA", zip="91350")
        for i in range(n)
    ]  # fmt: skip


def test_the_household_reading_wins_over_a_common_name_registered_elsewhere():
    # PATSY REYES at MARTHA REYES's home: a PATSY REYES registered elsewhere is one of seven
    # and cannot be told apart; the household member the name is read as can.
    roll = [*_household("MARTHA", "GUADALUPE"), *_namesakes_elsewhere("PATSY")]
    result = outcome(roll, "Patsy Reyes", ADDRESS, "Santa Clarita")
    assert (result.kind, result.voter) == (Kind.MATCHED, roll[0])
    assert "PATSY is a published nickname of MARTHA" in result.summary


def test_a_weak_household_reading_beside_a_common_name_elsewhere_is_for_a_reviewer():
    # MARIE at MARY's home, seven MARIE REYESes elsewhere: not "not registered" but a reviewer's.
    roll = [*_household("MARY"), *_namesakes_elsewhere("MARIE")]
    result = outcome(roll, "Marie Reyes", ADDRESS, "Santa Clarita")
    assert (result.kind, result.rule) == (Kind.GREY, "grey_household_reading")


def test_a_relative_of_a_name_of_their_own_registered_elsewhere_stays_not_registered():
    roll = [*_household("JORGE"), *_namesakes_elsewhere("MARIA")]
    result = outcome(roll, "Maria Reyes", ADDRESS, "Santa Clarita")
    assert (result.kind, result.rule) == (Kind.NONE, "common_name_elsewhere")


@pytest.mark.parametrize(
    ("written", "voter_first"),
    [("Jane", "JANET"), ("Andre", "ANDRES"), ("lea", "LEAH"), ("KARIN", "KARINA")],
)
def test_a_name_of_one_sex_that_is_the_voters_with_its_last_letter_dropped_counts(
    written, voter_first
):
    roll = _household(voter_first, "GUADALUPE")
    result = outcome(roll, f"{written} Reyes", ADDRESS)
    assert (result.kind, result.voter) == (Kind.MATCHED, roll[0]), result
    assert f"is {voter_first} with its last letter dropped" in result.summary


@pytest.mark.parametrize(
    ("written", "voter_first"),
    [("Juan", "JUANA"), ("Robert", "ROBERTA"), ("Ada", "ADAM"), ("Andre", "ANDREA")],
)
def test_a_name_of_the_other_sex_with_a_letter_dropped_is_for_a_reviewer(written, voter_first):
    # Her brother, his sister, may live there unregistered: a reviewer compares the signature.
    result = outcome(_household(voter_first), f"{written} Reyes", ADDRESS)
    assert (result.kind, result.rule, result.voter) == (
        Kind.GREY, "grey_household_reading", None,
    )  # fmt: skip
    assert f"{written.upper()} is {voter_first} with its last letter dropped" in result.summary


def test_a_letter_dropped_that_two_members_names_may_be_is_for_a_reviewer():
    result = outcome(_household("ANDRES", "ANDREW"), "Andre Reyes", ADDRESS)
    assert (result.kind, result.rule) == (Kind.GREY, "grey_household_reading")
