"""The generator's noise classes: each does what its name in the truth file claims (seeded)."""

import csv
import random
import re
from collections import Counter, defaultdict

import pytest

from devtools import synthetic
from devtools.synthetic import noise
from devtools.synthetic.noise import (
    DIGIT_MISREADS,
    OCR_CONFUSIONS,
    Writer,
    published_nicknames,
    split_syllables,
)
from devtools.synthetic.signatures import _alike, _distance
from devtools.synthetic.tables import county_tables

ROLL_VOTERS = 30_000
LINES = 8_000
# Every class the truth file may name (generate_signatures --truth lists them too).
CLASSES = {
    "given_typo",
    "space_shift",
    "ocr",
    "house_digit",
    "nickname",
    "published_nickname",
    "given_split_join",
    "armenian_ending",
    "surname_part",
    "surname_typo",
    "street_typo",
    "namesake",
    "mover",
    "common_mover",
    "household_mover",
    "relative",
    "unregistered_household",
    "unregistered_repeat",
}
# Who signed, not how it was written.
SIGNERS = {"namesake", "mover", "common_mover", "household_mover", "relative",
           "unregistered_household", "unregistered_repeat"}  # fmt: skip
# The transcription classes: a registered signer's line keeps its verdict whatever they did.
TRANSCRIPTION = CLASSES - SIGNERS
SURNAME_NOISE = {"surname_typo", "surname_part", "armenian_ending", "ocr", "space_shift"}


def _read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _writer(seed=1):
    return Writer(county_tables(), random.Random(seed))


def _quiet(monkeypatch):
    """Every rate of the name's own noise at zero, so a test turns on one class at a time."""
    for rate in (
        "NICKNAME_RATE",
        "TYPO_RATE",
        "GIVEN_TYPO_RATE",
        "SPACE_SHIFT_RATE",
        "OCR_RATE",
        "HOUSE_DIGIT_RATE",
        "PUBLISHED_NICKNAME_RATE",
        "SPLIT_JOIN_RATE",
        "ARMENIAN_ENDING_RATE",
    ):
        monkeypatch.setattr(noise, rate, 0.0)


def _written(writer, first, last, middle=""):
    """Names written until one carries noise; (text, classes)."""
    for _ in range(200):
        writer.new_line()
        text = writer.name(first, middle, last, "", bad=False)
        if writer.noise:
            return text, list(writer.noise)
    raise AssertionError("no noise in 200 names")


def _words(text):
    """The written name's words, upper case, 'Last, First' put back in order."""
    if "," in text:
        last, _, given = text.partition(",")
        text = f"{given} {last}"
    return text.upper().translate(noise.STRIP_ACCENTS).split()


def _given_written(text, last):
    """The words of a written name other than the surname (which may come first, no comma)."""
    words = _words(text)
    assert last in words, text
    return [w for w in words if w != last]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("noise")
    roll, lines, truth = folder / "roll.csv", folder / "lines.csv", folder / "truth.csv"
    synthetic.write_roll(roll, ROLL_VOTERS, seed=21, workers=1)
    synthetic.write_signatures(roll, lines, LINES, seed=5, truth_path=truth)
    return {"roll": _read(roll), "lines": _read(lines), "truth": _read(truth)}


def _lines_with(files, cls):
    return [
        (line, t)
        for line, t in zip(files["lines"], files["truth"], strict=True)
        if cls in t["noise"].split(";")
    ]


# ---------------------------------------------------------------------------------------------
# Name and address noise, one class at a time
# ---------------------------------------------------------------------------------------------
def test_misspell_drops_doubles_swaps_or_cuts_short_by_a_letter_or_two():
    w = _writer(3)
    seen = {w.misspell("KIMBERLY") for _ in range(300)}
    assert "KIMBERL" in seen  # cut short
    assert "KIMBRLY" in seen or "KIMBELY" in seen or "KIMERLY" in seen  # a letter dropped
    assert any(re.search(r"(.)\1", s) for s in seen)  # a letter doubled
    assert "KIMBERYL" in seen or "KIMEBRLY" in seen or "KMIBERLY" in seen  # swapped
    assert all(s != "KIMBERLY" and _distance(s, "KIMBERLY") <= 2 for s in seen)
    assert w.misspell("ANA") == "ANA"  # too short to misspell and still read


