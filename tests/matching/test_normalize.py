"""matching.text, names, nicknames, addresses, places: folding, name keys, nicknames, name and
address parsing, city and ZIP.

Pure unit tests (no database, no Django): see tests/matching/__init__.py.
"""

import contextlib
import re

import jellyfish
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import nicknames
from matching.addresses import (
    ParsedAddress,
    city_key,
    normalize_direction,
    normalize_street_type,
    parse_address,
    parse_zip,
    street_key,
    street_key_with_type,
)
from matching.names import ParsedName, first_key, parse_name, phonetic, surname_head
from matching.nicknames import nickname_canon, nickname_group, nickname_initials
from matching.places import place_zips
from matching.text import fold, name_key, one_edit_spellings

FOLDED = re.compile(r"(?:[A-Z0-9]+(?: [A-Z0-9]+)*)?")

HOSTILE = [
    "",
    " ",
    "\t\n\r",
    ".,;:!?-'`#/",
    "'''",
    "----",
    "😀🎉👨‍👩‍👧",
    "שלום עולם",
    "مرحبا بالعالم",
    "\u202eevil\u202c",
    "\u200b\u200d\ufeff",
    "\u0301\u0301\u0301",
    "\x00\x01\x1f\x7f",
    "\ud800",
    "李小龍",
    "".join(chr(ord(c) + 0xFEE0) for c in "Fullwidth!123"),
    "½¼¾⅓⅔",
    "#,#,#",
    "1/2",
    "A" * 10_000,
    "123 " * 2_500,
    "José, " * 2_000,
    ", , , Jr, Jr, Jr",
]

ALL_FUNCTIONS = [
    fold,
    name_key,
    surname_head,
    first_key,
    nickname_canon,
    nickname_group,
    phonetic,
    parse_name,
    parse_address,
    street_key,
    normalize_street_type,
    normalize_direction,
    city_key,
]


# --- fold ---------------------------------------------------------------------------------


def test_fold_removes_accents_and_hyphens():
    assert fold("José Ñúñez-García") == "JOSE NUNEZ GARCIA"


@pytest.mark.parametrize(
    "text", ["O'Brien", "O\u2019Brien", "O`Brien", "O\u00b4Brien", "O\u02bcBrien"]
)
def test_fold_deletes_apostrophes_instead_of_splitting(text):
    assert fold(text) == "OBRIEN"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Straße", "STRASSE"),
        ("Æsir", "AESIR"),
        ("Søren", "SOREN"),
        ("Łukasz", "LUKASZ"),
        ("Đặng", "DANG"),
        ("đỗ", "DO"),
        ("Œuvre", "OEUVRE"),
        ("Þór", "THOR"),
        ("Nguyễn Thị Ánh", "NGUYEN THI ANH"),
    ],
)
def test_fold_maps_letters_nfkd_does_not_decompose(text, expected):
    assert fold(text) == expected


def test_fold_collapses_punctuation_runs_to_one_space_and_strips():
    assert fold("  smith ,,  jr.  ") == "SMITH JR"


def test_fold_turns_non_latin_letters_into_spaces():
    assert fold("A😀B") == "A B"


def test_fold_keeps_digits_and_folds_fullwidth_forms():
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in "Main")
    assert fold(f"{fullwidth}\u3000\uff11\uff12\uff13") == "MAIN 123"


def test_fold_handles_decomposed_input_like_precomposed():
    assert fold("Jose\u0301") == fold("José") == "JOSE"


# --- name keys ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("De La Cruz", "DELACRUZ"), ("Garcia-Lopez", "GARCIALOPEZ"), ("O'Neil", "ONEIL"), ("", "")],
)
def test_name_key_removes_all_spaces(text, expected):
    assert name_key(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("de la Cruz", "CRUZ"),
        ("Garcia Lopez", "GARCIA"),
        ("Van der Berg", "BERG"),
        ("St. John", "JOHN"),
        ("Del Rio", "RIO"),
        ("dos Santos", "SANTOS"),
        ("Smith", "SMITH"),
    ],
)
def test_surname_head_skips_leading_particles(text, expected):
    assert surname_head(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("Le", "LE"), ("De La", "DELA"), ("Du", "DU")])
def test_surname_head_of_only_particles_is_the_whole_name(text, expected):
    assert surname_head(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Maria Elena", "MARIA"), ("J.", "J"), ("Mary-Ann", "MARY"), ("  bob ", "BOB"), ("", "")],
)
def test_first_key_is_first_folded_token(text, expected):
    assert first_key(text) == expected


