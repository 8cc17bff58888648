"""recall.lib.text: the invisible format and control characters, stripped or named."""

import pytest

from recall.lib.text import invisible_characters, invisible_problem, visible_text


@pytest.mark.parametrize(
    ("typed", "seen"),
    [
        ("\u202eANA GOMEZ", "ANA GOMEZ"),
        ("ANA\u200bGOMEZ", "ANAGOMEZ"),  # a zero-width space joins nothing visible
        ("\ufeffANA \u200e\u200fGOMEZ\u2066\u2067\u2068\u2069\u202a\u202c", "ANA GOMEZ"),
        ("ANA\u00ad GOMEZ\u2060", "ANA GOMEZ"),  # soft hyphen, word joiner (category Cf)
        ("ANA\tGOMEZ\r\n", "ANA GOMEZ  "),  # controls between words become spaces
        ("ANA\x00\x07\x1b\x7f\x9b GOMEZ", "ANA GOMEZ"),
        ("José Núñez 12½ Oak", "José Núñez 12½ Oak"),  # letters of every kind stay
        ("", ""),
    ],
)
def test_visible_text_strips_format_and_control_characters(typed, seen):
    assert visible_text(typed) == seen


def test_plain_text_is_returned_as_is():
    text = "Robert Smithers, 12 Oak Ave"
    assert visible_text(text) is text
    assert invisible_characters(text) == []


def test_invisible_characters_are_named_once_each():
    assert invisible_characters("\u202eA\u202eB\u200b") == [
        "U+202E RIGHT-TO-LEFT OVERRIDE", "U+200B ZERO WIDTH SPACE",
    ]  # fmt: skip
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in invisible_problem("the title", "\u202eRecall")
    assert invisible_problem("the title", "Recall") == ""