def test_given_typo_class_misspells_the_given_name_only(monkeypatch):
    _quiet(monkeypatch)
    monkeypatch.setattr(noise, "GIVEN_TYPO_RATE", 1.0)
    w = _writer(4)
    for _ in range(40):
        text, classes = _written(w, "STEPHANIE", "LITTLE")
        if classes != ["given_typo"]:
            continue  # an old-style surname typo came first
        (given,) = _given_written(text, "LITTLE")
        if len(given) == 1:
            assert given != "S"  # an initial keeps the class only when the typo changed it
            continue
        assert given != "STEPHANIE"
        assert _distance(given, "STEPHANIE") <= 2


def test_space_shift_moves_or_drops_the_space_between_the_names():
    w = _writer(5)
    seen = {w.space_shift("Teresa Johnson", 6) for _ in range(60)}
    assert seen == {"TeresaJohnson", "TeresaJ ohnson", "Teres aJohnson"}
    assert w.noise == ["space_shift"]
    w.new_line()
    assert w.space_shift("T Johnson", 1) == "T Johnson"  # an initial stays apart
    assert w.noise == []


def test_space_shift_class_keeps_the_letters(monkeypatch):
    _quiet(monkeypatch)
    monkeypatch.setattr(noise, "SPACE_SHIFT_RATE", 1.0)
    w = _writer(6)
    shifted = 0
    for _ in range(50):
        w.new_line()
        text = w.name("MICHAEL", "", "SCHMIDT", "", bad=False)
        if "space_shift" in w.noise:
            shifted += 1
            assert text.replace(" ", "").upper() in {"MICHAELSCHMIDT", "MSCHMIDT"}
            assert text.upper() not in {"MICHAEL SCHMIDT"}
    assert shifted > 20


def test_ocr_confusions_are_handwriting_shapes():
    w = _writer(7)
    seen = {w.confuse("MORRIS") for _ in range(200)}
    assert {"RNORRIS", "M0RRIS", "MORR1S", "MORRI5"} <= seen
    assert "MORRIS" not in seen
    assert w.confuse("XYZ") == "XYZ"
    pairs = dict(OCR_CONFUSIONS)
    assert pairs["RN"] == "M"
    assert pairs["CL"] == "D"


def test_ocr_class_changes_one_shape_in_the_name(monkeypatch):
    _quiet(monkeypatch)
    monkeypatch.setattr(noise, "OCR_RATE", 1.0)
    w = _writer(8)
    for _ in range(30):
        text, classes = _written(w, "CLAUDIA", "MORENO")
        if classes == ["ocr"]:
            assert text.upper().replace(",", "") not in {"CLAUDIA MORENO", "MORENO CLAUDIA"}


def test_house_digit_misreads_one_digit(monkeypatch):
    _quiet(monkeypatch)
    monkeypatch.setattr(noise, "HOUSE_DIGIT_RATE", 1.0)
    w = _writer(9)
    rec = w.new_address()
    rec["house_number"] = "4521"
    misread = 0
    for _ in range(50):
        w.new_line()
        house = w.address(rec, bad=False).split(" ")[0]
        if "house_digit" in w.noise:
            misread += 1
            diffs = [(a, b) for a, b in zip("4521", house, strict=True) if a != b]
            assert len(diffs) == 1
            assert DIGIT_MISREADS[diffs[0][0]] == diffs[0][1]
        else:
            assert house == "4521"
    assert misread > 30


def test_published_nicknames_come_from_the_nicknames_package(monkeypatch):
    assert {"MARC"} <= set(published_nicknames("MARCUS"))
    assert "TAMI" in published_nicknames("TAMMY")
    assert "SADIE" in published_nicknames("SARAH")
    assert "JAY" in published_nicknames("JACOB")
    assert "DELLA" in published_nicknames("ADELA")
    assert published_nicknames("XOCHITL") == ()
    _quiet(monkeypatch)
    monkeypatch.setattr(noise, "PUBLISHED_NICKNAME_RATE", 1.0)
    w = _writer(10)
    for _ in range(20):
        text, classes = _written(w, "MARCUS", "JENKINS")
        if classes == ["published_nickname"]:
            assert _given_written(text, "JENKINS")[0] in {"MARC", "MARK"}