def test_phonetic_is_metaphone_of_surname_head():
    assert phonetic("de la Cruz") == jellyfish.metaphone("CRUZ")
    assert phonetic("de la Cruz") == phonetic("Cruz")


def test_phonetic_groups_spelling_variants():
    assert phonetic("Smith") == phonetic("Smyth")


def test_phonetic_of_empty_is_empty():
    assert phonetic("") == ""
    assert phonetic("!!!") == ""


def test_phonetic_is_deterministic():
    assert {phonetic("Gutierrez") for _ in range(5)} == {jellyfish.metaphone("GUTIERREZ")}


# --- nicknames ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nickname", "canonical"),
    [
        ("BOB", "ROBERT"),
        ("BOBBY", "ROBERT"),
        ("ROB", "ROBERT"),
        ("ROBBIE", "ROBERT"),
        ("BILL", "WILLIAM"),
        ("BILLY", "WILLIAM"),
        ("WILL", "WILLIAM"),
        ("WILLY", "WILLIAM"),
        ("PEPE", "JOSE"),
        ("LUPE", "GUADALUPE"),
        ("CHUY", "JESUS"),
        ("PACO", "FRANCISCO"),
        ("PANCHO", "FRANCISCO"),
        ("NACHO", "IGNACIO"),
        ("MEMO", "GUILLERMO"),
        ("LALO", "EDUARDO"),
        ("CHELO", "CONSUELO"),
        ("CONCHA", "CONCEPCION"),
        ("CONCHITA", "CONCEPCION"),
        ("LOLA", "DOLORES"),
        ("PACA", "FRANCISCA"),
        ("KEVORK", "GEVORG"),
        ("HAGOP", "HAKOB"),
    ],
)
def test_nickname_canon_maps_diminutive_to_canonical(nickname, canonical):
    assert nickname_canon(nickname) == canonical


@pytest.mark.parametrize(
    ("nickname", "canonical"),
    [("BETO", "ROBERTO"), ("TONY", "ANTHONY"), ("FRANK", "FRANCISCO"), ("ALEX", "ALEXANDER")],
)
def test_nickname_canon_of_ambiguous_diminutive_is_the_documented_choice(nickname, canonical):
    assert nickname_canon(nickname) == canonical
    assert nicknames.preferred()[nickname] == canonical


def test_nickname_group_of_ambiguous_diminutive_holds_every_reading():
    assert {"BETO", "ALBERTO", "ROBERTO"} <= nickname_group("BETO")
    assert {"TONY", "ANTHONY", "ANTONIO"} <= nickname_group("TONY")
    assert {"FRANK", "FRANCIS", "FRANKLIN", "FRANCISCO"} <= nickname_group("FRANK")


def test_nickname_group_of_canonical_is_itself_and_its_other_language_form():
    assert nickname_group("ROBERT") == frozenset({"ROBERT", "ROBERTO"})
    assert nickname_group("KEVIN") == frozenset({"KEVIN"})


def test_english_and_spanish_forms_of_a_name_share_a_group():
    assert "JUAN" in nickname_group("JOHNNY")
    assert "MARIA" in nickname_group("MARY")
    assert "JOSE" in nickname_group("JOE")
    assert not nickname_group("MARIO") & nickname_group("MARY")


def test_a_name_may_be_written_with_a_diminutives_initial():
    assert nickname_initials("ROBERT") >= {"R", "B"}
    assert nickname_initials("WILLIAM") >= {"W", "B"}
    assert "B" not in nickname_initials("MARY")


def test_nickname_groups_intersect_for_two_diminutives_of_one_name():
    assert nickname_group("BOB") & nickname_group("ROBBIE") == {"ROBERT", "ROBERTO"}
    assert not nickname_group("BOB") & nickname_group("BILL")


def test_spelling_variant_shares_canonical():
    assert nickname_canon("CATHERINE") == nickname_canon("KATHRYN") == "KATHERINE"


def test_unknown_name_maps_to_itself():
    assert nickname_canon("ZYGMUNT") == "ZYGMUNT"
    assert nickname_group("ZYGMUNT") == frozenset({"ZYGMUNT"})


def test_nickname_lookup_folds_unfolded_input():
    assert nickname_canon("bob") == "ROBERT"
    assert nickname_canon(" Chuy ") == "JESUS"
    assert nickname_group("ténor") == frozenset({"TENOR"})


def test_nickname_of_empty_is_empty():
    assert nickname_canon("") == ""
    assert nickname_group("") == frozenset({""})


def _all_tables():
    return tuple(nicknames.tables().values())


def test_nickname_tables_hold_only_folded_single_tokens():
    names = [
        name
        for table in _all_tables()
        for canonical, variants in table.items()
        for name in (canonical, *variants)
    ]
    bad = [n for n in names if fold(n) != n or " " in n]
    assert bad == []


def test_nickname_tables_cover_enough_diminutives():
    english = {v for variants in nicknames.tables()["english"].values() for v in variants}
    spanish = {v for variants in nicknames.tables()["spanish"].values() for v in variants}
    assert len(english) >= 250
    assert len(spanish) >= 120


def test_every_ambiguous_diminutive_has_a_documented_preference():
    readings: dict[str, set[str]] = {}
    for table in _all_tables():
        for canonical, variants in table.items():
            for variant in variants:
                readings.setdefault(variant, set()).add(canonical)
    ambiguous = {v for v, canonicals in readings.items() if len(canonicals) > 1}
    assert ambiguous - set(nicknames.preferred()) == set()
    # ... and no stale preference for a diminutive that is no longer ambiguous.
    assert set(nicknames.preferred()) - ambiguous == set()
    assert all(nicknames.preferred()[v] in readings[v] for v in ambiguous)


def test_no_name_is_listed_as_its_own_diminutive():
    assert [c for t in _all_tables() for c, variants in t.items() if c in variants] == []


# --- parse_name ---------------------------------------------------------------------------


def test_last_comma_first_middle():
    assert parse_name("Smith, John Michael") == ParsedName(
        first="JOHN", middle="MICHAEL", last="SMITH", last_options=("SMITH",)
    )


def test_upper_case_last_comma_first_initial():
    parsed = parse_name("SMITH, JOHN M.")
    assert (parsed.first, parsed.middle, parsed.last) == ("JOHN", "M", "SMITH")


def test_first_last():
    parsed = parse_name("John Smith")
    assert (parsed.first, parsed.middle, parsed.last) == ("JOHN", "", "SMITH")


def test_first_initial_last():
    parsed = parse_name("John Q. Public")
    assert (parsed.first, parsed.middle, parsed.last) == ("JOHN", "Q", "PUBLIC")
    assert parsed.last_options == ("PUBLIC",)  # an initial is never offered as a surname


def test_compound_hispanic_surname_offers_both_options():
    parsed = parse_name("Maria Garcia Lopez")
    assert (parsed.first, parsed.middle, parsed.last) == ("MARIA", "GARCIA", "LOPEZ")
    assert parsed.last_options == ("LOPEZ", "GARCIA LOPEZ")


def test_compound_surname_before_comma_offers_each_part():
    parsed = parse_name("Garcia Lopez, Maria")
    assert (parsed.first, parsed.last) == ("MARIA", "GARCIA LOPEZ")
    assert parsed.last_options == ("GARCIA LOPEZ", "GARCIA", "LOPEZ")


def test_particles_glue_to_the_surname():
    parsed = parse_name("Maria de la Cruz")
    assert (parsed.first, parsed.middle, parsed.last) == ("MARIA", "", "DE LA CRUZ")
    assert parsed.last_options == ("DE LA CRUZ", "CRUZ")


def test_particles_glue_after_a_middle_name():
    parsed = parse_name("Juan Carlos de la Cruz")
    assert (parsed.first, parsed.middle, parsed.last) == ("JUAN", "CARLOS", "DE LA CRUZ")


@pytest.mark.parametrize("text", ["de la Cruz", "De La Cruz", "van der Berg"])
def test_surname_with_particles_alone_has_no_given_name(text):
    parsed = parse_name(text)
    assert (parsed.first, parsed.middle) == ("", "")
    assert parsed.last == fold(text)


def test_vietnamese_middle_name_alone_is_a_given_name():
    parsed = parse_name("Van Nguyen")
    assert (parsed.first, parsed.last) == ("VAN", "NGUYEN")


def test_dutch_particles_glue_to_the_surname():
    assert parse_name("Jan van der Berg").last == "VAN DER BERG"


def test_y_joins_two_surnames():
    parsed = parse_name("Maria Garcia y Lopez")
    assert (parsed.first, parsed.last) == ("MARIA", "GARCIA Y LOPEZ")
    assert parsed.last_options[:2] == ("GARCIA Y LOPEZ", "GARCIA LOPEZ")


def test_middle_initial_e_is_not_a_particle():
    parsed = parse_name("John E Smith")
    assert (parsed.middle, parsed.last) == ("E", "SMITH")


def test_middle_initial_y_is_not_a_conjunction():
    parsed = parse_name("John Y Smith")
    assert (parsed.middle, parsed.last) == ("Y", "SMITH")