def test_korean_and_chinese_given_names_are_split_or_joined(monkeypatch):
    assert split_syllables("JIHOON") == ("JI", "HOON")
    assert split_syllables("JI HOON") == ("JI", "HOON")
    assert split_syllables("XIAO-MEI") == ("XIAO", "MEI")
    assert split_syllables("MINA") is None  # too short to be sure it is Korean
    assert split_syllables("ROBERT") is None
    _quiet(monkeypatch)
    monkeypatch.setattr(noise, "SPLIT_JOIN_RATE", 1.0)
    w = _writer(11)
    for registered, written in (
        ("JIHOON", "JI HOON"),
        ("JI HOON", "JIHOON"),
        ("JI-HOON", "JIHOON"),
    ):
        for _ in range(20):
            text, classes = _written(w, registered, "PARK")
            if classes == ["given_split_join"]:
                assert written in text.upper()
                break
        else:
            raise AssertionError(registered)


def test_the_roll_registers_two_syllable_names_joined_spaced_or_hyphenated(files):
    korean = [
        r["first_name"].upper() for r in files["roll"] if split_syllables(r["first_name"].upper())
    ]
    forms = Counter("space" if " " in n else "hyphen" if "-" in n else "joined" for n in korean)
    assert forms["joined"] > forms["space"] > forms["hyphen"] > 0


def test_armenian_surnames_swap_their_ending(monkeypatch):
    _quiet(monkeypatch)
    monkeypatch.setattr(noise, "ARMENIAN_ENDING_RATE", 1.0)
    w = _writer(12)
    text, classes = _written(w, "TIGRAN", "PETROSYAN")
    assert "armenian_ending" in classes
    assert "PETROSIAN" in text.upper()
    text, classes = _written(w, "ANI", "GRIGORIAN")
    assert "GRIGORYAN" in text.upper()
    w.new_line()
    w.name("ANI", "", "KHAN", "", bad=False)
    assert "armenian_ending" not in w.noise


def test_relatives_given_names_are_unlike_any_registered():
    assert _alike("STEPHANIE", "STEPHINE")
    assert _alike("MARC", "MARCUS")
    assert _alike("SADIE", "SARAH")  # a published nickname
    assert _alike("JI HOON", "JIHOON")
    assert not _alike("ROBERTO", "GLORIA")


# ---------------------------------------------------------------------------------------------
# In a generated petition
# ---------------------------------------------------------------------------------------------
def test_every_class_appears_at_a_small_rate(files):
    counts = Counter(c for t in files["truth"] for c in t["noise"].split(";") if c)
    assert set(counts) == CLASSES
    for cls in TRANSCRIPTION:
        assert counts[cls] / LINES < 0.08, cls
    for cls in ("given_typo", "space_shift", "ocr", "published_nickname"):
        assert counts[cls] >= 40, cls


def test_registered_writers_keep_their_truth_whatever_the_noise(files):
    by_id = {r["voter_id"]: r for r in files["roll"]}
    for line, t in zip(files["lines"], files["truth"], strict=True):
        classes = set(t["noise"].split(";")) - {""}
        assert classes <= CLASSES
        if classes & {"mover", "common_mover", "household_mover"}:
            assert t["status"] == "address_mismatch"
            assert by_id[t["voter_id"]]["status"] == "A"
        if classes & TRANSCRIPTION and t["voter_id"] and t["status"] == "valid":
            assert by_id[t["voter_id"]]["status"] in ("A", "I")
        if classes & {"relative", "unregistered_household", "unregistered_repeat"}:
            assert t["status"] == "not_registered"
            assert t["voter_id"] == ""
        if t["status"] == "incomplete" and not line["printed_name"]:
            assert not classes & {"given_typo", "space_shift", "ocr", "nickname"}


def test_namesakes_share_a_full_name_with_another_voter(files):
    names = Counter((r["first_name"].upper(), r["last_name"].upper()) for r in files["roll"])
    by_id = {r["voter_id"]: r for r in files["roll"]}
    tagged = 0
    for t in files["truth"]:
        if not t["voter_id"]:
            continue
        voter = by_id[t["voter_id"]]
        shared = names[voter["first_name"].upper(), voter["last_name"].upper()] > 1
        assert ("namesake" in t["noise"]) == shared
        tagged += shared
    assert tagged > 100
    # The roll has namesakes beyond those common names give: people living alone named after
    # someone elsewhere in the county.
    singles = Counter(
        (r["first_name"].upper(), r["last_name"].upper(), r["house_number"], r["street_name"])
        for r in files["roll"]
    )
    assert sum(n > 1 for n in names.values()) > 300
    assert max(singles.values()) <= 3  # still not the same person twice at one address