def test_vietnamese_middle_name_van_is_not_a_particle():
    parsed = parse_name("Minh Van Nguyen")
    assert (parsed.first, parsed.middle, parsed.last) == ("MINH", "VAN", "NGUYEN")
    assert parsed.last_options == ("NGUYEN", "VAN NGUYEN")


def test_hyphenated_surname_is_one_surname():
    parsed = parse_name("Mary-Ann Garcia-Lopez")
    assert (parsed.first, parsed.middle, parsed.last) == ("MARY ANN", "", "GARCIA LOPEZ")
    assert parsed.last_options == ("GARCIA LOPEZ", "GARCIA", "LOPEZ")


def test_spaced_hyphen_still_joins_surnames():
    assert parse_name("Maria Garcia - Lopez").last == "GARCIA LOPEZ"


@pytest.mark.parametrize(
    ("text", "suffix"),
    [
        ("John Smith Jr.", "JR"),
        ("John Smith Jr", "JR"),
        ("JOHN SMITH SR", "SR"),
        ("John Smith II", "II"),
        ("John Smith III", "III"),
        ("John Smith IV", "IV"),
        ("John Smith, Jr.", "JR"),
        ("Smith, John Jr", "JR"),
        ("Smith Jr, John", "JR"),
        ("Smith, John, III", "III"),
        ("John Smith 3rd", "III"),
        # The surname first, its suffix after it, no comma: a suffix is never a middle name.
        ("Smith Jr John", "JR"),
        ("SMITH SR JOHN", "SR"),
    ],
)
def test_suffix_is_extracted(text, suffix):
    parsed = parse_name(text)
    assert (parsed.first, parsed.last, parsed.suffix) == ("JOHN", "SMITH", suffix)


@pytest.mark.parametrize(
    "text", ["Mr. John Smith", "MRS John Smith", "Dr John Smith", "Smith, Dr. John"]
)
def test_titles_are_dropped(text):
    parsed = parse_name(text)
    assert (parsed.first, parsed.last) == ("JOHN", "SMITH")


def test_initial_first_name():
    parsed = parse_name("J. Smith")
    assert (parsed.first, parsed.last) == ("J", "SMITH")


def test_single_word_is_a_surname():
    assert parse_name("Smith") == ParsedName(last="SMITH", last_options=("SMITH",))


def test_accents_are_folded_in_parsed_names():
    parsed = parse_name("Núñez, José Ángel")
    assert (parsed.first, parsed.middle, parsed.last) == ("JOSE", "ANGEL", "NUNEZ")


@pytest.mark.parametrize("text", ["", "   ", ",,,", "...", "😀"])
def test_empty_name_parses_to_empty_fields(text):
    assert parse_name(text) == ParsedName()


def test_parsed_name_is_frozen():
    parsed = parse_name("John Smith")
    with pytest.raises(AttributeError):
        parsed.first = "JANE"  # type: ignore[misc]


# --- parse_address ------------------------------------------------------------------------


def _fields(address: ParsedAddress) -> tuple[str, ...]:
    return (
        address.house_number,
        address.house_fraction,
        address.number_suffix,
        address.predir,
        address.street_name,
        address.street_type,
        address.postdir,
        address.unit_type,
        address.unit_number,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("123 Main St", ("123", "", "", "", "MAIN", "ST", "", "", "")),
        ("123 N Main St", ("123", "", "", "N", "MAIN", "ST", "", "", "")),
        ("123 North Main Street", ("123", "", "", "N", "MAIN", "ST", "", "", "")),
        ("123 N. Main St.", ("123", "", "", "N", "MAIN", "ST", "", "", "")),
        ("123 No. Main St", ("123", "", "", "N", "MAIN", "ST", "", "", "")),
        ("123 North East Main St", ("123", "", "", "NE", "MAIN", "ST", "", "", "")),
        ("1600 Pennsylvania Ave NW", ("1600", "", "", "", "PENNSYLVANIA", "AVE", "NW", "", "")),
        ("123 Main St W", ("123", "", "", "", "MAIN", "ST", "W", "", "")),
        ("123 Main St #4B", ("123", "", "", "", "MAIN", "ST", "", "#", "4B")),
        ("123 Main St Apt. 4-B", ("123", "", "", "", "MAIN", "ST", "", "APT", "4B")),
        ("123 Main St, Unit 7", ("123", "", "", "", "MAIN", "ST", "", "UNIT", "7")),
        ("123 Main St Apt #4", ("123", "", "", "", "MAIN", "ST", "", "APT", "4")),
        ("123 Main St Apartment 4 B", ("123", "", "", "", "MAIN", "ST", "", "APT", "4B")),
        ("123 Main St Suite 200", ("123", "", "", "", "MAIN", "ST", "", "STE", "200")),
        ("123 Main St Spc 12", ("123", "", "", "", "MAIN", "ST", "", "SPC", "12")),
        ("123 Main St Space 12", ("123", "", "", "", "MAIN", "ST", "", "SPC", "12")),
        ("123 Main St Bldg C", ("123", "", "", "", "MAIN", "ST", "", "BLDG", "C")),
        ("123 Main St Fl 2", ("123", "", "", "", "MAIN", "ST", "", "FL", "2")),
        ("123 Main St Rm 5", ("123", "", "", "", "MAIN", "ST", "", "RM", "5")),
        ("123 Main St Lot 9", ("123", "", "", "", "MAIN", "ST", "", "LOT", "9")),
        ("123 Main St Trlr 3", ("123", "", "", "", "MAIN", "ST", "", "TRLR", "3")),
        ("123 Main St No. 5", ("123", "", "", "", "MAIN", "ST", "", "#", "5")),
        ("123 Main St Rear", ("123", "", "", "", "MAIN", "ST", "", "REAR", "")),
        ("123 Main St Bldg 3 Apt 4", ("123", "", "", "", "MAIN", "ST", "", "APT", "4")),
        ("123 Main St 4B", ("123", "", "", "", "MAIN", "ST", "", "", "4B")),
        ("123 1/2 Main St", ("123", "1/2", "", "", "MAIN", "ST", "", "", "")),
        ("123½ Main St", ("123", "1/2", "", "", "MAIN", "ST", "", "", "")),
        ("123-1/2 Main St", ("123", "1/2", "", "", "MAIN", "ST", "", "", "")),
        ("123B Main St", ("123", "", "B", "", "MAIN", "ST", "", "", "")),
        ("0123 Main St", ("123", "", "", "", "MAIN", "ST", "", "", "")),
        ("123 S Broadway", ("123", "", "", "S", "BROADWAY", "", "", "", "")),
        ("123 Broadway N", ("123", "", "", "", "BROADWAY", "", "N", "", "")),
        ("123 S La Brea Ave", ("123", "", "", "S", "LA BREA", "AVE", "", "", "")),
        (
            "1 Martin Luther King Jr Blvd",
            ("1", "", "", "", "MARTIN LUTHER KING JR", "BLVD", "", "", ""),
        ),
        ("123 O'Farrell St", ("123", "", "", "", "OFARRELL", "ST", "", "", "")),
    ],
)
def test_parse_address_splits_fields(text, expected):
    assert _fields(parse_address(text)) == expected


@pytest.mark.parametrize(
    ("text", "street_name", "street_type"),
    [
        ("123 North St", "NORTH", "ST"),
        ("123 E St", "E", "ST"),
        ("123 West Blvd", "WEST", "BLVD"),
    ],
)
def test_direction_word_that_is_the_whole_name_is_not_eaten(text, street_name, street_type):
    parsed = parse_address(text)
    assert (parsed.predir, parsed.street_name, parsed.street_type) == ("", street_name, street_type)


@pytest.mark.parametrize(
    ("text", "predir", "street_name"),
    [
        ("123 Avenue 64", "", "AVENUE 64"),
        ("123 Ave 64", "", "AVENUE 64"),
        ("123 N Avenue 50", "N", "AVENUE 50"),
        ("123 W Avenue J-8", "W", "AVENUE J8"),
        ("123 E Avenue J", "E", "AVENUE J"),
        ("123 Hwy 39", "", "HIGHWAY 39"),
    ],
)
def test_numbered_avenue_keeps_number_in_name_without_type(text, predir, street_name):
    parsed = parse_address(text)
    assert (parsed.predir, parsed.street_name, parsed.street_type) == (predir, street_name, "")
    assert parsed.unit_number == ""


def test_numbered_avenue_still_takes_a_unit():
    parsed = parse_address("123 Avenue 64 Apt 3")
    assert (parsed.street_name, parsed.unit_type, parsed.unit_number) == ("AVENUE 64", "APT", "3")


@pytest.mark.parametrize(
    ("text", "predir", "street_name"),
    # Bench 1M/100k seed 7: 13 valid lines read as "registered at another address", the
    # avenue's name taken for a unit.
    [("2102 E Vaenue J6", "E", "AVENUE J6"), ("5446 E AVNEUE P8", "E", "AVENUE P8"),
     ("3902 EAST AVENUEE G13", "E", "AVENUE G13"), ("1288 E Aev I1", "E", "AVENUE I1"),
     ("1937 W Avej12", "W", "AVENUE J12"), ("1196 AVE53", "", "AVENUE 53"),
     # The session after: its V dropped before a lettered name, its letter run in alone.
     ("1009 Aenue L5", "", "AVENUE L5"), ("1727 W Ae K9", "W", "AVENUE K9"),
     ("2545 E AVEJ", "E", "AVENUE J")],
)  # fmt: skip
def test_a_misspelt_avenue_keeps_its_name(text, predir, street_name):
    parsed = parse_address(text)
    assert (parsed.predir, parsed.street_name, parsed.unit_number) == (predir, street_name, "")