def test_common_movers_have_namesakes(files):
    names = Counter((r["first_name"].upper(), r["last_name"].upper()) for r in files["roll"])
    by_id = {r["voter_id"]: r for r in files["roll"]}
    movers = _lines_with(files, "common_mover")
    assert len(movers) > 30
    for _, t in movers:
        voter = by_id[t["voter_id"]]
        assert names[voter["first_name"].upper(), voter["last_name"].upper()] > 1
        assert "mover" in t["noise"]


def test_household_movers_sign_together_at_one_new_address(files):
    by_id = {r["voter_id"]: r for r in files["roll"]}
    rows = list(zip(files["lines"], files["truth"], strict=True))
    groups = 0
    for i, (line, t) in enumerate(rows[1:], start=1):
        before_line, before = rows[i - 1]
        if "household_mover" not in t["noise"] or "household_mover" not in before["noise"]:
            continue
        if t["section"] != before["section"]:
            continue
        a, b = by_id[t["voter_id"]], by_id[before["voter_id"]]
        home = ("house_number", "street_name", "unit_number", "city")
        assert [a[k] for k in home] == [b[k] for k in home]  # one household
        assert t["voter_id"] != before["voter_id"]
        new_a = line["residence_address"].split(" ")[0]
        new_b = before_line["residence_address"].split(" ")[0]
        if "house_digit" not in t["noise"] + before["noise"]:
            assert new_a == new_b != a["house_number"]  # the same new address, not the old
        groups += 1
    assert groups > 10


def test_people_not_registered_sign_with_a_relative_and_sign_again(files):
    rows = list(zip(files["lines"], files["truth"], strict=True))
    pairs = repeats = 0
    for i, (line, t) in enumerate(rows):
        if "unregistered_household" in t["noise"]:
            # The line before: someone not registered of the same surname, at the same address.
            before_line, before = rows[i - 1]
            assert (before["section"], before["status"]) == (t["section"], "not_registered")
            assert before["voter_id"] == ""
            written = set(noise.plain_upper(line["printed_name"].replace(",", " ")).split())
            first = set(noise.plain_upper(before_line["printed_name"].replace(",", " ")).split())
            if not set((t["noise"] + ";" + before["noise"]).split(";")) & SURNAME_NOISE:
                assert written & first, (line["printed_name"], before_line["printed_name"])
            number = before_line["residence_address"].split(" ")[0]
            if "house_digit" not in t["noise"] + before["noise"]:
                assert line["residence_address"].split(" ")[0] == number
            pairs += 1
        if "unregistered_repeat" in t["noise"]:
            repeats += 1
    assert pairs > 10
    assert repeats > 3


def test_relatives_live_at_a_registered_home_with_an_unlike_given_name(files):
    registered_at = defaultdict(set)  # houses only: an apartment block holds many households
    for r in files["roll"]:
        if r["unit_number"]:
            continue
        registered_at[r["house_number"], r["last_name"].upper().split(" ")[0]].add(
            r["first_name"].upper()
        )
    relatives = _lines_with(files, "relative")
    assert len(relatives) > 200
    checked = 0
    for line, _ in relatives:
        words = _words(line["printed_name"])
        house = line["residence_address"].split(" ")[0]
        if re.search(r"(#|APT|UNIT|SPC|SPACE|SP|NO\.) ?\S+$", line["residence_address"].upper()):
            continue
        for surname in words[1:]:
            members = registered_at.get((house, surname))
            if members and len(words[0]) > 1:
                assert not any(_alike(words[0], m) for m in members), (line, members)
                checked += 1
                break
    assert checked > 100


def test_an_initial_written_from_a_nickname_or_typo_keeps_its_class():
    # "B Smith" for ROBERT (BOB's initial) is the nickname's line; "R Smith" carries no
    # given-name class, whatever noise the whole name would have had.
    w = _writer(5)
    seen = Counter()
    for _ in range(6000):
        w.new_line()
        words = _words(w.name("ROBERT", "", "SMITH", "", bad=False))
        if len(words) != 2 or len(words[0]) != 1:
            continue
        given = set(w.noise) & noise.GIVEN_CLASSES
        if words[0] == "R":
            assert not given, w.noise
            seen["own"] += 1
        else:
            assert given, (words, w.noise)
            seen["other"] += 1
    assert seen["own"] > 100
    assert seen["other"] > 5