@pytest.mark.parametrize(
    ("text", "street_name", "unit"),
    [("12 Avon 3", "AVON", "3"), ("12 Vine 3", "VINE", "3"), ("12 Avila Ln", "AVILA", ""),
     ("12 Alene J6", "ALENE", "J6"), ("12 Alamo J6", "ALAMO", "J6"), ("12 Avery", "AVERY", "")],
)  # fmt: skip
def test_a_street_that_is_no_avenue_is_not_read_as_one(text, street_name, unit):
    parsed = parse_address(text)
    assert (parsed.street_name, parsed.unit_number) == (street_name, unit)


def test_avenue_starting_a_name_is_spelled_out_not_a_type():
    parsed = parse_address("123 Ave of the Stars")
    assert (parsed.street_name, parsed.street_type) == ("AVENUE OF THE STARS", "")


@pytest.mark.parametrize(
    "text",
    ["123 1st St", "123 First St", "123 FIRST ST", "123 1 St", "123 1ST STREET", "123 1th St"],
)
def test_ordinal_streets_are_written_as_digits(text):
    assert parse_address(text).street_name == "1ST"


@pytest.mark.parametrize(
    ("text", "street_name"),
    [
        ("123 W Second St", "2ND"),
        ("123 Third Ave", "3RD"),
        ("123 Twelfth St", "12TH"),
        ("123 Twentieth St", "20TH"),
        ("123 Twenty-First St", "21ST"),
        ("123 Twenty Third St", "23RD"),
        ("123 W 2th St", "2ND"),
        ("123 E 111th St", "111TH"),
        ("123 E 112nd St", "112TH"),
    ],
)
def test_ordinal_spellings_agree(text, street_name):
    assert parse_address(text).street_name == street_name


@pytest.mark.parametrize(
    ("text", "street_type"),
    [
        ("1 Elm Avenue", "AVE"),
        ("1 Elm Av", "AVE"),
        ("1 Elm Str", "ST"),
        ("1 Elm Boulevard", "BLVD"),
        ("1 Elm Drive", "DR"),
        ("1 Elm Road", "RD"),
        ("1 Elm Lane", "LN"),
        ("1 Elm Place", "PL"),
        ("1 Elm Court", "CT"),
        ("1 Elm Circle", "CIR"),
        ("1 Elm Wy", "WAY"),
        ("1 Elm Terrace", "TER"),
        ("1 Elm Parkway", "PKWY"),
        ("1 Elm Highway", "HWY"),
        ("1 Elm Trail", "TRL"),
        ("1 Elm Canyon", "CYN"),
    ],
)
def test_street_suffixes_use_usps_abbreviations(text, street_type):
    parsed = parse_address(text)
    assert (parsed.street_name, parsed.street_type) == ("ELM", street_type)


def test_a_surname_with_its_suffix_before_the_given_and_middle_names():
    parsed = parse_name("Garcia Lopez Jr Maria Elena")
    assert (parsed.first, parsed.middle, parsed.last, parsed.suffix) == (
        "MARIA", "ELENA", "GARCIA LOPEZ", "JR"
    )  # fmt: skip


def test_suffix_word_inside_a_name_is_part_of_the_name():
    parsed = parse_address("250 Ocean Park Blvd")
    assert (parsed.street_name, parsed.street_type) == ("OCEAN PARK", "BLVD")


def test_adjacent_suffix_words_take_the_last_as_type():
    parsed = parse_address("12 Park Place Dr")
    assert (parsed.street_name, parsed.street_type) == ("PARK PLACE", "DR")


def test_unit_word_inside_a_name_is_part_of_the_name():
    assert parse_address("12 Outer Space Way").street_name == "OUTER SPACE"
    assert parse_address("12 Ocean Front Walk").street_name == "OCEAN FRONT"


@pytest.mark.parametrize(
    "text",
    [
        "123 Main St, Los Angeles, CA 90012",
        "123 Main St, Los Angeles CA 90012-1234",
        "123 Main St Los Angeles CA 900121234",
        "123 Main St, Los Angeles, California",
        "123 Main St 90012",
        "123 Main St Long Beach",
    ],
)
def test_trailing_city_state_and_zip_are_ignored(text):
    assert _fields(parse_address(text)) == ("123", "", "", "", "MAIN", "ST", "", "", "")


@pytest.mark.parametrize("text", ["123 Main St N 90012", "123 Main St N, CA 90012"])
def test_a_zip_after_a_postdirection_is_still_a_zip(text):
    # A state after a direction is a street's name ("14538 E California"), a ZIP never is.
    parsed = parse_address(text)
    assert (parsed.street_name, parsed.postdir, parsed.unit_number) == ("MAIN", "N", "")


def test_trailing_city_after_unit_is_ignored():
    parsed = parse_address("123 Main St, Apt 4, Los Angeles, CA 90012")
    assert (parsed.street_name, parsed.unit_type, parsed.unit_number) == ("MAIN", "APT", "4")


def test_city_with_direction_after_street_type_is_not_a_postdir():
    parsed = parse_address("123 Main St West Covina")
    assert (parsed.street_name, parsed.postdir) == ("MAIN", "")


def test_five_digit_house_number_is_not_taken_for_a_zip():
    assert parse_address("12345 Main St").house_number == "12345"


def test_lone_five_digit_number_is_a_house_number_not_a_zip():
    assert parse_address("90012").house_number == "90012"


def test_postdir_followed_by_a_bare_unit_number():
    parsed = parse_address("123 Main St W 4")
    assert (parsed.postdir, parsed.unit_type, parsed.unit_number) == ("W", "", "4")


def test_five_digit_unit_number_is_not_taken_for_a_zip():
    assert parse_address("123 Main St Apt 12345").unit_number == "12345"


@pytest.mark.parametrize(
    ("text", "ok"),
    [("123 Main St", True), ("Main St", False), ("123", False), ("", False), ("#4", False)],
)
def test_address_is_ok_only_with_number_and_street(text, ok):
    assert parse_address(text).ok is ok


def test_parsed_address_is_frozen():
    with pytest.raises(AttributeError):
        parse_address("1 Main St").street_name = "ELM"  # type: ignore[misc]


# --- street_key, street type, direction ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MARTIN LUTHER KING JR", "MARTINLUTHERKINGJR"),
        ("Cesar E Chavez", "CESARECHAVEZ"),
        ("Chavez", "CESARECHAVEZ"),  # "5932 W Chavez Ave" for CESAR E CHAVEZ AVE
        ("Cesar Chavez", "CESARECHAVEZ"),
        ("St Andrews", "SAINTANDREWS"),
        ("Saint Andrews", "SAINTANDREWS"),
        ("Mt Washington", "MOUNTWASHINGTON"),
        ("First", "1ST"),
        ("1st", "1ST"),
        ("Twenty-First", "21ST"),
        ("Ave 64", "AVENUE64"),
        ("AVENUE 64", "AVENUE64"),
        ("La Brea", "LABREA"),
        ("", ""),
    ],
)
def test_street_key(text, expected):
    assert street_key(text) == expected


def test_street_key_keeps_st_alone_as_is():
    assert street_key("ST") == "ST"


def test_street_key_agrees_with_parse_address():
    assert street_key(parse_address("5 W 1st St").street_name) == street_key("FIRST")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Avenue", "AVE"),
        ("av", "AVE"),
        ("STREET", "ST"),
        ("Blvd.", "BLVD"),
        ("wy", "WAY"),
        ("Parkway", "PKWY"),
        ("", ""),
        ("Unknown", "UNKNOWN"),
    ],
)
def test_normalize_street_type(text, expected):
    assert normalize_street_type(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("North", "N"),
        ("N.", "N"),
        ("so", "S"),
        ("North East", "NE"),
        ("NORTHWEST", "NW"),
        ("sw", "SW"),
        ("", ""),
        ("Up", "UP"),
    ],
)
def test_normalize_direction(text, expected):
    assert normalize_direction(text) == expected


# --- city_key -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("N Hollywood", "NORTH HOLLYWOOD"),
        ("No. Hollywood", "NORTH HOLLYWOOD"),
        ("So Pasadena", "SOUTH PASADENA"),
        ("W Covina", "WEST COVINA"),
        ("E. Los Angeles", "EAST LOS ANGELES"),
        ("E LA", "EAST LOS ANGELES"),
        ("Sta Clarita", "SANTA CLARITA"),
        ("Mt Wilson", "MOUNT WILSON"),
        ("Pt Dume", "POINT DUME"),
        ("Los  Angeles", "LOS ANGELES"),
        ("LA", "LOS ANGELES"),
        ("L.A.", "LOS ANGELES"),
        ("La Puente", "LA PUENTE"),
        ("Cañada Flintridge", "CANADA FLINTRIDGE"),
        ("N", "N"),
        ("", ""),
    ],
)
def test_city_key(text, expected):
    assert city_key(text) == expected


# --- parse_zip ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90012", ("90012", "")),
        ("90012-1234", ("90012", "1234")),
        ("900121234", ("90012", "1234")),
        (" 90012 ", ("90012", "")),
        ("", ("", "")),
        ("   ", ("", "")),
    ],
)
def test_parse_zip_accepts_zip_and_zip4(text, expected):
    assert parse_zip(text) == expected


@pytest.mark.parametrize(
    "text", ["9001", "900123", "90012-", "90012-12", "ABCDE", "90 012", "٩٠٠١٢", "90012\n1234"]
)
def test_parse_zip_rejects_anything_else(text):
    with pytest.raises(ValueError, match="is not a ZIP code"):
        parse_zip(text)


def test_parse_zip_error_quotes_the_value():
    with pytest.raises(ValueError, match=r"^'9001' is not a ZIP code$"):
        parse_zip("9001")


def test_parse_zip_error_shortens_a_huge_value():
    with pytest.raises(ValueError, match="is not a ZIP code") as info:
        parse_zip("9" * 10_000)
    assert len(str(info.value)) < 100


# --- hostile input ------------------------------------------------------------------------


@pytest.mark.parametrize("function", ALL_FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:12]))
def test_hostile_input_never_raises(function, text):
    function(text)


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:12]))
def test_hostile_input_folds_to_plain_ascii(text):
    assert FOLDED.fullmatch(fold(text))


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t[:12]))
def test_parse_zip_on_hostile_input_raises_only_value_error(text):
    with contextlib.suppress(ValueError):
        parse_zip(text)


def test_right_to_left_override_does_not_hide_latin_letters():
    assert fold("\u202eevil\u202c") == "EVIL"


def test_parsers_return_their_types_on_empty_input():
    assert isinstance(parse_name(""), ParsedName)
    assert isinstance(parse_address(""), ParsedAddress)


# --- properties ---------------------------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_fold_output_is_only_a_z_digits_and_single_spaces(text):
    folded = fold(text)
    assert FOLDED.fullmatch(folded)
    assert fold(folded) == folded
    assert name_key(text) == folded.replace(" ", "")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("0123456789 #,-/'.")))
def test_parsers_never_raise(text):
    name = parse_name(text)
    address = parse_address(text)
    for value in (name.first, name.middle, name.last, name.suffix, *name.last_options):
        assert FOLDED.fullmatch(value)
    assert address.house_number == "" or address.house_number.isdigit()
    city_key(text)
    street_key(text)
    phonetic(text)
    nickname_group(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_zip_raises_only_value_error(text):
    try:
        zip5, zip4 = parse_zip(text)
    except ValueError:
        return
    assert (len(zip5), len(zip4)) in {(0, 0), (5, 0), (5, 4)}


@given(st.from_regex(r"[0-9]{5}(-?[0-9]{4})?", fullmatch=True))
def test_parse_zip_round_trips_valid_codes(text):
    zip5, zip4 = parse_zip(text)
    assert zip5 + zip4 == text.replace("-", "")


@pytest.mark.parametrize(
    ("address", "registered"),
    [
        ("17019 Indian Hill", "INDIAN HILL"),  # no type written: HILL is part of the name
        ("1617 Lemon Grove", "LEMON GROVE"),
        ("18166 North Shore", "SHORE"),  # N SHORE ST, not a street called NORTH
    ],
)
def test_a_weak_suffix_may_be_part_of_the_street_name(address, registered):
    parsed = parse_address(address)
    keys = {street_key(parsed.street_name),
            street_key_with_type(parsed.street_name, parsed.street_type)}  # fmt: skip
    assert street_key(registered) in keys


def test_a_strong_suffix_is_never_part_of_the_street_name():
    parsed = parse_address("500 Elm St")
    assert street_key_with_type(parsed.street_name, parsed.street_type) == ""


def test_a_shortening_shared_by_two_cities_covers_both():
    zips = place_zips([("RANCHO PALOS VERDES", "90275"), ("PALOS VERDES ESTATES", "90274")])
    assert {"90274", "90275"} <= zips["PALOS VERDES"]


def test_one_edit_spellings_are_one_typo_each():
    assert one_edit_spellings("AB", "AB") == {
        "A", "B",  # dropped
        "BA",  # swapped
        "AAB", "BAB", "ABB", "ABA",  # added
        "BB", "AA",  # changed
    }  # fmt: skip
